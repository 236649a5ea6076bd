/**
 * Storage's side of the import: the ImportStore that the import and the nightly job
 * talk to (one session per file that stages, merges and commits; the ledger; the kept
 * rejects), engine-neutral and asynchronous at the boundary, and its SQLite
 * implementation with the per-dataset staging and merge SQL (synchronous inside; one
 * promise per staged batch, never per row). PostgreSQL's is postgres/import-store.ts.
 */
import type Database from 'better-sqlite3';
import type { CrossingRow, DatasetName, ExpulsionRow, PermitRow, RegistrationRow } from './rows.js';
import { BatchedInsert, openConnection, whileMapped, type Connection, type OpenOptions } from './database.js';
import { PERSONS_DOCUMENT_INDEX } from './schema.js';
import { WriteTransaction } from './write-transaction.js';
import { StorageError } from '../errors.js';
import type { StoreAddress } from './open-store.js';

type Statement = Database.Statement<unknown[]>;

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
  /** Rejected rows by reason (values left out), with the first line of each. */
  rejections?: readonly { reason: string; rows: number; firstLine: number }[];
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
 * How one dataset is staged and merged. Rows are appended to a temporary table as
 * they are read (cheap), then merged into the clustered store in key order by SQLite's
 * sorter (in-order b-tree inserts), which is about three times faster on a national
 * file than inserting each row where it belongs (README, Performance).
 */
interface DatasetPlan {
  stageColumns: string;
  /** A row's staged values, in the order of stageColumns (shared with PostgreSQL's staging). */
  values(line: number, row: never): unknown[];
  /** Moves the staged rows into the store; `?` is the import id. */
  merge: string;
  /** Creates or completes the persons of the staged rows. */
  persons: string;
  /**
   * Permits: a changed row replaces the stored one, so the merge's changes are added
   * plus updated rows; this counts the staged keys not stored yet (the added ones).
   */
  newKeys?: string;
}

const IDENTITY_ONLY = `INSERT OR IGNORE INTO persons (person_key, person_id, citizenship, document_no)
  SELECT person_key, max(person_id), max(citizenship), max(document_no) FROM stage GROUP BY person_key ORDER BY person_key`;

