import { auditPerson } from '../core/audit.js';
import { dayFromIso, isoFromDay } from '../core/dates.js';
import { explainPerson } from '../core/explain.js';
import { compileRuleset, defaultRuleset, type Ruleset } from '../core/ruleset.js';
import type { Day } from '../core/types.js';
import { UsageError } from '../errors.js';
import { normaliseCitizenship } from '../import/citizenship.js';
import { normaliseDocumentNo } from '../import/values.js';
import { loadTimeline } from '../storage/timelines.js';
import type { ReadStore } from '../storage/read-store.js';
import type { Row } from './render.js';
import { rulesetLabel, type RunRow } from './runs.js';

export interface PersonReport {
  personKey: string;
  identity: Row;
  asOf: string;
  run: number | null;
  ruleset: string;
  crossings: Row[];
  stays: Row[];
  permits: Row[];
  registrations: Row[];
  expulsions: Row[];
  findings: Row[];
  now: Row;
}

/**
 * Finds the person a user means: an exact person key, a person_id, a document number
 * (any spelling: spaces, dashes, case), or CITIZENSHIP:DOCUMENT with any citizenship
 * spelling. Several persons with that document number is an error listing them.
 */
function resolvePersonKey(store: ReadStore, key: string): string {
  const exact = store.one<{ person_key: string }>(`SELECT person_key FROM persons WHERE person_key = ?`, [key]);
  if (exact) return exact.person_key;
  const byId = store.all<{ person_key: string }>(`SELECT person_key FROM persons WHERE person_id = ?`, [key]);
  if (byId.length === 1) return byId[0]!.person_key;
  const colon = key.indexOf(':');
  if (colon > 0) {
    const citizenship = normaliseCitizenship(key.slice(0, colon));
    if (citizenship !== null) {
      const documentNo = normaliseDocumentNo(key.slice(colon + 1));
      const composite = store.one<{ person_key: string }>(`SELECT person_key FROM persons WHERE citizenship = ? AND document_no = ? ORDER BY person_key LIMIT 1`, [
        citizenship,
        documentNo,
      ]);
      if (composite) return composite.person_key;
    }
  }
  const byDocument = store.all<{ person_key: string }>(`SELECT person_key FROM persons WHERE document_no = ? ORDER BY person_key`, [normaliseDocumentNo(key)]);
  if (byDocument.length === 1) return byDocument[0]!.person_key;
  if (byDocument.length > 1 || byId.length > 1) {
    const keys = (byDocument.length > 1 ? byDocument : byId).map((r) => r.person_key);
    throw new UsageError(`'${key}' matches ${keys.length} persons: ${keys.slice(0, 10).join(', ')}`, 'give the full key, e.g. CITIZENSHIP:DOCUMENT');
  }
  throw new UsageError(`no person '${key}' in the database`, 'give a person_id, a document number or CITIZENSHIP:DOCUMENT');
}

const iso = (day: Day | null | undefined): string | null => (day === null || day === undefined || !Number.isFinite(day) ? null : isoFromDay(day));

/**
 * Everything known about one person, judged as of the run's date with the run's ruleset,
 * read in one snapshot: an import committing meanwhile cannot mix old and new rows.
 */
export function personReport(store: ReadStore, key: string, run: RunRow | undefined, fallbackAsOf: string): PersonReport {
  return store.snapshot(() => reportOf(store, key, run, fallbackAsOf));
}

