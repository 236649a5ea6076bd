import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { StorageError } from '../errors.js';
import { MIGRATIONS, SCHEMA_VERSION } from './schema.js';

export type Connection = Database.Database;

export interface OpenOptions {
  /** Open for reading only; the file must exist. */
  readonly?: boolean;
  /** Milliseconds to wait for a lock held by another process. */
  busyTimeoutMs?: number;
  /** Page cache size (default 128 MiB; sequential scanners need far less). */
  cacheMiB?: number;
  /**
   * Create the file when it does not exist (import and nightly only). Every other
   * command refuses a missing database, so a typo in --db cannot report "0 violators".
   */
  create?: boolean;
}

export const DEFAULT_BUSY_TIMEOUT_MS = 60_000;

/**
 * How much of the file a connection may memory-map when it walks or probes a large
 * table (SQLite's own ceiling, ~2 GiB): a page read through the map costs a third of
 * one read through the page cache's pread (see import-store.ts and audit-source.ts).
 */
const MAP_BYTES = 0x7fff0000;

/**
 * Runs `read` with the file memory-mapped (when `map` holds) and lets the map go
 * afterwards, also when `read` throws: mapped pages count as the process's resident
 * memory, so only a walk or a set of probes that gains from the map holds it.
 */
export function whileMapped<T>(db: Connection, read: () => T, map = true): T {
  if (!map) return read();
  db.pragma(`mmap_size = ${MAP_BYTES}`);
  try {
    return read();
  } finally {
    db.pragma('mmap_size = 0');
  }
}

/**
 * Rows inserted `ROWS_PER_STATEMENT` to a statement: one call into SQLite instead of one
 * per row (the audit's 462,000 findings: about 15 % less CPU). `add` keeps the values of
 * the rows not inserted yet; `flush` inserts those one by one. `row` is one row's VALUES
 * item, e.g. `(?, ?, ?)`; `add` takes a value for each of its parameters.
 */
export class BatchedInsert {
  static readonly ROWS_PER_STATEMENT = 64;
  private readonly one: Database.Statement<unknown[]>;
  private readonly many: Database.Statement<unknown[]>;
  private readonly params: unknown[] = [];
  private readonly width: number;
  private rows = 0;

  constructor(db: Connection, head: string, row: string) {
    this.width = row.split('?').length - 1;
    this.one = db.prepare(`${head} VALUES ${row}`);
    this.many = db.prepare(`${head} VALUES ${Array(BatchedInsert.ROWS_PER_STATEMENT).fill(row).join(', ')}`);
  }

  add(values: readonly unknown[]): void {
    this.params.push(...values);
    if (++this.rows === BatchedInsert.ROWS_PER_STATEMENT) {
      this.many.run(this.params);
      this.params.length = 0;
      this.rows = 0;
    }
  }

  flush(): void {
    const params = this.params;
    for (let i = 0; i < params.length; i += this.width) this.one.run(params.slice(i, i + this.width));
    params.length = 0;
    this.rows = 0;
  }
}

/** Bytes of write-ahead log kept after a checkpoint (the rest is truncated). */
const WAL_SIZE_LIMIT = 64 * 1024 * 1024;

/** `--db`, else $STAYAUDIT_DB, else ./stayaudit.db. */
export function resolveDatabasePath(flag: string | undefined, env: NodeJS.ProcessEnv): string {
  return path.resolve(flag ?? env['STAYAUDIT_DB'] ?? 'stayaudit.db');
}

/**
 * Opens (creating when allowed) the database, applies pragmas and migrations, and
 * refuses a file of a newer schema. Every failure becomes a StorageError with a hint.
 */
