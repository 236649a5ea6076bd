/**
 * PostgreSQL's ImportStore: one file is one transaction on the store's connection.
 * Rows are staged through COPY into a temporary table, then merged in key order with
 * INSERT … SELECT … ON CONFLICT, each dataset reproducing the SQLite merge of
 * ../import-store.ts row for row and count for count (first line of a duplicate wins;
 * a permit's changed export replaces the stored one, line after line). Writers take one
 * transaction-scoped advisory lock, as SQLite's BEGIN IMMEDIATE admits one writer, so
 * ledger ids follow SQLite's (max + 1) and a rolled-back file leaves no trace.
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { from as copyFrom } from 'pg-copy-streams';
import { StorageError } from '../../errors.js';
import { DEFAULT_BUSY_TIMEOUT_MS } from '../database.js';
import type { DatasetName } from '../rows.js';
import {
  stagePlan,
  type BatchOutcome,
  type ImportSession,
  type ImportStore,
  type KeptReject,
  type LedgerEntry,
  type Numbered,
  type PreviousImport,
  type StoredReject,
} from '../import-store.js';
import { CopyBuffer, NulInValue } from './copy-text.js';
import { closePostgres, connectPostgres, pgFailure, type PgClient, type PostgresLocation } from './connection.js';
import { migratePostgres } from './store.js';

/** Any fixed number (not store.ts's migration lock): one import writes at a time. */
export const IMPORT_ADVISORY_KEY = 1_751_797_018;
/** COPY text is sent once this many bytes are buffered. */
const FLUSH_BYTES = 1 << 20;
/**
 * A first import into an empty table is merged a segment of this many staged rows at a
 * time, each while the file's next rows are read, so the server sorts and writes while
 * the client parses instead of after it (see PostgresImportSession.mergeSegment).
 */
const SEGMENT_ROWS = 500_000;
/** While a segment is merged, staged rows wait in the client up to this many bytes. */
const MAX_WAITING_BYTES = 128 << 20;
/** Rows that waited for a merge are sent at once when they are more than this many bytes. */
const BACKLOG_BYTES = 4 << 20;
/** Room for an index rebuilt by a first import (512 MiB, unless the server grants more). */
const REBUILD_MEMORY_KB = 512 * 1024;
/** Stored rejects are read back in pages of this many rows (keyset on the line). */
const REJECTS_PAGE = 10_000;

/** Integer columns of the staging tables; every other staged column is text. */
const INTEGER_STAGE_COLUMNS = new Set(['line', 'ban_years']);

/**
 * The staged rows' persons, as SQLite's upsert leaves them, in two set operations:
 * `update` completes the stored persons from the file (crossings only), then `insert`
 * adds the persons not stored yet, one row per person. Filtering the stored persons
 * out before grouping (an anti-join) is far cheaper than an ON CONFLICT probe per
 * person (registrations of 1 M stored persons: 2.3 s -> 0.7 s); `ON CONFLICT DO
 * NOTHING` is appended unless the key is built afterwards.
 */
interface PersonsPlan {
  update: string | null;
  insert: string;
}

const NEW_PERSONS = 'FROM stage s WHERE NOT EXISTS (SELECT 1 FROM persons p WHERE p.person_key = s.person_key) GROUP BY person_key ORDER BY person_key';

const IDENTITY_ONLY: PersonsPlan = {
  update: null,
  insert: `INSERT INTO persons (person_key, person_id, citizenship, document_no)
    SELECT person_key, max(person_id), max(citizenship), max(document_no) ${NEW_PERSONS}`,
};

