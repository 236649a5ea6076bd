/**
 * `diff`: the findings that appeared, disappeared or changed between two runs (the
 * store pairs them: storage/reads/diff.ts), as a listing; and the counts the nightly
 * summary prints.
 */
import { DIFF_COLUMNS, diffRows, maskSecret, type ReadStore, type RunRow } from '../storage/reads/index.js';
import { checkFilter, type FindingFilter } from './filters.js';
import { streamed, type Listing } from './render.js';
import type { SortKey } from './shape.js';

export { DIFF_COLUMNS } from '../storage/reads/index.js';

const DIFF_PRIORITY = ['change', 'person_key', 'rule', 'what_changed', 'citizenship', 'entry_date', 'days_a', 'days_b', 'first_day_a', 'first_day_b', 'status_a', 'status_b', 'surname'];

/**
 * Findings that appeared, disappeared or changed (first day, status, exit, regime)
 * between run A and run B. A finding is the same finding when person, rule and the
 * stay's entry day agree. One whose days merely grew (still in the country) is
 * 'continuing', listed only with --all, like the 'unchanged' ones.
 */
export async function diffRuns(store: ReadStore, a: RunRow, b: RunRow, filter: FindingFilter, includeUnchanged = false, sort: readonly SortKey[] = []): Promise<Listing> {
  const rows = streamed(diffRows(store, a.id, b.id, checkFilter(filter), { includeUnchanged, sort }));
  return { columns: DIFF_COLUMNS, rows, meta: { run_a: a.id, as_of_a: a.as_of, run_b: b.id, as_of_b: b.as_of }, tablePriority: DIFF_PRIORITY, maskKey: await maskSecret(store) };
}

/** Counts of a diff by change and rule, for the nightly summary. */
export async function diffCounts(store: ReadStore, a: RunRow, b: RunRow): Promise<Record<string, number>> {
  const counts: Record<string, number> = { appeared: 0, changed: 0, disappeared: 0 };
  for await (const batch of diffRows(store, a.id, b.id, {})) for (const row of batch) counts[String(row['change'])] = (counts[String(row['change'])] ?? 0) + 1;
  return counts;
}
