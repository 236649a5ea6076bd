import { UsageError } from '../errors.js';
import { storageFailure } from '../storage/database.js';
import type { ReadStore } from '../storage/read-store.js';
import type { Listing, Row } from './render.js';

/** Statements that do not write the file but would reach beyond it. */
const FORBIDDEN = /^\s*(ATTACH|DETACH|VACUUM|PRAGMA|REINDEX|ANALYZE)\b/i;

/**
 * Runs one read-only statement with bound named parameters. The connection itself is
 * opened read-only; on top of that, a statement that would write, attach another
 * file, vacuum into a file or change settings is refused before it runs, and
 * load_extension() is not available (SQLite disables it as an SQL function).
 */
export function runQuery(store: ReadStore, sql: string, params: Record<string, string>): Listing {
  const stripped = sql.replace(/--[^\n]*|\/\*[\s\S]*?\*\//g, ' ');
  if (/\bmeta\b/i.test(stripped.replace(/'(?:[^']|'')*'/g, "''"))) {
    throw new UsageError('query cannot read the internal meta table (it holds the key of the --mask pseudonyms)', 'the readable tables and views are listed in the README ("Tables for query")');
  }
  if (FORBIDDEN.test(stripped)) {
    throw new UsageError('query runs reading statements only (SELECT, WITH, VALUES, EXPLAIN)', 'ATTACH, PRAGMA, VACUUM and writing statements are refused');
  }
  let statement;
  try {
    statement = store.connection.prepare(sql);
  } catch (error) {
    throw userOrStorage(error, store.file, 'the tables and views are documented in the README ("Tables for query")');
  }
  if (!statement.readonly || !statement.reader) {
    throw new UsageError('query runs reading statements only (SELECT, WITH, VALUES, EXPLAIN)', 'use stayaudit import/audit to change data');
  }
  const columns = statement.columns().map((c) => c.name);
  let iterator: IterableIterator<unknown>;
  try {
    iterator = Object.keys(params).length > 0 ? statement.iterate(params) : statement.iterate();
  } catch (error) {
    throw userOrStorage(error, store.file, 'named parameters are given as --param name=value and written :name in SQL');
  }
  return { columns, rows: guarded(iterator as IterableIterator<Row>, store.file), meta: {} };
}

/**
 * Errors raised while stepping: a damaged or unreadable database is a storage error;
 * anything else (e.g. load_extension refused) is the user's statement, not a bug.
 */
function* guarded(rows: IterableIterator<Row>, file: string): Generator<Row> {
  try {
    yield* rows;
  } catch (error) {
    throw userOrStorage(error, file, 'query reads the documented tables and views; extensions and other files are not available');
  }
}

const STORAGE_CODES = /^SQLITE_(CORRUPT|NOTADB|IOERR|BUSY|LOCKED|FULL|CANTOPEN|READONLY|NOMEM)/;

function userOrStorage(error: unknown, file: string, hint: string): Error {
  const code = (error as { code?: string }).code ?? '';
  if (STORAGE_CODES.test(code)) return storageFailure(error, file);
  return new UsageError(`query: ${(error as Error).message}`, hint);
}
