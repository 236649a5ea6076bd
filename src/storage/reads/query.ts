/**
 * `stayaudit query`: one read-only statement of the user's own SQL, guarded. The
 * connection is opened read-only; on top of that:
 * - a statement that would write (also `DELETE … RETURNING`, which returns rows), attach
 *   another file, vacuum into a file or change settings is refused before it runs;
 * - a statement whose compiled program opens the meta table (or one of its indexes) is
 *   refused, whatever its text: through a view, a CTE, `main.meta`, `"META"`, behind
 *   comments or string literals (see ReadStore.tablesOpenedBy);
 * - load_extension() is not available (SQLite disables it as an SQL function).
 * The check and the rows come from one read snapshot, so the schema that was checked
 * is the one the statement runs on; and the text that was checked is the text that runs.
 */
import { UsageError } from '../../errors.js';
import { storageFailure } from '../database.js';
import { BATCH_ROWS, type ReadStore, type SqliteReadStore } from '../read-store.js';
import { RECENT_TWINNED } from './dialect.js';
import type { StoredCell } from './types.js';

/**
 * `crossings` and `persons` as the user's SQL names them: every row, also those a small
 * import appended to the recent tables (schema 8). Temporary views on this connection
 * only, found before main's tables of the same name; `main.crossings` is the clustered
 * table alone.
 */
const WITH_RECENT_VIEWS = RECENT_TWINNED
  .map((t) => `CREATE TEMP VIEW IF NOT EXISTS ${t} AS SELECT * FROM main.${t} UNION ALL SELECT * FROM main.${t}_recent;`)
  .join('\n');

/** Statements that do not write the file but would reach beyond it. */
export const FORBIDDEN = /^(ATTACH|DETACH|VACUUM|PRAGMA|REINDEX|ANALYZE)\b/i;

export const PARAMS_HINT = 'named parameters are given as --param name=value and written :name in SQL';

export const READING_ONLY = 'query runs reading statements only (SELECT, WITH, VALUES, EXPLAIN)';
export const FORBIDDEN_HINT = 'ATTACH, PRAGMA, VACUUM and writing statements are refused';
export const WRITE_HINT = 'use stayaudit import/audit to change data';
export const META_REFUSED = 'query cannot read the internal meta table (it holds the key of the --mask pseudonyms)';
export const TABLES_HINT = 'the readable tables and views are listed in the README ("Tables for query")';

/** The internal table holding the key of the --mask pseudonyms. */
export const SECRET_TABLE = 'meta';

/** A statement's result: its column names as SQL gave them, and its rows (in batches) as cells in that order. */
export interface QueryResult {
  columns: string[];
  rows: AsyncIterable<StoredCell[][]>;
}

export interface QueryOptions {
  /**
   * How long the statement may run (milliseconds). PostgreSQL enforces it as the
   * transaction's statement_timeout; better-sqlite3 can interrupt no statement, so on
   * SQLite it is not enforced.
   */
  timeoutMs?: number;
}

/** The default of `query --timeout`, in seconds. */
export const DEFAULT_QUERY_TIMEOUT_SECONDS = 300;

/**
 * Runs one read-only statement with bound named parameters on any store; the rows
 * stream, and the read snapshot ends with them. A user's mistake is a UsageError,
 * database trouble a StorageError.
 */
export function runQuery(store: ReadStore, sql: string, params: Record<string, string>, options: QueryOptions = {}): Promise<QueryResult> {
  return store.userQuery(sql, params, options);
}