/** A value the file gives fills or replaces the stored one (SQLite's ON CONFLICT DO UPDATE of the crossings plan). */
const CROSSING_PERSONS: PersonsPlan = {
  update: `UPDATE persons p SET
      surname = coalesce(g.surname, p.surname),
      given_names = coalesce(g.given_names, p.given_names),
      birth_date = coalesce(g.birth_date, p.birth_date),
      sex = coalesce(g.sex, p.sex)
    FROM (SELECT person_key, max(surname) AS surname, max(given_names) AS given_names, max(birth_date) AS birth_date, max(sex) AS sex
          FROM stage s WHERE EXISTS (SELECT 1 FROM persons q WHERE q.person_key = s.person_key) GROUP BY person_key) g
    WHERE p.person_key = g.person_key
      AND ((g.surname IS NOT NULL AND g.surname IS DISTINCT FROM p.surname)
        OR (g.given_names IS NOT NULL AND g.given_names IS DISTINCT FROM p.given_names)
        OR (g.birth_date IS NOT NULL AND g.birth_date IS DISTINCT FROM p.birth_date)
        OR (g.sex IS NOT NULL AND g.sex IS DISTINCT FROM p.sex))`,
  insert: `INSERT INTO persons (person_key, person_id, citizenship, document_no, surname, given_names, birth_date, sex)
    SELECT person_key, max(person_id), max(citizenship), max(document_no), max(surname), max(given_names), max(birth_date), max(sex)
    ${NEW_PERSONS}`,
};

/** SQLite's upsert of ../import-store.ts's permits plan, as set operations (see mergePermits). */
const PERMIT_COLUMNS = `person_key, permit_no, person_id, citizenship, document_no, kind, ground, valid_from, valid_until, status,
  revoked_on, address, host_id, content_hash`;

/**
 * Each staged permit with the content hash the store holds for its key just before it
 * (SQLite merges the file's rows one after the other in line order): the stored
 * row's for the key's first line (null when none is stored), else the previous line's.
 */
const PERMITS_SEQUENCE = `SELECT s.*, CASE WHEN s.nth = 1 THEN p.content_hash ELSE s.previous_hash END AS before_hash,
    (s.nth = 1 AND p.person_key IS NULL) AS new_key
  FROM (SELECT stage.*, row_number() OVER w AS nth, lag(content_hash) OVER w AS previous_hash
        FROM stage WINDOW w AS (PARTITION BY person_key, permit_no ORDER BY line)) s
  LEFT JOIN permits p ON p.person_key = s.person_key AND p.permit_no = s.permit_no`;

/** The datasets whose rows are merged by `merge` (permits have their own sequence). */
type SegmentedDataset = Exclude<DatasetName, 'permits'>;

interface PgPlan {
  /**
   * Moves the staged rows into the store; $1 is the import id. Its row count is the
   * changes. `ON CONFLICT DO NOTHING` is appended unless the table was empty and its
   * key is built afterwards (DISTINCT ON already keeps one row per key).
   */
  merge: string;
  /** The table's primary key, as the schema names and defines it. */
  key: string;
  persons: PersonsPlan;
}

const PLANS: Record<SegmentedDataset, PgPlan> & { permits: { persons: PersonsPlan } } = {
  crossings: {
    // The first line of a duplicate wins (DISTINCT ON keeps the first in ORDER BY's order).
    merge: `INSERT INTO crossings (person_key, crossed_at, direction, citizenship, document_no, checkpoint, import_id, line)
      SELECT DISTINCT ON (person_key, crossed_at, direction) person_key, crossed_at, direction, citizenship, document_no, checkpoint, $1::bigint, line
      FROM stage ORDER BY person_key, crossed_at, direction, line`,
    key: 'crossings_pkey PRIMARY KEY (person_key, crossed_at, direction)',
    persons: CROSSING_PERSONS,
  },
  registrations: {
    merge: `INSERT INTO registrations (person_key, registered_from, content_hash, person_id, citizenship, document_no,
        registered_until, notified_on, address, host_id, host_name, import_id, line)
      SELECT DISTINCT ON (person_key, registered_from, content_hash) person_key, registered_from, content_hash, person_id, citizenship,
        document_no, registered_until, notified_on, address, host_id, host_name, $1::bigint, line
      FROM stage ORDER BY person_key, registered_from, content_hash, line`,
    key: 'registrations_pkey PRIMARY KEY (person_key, registered_from, content_hash)',
    persons: IDENTITY_ONLY,
  },
  permits: { persons: IDENTITY_ONLY },
  expulsions: {
    merge: `INSERT INTO expulsions (person_key, decided_on, content_hash, person_id, citizenship, document_no,
        expelled_on, ban_years, reason, import_id, line)
      SELECT DISTINCT ON (person_key, decided_on, content_hash) person_key, decided_on, content_hash, person_id, citizenship, document_no,
        expelled_on, ban_years, reason, $1::bigint, line
      FROM stage ORDER BY person_key, decided_on, content_hash, line`,
    key: 'expulsions_pkey PRIMARY KEY (person_key, decided_on, content_hash)',
    persons: IDENTITY_ONLY,
  },
};

