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
    this.db.exec('BEGIN');
    try {
      return fn();
    } finally {
      this.db.exec('COMMIT');
    }
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
