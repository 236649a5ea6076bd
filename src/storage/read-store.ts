import { storageFailure, type Connection } from './database.js';

export type Params = readonly unknown[] | Record<string, unknown>;

/**
 * The narrow read interface the reports use: statements are prepared here, values
 * are always bound parameters, and driver errors come back as StorageErrors.
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

  /** The raw connection, for `query` only (which checks statements itself). */
  get connection(): Connection {
    return this.db;
  }
}

function bind(params: Params): unknown[] {
  return Array.isArray(params) ? [...params] : [params];
}

/** The per-database key of --mask pseudonyms. */
export function maskKey(store: ReadStore): string {
  return store.one<{ value: string }>(`SELECT value FROM meta WHERE key = 'mask_secret'`)?.value ?? 'stayaudit';
}
