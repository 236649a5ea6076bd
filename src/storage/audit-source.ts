/**
 * What the audit reads and writes through, so that src/audit holds no connection and
 * no SQL: a source of timelines (one read connection, with its snapshot) and the run
 * writer. Storage opens, snapshots and closes; the audit only asks. The interfaces are
 * engine-neutral (SQLite here, PostgreSQL in postgres/timelines.ts); a worker thread
 * opens its own source from the plain `WorkerSourceSpec` its coordinator hands over.
 */
import { SqliteRunWriter, type RunWriter } from './audit-store.js';
import { openConnection, storageFailure, whileMapped, type Connection } from './database.js';
import type { PostgresLocation } from './postgres/connection.js';
import { chunkCuts, forEachTimeline, holdsMoreThan, type KeyScope } from './timelines.js';
import type { PersonTimeline } from '../core/types.js';

/** A value now (SQLite) or later (PostgreSQL): callers always await it. */
export type Awaitable<T> = T | Promise<T>;

/** How a worker thread opens a source on the coordinator's data: plain data, sent across threads. */
export type WorkerSourceSpec =
  | { kind: 'sqlite'; file: string }
  | { kind: 'postgres'; location: PostgresLocation; snapshot: string };

/** Persons' timelines in key order from one read connection, read inside one snapshot. */
export interface TimelineSource {
  /** The store as messages name it. */
  readonly label: string;
  /**
   * Calls `visit` with the timeline of every person of `scope`, in key order. A chunk of
   * persons is read (awaited) and then visited synchronously: no promise per person.
   */
  forEach(scope: KeyScope, visit: (timeline: PersonTimeline) => void): Awaitable<void>;
  /** Keys cutting every person into slices of `size` persons (see timelines.ts's `chunkCuts`). */
  cuts(size?: number): Awaitable<string[]>;
  holdsMoreThan(persons: number): Awaitable<boolean>;
  /** Runs `fn` inside one read snapshot (every read in it sees the same data) until it settles. */
  readAsync<T>(fn: () => Promise<T>): Promise<T>;
  /** Inside `readAsync`: how a worker opens a source reading the same snapshot. */
  workerSpec(): Awaitable<WorkerSourceSpec>;
  /** A driver error as a StorageError naming the store. */
  failure(error: unknown): Error;
  close(): Awaitable<void>;
}

/** The SQLite timeline source: synchronous inside, read in chunks by timelines.ts. */
export class SqliteTimelineSource implements TimelineSource {
  constructor(
    private readonly db: Connection,
    /** The database file (for error messages, and for workers to open their own source). */
    readonly file: string,
  ) {}

  get label(): string {
    return this.file;
  }

  forEach(scope: KeyScope, visit: (timeline: PersonTimeline) => void): void {
    forEachTimeline(this.db, scope, visit);
  }

  /**
   * The cuts walk every person's row once, before any thread can start: through a
   * memory map (1 M persons, an 80 MB table: 335 ms -> 153 ms), let go of afterwards, so
   * that the timelines are read through the page cache and the mapped pages do not add
   * to the process's resident memory (a national audit: 1.2 GB with the map kept).
   */
  cuts(size?: number): string[] {
    return whileMapped(this.db, () => chunkCuts(this.db, size));
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

  /** SQLite workers read the same file; the writer's lock keeps the data as the coordinator sees it. */
  workerSpec(): WorkerSourceSpec {
    return { kind: 'sqlite', file: this.file };
  }

  failure(error: unknown): Error {
    return storageFailure(error, this.file);
  }

  close(): void {
    this.db.close();
  }
}

/** A read-only timeline source on its own connection (an audit worker's). */
export function openTimelineSource(file: string, options: { cacheMiB?: number } = {}): SqliteTimelineSource {
  return new SqliteTimelineSource(openConnection(file, { readonly: true, ...options }), file);
}

/** The PostgreSQL side, loaded only by a worker that reads a server store. */
let postgresSide: typeof import('./postgres/timelines.js') | undefined;

/** An audit worker's source: its own connection on the coordinator's store (and snapshot). */
export async function openWorkerSource(spec: WorkerSourceSpec): Promise<TimelineSource> {
  if (spec.kind === 'sqlite') return openTimelineSource(spec.file, { cacheMiB: 16 });
  postgresSide ??= await import('./postgres/timelines.js');
  return postgresSide.openPostgresWorkerSource(spec.location, spec.snapshot);
}

/** A driver error met by a worker, as a StorageError naming the store. */
export function workerFailure(error: unknown, spec: WorkerSourceSpec): Error {
  if (spec.kind === 'sqlite') return storageFailure(error, spec.file);
  if (postgresSide !== undefined) return postgresSide.postgresAuditFailure(error, spec.location);
  return error instanceof Error ? error : new Error(String(error));
}

/** What an audit works on: timelines to read, and the writer of its run. */
export interface AuditStores {
  timelines: TimelineSource;
  run: RunWriter;
}

/** The audit's stores on a read connection and a write connection the caller opened (and closes). */
export function auditStores(reader: Connection, writer: Connection, file: string): AuditStores {
  return { timelines: new SqliteTimelineSource(reader, file), run: new SqliteRunWriter(writer, file) };
}

/** Driver errors met while auditing, as StorageErrors naming the file. */
export { storageFailure } from './database.js';