/** Connects, creates or upgrades the schema (as SQLite's import creates a missing file), and opens the store. */
export async function openPostgresImportStore(location: PostgresLocation, busyTimeoutMs: number | undefined, segmentRows = SEGMENT_ROWS): Promise<ImportStore> {
  const client = await connectPostgres(location);
  try {
    await migratePostgres(client, location);
  } catch (error) {
    await closePostgres(client);
    throw error;
  }
  return new PostgresImportStore(client, location, busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS, segmentRows);
}

class PostgresImportStore implements ImportStore {
  readonly file: string;

  constructor(
    private readonly client: PgClient,
    private readonly location: PostgresLocation,
    private readonly busyTimeoutMs: number,
    private readonly segmentRows: number,
  ) {
    this.file = location.label;
  }

  private async query<T extends Record<string, unknown>>(text: string, values?: unknown[]): Promise<T[]> {
    try {
      return (await this.client.query<T>(text, values)).rows;
    } catch (error) {
      throw pgFailure(error, this.location);
    }
  }

  beginImport(label: string, dataset: DatasetName, startedAt: string): ImportSession {
    return new PostgresImportSession(this.client, this.location, this.busyTimeoutMs, this.segmentRows, label, dataset, startedAt);
  }

  async findImportByChecksum(checksum: string): Promise<PreviousImport | undefined> {
    const rows = await this.query<{ id: number; dataset: DatasetName; file: string; rejected: number }>(
      'SELECT id::integer AS id, dataset, file, rejected::integer AS rejected FROM imports WHERE checksum = $1 ORDER BY id LIMIT 1',
      [checksum],
    );
    const row = rows[0];
    return row === undefined ? undefined : { id: row.id, dataset: row.dataset, file: row.file, rejected: row.rejected };
  }

  async rejectHeader(importId: number): Promise<string[] | null> {
    const rows = await this.query<{ header: string }>('SELECT header FROM import_reject_headers WHERE import_id = $1', [importId]);
    return rows[0] === undefined ? null : (JSON.parse(rows[0].header) as string[]);
  }

  async *storedRejects(importId: number): AsyncGenerator<StoredReject> {
    let after = -1;
    for (;;) {
      const rows = await this.query<{ line: number; reason: string; raw: string }>(
        'SELECT line::integer AS line, reason, raw FROM import_rejects WHERE import_id = $1 AND line > $2 ORDER BY line LIMIT $3',
        [importId, after, REJECTS_PAGE],
      );
      for (const row of rows) yield { line: row.line, reason: row.reason, raw: JSON.parse(row.raw) as string[] };
      if (rows.length < REJECTS_PAGE) return;
      after = rows[rows.length - 1]!.line;
    }
  }

  async rejectsPublished(importId: number): Promise<boolean> {
    return (await this.query('SELECT 1 FROM nightly_rejects_published WHERE import_id = $1', [importId])).length > 0;
  }

  async markRejectsPublished(importIds: readonly number[], at: string): Promise<void> {
    if (importIds.length === 0) return;
    await this.query(
      `INSERT INTO nightly_rejects_published (import_id, published_at) SELECT id, $2 FROM unnest($1::bigint[]) AS ids(id)
       ORDER BY id ON CONFLICT (import_id) DO NOTHING`,
      [importIds, at],
    );
  }