/** The SQLite form of runQuery (the guard described above). */
export function runSqliteQuery(store: SqliteReadStore, sql: string, params: Record<string, string>, _options: QueryOptions = {}): QueryResult {
  const text = withoutLeadingTrivia(sql);
  if (FORBIDDEN.test(text)) {
    throw new UsageError(READING_ONLY, FORBIDDEN_HINT);
  }
  const db = store.connection;
  let open = true;
  /** Ends the read snapshot; after an error, that error is the one reported. */
  const end = (afterError: boolean): void => {
    if (!open) return;
    open = false;
    try {
      if (db.inTransaction) db.exec('ROLLBACK');
    } catch (error) {
      if (!afterError) throw storageFailure(error, store.file);
    }
  };
  try {
    db.exec(WITH_RECENT_VIEWS);
    db.exec('BEGIN');
  } catch (error) {
    throw storageFailure(error, store.file);
  }
  try {
    let statement;
    try {
      statement = db.prepare(text);
    } catch (error) {
      // crossings and persons are views here (WITH_RECENT_VIEWS): writing one is a write.
      if (error instanceof Error && /^cannot modify \S+ because it is a view$/.test(error.message)) throw new UsageError(READING_ONLY, WRITE_HINT);
      throw userOrStorage(error, store.file, 'the tables and views are documented in the README ("Tables for query")');
    }
    if (!statement.readonly || !statement.reader) {
      throw new UsageError(READING_ONLY, WRITE_HINT);
    }
    // An EXPLAIN's program is listed, never run: it reads no table.
    const bound = Object.keys(params).length > 0;
    if (!/^EXPLAIN\b/i.test(text)) {
      let tables: Set<string> | null;
      try {
        tables = store.tablesOpenedBy(text, bound ? params : []);
      } catch (error) {
        throw userOrStorage(error, store.file, PARAMS_HINT);
      }
      if (tables === null) {
        throw new UsageError('query cannot tell which tables this statement reads, so it is refused', 'write it as a plain SELECT over the tables and views listed in the README ("Tables for query")');
      }
      if (tables.has(SECRET_TABLE)) {
        throw new UsageError(META_REFUSED, TABLES_HINT);
      }
    }
    const columns = statement.columns().map((c) => c.name);
    let iterator: IterableIterator<unknown>;
    statement.raw(true);
    try {
      iterator = bound ? statement.iterate(params) : statement.iterate();
    } catch (error) {
      throw userOrStorage(error, store.file, PARAMS_HINT);
    }
    return { columns, rows: inBatches(guarded(iterator as IterableIterator<StoredCell[]>, store.file, end)) };
  } catch (error) {
    end(true);
    throw error;
  }
}

/**
 * The statement from its first token on: whitespace, comments and empty statements
 * (`;`) before it are dropped, so that its first keyword can be seen. Only the start is
 * looked at; what follows is judged by SQLite's compiled program, not by its text.
 */
export function withoutLeadingTrivia(sql: string): string {
  let i = 0;
  for (;;) {
    while (i < sql.length && /[\s;]/.test(sql[i]!)) i++;
    if (sql.startsWith('--', i)) {
      const newline = sql.indexOf('\n', i);
      i = newline < 0 ? sql.length : newline + 1;
    } else if (sql.startsWith('/*', i)) {
      const close = sql.indexOf('*/', i + 2);
      i = close < 0 ? sql.length : close + 2;
    } else {
      return sql.slice(i);
    }
  }
}

/**
 * The rows. Errors raised while stepping: a damaged or unreadable database is a
 * storage error; anything else (e.g. load_extension refused) is the user's statement,
 * not a bug. The read snapshot ends with the rows.
 */
function* guarded(rows: IterableIterator<StoredCell[]>, file: string, end: (afterError: boolean) => void): Generator<StoredCell[]> {
  let failed = false;
  try {
    yield* rows;
  } catch (error) {
    failed = true;
    throw userOrStorage(error, file, 'query reads the documented tables and views; extensions and other files are not available');
  } finally {
    end(failed);
  }
}

/** Synchronously produced rows in batches (one promise per batch, not per row). */
async function* inBatches<T>(rows: Iterator<T> & Iterable<T>): AsyncGenerator<T[]> {
  let done = false;
  try {
    for (;;) {
      const batch: T[] = [];
      while (batch.length < BATCH_ROWS) {
        const step = rows.next();
        if (step.done) {
          done = true;
          break;
        }
        batch.push(step.value);
      }
      if (batch.length > 0) yield batch;
      if (done) return;
    }
  } finally {
    if (!done) rows.return?.();
  }
}

const STORAGE_CODES = /^SQLITE_(CORRUPT|NOTADB|IOERR|BUSY|LOCKED|FULL|CANTOPEN|READONLY|NOMEM)/;

function userOrStorage(error: unknown, file: string, hint: string): Error {
  const code = (error as { code?: string }).code ?? '';
  if (STORAGE_CODES.test(code)) return storageFailure(error, file);
  return new UsageError(`query: ${(error as Error).message}`, hint);
}
