/**
 * How commands reach a store: by its address (where it is and how long to wait for a
 * lock), never by a driver connection. Reading commands get a ReadStore; retention
 * opens its own writer; a driver error that escaped every layer is told apart from a
 * bug here. A second store (PostgreSQL, issue 17) adds its address form here.
 */
import { openConnection, storageFailure } from './database.js';
import type { ReadStore } from './read-store.js';
import type { AuditStores } from './audit-source.js';
import { refuseServerStore, storeLocation, storeSpec, type StoreLocation } from './postgres/location.js';

export interface StoreAddress {
  /** An SQLite file or a PostgreSQL database (its URL, shown only redacted). */
  location: StoreLocation;
  /** Milliseconds to wait for a lock held by another process (default: database.ts's). */
  busyTimeoutMs?: number | undefined;
  /** Staged rows per segment of a first import into PostgreSQL (default: postgres/import-store.ts's). */
  segmentRows?: number | undefined;
}

/** The address named by `--db`, else $STAYAUDIT_DB, else ./stayaudit.db (relative to `cwd`). */
export function storeAddress(flag: string | undefined, env: NodeJS.ProcessEnv, cwd: string, busyTimeoutMs?: number): StoreAddress {
  return { location: storeLocation(storeSpec(flag, env), cwd), busyTimeoutMs };
}

/** How messages name the store: the file, or the redacted URL. */
export function storeLabel(address: StoreAddress): string {
  return address.location.label;
}

/**
 * The SQLite file of an address, for storage's SQLite paths: each entry point takes a
 * server store down its PostgreSQL path first, so a server address reaching this is a
 * bug, refused as a usage error rather than opened as a file named like a URL.
 */
export function sqliteFile(address: StoreAddress): string {
  if (address.location.kind === 'postgres') refuseServerStore(address.location.url);
  return (address.location as Extract<StoreLocation, { kind: 'sqlite' }>).file;
}

/**
 * A read-only store: an SQLite file, or a PostgreSQL database (connected, its schema
 * checked). A missing, empty, foreign or older-schema file or database is a StorageError.
 */
export async function openReadStore(address: StoreAddress): Promise<ReadStore> {
  if (address.location.kind === 'postgres') {
    // Loaded only for a server store: SQLite commands never load the driver.
    const { openPostgresReadStore } = await import('./postgres/read-store.js');
    return openPostgresReadStore(address.location);
  }
  // Loaded when a command reads (an import never does: start-up, issue 18).
  const { SqliteReadStore } = await import('./read-store.js');
  const file = sqliteFile(address);
  const connection = openConnection(file, { readonly: true, ...(address.busyTimeoutMs === undefined ? {} : { busyTimeoutMs: address.busyTimeoutMs }) });
  return new SqliteReadStore(connection, file);
}

/** A connection on the store at `address`, for storage's own entry points below. */
function openConnectionAt(address: StoreAddress, options: { readonly?: boolean; create?: boolean } = {}): ReturnType<typeof openConnection> {
  return openConnection(sqliteFile(address), { ...options, ...(address.busyTimeoutMs === undefined ? {} : { busyTimeoutMs: address.busyTimeoutMs }) });
}

/**
 * Runs `work` on the stores an audit reads and writes through (a read connection for the
 * timelines, a write connection for the run), and closes both after. Only nightly passes
 * `create` (an empty inbox still gets a database).
 */
export async function withAuditStores<T>(address: StoreAddress, work: (stores: AuditStores) => Promise<T>, options: { create?: boolean } = {}): Promise<T> {
  if (address.location.kind === 'postgres') {
    // Loaded only for a server store: SQLite commands never load the driver.
    const { withPostgresAuditStores } = await import('./postgres/audit-stores.js');
    return withPostgresAuditStores(address.location, work, { create: options.create === true, busyTimeoutMs: address.busyTimeoutMs });
  }
  const { auditStores } = await import('./audit-source.js');
  const writer = openConnectionAt(address, { create: options.create === true });
  try {
    const reader = openConnectionAt(address, { readonly: true });
    try {
      return await work(auditStores(reader, writer, sqliteFile(address)));
    } finally {
      reader.close();
    }
  } finally {
    writer.close();
  }
}

/**
 * The database trouble (damaged, unreadable, locked, full, read-only) behind a driver
 * error that no layer translated, as a StorageError saying what to do; null when the
 * error is something else (a bug).
 */
export function storageTrouble(error: unknown, file: string): Error | null {
  const code = (error as { code?: unknown }).code;
  if (typeof code !== 'string' || !/^SQLITE_(CORRUPT|NOTADB|IOERR|FULL|BUSY|LOCKED|CANTOPEN|READONLY)/.test(code)) return null;
  return storageFailure(error, file);
}