  async close(): Promise<void> {
    await closePostgres(this.client);
  }
}

/**
 * One file's import: BEGIN on the first call, the writers' advisory lock (waiting up to
 * the busy timeout, then a BusyError as SQLite's), a temporary staging table dropped at
 * the transaction's end, the ledger row, COPY for the staged and rejected rows.
 *
 * A first import into an empty table (crossings, registrations, expulsions) is merged in
 * segments: once SEGMENT_ROWS rows are staged, the server sorts them into the table while
 * the client reads on, and the next rows go to a new staging table that inherits the
 * first (so the persons are merged from all of them at the end, as one table). The table
 * then holds a few sorted runs rather than one, and its key is built once at the end; a
 * duplicate across two segments (the key cannot be built) is removed then, the first
 * line winning as everywhere.
 */
class PostgresImportSession implements ImportSession {
  private readonly columns: readonly string[];
  private readonly values: (line: number, row: unknown) => unknown[];
  private begun: Promise<void> | null = null;
  private open = false;
  private failed = false;
  private importId = 0;
  private staged = 0;
  private readonly stageRows = new CopyBuffer();
  private readonly rejectRows = new CopyBuffer(1 << 16);
  private headerKept = false;
  /** The server's work in flight: a staging COPY, or a segment's merge after it. */
  private serverWork: Promise<void> = Promise.resolve();
  /** A segment is being merged: the client keeps reading meanwhile. */
  private merging = false;
  /** Rows in stageRows, not yet sent. */
  private waitingRows = 0;
  /** The staging table the rows go to now: the first, then each segment's own. */
  private target = '';
  /** Rows sent to `target`. */
  private targetRows = 0;
  /** Merging in segments: undecided until the first is full; null when the file is merged whole. */
  private segments: { tables: string[]; changed: number } | null | undefined = undefined;
  /** The rejects' header, written with the first rejects sent. */
  private pendingHeader: string | null = null;

  constructor(
    private readonly client: PgClient,
    private readonly location: PostgresLocation,
    private readonly busyTimeoutMs: number,
    private readonly segmentRows: number,
    private readonly label: string,
    private readonly dataset: DatasetName,
    private readonly startedAt: string,
  ) {
    const plan = stagePlan(dataset);
    this.columns = plan.columns;
    this.values = plan.values;
  }

  private get stageTable(): string {
    return `pg_temp.stage_${this.dataset}`;
  }

  /** Runs `fn`; on failure rolls everything back and throws a StorageError naming the store. */
  private async guard<T>(fn: () => Promise<T>): Promise<T> {
    if (this.failed) throw new StorageError(`the import of ${this.label} into ${this.location.label} already failed`);
    try {
      return await fn();
    } catch (error) {
      this.failed = true;
      await this.rollback();
      if (connectionLost(error)) {
        const detail = pgFailure(error, this.location).message;
        throw new StorageError(
          `lost the connection to the PostgreSQL store while importing ${this.label}; nothing of the file was kept (${detail})`,
          'check that the server is up, then import the file again',
        );
      }
      throw pgFailure(error, this.location);
    }
  }

