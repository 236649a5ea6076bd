import fs from 'node:fs';
import Database from 'better-sqlite3';
import { StorageError } from '../errors.js';

export interface ExclusiveLock {
  release(): void;
}

/**
 * An exclusive lock held for as long as the process keeps it: an exclusive SQLite
 * transaction on a small lock file. The operating system's file lock is what excludes
 * a second holder, so there is no check-then-act window; it ends with the process (a
 * SIGKILL included), so a dead holder never has to be taken over; and release ends
 * our own transaction, never someone else's lock. Returns null when another process
 * holds it.
 */
export function tryExclusiveLock(file: string): ExclusiveLock | null {
  try {
    // Readable by its owner only, and never through a planted symbolic link.
    fs.closeSync(fs.openSync(file, fs.constants.O_RDWR | fs.constants.O_CREAT | fs.constants.O_NOFOLLOW, 0o600));
  } catch (error) {
    throw new StorageError(`cannot create the lock file ${file} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`, 'check that the directory of the database is writable and that the lock file is not a symbolic link');
  }
  let db: Database.Database;
  try {
    db = new Database(file, { fileMustExist: true });
    db.pragma('busy_timeout = 0');
  } catch (error) {
    throw lockFailure(error, file);
  }
  try {
    db.exec('BEGIN EXCLUSIVE');
  } catch (error) {
    db.close();
    if (/^SQLITE_BUSY|^SQLITE_LOCKED/.test((error as { code?: string }).code ?? '')) return null;
    throw lockFailure(error, file);
  }
  let released = false;
  return {
    release() {
      if (released) return;
      released = true;
      try {
        db.exec('ROLLBACK');
      } finally {
        db.close();
      }
    },
  };
}

function lockFailure(error: unknown, file: string): StorageError {
  const code = (error as { code?: string }).code ?? '';
  if (code === 'SQLITE_NOTADB') {
    return new StorageError(`lock file ${file} holds something else`, 'no nightly job is using it: remove the file and run again');
  }
  return new StorageError(`cannot lock ${file} (${(error as Error).message})`, 'check the directory of the database');
}
