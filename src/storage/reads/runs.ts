/**
 * Stored audit runs: one by number, the latest, the one before, all of them; and
 * retention (deleting old runs), which opens its own writer.
 */
import { RunPruner, type PruneCriteria, type PruneOutcome } from '../audit-store.js';
import { openConnection, type Connection } from '../database.js';
import { openReadStore, sqliteFile, type StoreAddress } from '../open-store.js';
import type { ReadStore } from '../read-store.js';
import { UsageError } from '../../errors.js';
import type { RunRow } from './types.js';

export function runById(store: ReadStore, id: number): RunRow | undefined {
  return store.one<RunRow>(`SELECT * FROM runs WHERE id = ?`, [id]);
}

/** The newest run, if any. */
export function latestRun(store: ReadStore): RunRow | undefined {
  return store.one<RunRow>(`SELECT * FROM runs ORDER BY id DESC LIMIT 1`);
}

/** The run before `run`, if any. */
export function previousRun(store: ReadStore, run: { id: number }): RunRow | undefined {
  return store.one<RunRow>(`SELECT * FROM runs WHERE id < ? ORDER BY id DESC LIMIT 1`, [run.id]);
}

/** Every run, oldest first, streamed. */
export function allRuns(store: ReadStore): Iterable<RunRow> {
  return store.rows<RunRow>(`SELECT * FROM runs ORDER BY id`);
}

export interface PruneOptions extends PruneCriteria {
  /** Rewrite the database first so that it gives freed space back (older databases). */
  vacuum?: boolean;
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

/** Retention on the store at `address`: a missing or non-stayaudit file is refused, never created. */
export function pruneStoredRuns(address: StoreAddress, options: PruneOptions): PruneOutcome {
  checkPruneOptions(options);
  openReadStore(address).close();
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
