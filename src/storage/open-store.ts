/**
 * How commands reach a store: by its address (where it is and how long to wait for a
 * lock), never by a driver connection. Reading commands get a ReadStore; retention
 * opens its own writer; a driver error that escaped every layer is told apart from a
 * bug here. A second store (PostgreSQL, issue 17) adds its address form here.
 */
import { openConnection, resolveDatabasePath, storageFailure } from './database.js';
import { ReadStore } from './read-store.js';
import { refuseServerStore, storeSpec } from './postgres/location.js';

export interface StoreAddress {
  /** The database file. */
  file: string;
  /** Milliseconds to wait for a lock held by another process (default: database.ts's). */
  busyTimeoutMs?: number | undefined;
}

/** `--db`, else $STAYAUDIT_DB, else ./stayaudit.db. */
export function storeFile(flag: string | undefined, env: NodeJS.ProcessEnv): string {
  refuseServerStore(storeSpec(flag, env)); // issue 17: a PostgreSQL store serves init and copy only, so far
  return resolveDatabasePath(flag, env);
}

/** A read-only store; a missing, empty, foreign or older-schema file is a StorageError. */
export function openReadStore(address: StoreAddress): ReadStore {
  const connection = openConnection(address.file, { readonly: true, ...(address.busyTimeoutMs === undefined ? {} : { busyTimeoutMs: address.busyTimeoutMs }) });
  return new ReadStore(connection, address.file);
}

/**
 * PENDING issue 16: a raw writer or reader for the commands whose code still takes one
 * (import and nightly, helper "flows"; audit's runAudit, helper "stats"). It goes when
 * they open their stores through storage. Only `create` (import, nightly) may bring a
 * new file into being.
 */
export function openConnectionAt(address: StoreAddress, options: { readonly?: boolean; create?: boolean } = {}): ReturnType<typeof openConnection> {
  return openConnection(address.file, { ...options, ...(address.busyTimeoutMs === undefined ? {} : { busyTimeoutMs: address.busyTimeoutMs }) });
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
