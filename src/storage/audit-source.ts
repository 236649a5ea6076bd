/**
 * What the audit reads and writes through, so that src/audit holds no connection and
 * no SQL: a source of timelines (one read connection, with its snapshot) and the run
 * writer. Storage opens, snapshots and closes; the audit only asks.
 */
import { RunWriter } from './audit-store.js';
import { openConnection, type Connection } from './database.js';
import { chunkCuts, forEachTimeline, holdsMoreThan, type KeyScope } from './timelines.js';

/** Persons' timelines in key order from one read connection, read inside one snapshot. */
export class TimelineSource {
  constructor(
    private readonly db: Connection,
    /** The database file (for error messages, and for workers to open their own source). */
    readonly file: string,
  ) {}

  /** Calls `visit` with the timeline of every person of `scope`, in key order. */
  forEach(scope: KeyScope, visit: Parameters<typeof forEachTimeline>[2]): void {
    forEachTimeline(this.db, scope, visit);
  }

  /** Keys cutting every person into slices of `size` persons (see `chunkCuts`). */
  cuts(size?: number): string[] {
    return chunkCuts(this.db, size);
  }

  holdsMoreThan(persons: number): boolean {
    return holdsMoreThan(this.db, persons);
  }

  /** Runs `fn` inside one read snapshot (every read in it sees the same data). */
  read<T>(fn: () => T): T {
    this.db.exec('BEGIN');
    try {
      return fn();
    } finally {
      this.db.exec('COMMIT');
    }
  }

  /** `read` for work that waits (a parallel audit): the snapshot lasts until `fn` settles. */
  async readAsync<T>(fn: () => Promise<T>): Promise<T> {
    this.db.exec('BEGIN');
    try {
      return await fn();
    } finally {
      this.db.exec('COMMIT');
    }
  }

  close(): void {
    this.db.close();
  }
}

/** A read-only timeline source on its own connection (an audit worker's). */
export function openTimelineSource(file: string, options: { cacheMiB?: number } = {}): TimelineSource {
  return new TimelineSource(openConnection(file, { readonly: true, ...options }), file);
}

/** What an audit works on: timelines to read, and the writer of its run. */
export interface AuditStores {
  timelines: TimelineSource;
  run: RunWriter;
}

/** The audit's stores on a read connection and a write connection the caller opened (and closes). */
export function auditStores(reader: Connection, writer: Connection, file: string): AuditStores {
  return { timelines: new TimelineSource(reader, file), run: new RunWriter(writer, file) };
}

/** Driver errors met while auditing, as StorageErrors naming the file. */
export { storageFailure } from './database.js';
