/**
 * The SQLite read store: a read-only connection with bound-parameter statement helpers
 * for storage's own modules, read snapshots, and what a statement opens (query's guard).
 */
import { storageFailure, type Connection } from './database.js';

export type Params = readonly unknown[] | Record<string, unknown>;

/**
 * A read-only SQLite store. Its statement helpers (rows, all, one, snapshot) are for
 * storage's own modules (`storage/reads/*`): reports and commands call those named
 * reads, never SQL. Values are always bound parameters, and driver errors come back as
 * StorageErrors.
 */
export class ReadStore {
  readonly file: string;
  private readonly db: Connection;

  constructor(db: Connection, file: string) {
    this.db = db;
    this.file = file;
  }

  /** Streams rows one at a time (CSV and NDJSON exports never hold them all). */
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

  all<T extends object>(sql: string, params: Params = []): T[] {
    try {
      return this.db.prepare(sql).all(...bind(params)) as T[];
    } catch (error) {
      throw storageFailure(error, this.file);
    }
  }

  one<T extends object>(sql: string, params: Params = []): T | undefined {
    try {
      return this.db.prepare(sql).get(...bind(params)) as T | undefined;
    } catch (error) {
      throw storageFailure(error, this.file);
    }
  }

  /** A long-lived read snapshot across several statements (e.g. all figures of `stats`). */
  snapshot<T>(fn: () => T): T {
    try {
      this.db.exec('BEGIN');
    } catch (error) {
      throw storageFailure(error, this.file);
    }
    let result: T;
    try {
      result = fn();
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

  close(): void {
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
   * and the timeline reader. PENDING issue 16: nightly's rejects writer still uses it.
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

/** PENDING issue 16: nightly and the HTML report still read the mask key by this name (storage/reads/meta.ts). */
export { maskSecret as maskKey } from './reads/meta.js';