function reportOf(store: ReadStore, key: string, run: RunRow | undefined, fallbackAsOf: string): PersonReport {
  const personKey = resolvePersonKey(store, key);
  const ruleset: Ruleset = run ? (JSON.parse(run.ruleset_json) as Ruleset) : defaultRuleset();
  const compiled = compileRuleset(ruleset);
  const asOf = run?.as_of ?? fallbackAsOf;
  const asOfDay = dayFromIso(asOf);
  const loaded = loadTimeline(store.connection, personKey);
  const stored = store.one<Row>(`SELECT person_key, person_id, citizenship, document_no, surname, given_names, birth_date, sex FROM persons WHERE person_key = ?`, [personKey]) ?? {
    person_key: personKey,
  };
  const timeline = loaded ?? { personKey, citizenship: String(stored['citizenship'] ?? ''), crossings: [], permits: [], registrations: [], expulsions: [] };
  const audit = auditPerson(timeline, compiled, asOfDay);
  const explanation = explainPerson(timeline, compiled, asOfDay);
  // The person's one citizenship is that of their latest crossing on or before as-of (SPEC §2).
  const identity: Row = { ...stored, citizenship: explanation.citizenship };

  const crossings = store.all<Row>(
    `SELECT crossed_at, direction, citizenship, checkpoint, document_no, c.import_id, i.file, c.line
     FROM crossings c LEFT JOIN imports i ON i.id = c.import_id WHERE person_key = ? ORDER BY crossed_at, direction`,
    [personKey],
  );
  const stays: Row[] = audit.stays.map((s) => ({
    citizenship: s.citizenship,
    entry_date: iso(s.entryDay),
    exit_date: iso(s.exitDay),
    status: s.status,
    days_present: s.daysPresent,
    regime: s.regime,
    authorised_until: iso(s.authorisedUntil),
    overstay: s.overstay ? 'yes' : 'no',
    entry_checkpoint: s.entryCheckpoint,
  }));
  const permits = store.all<Row>(
    `SELECT permit_no, kind, ground, valid_from, valid_until, status, revoked_on, address, host_id FROM permits WHERE person_key = ? ORDER BY valid_from`,
    [personKey],
  );
  const registrations = store.all<Row>(
    `SELECT registered_from, registered_until, notified_on, address, host_id, host_name FROM registrations WHERE person_key = ? ORDER BY registered_from`,
    [personKey],
  );
  const expulsions = store.all<Row>(`SELECT decided_on, expelled_on, ban_years, reason FROM expulsions WHERE person_key = ? ORDER BY decided_on`, [personKey]);
  // The stored findings of the run are the record; "why" comes from their detail.
  const findings: Row[] = run
    ? store
        .all<Row>(
          `SELECT rule, citizenship, regime, entry_date, exit_date, first_day, last_lawful_day, days, status, detail FROM findings WHERE run_id = ? AND person_key = ? ORDER BY id`,
          [run.id, personKey],
        )
        .map((f) => ({ ...f, why: explainFinding(String(f['rule']), JSON.parse(String(f['detail'] ?? '{}')) as Record<string, unknown>) }))
    : audit.findings.map((f) => ({
        rule: f.rule,
        citizenship: f.citizenship,
        regime: f.regime,
        entry_date: iso(f.entryDay),
        exit_date: iso(f.exitDay),
        first_day: iso(f.firstDay),
        last_lawful_day: iso(f.lastLawfulDay),
        days: f.days,
        status: f.status,
        detail: JSON.stringify(f.detail),
        why: explainFinding(f.rule, f.detail),
      }));
  const now: Row = {
    as_of: asOf,
    citizenship: explanation.citizenship,
    present: explanation.present ? 'yes' : 'no',
    regime: explanation.regime,
    covered_by_permit: explanation.covered ? 'yes' : 'no',
    entry_date: iso(explanation.entryDay),
    days_in_stay: explanation.daysInStay,
    cap: explanation.cap,
    cap_end: iso(explanation.capEnd),
    window: explanation.windowDays === null ? null : `${explanation.windowMax} in ${explanation.windowDays} days`,
    days_used_in_window: explanation.daysUsedInWindow,
    days_remaining: explanation.daysRemaining,
    last_lawful_day_if_stays_on: iso(explanation.lastLawfulDayIfStaysOn),
  };
  return {
    personKey,
    identity,
    asOf,
    run: run?.id ?? null,
    ruleset: run ? rulesetLabel(run) : 'default',
    crossings,
    stays,
    permits,
    registrations,
    expulsions,
    findings,
    now,
  };
}

/** One sentence saying why a finding was made, from what the audit stored. */
function explainFinding(rule: string, d: Record<string, unknown>): string {
  const v = (k: string): string => (d[k] === null || d[k] === undefined ? '?' : String(d[k]));
  switch (rule) {
    case 'stay-limit':
      return `cap of ${v('cap')} days per entry ended on ${v('capEnd')}`;
    case 'rolling-limit':
      return `${v('windowCount')} counted days in the ${v('windowDays')}-day window on the first unlawful day (max ${v('windowMax')}${d['countFrom'] ? `, counting from ${v('countFrom')}` : ''})`;
    case 'permit-expired':
      return `permit ${v('permitNo')} ended on ${v('permitEnd')} (grace ${v('graceDays')} days)`;
    case 'no-basis':
      return 'visa regime: present with no permit in force';
    case 'unregistered':
      return `no registration notified by the deadline ${v('deadline')} (${v('workingDays')} working days)`;
    case 'late-registration':
      return `notified after the deadline ${v('deadline')}`;
    case 'ban-breach':
      return `entry during the re-entry ban ${v('banStart')}..${v('banEnd')}`;
    default:
      return Object.entries(d)
        .map(([k, value]) => `${k}=${String(value)}`)
        .join(', ');
  }
}
