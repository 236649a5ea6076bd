/**
 * `stayaudit init`: creates or upgrades a store's schema, SQLite file or PostgreSQL
 * database alike; idempotent, and a newer schema is refused untouched.
 */
import fs from 'node:fs';
import { openConnection } from '../database.js';
import { SCHEMA_VERSION } from '../schema.js';
import type { StoreLocation } from './location.js';

export interface InitOutcome {
  label: string;
  /** The version before: 0 for a new store; null when unknown (an existing SQLite file). */
  from: number | null;
  to: number;
}

export async function initStore(location: StoreLocation): Promise<InitOutcome> {
  if (location.kind === 'sqlite') {
    const existed = fs.existsSync(location.file);
    openConnection(location.file, { create: true }).close();
    return { label: location.label, from: existed ? null : 0, to: SCHEMA_VERSION };
  }
  // The driver is loaded only for a server store (every command's start-up goes through here).
  const [{ closePostgres, connectPostgres }, { migratePostgres }] = await Promise.all([import('./connection.js'), import('./store.js')]);
  const client = await connectPostgres(location);
  try {
    const outcome = await migratePostgres(client, location);
    return { label: location.label, ...outcome };
  } finally {
    await closePostgres(client);
  }
}

export function initSummary(outcome: InitOutcome): string {
  if (outcome.from === 0) return `created a stayaudit store in ${outcome.label} (schema version ${outcome.to})`;
  if (outcome.from === null || outcome.from === outcome.to) return `${outcome.label} is a stayaudit store at schema version ${outcome.to}`;
  return `upgraded ${outcome.label} from schema version ${outcome.from} to ${outcome.to}`;
}
