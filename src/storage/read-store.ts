/**
 * The read side of a store, one interface for both engines: statement helpers for
 * storage's own modules (storage/reads/*, stats-store, report-store), read snapshots,
 * a person's timeline and `query`'s guarded statement. The SQLite store is here
 * (synchronous inside, wrapped); the PostgreSQL one is postgres/read-store.ts.
 */
import type { PersonTimeline } from '../core/types.js';
import { storageFailure, type Connection } from './database.js';
import { SQLITE_DIALECT, type Dialect } from './reads/dialect.js';
import { runSqliteQuery } from './reads/query.js';
import type { QueryOptions, QueryResult } from './reads/query.js';
import { loadTimeline } from './timelines.js';

export type Params = readonly unknown[] | Record<string, unknown>;

/** Rows a batch holds: big listings stream in batches, never one promise per row. */
export const BATCH_ROWS = 1000;

/**
 * A read-only store. Its statement helpers (batches, all, one, snapshot) are for
 * storage's own modules (`storage/reads/*`): reports and commands call those named
 * reads, never SQL. Statements are written with `?` placeholders in the store's
 * dialect; values are always bound parameters, and driver errors come back as
 * StorageErrors.
 */
export interface ReadStore {
  /** How messages name the store (a file, or a redacted URL). */
  readonly label: string;
  readonly dialect: Dialect;
  /** Streams rows in batches (CSV and NDJSON exports never hold them all). */
  batches<T extends object>(sql: string, params?: Params): AsyncIterable<T[]>;
  all<T extends object>(sql: string, params?: Params): Promise<T[]>;
  one<T extends object>(sql: string, params?: Params): Promise<T | undefined>;
  /** A read snapshot across several statements (e.g. all figures of `stats`). */
  snapshot<T>(fn: () => Promise<T>): Promise<T>;
  /** The person's timeline as the audit reads it (for `person`). */
  timeline(personKey: string): Promise<PersonTimeline | undefined>;
  /** `query`: one read-only statement of the user's own SQL, guarded (see reads/query.ts). */
  userQuery(sql: string, params: Record<string, string>, options: QueryOptions): Promise<QueryResult>;
  close(): Promise<void>;
}

/**
 * A read-only SQLite store: synchronous inside; the async boundary is crossed once per
 * statement or per batch of rows.
 */
export class SqliteReadStore implements ReadStore {
  readonly file: string;
  readonly dialect: Dialect = SQLITE_DIALECT;
  private readonly db: Connection;

  constructor(db: Connection, file: string) {
    this.db = db;
    this.file = file;
  }

  get label(): string {
    return this.file;
  }

  async *batches<T extends object>(sql: string, params: Params = []): AsyncGenerator<T[]> {
    let batch: T[] = [];
    for (const row of this.rows<T>(sql, params)) {
      batch.push(row);
      if (batch.length >= BATCH_ROWS) {
        yield batch;
        batch = [];
      }
    }
    if (batch.length > 0) yield batch;
  }

  /** Streams rows one at a time, synchronously (inside storage only). */
  *rows<T extends object>(sql: string, params: Params = []): Generator<T> {
    let iterator: IterableIterator<unknown>;
    try {
      iterator = this.db.prepare(sql).iterate(...bind(params));
    } catch (error) {
      throw storageFailure(error, this.file);
    }
    try {
      for (;;) {
        // A damaged page can be met part-way: that is a storage error too.
        let step: IteratorResult<unknown>;
        try {
          step = iterator.next();
        } catch (error) {
          throw storageFailure(error, this.file);
        }
        if (step.done) return;
        yield step.value as T;
      }
    } finally {
      iterator.return?.();
    }
  }

  async all<T extends object>(sql: string, params: Params = []): Promise<T[]> {
    return this.allNow<T>(sql, params);
  }

  async one<T extends object>(sql: string, params: Params = []): Promise<T | undefined> {
    return this.oneNow<T>(sql, params);
  }