  private begin(): Promise<void> {
    this.begun ??= this.guard(async () => {
      await this.client.query('BEGIN');
      this.open = true;
      await this.client.query(`SET LOCAL lock_timeout = ${Math.max(1, Math.round(this.busyTimeoutMs))}`);
      try {
        await this.client.query('SELECT pg_advisory_xact_lock($1)', [IMPORT_ADVISORY_KEY]);
      } catch (error) {
        // Another import holds it past the busy timeout: as SQLite says it (same exit code).
        if ((error as { code?: unknown }).code !== '55P03') throw error;
        throw new StorageError(`database ${this.location.label} is locked by another process`, 'wait for the other import or audit to finish, or raise --busy-timeout');
      }
      const typed = this.columns.map((c) => `${c} ${INTEGER_STAGE_COLUMNS.has(c) ? 'bigint' : 'text'}`).join(', ');
      await this.client.query(`CREATE TEMP TABLE stage_${this.dataset} (${typed}) ON COMMIT DROP`);
      this.target = this.stageTable;
      // SQLite's INTEGER PRIMARY KEY: max + 1, so a rolled-back import leaves no gap (one writer holds the lock).
      const ledger = await this.client.query<{ id: number }>(
        `INSERT INTO imports (id, dataset, file, checksum, started_at, finished_at, rows_read, added, duplicate, rejected)
         SELECT coalesce(max(id), 0) + 1, $1, $2, '', $3, $3, 0, 0, 0, 0 FROM imports RETURNING id::integer AS id`,
        [this.dataset, this.label, this.startedAt],
      );
      this.importId = ledger.rows[0]!.id;
    });
    return this.begun;
  }

  async stage(batch: readonly Numbered<unknown>[]): Promise<void> {
    await this.begin();
    const values = this.values;
    for (const { line, row } of batch) this.copyRow(this.stageRows, values(line, row), line);
    this.staged += batch.length;
    this.waitingRows += batch.length;
    const segmentFull = this.segments !== null && this.dataset !== 'permits' && this.targetRows + this.waitingRows >= this.segmentRows;
    if (this.stageRows.bytes < FLUSH_BYTES && !segmentFull) return;
    // While a segment is merged the rows wait here, and the file is read on.
    if (this.merging && this.stageRows.bytes < MAX_WAITING_BYTES) return;
    // The server takes this megabyte while the file's next one is read: the COPY is
    // awaited before the connection's next command (at most one in flight).
    await this.guard(async () => {
      await this.serverWork;
      const backlog = this.stageRows.bytes > BACKLOG_BYTES;
      this.inFlight(this.flushStage());
      // Rows that waited for a merge go to the server at once: sent while the file is
      // read on, they would trickle out between the reader's batches and the server idle.
      if (backlog) await this.serverWork;
      if (segmentFull) {
        this.merging = true;
        const copied = this.serverWork;
        this.inFlight(
          (async () => {
            try {
              await copied;
              await this.mergeSegment();
            } finally {
              this.merging = false;
            }
          })(),
        );
      }
    });
  }

  /** `work` is the server's now; a failure is seen where it is awaited next. */
  private inFlight(work: Promise<void>): void {
    work.catch(() => {});
    this.serverWork = work;
  }

  async keepRejects(header: readonly string[], rejects: readonly KeptReject[]): Promise<void> {
    if (rejects.length === 0) return;
    await this.begin();
    if (!this.headerKept) {
      this.headerKept = true;
      this.pendingHeader = JSON.stringify(header);
    }
    for (const reject of rejects) this.copyRow(this.rejectRows, [this.importId, reject.line, reject.reason, JSON.stringify(reject.raw)], reject.line);
    if (this.rejectRows.bytes < FLUSH_BYTES || (this.merging && this.rejectRows.bytes < MAX_WAITING_BYTES)) return;
    await this.guard(async () => {
      await this.serverWork;
      await this.flushRejects();
    });
  }

  /** One row into `rows`; a NUL in a value fails the import, naming the file and line. */
  private copyRow(rows: CopyBuffer, values: readonly unknown[], line: number): void {
    try {
      rows.row(values);
    } catch (error) {
      if (!(error instanceof NulInValue)) throw error;
      throw new StorageError(`${this.label}, line ${line}: ${error.message}`, 'remove the character from the file and import it again');
    }
  }

  /** Sends the waiting rows to the staging table of the moment. */
  private async flushStage(): Promise<void> {
    const bytes = this.stageRows.take();
    this.targetRows += this.waitingRows;
    this.waitingRows = 0;
    if (bytes !== null) await this.copy(`COPY ${this.target} (${this.columns.join(', ')}) FROM STDIN`, bytes);
  }