const PLANS: Record<DatasetName, DatasetPlan> = {
  crossings: {
    stageColumns: `person_key, crossed_at, direction, citizenship, document_no, checkpoint, line,
      person_id, surname, given_names, birth_date, sex`,
    values: (line, row: CrossingRow) =>
      [row.personKey, row.crossedAt, row.direction, row.citizenship, row.documentNo, row.checkpoint, line, row.personId, row.surname, row.givenNames, row.birthDate, row.sex],
    // The first line of a duplicate wins.
    merge: `INSERT OR IGNORE INTO crossings (person_key, crossed_at, direction, citizenship, document_no, checkpoint, import_id, line)
      SELECT person_key, crossed_at, direction, citizenship, document_no, checkpoint, ?, line FROM stage
      ORDER BY person_key, crossed_at, direction, line`,
    // One row per person of the file; a value the file gives fills or replaces the stored one.
    persons: `INSERT INTO persons (person_key, person_id, citizenship, document_no, surname, given_names, birth_date, sex)
      SELECT person_key, max(person_id), max(citizenship), max(document_no), max(surname), max(given_names), max(birth_date), max(sex)
      FROM stage GROUP BY person_key ORDER BY person_key
      ON CONFLICT (person_key) DO UPDATE SET
        surname = coalesce(excluded.surname, surname),
        given_names = coalesce(excluded.given_names, given_names),
        birth_date = coalesce(excluded.birth_date, birth_date),
        sex = coalesce(excluded.sex, sex)
      WHERE (excluded.surname IS NOT NULL AND excluded.surname IS NOT surname)
         OR (excluded.given_names IS NOT NULL AND excluded.given_names IS NOT given_names)
         OR (excluded.birth_date IS NOT NULL AND excluded.birth_date IS NOT birth_date)
         OR (excluded.sex IS NOT NULL AND excluded.sex IS NOT sex)`,
  },
  registrations: {
    stageColumns: `person_key, registered_from, content_hash, person_id, citizenship, document_no, registered_until,
      notified_on, address, host_id, host_name, line`,
    values: (line, row: RegistrationRow) => [
        row.personKey,
        row.registeredFrom,
        contentHash([row.personKey, row.registeredFrom, row.registeredUntil, row.notifiedOn, row.address, row.hostId, row.hostName]),
        row.personId,
        row.citizenship,
        row.documentNo,
        row.registeredUntil,
        row.notifiedOn,
        row.address,
        row.hostId,
        row.hostName,
        line,
      ],
    merge: `INSERT OR IGNORE INTO registrations (person_key, registered_from, content_hash, person_id, citizenship, document_no,
        registered_until, notified_on, address, host_id, host_name, import_id, line)
      SELECT person_key, registered_from, content_hash, person_id, citizenship, document_no, registered_until, notified_on,
        address, host_id, host_name, ?, line
      FROM stage ORDER BY person_key, registered_from, content_hash, line`,
    persons: IDENTITY_ONLY,
  },
  permits: {
    stageColumns: `person_key, permit_no, person_id, citizenship, document_no, kind, ground, valid_from, valid_until, status,
      revoked_on, address, host_id, content_hash, line`,
    values: (line, row: PermitRow) => [
        row.personKey,
        row.permitNo,
        row.personId,
        row.citizenship,
        row.documentNo,
        row.kind,
        row.ground,
        row.validFrom,
        row.validUntil,
        row.status,
        row.revokedOn,
        row.address,
        row.hostId,
        contentHash([row.kind, row.ground, row.validFrom, row.validUntil, row.status, row.revokedOn, row.address, row.hostId, row.citizenship, row.documentNo]),
        line,
      ],
    // A later export of the same permit (e.g. now revoked) replaces the earlier one.
    merge: `INSERT INTO permits (person_key, permit_no, person_id, citizenship, document_no, kind, ground, valid_from, valid_until,
        status, revoked_on, address, host_id, content_hash, import_id, line)
      SELECT person_key, permit_no, person_id, citizenship, document_no, kind, ground, valid_from, valid_until, status,
        revoked_on, address, host_id, content_hash, ?, line
      FROM stage WHERE true ORDER BY person_key, permit_no, line
      ON CONFLICT (person_key, permit_no) DO UPDATE SET
        person_id = excluded.person_id, citizenship = excluded.citizenship, document_no = excluded.document_no,
        kind = excluded.kind, ground = excluded.ground, valid_from = excluded.valid_from, valid_until = excluded.valid_until,
        status = excluded.status, revoked_on = excluded.revoked_on, address = excluded.address, host_id = excluded.host_id,
        content_hash = excluded.content_hash, import_id = excluded.import_id, line = excluded.line
      WHERE content_hash <> excluded.content_hash`,
    persons: IDENTITY_ONLY,
    newKeys: `SELECT count(*) AS n FROM (SELECT DISTINCT person_key, permit_no FROM stage) s
      WHERE NOT EXISTS (SELECT 1 FROM permits p WHERE p.person_key = s.person_key AND p.permit_no = s.permit_no)`,
  },
  expulsions: {
    stageColumns: 'person_key, decided_on, content_hash, person_id, citizenship, document_no, expelled_on, ban_years, reason, line',
    values: (line, row: ExpulsionRow) => [
        row.personKey,
        row.decidedOn,
        contentHash([row.personKey, row.decidedOn, row.expelledOn, row.banYears, row.reason]),
        row.personId,
        row.citizenship,
        row.documentNo,
        row.expelledOn,
        row.banYears,
        row.reason,
        line,
      ],
    merge: `INSERT OR IGNORE INTO expulsions (person_key, decided_on, content_hash, person_id, citizenship, document_no,
        expelled_on, ban_years, reason, import_id, line)
      SELECT person_key, decided_on, content_hash, person_id, citizenship, document_no, expelled_on, ban_years, reason, ?, line
      FROM stage ORDER BY person_key, decided_on, content_hash, line`,
    persons: IDENTITY_ONLY,
  },
};

