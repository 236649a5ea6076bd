import { createHash } from 'node:crypto';
import type Database from 'better-sqlite3';

type Statement = Database.Statement<unknown[]>;
type StatementName = 'stageCrossing' | 'mergeCrossings' | 'mergePersons' | 'personRef' | 'registration' | 'permitHash' | 'permitInsert' | 'permitUpdate' | 'expulsion';
import type { CrossingRow, DatasetName, ExpulsionRow, PermitRow, RegistrationRow } from '../import/rows.js';
import { storageFailure, type Connection } from './database.js';

export interface LedgerEntry {
  dataset: DatasetName;
  file: string;
  checksum: string;
  bytes: number;
  encoding: string | null;
  delimiter: string | null;
  startedAt: string;
  finishedAt: string;
  rowsRead: number;
  added: number;
  updated: number;
  duplicate: number;
  rejected: number;
}

export interface BatchOutcome {
  added: number;
  updated: number;
  duplicate: number;
}

export interface Numbered<T> {
  line: number;
  row: T;
}

/**
 * One file's import as one write transaction. `begin` takes the write lock (waiting
 * up to the busy timeout), batches are inserted with INSERT OR IGNORE against the
 * content keys, and `commit` records the ledger row; `rollback` leaves the database
 * exactly as before.
 */
export class ImportTransaction {
  private readonly db: Connection;
  private readonly file: string;
  private importId = 0;
  private open = false;
  private statements: ReturnType<typeof prepareStatements> | undefined;
  private staged = 0;

  constructor(db: Connection, file: string) {
    this.db = db;
    this.file = file;
  }

  begin(dataset: DatasetName, startedAt: string): void {
    try {
      this.db.exec('BEGIN IMMEDIATE');
      this.open = true;
      // Crossings are staged in a temporary table (appends) and merged in key order at
      // the end: SQLite's sorter plus in-order inserts beat random inserts into the
      // clustered table and the persons index (README, Performance).
      this.db.exec(`CREATE TEMP TABLE IF NOT EXISTS stage_crossings (
        person_key TEXT, crossed_at TEXT, direction TEXT, citizenship TEXT, document_no TEXT, checkpoint TEXT, line INTEGER,
        person_id TEXT, surname TEXT, given_names TEXT, birth_date TEXT, sex TEXT)`);
      this.db.exec('DELETE FROM temp.stage_crossings');
      this.statements = prepareStatements(this.db);
      const info = this.db
        .prepare(`INSERT INTO imports (dataset, file, checksum, started_at, finished_at, rows_read, added, duplicate, rejected)
                  VALUES (?, ?, '', ?, ?, 0, 0, 0, 0)`)
        .run(dataset, this.file, startedAt, startedAt);
      this.importId = Number(info.lastInsertRowid);
    } catch (error) {
      this.rollback();
      throw storageFailure(error, this.file);
    }
  }

  insert(dataset: DatasetName, batch: readonly Numbered<unknown>[]): BatchOutcome {
    const s = this.statements!;
    const outcome: BatchOutcome = { added: 0, updated: 0, duplicate: 0 };
    const id = this.importId;
    try {
      switch (dataset) {
        case 'crossings':
          for (const { line, row } of batch as Numbered<CrossingRow>[]) {
            s.stageCrossing.run(row.personKey, row.crossedAt, row.direction, row.citizenship, row.documentNo, row.checkpoint, line, row.personId, row.surname, row.givenNames, row.birthDate, row.sex);
          }
          this.staged += batch.length;
          break;
        case 'registrations':
          for (const { line, row } of batch as Numbered<RegistrationRow>[]) {
            s.personRef.run(row.personKey, row.personId, row.citizenship, row.documentNo);
            const hash = contentHash([row.personKey, row.registeredFrom, row.registeredUntil, row.notifiedOn, row.address, row.hostId, row.hostName]);
            const changes = s.registration.run(row.personKey, row.personId, row.citizenship, row.documentNo, row.registeredFrom, row.registeredUntil, row.notifiedOn, row.address, row.hostId, row.hostName, hash, id, line).changes;
            if (changes > 0) outcome.added++;
            else outcome.duplicate++;
          }
          break;
        case 'permits':
          for (const { line, row } of batch as Numbered<PermitRow>[]) {
            s.personRef.run(row.personKey, row.personId, row.citizenship, row.documentNo);
            const hash = contentHash([row.kind, row.ground, row.validFrom, row.validUntil, row.status, row.revokedOn, row.address, row.hostId, row.citizenship, row.documentNo]);
            const existing = s.permitHash.get(row.permitNo, row.personKey) as { content_hash: string } | undefined;
            if (existing === undefined) {
              s.permitInsert.run(row.permitNo, row.personKey, row.personId, row.citizenship, row.documentNo, row.kind, row.ground, row.validFrom, row.validUntil, row.status, row.revokedOn, row.address, row.hostId, hash, id, line);
              outcome.added++;
            } else if (existing.content_hash === hash) {
              outcome.duplicate++;
            } else {
              // A later export of the same permit (e.g. now revoked) replaces the earlier one.
              s.permitUpdate.run(row.personId, row.citizenship, row.documentNo, row.kind, row.ground, row.validFrom, row.validUntil, row.status, row.revokedOn, row.address, row.hostId, hash, id, line, row.permitNo, row.personKey);
              outcome.updated++;
            }
          }
          break;
        case 'expulsions':
          for (const { line, row } of batch as Numbered<ExpulsionRow>[]) {
            s.personRef.run(row.personKey, row.personId, row.citizenship, row.documentNo);
            const hash = contentHash([row.personKey, row.decidedOn, row.expelledOn, row.banYears, row.reason]);
            const changes = s.expulsion.run(row.personKey, row.personId, row.citizenship, row.documentNo, row.decidedOn, row.expelledOn, row.banYears, row.reason, hash, id, line).changes;
            if (changes > 0) outcome.added++;
            else outcome.duplicate++;
          }
          break;
      }
    } catch (error) {
      this.rollback();
      throw storageFailure(error, this.file);
    }
    return outcome;
  }

