import { StayauditError, ExitCode, UsageError } from '../errors.js';
import { RunPruner, type PruneCriteria, type PruneOutcome } from '../storage/audit-store.js';
import type { Connection } from '../storage/database.js';
import type { ReadStore } from '../storage/read-store.js';
import type { Listing, Row } from './render.js';

export interface RunRow {
  id: number;
  as_of: string;
  ruleset_name: string;
  ruleset_checksum: string;
  ruleset_json: string;
  started_at: string;
  finished_at: string;
  persons: number;
  stays: number;
  findings: number;
  counts_json: string;
}

/** The run asked for, or the latest; a clear error when there is none. */
export function resolveRun(store: ReadStore, id?: number): RunRow {
  if (id !== undefined) {
    const run = store.one<RunRow>(`SELECT * FROM runs WHERE id = ?`, [id]);
    if (!run) throw new UsageError(`there is no audit run ${id}`, 'list the runs with: stayaudit runs');
    return run;
  }
  const latest = latestRun(store);
  if (!latest) throw new StayauditError('there is no audit run yet', ExitCode.usage, 'run an audit first: stayaudit audit --as-of YYYY-MM-DD');
  return latest;
}

/** The newest run, if any. */
export function latestRun(store: ReadStore): RunRow | undefined {
  return store.one<RunRow>(`SELECT * FROM runs ORDER BY id DESC LIMIT 1`);
}

/** The run before `run`, if any. */
export function previousRun(store: ReadStore, run: RunRow): RunRow | undefined {
  return store.one<RunRow>(`SELECT * FROM runs WHERE id < ? ORDER BY id DESC LIMIT 1`, [run.id]);
}

/** `name (checksum)`, as every output stamps the ruleset. */
export function rulesetLabel(run: RunRow): string {
  return `${run.ruleset_name} (${run.ruleset_checksum})`;
}

export function runMeta(run: RunRow): Record<string, string | number> {
  return { run: run.id, as_of: run.as_of, ruleset: rulesetLabel(run) };
}

export function listRuns(store: ReadStore): Listing {
  const columns = ['run', 'as_of', 'ruleset', 'ruleset_checksum', 'started_at', 'seconds', 'persons', 'stays', 'findings', 'overstays', 'ban_breaches', 'registration', 'anomalies'];
  function* rows(): Generator<Row> {
    for (const run of store.rows<RunRow>(`SELECT * FROM runs ORDER BY id`)) {
      const counts = JSON.parse(run.counts_json) as Record<string, number>;
      const sum = (...rules: string[]): number => rules.reduce((n, r) => n + (counts[r] ?? 0), 0);
      yield {
        run: run.id,
        as_of: run.as_of,
        ruleset: run.ruleset_name,
        ruleset_checksum: run.ruleset_checksum,
        started_at: run.started_at,
        seconds: Math.round((Date.parse(run.finished_at) - Date.parse(run.started_at)) / 100) / 10,
        persons: run.persons,
        stays: run.stays,
        findings: run.findings,
        overstays: sum('stay-limit', 'rolling-limit', 'no-basis', 'permit-expired'),
        ban_breaches: sum('ban-breach'),
        registration: sum('unregistered', 'late-registration'),
        anomalies: sum('orphan-exit', 'missing-exit', 'permit-dates-reversed', 'future-crossing', 'unknown-checkpoint'),
      };
    }
  }
  return { columns, rows: rows(), meta: {} };
}

/** Runs the nightly job keeps (a week of nightly runs: diff and trends stay possible). */
export const DEFAULT_KEEP_RUNS = 7;

export interface PruneOptions extends PruneCriteria {
  /** Rewrite the database first so that it gives freed space back (older databases). */
  vacuum?: boolean;
}

/**
 * Retention: deletes the runs the criteria select (see RunPruner) and gives the space
 * back; with `vacuum`, first rewrites a database made before incremental auto-vacuum.
 */
export function pruneRuns(connection: Connection, file: string, options: PruneOptions): PruneOutcome {
  checkPruneOptions(options);
  const pruner = new RunPruner(connection, file);
  const outcome = pruner.prune(options);
  if (options.vacuum && !options.dryRun) {
    pruner.vacuum();
    return { ...outcome, bytesAfter: pruner.fileBytes(), givesSpaceBack: true };
  }
  return outcome;
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

/** One line for stderr: what went, what is kept, what the file came to. */
export function pruneSummary(outcome: PruneOutcome, dryRun: boolean): string {
  const mb = (bytes: number): string => `${(bytes / 1e6).toFixed(1)} MB`;
  const ids = outcome.pruned.map((r) => r.id).join(', ');
  if (outcome.pruned.length === 0) return `nothing to prune: ${outcome.kept} run(s) kept, database ${mb(outcome.bytesAfter)}`;
  if (dryRun) return `would prune ${outcome.pruned.length} run(s) (${ids}); ${outcome.kept} kept`;
  const space = outcome.givesSpaceBack
    ? `database ${mb(outcome.bytesBefore)} -> ${mb(outcome.bytesAfter)}`
    : `database ${mb(outcome.bytesAfter)}; the freed space is reused by later runs (runs prune --vacuum gives it back once, and from then on every prune does)`;
  return `pruned ${outcome.pruned.length} run(s) (${ids}); ${outcome.kept} kept; ${space}`;
}
