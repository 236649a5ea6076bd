import { storageFailure, type Connection } from './database.js';

/**
 * One write transaction on its own connection: taken with BEGIN IMMEDIATE (waiting
 * up to the busy timeout for another writer), and rolled back whole on any failure,
 * which comes out as a StorageError naming the file.
 */
export class WriteTransaction {
  protected readonly db: Connection;
  protected readonly file: string;
  private open = false;

  constructor(db: Connection, file: string) {
    this.db = db;
    this.file = file;
  }

  /** Runs `fn`; on failure rolls everything back and throws a StorageError. */
  protected guard<T>(fn: () => T): T {
    try {
      return fn();
    } catch (error) {
      this.rollback();
      throw storageFailure(error, this.file);
    }
  }

  protected beginImmediate(): void {
    this.db.exec('BEGIN IMMEDIATE');
    this.open = true;
  }

  protected commitNow(): void {
    this.db.exec('COMMIT');
    this.open = false;
  }

  rollback(): void {
    if (!this.open) return;
    this.open = false;
    try {
      this.db.exec('ROLLBACK');
    } catch {
      // SQLite may already have rolled back (e.g. SQLITE_FULL).
    }
  }
}
