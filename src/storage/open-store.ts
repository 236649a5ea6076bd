/**
 * How commands reach a store: by its address (where it is and how long to wait for a
 * lock), never by a driver connection. Reading commands get a ReadStore; retention
 * opens its own writer. A second store (PostgreSQL, issue 17) adds its address form here.
 */
import { openConnection, resolveDatabasePath } from './database.js';
import { ReadStore } from './read-store.js';

export interface StoreAddress {
  /** The database file. */
  file: string;
  /** Milliseconds to wait for a lock held by another process (default: database.ts's). */
  busyTimeoutMs?: number | undefined;
}

/** `--db`, else $STAYAUDIT_DB, else ./stayaudit.db. */
export function storeFile(flag: string | undefined, env: NodeJS.ProcessEnv): string {
  return resolveDatabasePath(flag, env);
}

/** A read-only store; a missing, empty, foreign or older-schema file is a StorageError. */
export function openReadStore(address: StoreAddress): ReadStore {
  const connection = openConnection(address.file, { readonly: true, ...(address.busyTimeoutMs === undefined ? {} : { busyTimeoutMs: address.busyTimeoutMs }) });
  return new ReadStore(connection, address.file);
}
