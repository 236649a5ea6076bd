/**
 * Stored audit runs: one by number, the latest, the one before, all of them; and
 * retention (deleting old runs), which opens its own writer (SQLite: RunPruner;
 * PostgreSQL: postgres/prune.ts).
 */
import { RunPruner, type PruneCriteria, type PruneOutcome } from '../audit-store.js';
import { openConnection, type Connection } from '../database.js';
import { openReadStore, sqliteFile, type StoreAddress } from '../open-store.js';
import type { ReadStore } from '../read-store.js';
import { UsageError } from '../../errors.js';
import type { RunRow } from './types.js';

export function runById(store: ReadStore, id: number): Promise<RunRow | undefined> {
  return store.one<RunRow>(`SELECT * FROM runs WHERE id = ?`, [id]);
}

/** The newest run, if any. */
export function latestRun(store: ReadStore): Promise<RunRow | undefined> {
  return store.one<RunRow>(`SELECT * FROM runs ORDER BY id DESC LIMIT 1`);
}

/** The run before `run`, if any. */
export function previousRun(store: ReadStore, run: { id: number }): Promise<RunRow | undefined> {
  return store.one<RunRow>(`SELECT * FROM runs WHERE id < ? ORDER BY id DESC LIMIT 1`, [run.id]);
}

/** Every run, oldest first, streamed in batches. */
export function allRuns(store: ReadStore): AsyncIterable<RunRow[]> {
  return store.batches<RunRow>(`SELECT * FROM runs ORDER BY id`);
}

export interface PruneOptions extends PruneCriteria {
  /** Rewrite the database first so that it gives freed space back (older databases; PostgreSQL: VACUUM FULL of the run tables). */
  vacuum?: boolean;
}

/** What a prune did, and on PostgreSQL what became of the freed space (said in the summary). */
export interface PruneReport extends PruneOutcome {
  /** PostgreSQL only: what the prune did with the freed space, for the summary. */
  space?: string;
}

/**
 * Deletes the runs the criteria select (see RunPruner) on an open writer and gives the
 * space back; with `vacuum`, first rewrites a database made before incremental auto-vacuum.
 */
export function pruneRunsOn(connection: Connection, file: string, options: PruneOptions): PruneOutcome {
  checkPruneOptions(options);
  const pruner = new RunPruner(connection, file);
  const outcome = pruner.prune(options);
  if (options.vacuum && !options.dryRun) {
    pruner.vacuum();
    return { ...outcome, bytesAfter: pruner.fileBytes(), givesSpaceBack: true };
  }
  return outcome;
}

/** Retention on the store at `address`: a missing or non-stayaudit file (or database) is refused, never created. */
export async function pruneStoredRuns(address: StoreAddress, options: PruneOptions): Promise<PruneReport> {
  checkPruneOptions(options);
  if (address.location.kind === 'postgres') {
    const { prunePostgresRuns } = await import('../postgres/prune.js');
    return prunePostgresRuns(address.location, options);
  }
  await (await openReadStore(address)).close();
  const file = sqliteFile(address);
  const connection = openConnection(file, address.busyTimeoutMs === undefined ? {} : { busyTimeoutMs: address.busyTimeoutMs });
  try {
    return pruneRunsOn(connection, file, options);
  } finally {
    connection.close();
  }
}

/** Usage errors of a prune, before anything is opened. */
export function checkPruneOptions(options: PruneOptions): void {
  if (options.keep === undefined && options.before === undefined) {
    throw new UsageError('runs prune needs --keep N or --before DATE', 'e.g. stayaudit runs prune --keep 7');
  }
  if (options.keep !== undefined && options.keep < 1) {
    throw new UsageError('--keep must be at least 1 (the latest run is what the reports read)', 'e.g. --keep 7');
  }
}