  allNow<T extends object>(sql: string, params: Params = []): T[] {
    try {
      return this.db.prepare(sql).all(...bind(params)) as T[];
    } catch (error) {
      throw storageFailure(error, this.file);
    }
  }

  oneNow<T extends object>(sql: string, params: Params = []): T | undefined {
    try {
      return this.db.prepare(sql).get(...bind(params)) as T | undefined;
    } catch (error) {
      throw storageFailure(error, this.file);
    }
  }

  /** A long-lived read snapshot across several statements (e.g. all figures of `stats`). */
  async snapshot<T>(fn: () => Promise<T>): Promise<T> {
    try {
      this.db.exec('BEGIN');
    } catch (error) {
      throw storageFailure(error, this.file);
    }
    let result: T;
    try {
      result = await fn();
    } catch (error) {
      // The first error is the one to report: ending the snapshot may fail too (a damaged page).
      try {
        this.db.exec('COMMIT');
      } catch {
        // already failing
      }
      // A driver error from any reader inside (a damaged page, say) is a storage error.
      throw storageFailure(error, this.file);
    }
    try {
      this.db.exec('COMMIT');
    } catch (error) {
      throw storageFailure(error, this.file);
    }
    return result;
  }

  async timeline(personKey: string): Promise<PersonTimeline | undefined> {
    return loadTimeline(this.db, personKey);
  }

  async userQuery(sql: string, params: Record<string, string>, options: QueryOptions): Promise<QueryResult> {
    return runSqliteQuery(this, sql, params, options);
  }

  async close(): Promise<void> {
    this.db.close();
  }

  /**
   * The tables a statement would read or write, judged by its compiled program rather
   * than its text: every `OpenRead`, `ReopenIdx` and `OpenWrite` of `EXPLAIN sql` names a
   * b-tree by its root page, and `sqlite_schema` says which table that page (or index)
   * belongs to. Views, subqueries and CTEs are compiled into the same program, so the
   * tables behind them are named too. `null` when the program cannot tell (a root page
   * held in a register). The statement's parameters are bound as it will be run; SQLite
   * errors (e.g. a missing parameter) are thrown as they are. Call it inside the read
   * transaction that also runs the statement, so the schema cannot change in between.
   */
  tablesOpenedBy(sql: string, params: Params = []): Set<string> | null {
    const owners = new Map(
      (this.db.prepare(`SELECT rootpage, tbl_name FROM sqlite_schema WHERE rootpage > 0`).all() as { rootpage: number; tbl_name: string }[]).map((r) => [
        r.rootpage,
        r.tbl_name,
      ]),
    );
    const program = this.db.prepare(`EXPLAIN ${sql}`).all(...bind(params)) as ExplainRow[];
    const tables = new Set<string>();
    for (const op of program) {
      if (op.opcode !== 'OpenRead' && op.opcode !== 'OpenWrite' && op.opcode !== 'ReopenIdx') continue;
      if ((op.p5 & OPFLAG_P2ISREG) !== 0) return null;
      // P3 is the database: 0 main (whose schema was read), 1 temp; nothing else can be attached.
      if (op.p3 !== 0) tables.add(`database ${op.p3}, page ${op.p2}`);
      // sqlite_schema itself (page 1) has no row of its own.
      else tables.add(owners.get(op.p2) ?? (op.p2 === 1 ? 'sqlite_schema' : `page ${op.p2}`));
    }
    return tables;
  }

  /**
   * The raw connection, for storage modules only: `query`'s guard (storage/reads/query.ts)
   * runs the user's SQL on it.
   */
  get connection(): Connection {
    return this.db;
  }
}

interface ExplainRow {
  opcode: string;
  p2: number;
  p3: number;
  p5: number;
}

/** OP_Open*'s P5 flag: P2 is a register holding the root page, not the root page (sqlite3.c). */
const OPFLAG_P2ISREG = 0x10;

function bind(params: Params): unknown[] {
  return Array.isArray(params) ? [...params] : [params];
}