/**
 * The append layout (schema 8, issue 18). A nightly delta's new persons land all over
 * the clustered tables, one page each in crossings, persons and the document index: at
 * 1 M persons 25,000 crossings wrote 115 MB of log, twice. An import whose rows are few
 * against the store's crossings appends them to crossings_recent and persons_recent
 * instead (a key is in one table of a pair, never both), which every reader merges in.
 * RECENT_SHARE is that bound: recent crossings and persons plus staged rows at most
 * 1/16 of the crossings. A small import that would overfill the recent tables folds
 * them back, in key order, and then appends (nights of 25,000 rows of new persons: a
 * fold every fifth night at 1 M persons, every sixteenth at 3.4 M); a large one folds
 * them back and merges into the clustered tables.
 */
export const RECENT_SHARE = 16;

/**
 * The most staged rows whose lookups read the store memory-mapped (see merge). The
 * national year's 187,760 permits, appended to its 3.4 M persons: peak RSS 496 MB
 * mapped, 210 MB not (the map's pages count as the process's), in about the same time.
 */
const MAPPED_ROWS = 50_000;

/** The staged persons that the clustered persons table holds, into temp.stage_stored. */
const STORED_PERSONS = `INSERT INTO temp.stage_stored SELECT DISTINCT person_key FROM stage s
  WHERE EXISTS (SELECT 1 FROM persons p WHERE p.person_key = s.person_key)`;

/**
 * Crossings of a small import appended to crossings_recent, unless stored already (the
 * first line of a duplicate wins). A crossing in the clustered table has its person in
 * the clustered persons table (both are folded together), so only the crossings of
 * such persons are looked up there: a new person's cost nothing to check.
 */
const RECENT_CROSSINGS_MERGE = `INSERT OR IGNORE INTO crossings_recent (person_key, crossed_at, direction, citizenship, document_no, checkpoint, import_id, line)
  SELECT person_key, crossed_at, direction, citizenship, document_no, checkpoint, ?, line FROM stage s
  WHERE NOT EXISTS (SELECT 1 FROM temp.stage_stored k WHERE k.person_key = s.person_key)
     OR NOT EXISTS (SELECT 1 FROM crossings c WHERE c.person_key = s.person_key AND c.crossed_at = s.crossed_at AND c.direction = s.direction)
  ORDER BY person_key, crossed_at, direction, line`;

/**
 * A plan's persons statement aimed at `table`, for the staged persons that are
 * (EXISTS) or are not (NOT EXISTS) in the clustered persons table (temp.stage_stored).
 */