  /**
   * Merges the staged crossings into the store in key order (the first line of a
   * duplicate wins) and upserts their persons; returns what was added.
   */
  flush(): BatchOutcome {
    if (this.staged === 0) return { added: 0, updated: 0, duplicate: 0 };
    try {
      const s = this.statements!;
      const added = s.mergeCrossings.run(this.importId).changes;
      s.mergePersons.run();
      this.db.exec('DELETE FROM temp.stage_crossings');
      const outcome = { added, updated: 0, duplicate: this.staged - added };
      this.staged = 0;
      return outcome;
    } catch (error) {
      this.rollback();
      throw storageFailure(error, this.file);
    }
  }

  commit(entry: LedgerEntry): number {
    try {
      this.db
        .prepare(`UPDATE imports SET checksum = ?, bytes = ?, encoding = ?, delimiter = ?, finished_at = ?,
                  rows_read = ?, added = ?, updated = ?, duplicate = ?, rejected = ? WHERE id = ?`)
        .run(entry.checksum, entry.bytes, entry.encoding, entry.delimiter, entry.finishedAt, entry.rowsRead, entry.added, entry.updated, entry.duplicate, entry.rejected, this.importId);
      this.db.exec('COMMIT');
      this.open = false;
    } catch (error) {
      this.rollback();
      throw storageFailure(error, this.file);
    }
    return this.importId;
  }

  rollback(): void {
    if (!this.open) return;
    this.open = false;
    try {
      this.db.exec('ROLLBACK');
    } catch {
      // The transaction may already have been rolled back by SQLite (e.g. SQLITE_FULL).
    }
  }
}

function prepareStatements(db: Connection): Record<StatementName, Statement> {
  return {
    stageCrossing: db.prepare(`INSERT INTO temp.stage_crossings VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
    mergeCrossings: db.prepare(`INSERT OR IGNORE INTO crossings (person_key, crossed_at, direction, citizenship, document_no, checkpoint, import_id, line)
      SELECT person_key, crossed_at, direction, citizenship, document_no, checkpoint, ?, line FROM temp.stage_crossings
      ORDER BY person_key, crossed_at, direction, line`),
    // One row per person of the file; a value the file gives fills or replaces the stored one.
    mergePersons: db.prepare(`INSERT INTO persons (person_key, person_id, citizenship, document_no, surname, given_names, birth_date, sex)
      SELECT person_key, max(person_id), max(citizenship), max(document_no), max(surname), max(given_names), max(birth_date), max(sex)
      FROM temp.stage_crossings GROUP BY person_key ORDER BY person_key
      ON CONFLICT (person_key) DO UPDATE SET
        surname = coalesce(excluded.surname, surname),
        given_names = coalesce(excluded.given_names, given_names),
        birth_date = coalesce(excluded.birth_date, birth_date),
        sex = coalesce(excluded.sex, sex)
      WHERE (excluded.surname IS NOT NULL AND excluded.surname IS NOT surname)
         OR (excluded.given_names IS NOT NULL AND excluded.given_names IS NOT given_names)
         OR (excluded.birth_date IS NOT NULL AND excluded.birth_date IS NOT birth_date)
         OR (excluded.sex IS NOT NULL AND excluded.sex IS NOT sex)`),
    personRef: db.prepare(`INSERT OR IGNORE INTO persons (person_key, person_id, citizenship, document_no) VALUES (?, ?, ?, ?)`),
    registration: db.prepare(`INSERT OR IGNORE INTO registrations (person_key, person_id, citizenship, document_no, registered_from, registered_until,
      notified_on, address, host_id, host_name, content_hash, import_id, line) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
    permitHash: db.prepare(`SELECT content_hash FROM permits WHERE permit_no = ? AND person_key = ?`),
    permitInsert: db.prepare(`INSERT INTO permits (permit_no, person_key, person_id, citizenship, document_no, kind, ground, valid_from, valid_until,
      status, revoked_on, address, host_id, content_hash, import_id, line) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
    permitUpdate: db.prepare(`UPDATE permits SET person_id = ?, citizenship = ?, document_no = ?, kind = ?, ground = ?, valid_from = ?, valid_until = ?,
      status = ?, revoked_on = ?, address = ?, host_id = ?, content_hash = ?, import_id = ?, line = ? WHERE permit_no = ? AND person_key = ?`),
    expulsion: db.prepare(`INSERT OR IGNORE INTO expulsions (person_key, person_id, citizenship, document_no, decided_on, expelled_on, ban_years, reason,
      content_hash, import_id, line) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
  };
}

function contentHash(values: readonly unknown[]): string {
  return createHash('sha1').update(JSON.stringify(values)).digest('base64');
}

/** Whether a file with this checksum was already imported completely as this dataset. */
export function findImportByChecksum(db: Connection, checksum: string): { id: number; dataset: string; file: string } | undefined {
  return db.prepare(`SELECT id, dataset, file FROM imports WHERE checksum = ? ORDER BY id LIMIT 1`).get(checksum) as
    | { id: number; dataset: string; file: string }
    | undefined;
}