export function openConnection(file: string, options: OpenOptions = {}): Connection {
  const readonly = options.readonly ?? false;
  const exists = fs.existsSync(file);
  if (!exists) {
    if (readonly || options.create !== true) {
      throw new StorageError(`database ${file} does not exist`, 'import data first (stayaudit import …), or point --db / STAYAUDIT_DB at an existing database');
    }
    const dir = path.dirname(file);
    if (!fs.existsSync(dir)) {
      throw new StorageError(`cannot create database ${file}: directory ${dir} does not exist`, 'create the directory first, or choose another --db path');
    }
    let dangling = false;
    try {
      dangling = fs.lstatSync(file).isSymbolicLink();
    } catch {
      // Nothing there: create it.
    }
    if (dangling) {
      throw new StorageError(`cannot open database ${file}: it is a symbolic link to a file that does not exist`, 'point --db at the database itself, or fix the link');
    }
    // Passport data: the file is created readable by its owner only.
    try {
      fs.closeSync(fs.openSync(file, fs.constants.O_CREAT | fs.constants.O_EXCL | fs.constants.O_WRONLY, 0o600));
    } catch (error) {
      // Another process created it between our check and our create: open theirs.
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw storageFailure(error, file);
    }
  } else if (fs.statSync(file).isDirectory()) {
    throw new StorageError(`database ${file} is a directory`, 'point --db at a file');
  }

  let db: Connection;
  try {
    db = new Database(file, { readonly, fileMustExist: true });
  } catch (error) {
    throw storageFailure(error, file);
  }
  try {
    db.pragma(`busy_timeout = ${options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS}`);
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version > SCHEMA_VERSION) {
      throw new StorageError(
        `database ${file} has schema version ${version}, newer than this stayaudit understands (${SCHEMA_VERSION})`,
        'use the newer stayaudit that wrote it; this version will not touch the file',
      );
    }
    if (!readonly) {
      // Migrate first: a file that turns out not to be ours is left exactly as it was.
      migrate(db, version, file);
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      // A run's transaction grows the WAL to its size; a checkpoint then cuts it back to this.
      db.pragma(`journal_size_limit = ${WAL_SIZE_LIMIT}`);
      db.pragma('foreign_keys = ON');
    } else if (version === 0) {
      throw new StorageError(`database ${file} holds no stayaudit data yet`, 'import data first (stayaudit import …), or check the --db path');
    } else if (version < SCHEMA_VERSION) {
      throw new StorageError(`database ${file} has schema version ${version}; it needs an upgrade to ${SCHEMA_VERSION}`, 'run any writing command (e.g. stayaudit import) once to upgrade it');
    }
    // The page cache also bounds the sorter's memory (staged imports). 32 MiB imports
    // 2.5 M crossings as fast as 48 MiB (21-22 s) with about 50 MB less peak memory
    // (250 MB against 283-300 MB: the import's target is 300 MB); 8.4 M crossings take
    // about 9% longer (the sorter spills more). 48 MiB was as fast as 128 MiB.
    db.pragma(`cache_size = -${Math.round((options.cacheMiB ?? 32) * 1024)}`);
    // Staging tables and sorts spill to temporary files: memory stays flat on a national file.
    db.pragma('temp_store = FILE');
  } catch (error) {
    db.close();
    throw storageFailure(error, file);
  }
  return db;
}

/** A version-0 file is ours to set up only when it holds nothing yet. */
function isEmpty(db: Connection): boolean {
  return (db.prepare(`SELECT count(*) AS n FROM sqlite_master`).get() as { n: number }).n === 0;
}

function migrate(db: Connection, from: number, file: string): void {
  if (from === SCHEMA_VERSION) return;
  // A new file gives freed pages back (runs prune): the mode must be chosen before the
  // first table exists, outside the transaction; on a file that has tables it does nothing.
  if (from === 0) db.pragma('auto_vacuum = INCREMENTAL');
  const run = db.transaction(() => {
    // Re-read inside the write lock: another process may have migrated meanwhile.
    const current = db.pragma('user_version', { simple: true }) as number;
    if (current === 0 && !isEmpty(db)) {
      throw new StorageError(`${file} is an SQLite database of another application, not a stayaudit database`, 'point --db at a stayaudit database, or at a new file');
    }
    for (let version = current; version < SCHEMA_VERSION; version++) {
      db.exec(MIGRATIONS[version]!);
    }
    db.pragma(`user_version = ${SCHEMA_VERSION}`);
  });
  try {
    run.immediate();
  } catch (error) {
    throw storageFailure(error, file);
  }
}

/** Turns a driver or file-system error into a StorageError that says what to do. */
export function storageFailure(error: unknown, file: string): Error {
  if (error instanceof StorageError) return error;
  const fullCode = (error as { code?: string }).code ?? '';
  const message = (error as Error).message ?? String(error);
  // Extended codes (SQLITE_IOERR_WRITE, SQLITE_READONLY_DIRECTORY…) map as their primary code.
  const code = /^SQLITE_[A-Z]+/.exec(fullCode)?.[0] ?? fullCode;
  switch (code) {
    case 'SQLITE_NOTADB':
    case 'SQLITE_CORRUPT':
      return new StorageError(`${file} is not a stayaudit database or is corrupt (${message})`, 'check the --db path; restore the file from a backup if it was a database');
    case 'SQLITE_READONLY':
    case 'SQLITE_CANTOPEN':
    case 'EACCES':
    case 'EPERM':
    case 'EROFS':
    case 'ENOENT':
    case 'ENOTDIR':
    case 'ELOOP':
    case 'EISDIR':
      return new StorageError(`cannot write database ${file} (${message})`, 'check the file and directory permissions, or use read-only commands');
    case 'SQLITE_FULL':
    case 'ENOSPC':
      return new StorageError(`disk full while writing ${file}; nothing of this operation was kept`, 'free disk space and run the same command again');
    case 'SQLITE_BUSY':
    case 'SQLITE_LOCKED':
      return new StorageError(`database ${file} is locked by another process`, 'wait for the other import or audit to finish, or raise --busy-timeout');
    case 'SQLITE_IOERR':
      return new StorageError(`I/O error on ${file} (${message})`, 'check the disk and run the same command again');
    default:
      if (code.startsWith('SQLITE_')) return new StorageError(`database error on ${file}: ${message} (${code})`);
      return error instanceof Error ? error : new Error(String(error));
  }
}