function personsInto(table: 'persons' | 'persons_recent', filter: 'EXISTS' | 'NOT EXISTS', persons: string): string {
  return persons
    .replace(/INTO persons \(/, `INTO ${table} (`)
    .replace(/FROM stage GROUP BY/, `FROM stage s WHERE ${filter} (SELECT 1 FROM temp.stage_stored k WHERE k.person_key = s.person_key) GROUP BY`);
}

/**
 * Moves the recent tables' rows into the clustered ones, in key order (a no-op when they
 * are empty). A key is never in both tables of a pair, so OR IGNORE ignores nothing here
 * (checked: every row deleted from a recent table must have been inserted). It spares
 * SQLite the statement journal, the copy of every page an INSERT that could fail halfway
 * would have to put back: 1 M persons, 100,000 crossings and 40,000 persons folded,
 * 0.92 + 0.93 s -> 0.65 + 0.69 s, and 130 MB less written.
 */
function foldRecent(db: Connection): void {
  const fold = (table: 'crossings' | 'persons', columns: string, order: string): void => {
    const recent = `${table}_recent`;
    if (db.prepare(`SELECT 1 FROM ${recent} LIMIT 1`).get() === undefined) return;
    const moved = db.prepare(`INSERT OR IGNORE INTO ${table} (${columns}) SELECT ${columns} FROM ${recent} ORDER BY ${order}`).run().changes;
    const waiting = db.prepare(`DELETE FROM ${recent}`).run().changes;
    if (moved !== waiting) {
      throw new StorageError(
        `database ${db.name}: ${waiting - moved} of the ${waiting} rows of ${recent} are also in ${table}; nothing of this import was kept`,
        'the database was changed outside stayaudit, or this is a bug: restore a backup, and report it if stayaudit alone wrote the file',
      );
    }
  };
  fold('crossings', 'person_key, crossed_at, direction, citizenship, document_no, checkpoint, import_id, line', 'person_key, crossed_at, direction');
  fold('persons', 'person_key, person_id, citizenship, document_no, surname, given_names, birth_date, sex', 'person_key');
}

/** What PostgreSQL's staging shares with SQLite's: the staged columns and each row's values. */
export function stagePlan(dataset: DatasetName): { columns: readonly string[]; values: (line: number, row: unknown) => unknown[] } {
  const plan = PLANS[dataset];
  return { columns: plan.stageColumns.split(',').map((c) => c.trim()), values: plan.values as (line: number, row: unknown) => unknown[] };
}

/**
 * One file's import as one transaction, as the import sees it: rows are staged as they
 * are read, merged once the file is read, and the ledger entry commits the lot. The
 * first call takes the write lock; `rollback` (or any failure) leaves the store exactly
 * as before. Only named operations cross this boundary, so another store (issue 17)
 * can implement it.
 */
export interface ImportSession {
  /** Adds accepted rows (with their lines) to the import. */
  stage(batch: readonly Numbered<unknown>[]): Promise<void>;
  /** Keeps rejected rows with the import, to write rejects reports from later. */
  keepRejects(header: readonly string[], rejects: readonly KeptReject[]): Promise<void>;
  /** Merges what was staged into the store; returns what was added, updated or a duplicate. */
  merge(): Promise<BatchOutcome>;
  /** Records the ledger entry and commits; returns the import's id. */
  commit(entry: LedgerEntry): Promise<number>;
  /** Leaves the store exactly as before the session (never throws). */
  rollback(): Promise<void>;
}

/** A rejected row as the import keeps it. */
export interface KeptReject {
  line: number;
  raw: readonly string[];
  reason: string;
}

/** An earlier import of the same bytes. */
export interface PreviousImport {
  id: number;
  dataset: DatasetName;
  file: string;
  rejected: number;
}

/**
 * What the import and the nightly job need of the store, and nothing else: no SQL and
 * no connection leaves storage. Open it with `openImportStore`.
 */
export interface ImportStore {
  /** The store's location, as errors name it. */
  readonly file: string;
  /** Starts one file's import; nothing is locked or written before its first call. */
  beginImport(label: string, dataset: DatasetName, startedAt: string): ImportSession;
  /** The first complete import of a file with this checksum, if any. */
  findImportByChecksum(checksum: string): Promise<PreviousImport | undefined>;
  /** The header of an import's rejected rows (null when it rejected none). */
  rejectHeader(importId: number): Promise<string[] | null>;
  /** An import's rejected rows in line order. */
  storedRejects(importId: number): AsyncIterable<StoredReject>;
  /** Whether a nightly report set has published this import's rejects. */
  rejectsPublished(importId: number): Promise<boolean>;
  /** Records that the rejects of these imports are in a published report set. */
  markRejectsPublished(importIds: readonly number[], at: string): Promise<void>;
  close(): Promise<void>;
}

/**
 * Opens the store at `address` for importing. Created when missing, as only import and
 * nightly may: an SQLite file is created, a PostgreSQL database gets (or is upgraded
 * to) the schema, as `init` would.
 */
export async function connectImportStore(address: StoreAddress): Promise<ImportStore> {
  const location = address.location;
  if (location.kind === 'postgres') {
    // Loaded only for a server store: SQLite imports never load the driver.
    const { openPostgresImportStore } = await import('./postgres/import-store.js');
    return openPostgresImportStore(location, address.busyTimeoutMs, address.segmentRows);
  }
  return openImportStore(location.file, address.busyTimeoutMs === undefined ? {} : { busyTimeoutMs: address.busyTimeoutMs });
}

/** Opens the SQLite store for importing (created when missing, as only import and nightly may). */
export function openImportStore(file: string, options: Pick<OpenOptions, 'busyTimeoutMs'> = {}): ImportStore {
  return new SqliteImportStore(openConnection(file, { ...options, create: true }));
}

class SqliteImportStore implements ImportStore {
  readonly file: string;
  private readonly db: Connection;

  constructor(db: Connection) {
    this.db = db;
    this.file = db.name;
  }

  beginImport(label: string, dataset: DatasetName, startedAt: string): ImportSession {
    return new ImportTransaction(this.db, label, dataset, startedAt);
  }

  async findImportByChecksum(checksum: string): Promise<PreviousImport | undefined> {
    return findImportByChecksum(this.db, checksum);
  }

  async rejectHeader(importId: number): Promise<string[] | null> {
    return rejectHeader(this.db, importId);
  }

  async *storedRejects(importId: number): AsyncGenerator<StoredReject> {
    yield* storedRejects(this.db, importId);
  }

  async rejectsPublished(importId: number): Promise<boolean> {
    return rejectsPublished(this.db, importId);
  }

  async markRejectsPublished(importIds: readonly number[], at: string): Promise<void> {
    markRejectsPublished(this.db, importIds, at);
  }

  async close(): Promise<void> {
    this.db.close();
  }
}

/**
 * SQLite's import session: one write transaction. The first call takes the write lock
 * with BEGIN IMMEDIATE (waiting up to the busy timeout), `stage` appends rows to a
 * temporary table, `merge` moves them into the store (duplicates recognised by their
 * keys), and `commit` records the ledger row; `rollback` leaves the database exactly
 * as before.
 */
class ImportTransaction extends WriteTransaction implements ImportSession {
  private readonly dataset: DatasetName;
  private readonly plan: DatasetPlan;
  private readonly startedAt: string;
  private begun = false;
  private importId = 0;
  private staged = 0;
  private stageRows: BatchedInsert | undefined;
  private rejectStatement: Statement | undefined;

  /** The imported file, as the ledger records it (storage errors name the database). */
  private readonly label: string;

  constructor(db: Connection, label: string, dataset: DatasetName, startedAt: string) {
    super(db, db.name);
    this.label = label;
    this.dataset = dataset;
    this.plan = PLANS[dataset];
    this.startedAt = startedAt;
  }

  private begin(): void {
    if (this.begun) return;
    this.begun = true;
    const startedAt = this.startedAt;
    this.guard(() => {
      this.beginImmediate();
      this.db.exec(`CREATE TEMP TABLE IF NOT EXISTS stage_${this.dataset} (${this.plan.stageColumns})`);
      this.db.exec(`DELETE FROM temp.stage_${this.dataset}`);
      const columns = this.plan.stageColumns.split(',').length;
      this.stageRows = new BatchedInsert(this.db, `INSERT INTO temp.stage_${this.dataset}`, `(${Array(columns).fill('?').join(', ')})`);
      const info = this.db
        .prepare(`INSERT INTO imports (dataset, file, checksum, started_at, finished_at, rows_read, added, duplicate, rejected)
                  VALUES (?, ?, '', ?, ?, 0, 0, 0, 0)`)
        .run(this.dataset, this.label, startedAt, startedAt);
      this.importId = Number(info.lastInsertRowid);
    });
  }

  async stage(batch: readonly Numbered<unknown>[]): Promise<void> {
    this.begin();
    const stageRows = this.stageRows!;
    const values = this.plan.values as (line: number, row: unknown) => unknown[];
    this.guard(() => {
      for (const { line, row } of batch) stageRows.add(values(line, row));
      stageRows.flush();
      this.staged += batch.length;
    });
  }

  /** Keeps rejected rows with the import (same transaction), to write rejects reports from later. */
  async keepRejects(header: readonly string[], rejects: readonly KeptReject[]): Promise<void> {
    if (rejects.length === 0) return;
    this.begin();
    this.guard(() => {
      if (this.rejectStatement === undefined) {
        this.db.prepare('INSERT OR IGNORE INTO import_reject_headers (import_id, header) VALUES (?, ?)').run(this.importId, JSON.stringify(header));
        this.rejectStatement = this.db.prepare('INSERT INTO import_rejects (import_id, line, reason, raw) VALUES (?, ?, ?, ?)');
      }
      for (const reject of rejects) this.rejectStatement.run(this.importId, reject.line, reject.reason, JSON.stringify(reject.raw));
    });
  }

  /** Merges what was staged into the store; returns what was added, updated or a duplicate. */
  async merge(): Promise<BatchOutcome> {
    this.begin();
    if (this.staged === 0) return { added: 0, updated: 0, duplicate: 0 };
    const stage = `temp.stage_${this.dataset}`;
    const sql = (text: string): string => text.replace(/\bFROM stage\b/g, `FROM ${stage}`);
    return this.guard(() => {
      const newKeys = this.plan.newKeys === undefined ? null : (this.db.prepare(sql(this.plan.newKeys)).get() as { n: number }).n;
      let changed: number;
      const layout = this.layout();
      // The recent tables are full: folded back first, and the file then appended to them
      // (merging it into the clustered tables too would cost a page per new person again).
      if (layout === 'fold, then append') foldRecent(this.db);
      if (layout !== 'clustered') {
        // A small import into a large store: new crossings and persons appended to the
        // recent tables; a stored person the file completes is updated where it is.
        // The lookups below read one leaf page per staged person, at random: through
        // pread a page cost ~10 µs here, memory-mapped (read-only; writes still go
        // through the log) ~3 µs (11,000 persons in a 1 M store: 194 ms -> 56 ms).
        // The map serves these lookups only and is let go of after them, and only for a
        // file of up to MAPPED_ROWS rows: the pages it reads count as the process's
        // memory, and a larger file's lookups read much of the table anyway.
        changed = whileMapped(
          this.db,
          () => {
            // The staged persons the clustered table holds, found once: only their crossings
            // can be stored there already, and only they are updated in place.
            this.db.exec('CREATE TEMP TABLE IF NOT EXISTS stage_stored (person_key TEXT PRIMARY KEY) WITHOUT ROWID');
            this.db.exec('DELETE FROM temp.stage_stored');
            this.db.exec(sql(STORED_PERSONS));
            const merge = this.dataset === 'crossings' ? RECENT_CROSSINGS_MERGE : this.plan.merge;
            const appended = this.db.prepare(sql(merge)).run(this.importId).changes;
            if (this.dataset === 'crossings') this.db.prepare(sql(personsInto('persons', 'EXISTS', this.plan.persons))).run();
            this.db.prepare(sql(personsInto('persons_recent', 'NOT EXISTS', this.plan.persons))).run();
            return appended;
          },
          this.staged <= MAPPED_ROWS,
        );
      } else {
        foldRecent(this.db);
        changed = this.db.prepare(sql(this.plan.merge)).run(this.importId).changes;
        // A first (national) import: one sort to build the document index afterwards is
        // far cheaper than a random b-tree insert per new person (3.4 M persons: 23 s -> 14 s).
        const reindex = this.fewStoredPersons();
        if (reindex) this.db.exec('DROP INDEX persons_document');
        this.db.prepare(sql(this.plan.persons)).run();
        if (reindex) this.db.exec(PERSONS_DOCUMENT_INDEX);
      }
      const added = newKeys ?? changed;
      this.db.exec(`DELETE FROM ${stage}`);
      const outcome = { added, updated: changed - added, duplicate: this.staged - changed };
      this.staged = 0;
      return outcome;
    });
  }

  /**
   * Where this import goes. A small one appends to the recent tables: the store's
   * crossings (as the ledger counts them) are at least RECENT_SHARE times the rows
   * staged plus those the recent tables already hold. One that is small but would
   * overfill them folds them back first, then appends (a nightly delta every fifth
   * night at 1 M persons). A first or large import folds them back and merges into
   * the clustered tables.
   */
  private layout(): 'append' | 'fold, then append' | 'clustered' {
    const stored = (this.db.prepare(`SELECT coalesce(sum(added), 0) AS n FROM imports WHERE dataset = 'crossings'`).get() as { n: number }).n;
    if (stored === 0 || stored < RECENT_SHARE * this.staged) return 'clustered';
    const recent = (this.db.prepare('SELECT (SELECT count(*) FROM crossings_recent) + (SELECT count(*) FROM persons_recent) AS n').get() as { n: number }).n;
    return stored >= RECENT_SHARE * (recent + this.staged) ? 'append' : 'fold, then append';
  }

  /**
   * Whether the store holds fewer persons than half the rows staged, i.e. the persons
   * merge adds most of the index (counting stops at that bound, so a nightly delta
   * into a national store costs a few thousand steps).
   */
  private fewStoredPersons(): boolean {
    const bound = Math.floor(this.staged / 2);
    if (bound === 0) return false;
    const stored = (this.db.prepare('SELECT count(*) AS n FROM (SELECT 1 FROM persons LIMIT ?)').get(bound) as { n: number }).n;
    return stored < bound;
  }

  override async rollback(): Promise<void> {
    super.rollback();
  }

  async commit(entry: LedgerEntry): Promise<number> {
    this.begin();
    return this.guard(() => {
      this.db
        .prepare(`UPDATE imports SET checksum = ?, bytes = ?, encoding = ?, delimiter = ?, finished_at = ?,
                  rows_read = ?, added = ?, updated = ?, duplicate = ?, rejected = ? WHERE id = ?`)
        .run(entry.checksum, entry.bytes, entry.encoding, entry.delimiter, entry.finishedAt, entry.rowsRead, entry.added, entry.updated, entry.duplicate, entry.rejected, this.importId);
      this.commitNow();
      return this.importId;
    });
  }
}

/**
 * A 53-bit hash of a row's values (cyrb53), as hex. It only has to tell apart rows that
 * already share the rest of their key (same person and date), so a cryptographic hash
 * is not needed; this one is about five times cheaper than sha1 over JSON.
 */
export function contentHash(values: readonly unknown[]): string {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (const value of values) {
    const text = value === null || value === undefined ? '\u0000' : String(value);
    for (let i = 0; i <= text.length; i++) {
      const ch = i < text.length ? text.charCodeAt(i) : 0x1f; // 0x1f separates the values
      h1 = Math.imul(h1 ^ ch, 2654435761);
      h2 = Math.imul(h2 ^ ch, 1597334677);
    }
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(16);
}

/** Whether a file with this checksum was already imported completely. */
function findImportByChecksum(db: Connection, checksum: string): PreviousImport | undefined {
  return db.prepare(`SELECT id, dataset, file, rejected FROM imports WHERE checksum = ? ORDER BY id LIMIT 1`).get(checksum) as PreviousImport | undefined;
}

export interface StoredReject {
  line: number;
  reason: string;
  raw: string[];
}

/** The header of an import's rejected rows (null when it rejected none). */
function rejectHeader(db: Connection, importId: number): string[] | null {
  const row = db.prepare('SELECT header FROM import_reject_headers WHERE import_id = ?').get(importId) as { header: string } | undefined;
  return row === undefined ? null : (JSON.parse(row.header) as string[]);
}

/** An import's rejected rows in line order, one at a time. */
function* storedRejects(db: Connection, importId: number): Generator<StoredReject> {
  const rows = db.prepare('SELECT line, reason, raw FROM import_rejects WHERE import_id = ? ORDER BY line').iterate(importId) as IterableIterator<{ line: number; reason: string; raw: string }>;
  for (const row of rows) yield { line: row.line, reason: row.reason, raw: JSON.parse(row.raw) as string[] };
}

/** Whether a nightly report set has published this import's rejects. */
function rejectsPublished(db: Connection, importId: number): boolean {
  return db.prepare('SELECT 1 FROM nightly_rejects_published WHERE import_id = ?').get(importId) !== undefined;
}

/** Records that the rejects of these imports are in a published report set. */
function markRejectsPublished(db: Connection, importIds: readonly number[], at: string): void {
  if (importIds.length === 0) return;
  const insert = db.prepare('INSERT OR IGNORE INTO nightly_rejects_published (import_id, published_at) VALUES (?, ?)');
  db.transaction(() => {
    for (const id of importIds) insert.run(id, at);
  }).immediate();
}
