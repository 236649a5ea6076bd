import type { ReadStore } from '../storage/read-store.js';
import { filterClause, type FindingFilter } from './filters.js';
import type { Listing, Row } from './render.js';
import type { RunRow } from './runs.js';
import { orderByTerms, type SortKey } from './shape.js';

export const DIFF_COLUMNS = [
  'change',
  'what_changed',
  'person_key',
  'citizenship',
  'rule',
  'entry_date',
  'first_day_a',
  'first_day_b',
  'days_a',
  'days_b',
  'status_a',
  'status_b',
  'document_no',
  'surname',
  'given_names',
  'regime_a',
  'regime_b',
  'exit_date_a',
  'exit_date_b',
] as const;

const DIFF_PRIORITY = ['change', 'person_key', 'rule', 'what_changed', 'citizenship', 'entry_date', 'days_a', 'days_b', 'first_day_a', 'first_day_b', 'status_a', 'status_b', 'surname'];

/** Field by field, what differs between the two runs' finding: "regime EAEU → VF-30; status …". */
const WHAT_CHANGED = `CASE WHEN a.person_key IS NOT NULL AND b.person_key IS NOT NULL THEN rtrim(
  ${[
    ['first_day', 'first_day'],
    ['status', 'status'],
    ['exit_date', 'exit'],
    ['regime', 'regime'],
    ['days', 'days'],
  ]
    .map(([column, label]) => `CASE WHEN a.${column} IS NOT b.${column} THEN '${label} ' || coalesce(a.${column}, '-') || ' → ' || coalesce(b.${column}, '-') || '; ' ELSE '' END`)
    .join(' ||\n  ')}, '; ') END`;

/**
 * Findings that appeared, disappeared or changed (first day, status, exit, regime)
 * between run A and run B. A finding is the same finding when person, rule and the
 * stay's entry day agree. One whose days merely grew (still in the country) is
 * 'continuing', listed only with --all, like the 'unchanged' ones.
 */
export function diffRuns(store: ReadStore, a: RunRow, b: RunRow, filter: FindingFilter, includeUnchanged = false, sort: readonly SortKey[] = []): Listing {
  const where = filterClause(filter);
  const side = (run: RunRow): string => `SELECT * FROM findings f WHERE f.run_id = ${Number(run.id)}${where.sql}`;
  const rows = store.rows<Row>(
    `WITH a AS (${side(a)}), b AS (${side(b)}),
     pairs AS (
       SELECT coalesce(b.person_key, a.person_key) AS person_key, coalesce(b.citizenship, a.citizenship) AS citizenship,
              coalesce(b.rule, a.rule) AS rule, coalesce(b.entry_date, a.entry_date) AS entry_date,
              a.first_day AS first_day_a, b.first_day AS first_day_b, a.days AS days_a, b.days AS days_b,
              a.status AS status_a, b.status AS status_b, a.regime AS regime_a, b.regime AS regime_b,
              a.exit_date AS exit_date_a, b.exit_date AS exit_date_b, ${WHAT_CHANGED} AS what_changed,
              CASE WHEN a.person_key IS NULL THEN 'appeared'
                   WHEN b.person_key IS NULL THEN 'disappeared'
                   WHEN a.first_day IS NOT b.first_day OR a.status IS NOT b.status OR a.exit_date IS NOT b.exit_date OR a.regime IS NOT b.regime THEN 'changed'
                   WHEN a.days IS NOT b.days THEN 'continuing'
                   ELSE 'unchanged' END AS change
       FROM a FULL OUTER JOIN b
         ON a.person_key = b.person_key AND a.rule = b.rule AND a.entry_date IS b.entry_date
     )
     SELECT * FROM (
       SELECT pairs.*, p.document_no, p.surname, p.given_names,
              CASE change WHEN 'appeared' THEN 0 WHEN 'changed' THEN 1 WHEN 'disappeared' THEN 2 WHEN 'continuing' THEN 3 ELSE 4 END AS _rank
       FROM pairs LEFT JOIN persons p ON p.person_key = pairs.person_key
       WHERE ${includeUnchanged ? '1' : "change IN ('appeared', 'changed', 'disappeared')"}
     )
     ORDER BY ${sort.length > 0 ? `${orderByTerms(sort)}, ` : ''}_rank, person_key, rule`,
    [...where.params, ...where.params],
  );
  return { columns: DIFF_COLUMNS, rows, meta: { run_a: a.id, as_of_a: a.as_of, run_b: b.id, as_of_b: b.as_of }, tablePriority: DIFF_PRIORITY };
}

/** Counts of a diff by change and rule, for the nightly summary. */
export function diffCounts(store: ReadStore, a: RunRow, b: RunRow): Record<string, number> {
  const counts: Record<string, number> = { appeared: 0, changed: 0, disappeared: 0 };
  for (const row of diffRuns(store, a, b, {}).rows) counts[String(row['change'])] = (counts[String(row['change'])] ?? 0) + 1;
  return counts;
}
