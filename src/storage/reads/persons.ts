/**
 * One person's stored records: finding them by key, person_id or document number, and
 * everything stored about them (identity, crossings with their import, permits,
 * registrations, expulsions, a run's findings, the timeline the audit reads).
 */
import type { PersonTimeline } from '../../core/types.js';
import type { ReadStore } from '../read-store.js';
import type { StoredRow } from './types.js';

/** Person keys matching what a user typed, by each way of naming a person (normalised by the caller). */
export interface PersonMatches {
  /** The key itself is a person key. */
  exact: string | undefined;
  /** Persons with that person_id. */
  byId: string[];
  /** The first person (by key) with this citizenship and document number, when asked. */
  byCitizenshipDocument: string | undefined;
  /** Persons with that document number, by key. */
  byDocument: string[];
}

export async function matchPersons(
  store: ReadStore,
  query: { key: string; documentNo: string; citizenshipDocument?: { citizenship: string; documentNo: string } },
): Promise<PersonMatches> {
  const keys = (rows: { person_key: string }[]): string[] => rows.map((r) => r.person_key);
  const cd = query.citizenshipDocument;
  return {
    exact: (await store.one<{ person_key: string }>(`SELECT person_key FROM ${store.dialect.persons} AS p WHERE person_key = ?`, [query.key]))?.person_key,
    // In key order: the persons a document names are listed in an error message.
    byId: keys(await store.all<{ person_key: string }>(`SELECT person_key FROM ${store.dialect.persons} AS p WHERE person_id = ? ORDER BY person_key`, [query.key])),
    byCitizenshipDocument: cd
      ? (await store.one<{ person_key: string }>(`SELECT person_key FROM ${store.dialect.persons} AS p WHERE citizenship = ? AND document_no = ? ORDER BY person_key LIMIT 1`, [cd.citizenship, cd.documentNo]))
          ?.person_key
      : undefined,
    byDocument: keys(await store.all<{ person_key: string }>(`SELECT person_key FROM ${store.dialect.persons} AS p WHERE document_no = ? ORDER BY person_key`, [query.documentNo])),
  };
}

export interface PersonRecords {
  /** The persons row, or undefined when only other datasets name the key. */
  identity: StoredRow | undefined;
  timeline: PersonTimeline | undefined;
  crossings: StoredRow[];
  permits: StoredRow[];
  registrations: StoredRow[];
  expulsions: StoredRow[];
  /** The run's stored findings of the person, in finding order (none without a run). */
  findings: StoredRow[];
}

/** Everything stored about one person (call inside `store.snapshot` for one consistent view). */
export async function personRecords(store: ReadStore, personKey: string, runId: number | null): Promise<PersonRecords> {
  return {
    identity: await store.one<StoredRow>(`SELECT person_key, person_id, citizenship, document_no, surname, given_names, birth_date, sex FROM ${store.dialect.persons} AS p WHERE person_key = ?`, [personKey]),
    // The store's own timeline reader, the one the audit uses.
    timeline: await store.timeline(personKey),
    crossings: await store.all<StoredRow>(
      `SELECT crossed_at, direction, citizenship, checkpoint, document_no, c.import_id, (SELECT file FROM imports i WHERE i.id = c.import_id) AS file, c.line
       FROM ${store.dialect.crossings} AS c WHERE person_key = ? ORDER BY crossed_at, direction`,
      [personKey],
    ),
    permits: await store.all<StoredRow>(
      `SELECT permit_no, kind, ground, valid_from, valid_until, status, revoked_on, address, host_id FROM permits WHERE person_key = ? ORDER BY valid_from, permit_no`,
      [personKey],
    ),
    registrations: await store.all<StoredRow>(
      `SELECT registered_from, registered_until, notified_on, address, host_id, host_name FROM registrations WHERE person_key = ? ORDER BY registered_from, content_hash`,
      [personKey],
    ),
    expulsions: await store.all<StoredRow>(`SELECT decided_on, expelled_on, ban_years, reason FROM expulsions WHERE person_key = ? ORDER BY decided_on, content_hash`, [personKey]),
    findings:
      runId === null
        ? []
        : await store.all<StoredRow>(
            `SELECT rule, citizenship, regime, entry_date, exit_date, first_day, last_lawful_day, days, status, detail FROM findings WHERE run_id = ? AND person_key = ? ORDER BY id`,
            [runId, personKey],
          ),
  };
}
