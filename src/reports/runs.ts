/**
 * Audit runs as the reports name them: the run a command means (or a clear error), its
 * stamp, the `runs` listing, and retention's checks and summary. The store reads and
 * prunes them (storage/reads/runs.ts).
 */
import { RULES } from '../core/rules/registry.js';
import { StayauditError, ExitCode, UsageError } from '../errors.js';
import { allRuns, latestRun, pruneStoredRuns, runById, type PruneOptions, type PruneReport, type ReadStore, type RunRow, type StoreAddress } from '../storage/reads/index.js';
import { streamed, type Listing, type Row } from './render.js';

export type { PruneOptions, RunRow } from '../storage/reads/index.js';
export { checkPruneOptions, latestRun, previousRun } from '../storage/reads/index.js';

/** The names of one family's rules (the registry's family names). */
const familyRules = (family: string): string[] => RULES.filter((r) => r.family === family).map((r) => r.name);

/** The run asked for, or the latest; a clear error when there is none. */
export async function resolveRun(store: ReadStore, id?: number): Promise<RunRow> {
  if (id !== undefined) {
    const run = await runById(store, id);
    if (!run) throw new UsageError(`there is no audit run ${id}`, 'list the runs with: stayaudit runs');
    return run;
  }
  const latest = await latestRun(store);
  if (!latest) throw new StayauditError('there is no audit run yet', ExitCode.usage, 'run an audit first: stayaudit audit --as-of YYYY-MM-DD');
  return latest;
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
  async function* rows(): AsyncGenerator<Row[]> {
    for await (const batch of allRuns(store)) yield batch.map(runRow);
  }
  return { columns, rows: streamed(rows()), meta: {} };
}

/** One run as `runs` lists it: counts summed per family of rules. */
function runRow(run: RunRow): Row {
  const counts = JSON.parse(run.counts_json) as Record<string, number>;
  const sum = (...rules: string[]): number => rules.reduce((n, r) => n + (counts[r] ?? 0), 0);
  return {
    run: run.id,
    as_of: run.as_of,
    ruleset: run.ruleset_name,
    ruleset_checksum: run.ruleset_checksum,
    started_at: run.started_at,
    seconds: Math.round((Date.parse(run.finished_at) - Date.parse(run.started_at)) / 100) / 10,
    persons: run.persons,
    stays: run.stays,
    findings: run.findings,
    overstays: sum(...familyRules('overstay')),
    ban_breaches: sum(...familyRules('re-entry ban')),
    registration: sum(...familyRules('registration')),
    anomalies: sum(...familyRules('anomaly')),
  };
}

/** Runs the nightly job keeps (a week of nightly runs: diff and trends stay possible). */
export const DEFAULT_KEEP_RUNS = 7;

/** Retention on the store at `address` (`runs prune`): a missing database is refused, never created. */
export function pruneRunsAt(address: StoreAddress, options: PruneOptions): Promise<PruneReport> {
  return pruneStoredRuns(address, options);
}

/** One line for stderr: what went, what is kept, what the file came to. */
export function pruneSummary(outcome: PruneReport, dryRun: boolean): string {
  const mb = (bytes: number): string => `${(bytes / 1e6).toFixed(1)} MB`;
  const ids = outcome.pruned.map((r) => r.id).join(', ');
  if (outcome.pruned.length === 0) return `nothing to prune: ${outcome.kept} run(s) kept, database ${mb(outcome.bytesAfter)}`;
  if (dryRun) return `would prune ${outcome.pruned.length} run(s) (${ids}); ${outcome.kept} kept`;
  const space = outcome.space !== undefined
    ? `database ${mb(outcome.bytesBefore)} -> ${mb(outcome.bytesAfter)}; ${outcome.space}`
    : outcome.givesSpaceBack
    ? `database ${mb(outcome.bytesBefore)} -> ${mb(outcome.bytesAfter)}`
    : `database ${mb(outcome.bytesAfter)}; the freed space is reused by later runs (runs prune --vacuum gives it back once, and from then on every prune does)`;
  return `pruned ${outcome.pruned.length} run(s) (${ids}); ${outcome.kept} kept; ${space}`;
}