  private async flushRejects(): Promise<void> {
    if (this.pendingHeader !== null) {
      await this.client.query('INSERT INTO import_reject_headers (import_id, header) VALUES ($1, $2) ON CONFLICT DO NOTHING', [this.importId, this.pendingHeader]);
      this.pendingHeader = null;
    }
    const bytes = this.rejectRows.take();
    if (bytes !== null) await this.copy('COPY import_rejects (import_id, line, reason, raw) FROM STDIN', bytes);
  }

  /**
   * Whether the file is merged in segments, decided once: only into a table that is empty
   * and can be taken to rebuild its key (inserting without the key and building it
   * afterwards, in one sort, is far cheaper than a b-tree insert per row). Else the file
   * stays staged and is merged whole at the end, row by row into the key.
   */
  private async decideSegments(): Promise<void> {
    if (this.segments !== undefined) return;
    if (this.dataset === 'permits' || !((await this.isEmpty(this.dataset)) && (await this.lockToRebuild(this.dataset)))) {
      this.segments = null;
      return;
    }
    await this.client.query(`ALTER TABLE ${this.dataset} DROP CONSTRAINT ${PLANS[this.dataset].key.split(' ')[0]}`);
    this.segments = { tables: [], changed: 0 };
  }

  /** Merges the full segment in `target` into its table, and opens the next segment's staging table. */
  private async mergeSegment(): Promise<void> {
    await this.decideSegments();
    if (!this.segments) return;
    await this.insertSegment(this.segments);
    const next = `pg_temp.stage_${this.dataset}_${this.segments.tables.length + 2}`;
    await this.client.query(`CREATE TEMP TABLE ${next} () INHERITS (${this.stageTable})`);
    this.segments.tables.push(next);
    this.target = next;
    this.targetRows = 0;
  }

  /** The rows of `target` alone (the first staging table's children are the later segments) into the table. */
  private async insertSegment(segments: { changed: number }): Promise<void> {
    const plan = PLANS[this.dataset as SegmentedDataset];
    const from = this.target === this.stageTable ? `ONLY ${this.stageTable}` : this.target;
    const inserted = await this.client.query(plan.merge.replace(/\bstage\b/, from), [this.importId]);
    segments.changed += inserted.rowCount ?? 0;
  }

