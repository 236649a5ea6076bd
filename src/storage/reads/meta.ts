/** What the store keeps about itself that reports need: the key of the --mask pseudonyms. */
import type { ReadStore } from '../read-store.js';

/** The per-database key of --mask pseudonyms (stable within this database, useless outside it). */
export async function maskSecret(store: ReadStore): Promise<string> {
  return (await store.one<{ value: string }>(`SELECT value FROM meta WHERE key = 'mask_secret'`))?.value ?? 'stayaudit';
}