  /**
   * The table's key, built after its last segment. A row whose key an earlier segment
   * already holds makes that fail: such rows are removed (the first line of a key wins),
   * their count returned, and the key built again.
   */
  private async keySegments(): Promise<number> {
    const plan = PLANS[this.dataset as SegmentedDataset];
    const table = this.dataset;
    await this.client.query('SAVEPOINT stayaudit_key');
    try {
      await this.client.query(`ALTER TABLE ${table} ADD CONSTRAINT ${plan.key}`);
      await this.client.query('RELEASE SAVEPOINT stayaudit_key');
      return 0;
    } catch (error) {
      if ((error as { code?: unknown }).code !== '23505') throw error;
      await this.client.query('ROLLBACK TO SAVEPOINT stayaudit_key');
    }
    const key = /\(([^)]*)\)/.exec(plan.key)![1];
    const removed = await this.client.query(
      `DELETE FROM ${table} WHERE ctid = ANY (ARRAY(
         SELECT ctid FROM (SELECT ctid, row_number() OVER (PARTITION BY ${key} ORDER BY line) AS nth FROM ${table}) n WHERE nth > 1))`,
    );
    await this.client.query(`ALTER TABLE ${table} ADD CONSTRAINT ${plan.key}`);
    return removed.rowCount ?? 0;
  }

  private async copy(sql: string, bytes: Buffer): Promise<void> {
    await pipeline(Readable.from([bytes]), this.client.query(copyFrom(sql)));
  }

  async merge(): Promise<BatchOutcome> {
    await this.begin();
    return this.guard(async () => {
      await this.serverWork;
      await this.flushRejects();
      if (this.staged === 0) return { added: 0, updated: 0, duplicate: 0 };
      await this.flushStage();
      const sql = (text: string): string => text.replace(/\bstage\b/g, this.stageTable);
      // A file smaller than a segment into an empty table is merged as one segment.
      await this.decideSegments();
      const segments = this.segments;
      if (segments) {
        // The last segment, then the key over all of them.
        if (this.targetRows > 0) await this.insertSegment(segments);
        segments.changed -= await this.keySegments();
      }
      // Sound plans for the joins below need the staged rows' statistics (all segments').
      if (this.staged > 1000) await this.client.query(`ANALYZE ${this.stageTable}`);
      let changed: number;
      let added: number;
      if (segments) {
        changed = added = segments.changed;
      } else if (this.dataset === 'permits') {
        ({ changed, added } = await this.mergePermits(sql));
      } else {
        changed = (await this.client.query(sql(PLANS[this.dataset].merge) + ' ON CONFLICT DO NOTHING', [this.importId])).rowCount ?? 0;
        added = changed;
      }
      await this.mergePersons(PLANS[this.dataset].persons, sql);
      if (segments && segments.tables.length > 0) await this.client.query(`DROP TABLE ${segments.tables.join(', ')}`);
      await this.client.query(`TRUNCATE ${this.stageTable}`);
      const outcome = { added, updated: changed - added, duplicate: this.staged - changed };
      this.staged = 0;
      this.segments = undefined;
      this.target = this.stageTable;
      this.targetRows = 0;
      return outcome;
    });
  }

  /**
   * The staged persons into the store. Few persons stored (a first, national import):
   * the persons' document index is built again afterwards rather than updated person by
   * person, as SQLite's import does; none stored: the key too (1 M persons: 7.2 s with
   * both indexes, 4.6 s + 0.8 s for the key without).
   */
  private async mergePersons(plan: PersonsPlan, sql: (text: string) => string): Promise<void> {
    const empty = await this.isEmpty('persons');
    const reindex = (empty || (await this.fewStoredPersons())) && (await this.lockToRebuild('persons'));
    const rekey = empty && reindex;
    if (plan.update !== null && !empty) await this.client.query(sql(plan.update));
    if (reindex) await this.client.query('DROP INDEX persons_document');
    if (rekey) await this.client.query('ALTER TABLE persons DROP CONSTRAINT persons_pkey');
    await this.client.query(sql(plan.insert) + (rekey ? '' : ' ON CONFLICT DO NOTHING'));
    if (rekey) await this.client.query('ALTER TABLE persons ADD CONSTRAINT persons_pkey PRIMARY KEY (person_key)');
    if (reindex) await this.client.query('CREATE INDEX persons_document ON persons (document_no)');
  }

  private async isEmpty(table: string): Promise<boolean> {
    return (await this.client.query(`SELECT 1 FROM ${table} LIMIT 1`)).rowCount === 0;
  }

  /** Whether the store holds fewer persons than half the rows staged (counting stops at that bound). */
  private async fewStoredPersons(): Promise<boolean> {
    const bound = Math.floor(this.staged / 2);
    if (bound === 0) return false;
    const result = await this.client.query<{ n: number }>('SELECT count(*)::integer AS n FROM (SELECT 1 FROM persons LIMIT $1) p', [bound]);
    return result.rows[0]!.n < bound;
  }

  /**
   * Takes `table` for itself until the commit, to drop and rebuild an index of it:
   * only when this role owns the table, and only when no reader holds it within the
   * busy timeout (else false, and the import updates the index as it goes). Readers
   * started meanwhile wait for the commit and then see the whole file.
   */
  private async lockToRebuild(table: string): Promise<boolean> {
    const owner = await this.client.query<{ own: boolean }>(`SELECT pg_has_role(relowner, 'USAGE') AS own FROM pg_class WHERE oid = $1::regclass`, [table]);
    if (owner.rows[0]?.own !== true) return false;
    await this.client.query('SAVEPOINT stayaudit_rebuild');
    try {
      await this.client.query(`LOCK TABLE ${table} IN ACCESS EXCLUSIVE MODE`);
    } catch (error) {
      if ((error as { code?: unknown }).code !== '55P03') throw error;
      await this.client.query('ROLLBACK TO SAVEPOINT stayaudit_rebuild');
      return false;
    }
    await this.client.query('RELEASE SAVEPOINT stayaudit_rebuild');
    // The index is built in one sort; give it room (this transaction only).
    const memory = await this.client.query<{ kb: string }>(`SELECT setting AS kb FROM pg_settings WHERE name = 'maintenance_work_mem'`);
    if (Number(memory.rows[0]?.kb ?? 0) < REBUILD_MEMORY_KB) await this.client.query(`SET LOCAL maintenance_work_mem = '${REBUILD_MEMORY_KB}kB'`);
    return true;
  }

  /**
   * SQLite upserts the file's permits one after the other: a key's row is written when
   * it is new or its content differs from the row stored just before (the stored one,
   * or the file's previous line of that key). Those are the changes; the key ends as
   * its last changed line says, which this writes once per key.
   */
  private async mergePermits(sql: (text: string) => string): Promise<{ changed: number; added: number }> {
    const counts = await this.client.query<{ changed: number; added: number }>(
      sql(`SELECT count(*) FILTER (WHERE before_hash IS DISTINCT FROM content_hash)::integer AS changed,
                  count(*) FILTER (WHERE new_key)::integer AS added
           FROM (${PERMITS_SEQUENCE}) q`),
    );
    await this.client.query(
      sql(`INSERT INTO permits (${PERMIT_COLUMNS}, import_id, line)
           SELECT DISTINCT ON (person_key, permit_no) ${PERMIT_COLUMNS}, $1::bigint, line
           FROM (${PERMITS_SEQUENCE}) q WHERE before_hash IS DISTINCT FROM content_hash
           ORDER BY person_key, permit_no, line DESC
           ON CONFLICT (person_key, permit_no) DO UPDATE SET
             person_id = excluded.person_id, citizenship = excluded.citizenship, document_no = excluded.document_no,
             kind = excluded.kind, ground = excluded.ground, valid_from = excluded.valid_from, valid_until = excluded.valid_until,
             status = excluded.status, revoked_on = excluded.revoked_on, address = excluded.address, host_id = excluded.host_id,
             content_hash = excluded.content_hash, import_id = excluded.import_id, line = excluded.line`),
      [this.importId],
    );
    return counts.rows[0]!;
  }

  async commit(entry: LedgerEntry): Promise<number> {
    await this.begin();
    return this.guard(async () => {
      await this.serverWork;
      await this.flushRejects();
      await this.client.query(
        `UPDATE imports SET checksum = $1, bytes = $2, encoding = $3, delimiter = $4, finished_at = $5,
           rows_read = $6, added = $7, updated = $8, duplicate = $9, rejected = $10 WHERE id = $11`,
        [entry.checksum, entry.bytes, entry.encoding, entry.delimiter, entry.finishedAt, entry.rowsRead, entry.added, entry.updated, entry.duplicate, entry.rejected, this.importId],
      );
      await this.client.query('COMMIT');
      this.open = false;
      return this.importId;
    });
  }

  async rollback(): Promise<void> {
    this.stageRows.clear();
    this.rejectRows.clear();
    if (!this.open) return;
    this.open = false;
    await this.serverWork.catch(() => {});
    await this.client.query('ROLLBACK').catch(() => {});
  }
}

/** The session is gone (killed, server shut down, network): the server rolled the transaction back. */
function connectionLost(error: unknown): boolean {
  const code = String((error as { code?: unknown }).code ?? '');
  return ['EPIPE', 'ECONNRESET', '57P01', '57P02', '57P03'].includes(code) || /Connection terminated/i.test(String((error as Error)?.message));
}
