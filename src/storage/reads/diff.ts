/**
 * Two runs' findings side by side: a finding is the same finding in both when person,
 * rule and the stay's entry day agree. Each pair says how it changed.
 */
import type { ReadStore } from '../read-store.js';
import { SQLITE_DIALECT, type Dialect } from './dialect.js';
import { filterClause } from './finding-filter.js';
import { orderByTerms } from './order.js';
import type { FindingFilter, SortKey, StoredRow } from './types.js';

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

/** Field by field, what differs between the two runs' finding: "regime EAEU → VF-30; status …". */
const whatChanged = (d: Dialect): string => `CASE WHEN a.person_key IS NOT NULL AND b.person_key IS NOT NULL THEN rtrim(
  ${[
    ['first_day', 'first_day'],
    ['status', 'status'],
    ['exit_date', 'exit'],
    ['regime', 'regime'],
    ['days', 'days'],
  ]
    .map(
      ([column, label]) =>
        `CASE WHEN ${d.differs(`a.${column}`, `b.${column}`)} THEN '${label} ' || coalesce(${d.text(`a.${column}`)}, '-') || ' → ' || coalesce(${d.text(`b.${column}`)}, '-') || '; ' ELSE '' END`,
    )
    .join(' ||\n  ')}, '; ') END`;

/** The columns of a pair of findings `a` and `b` (either may be missing). */
const pairColumns = (d: Dialect): string => `coalesce(b.person_key, a.person_key) AS person_key, coalesce(b.citizenship, a.citizenship) AS citizenship,
              coalesce(b.rule, a.rule) AS rule, coalesce(b.entry_date, a.entry_date) AS entry_date,
              a.first_day AS first_day_a, b.first_day AS first_day_b, a.days AS days_a, b.days AS days_b,
              a.status AS status_a, b.status AS status_b, a.regime AS regime_a, b.regime AS regime_b,
              a.exit_date AS exit_date_a, b.exit_date AS exit_date_b, ${whatChanged(d)} AS what_changed,
              CASE WHEN a.person_key IS NULL THEN 'appeared'
                   WHEN b.person_key IS NULL THEN 'disappeared'
                   WHEN ${['first_day', 'status', 'exit_date', 'regime'].map((c) => d.differs(`a.${c}`, `b.${c}`)).join(' OR ')} THEN 'changed'
                   WHEN ${d.differs('a.days', 'b.days')} THEN 'continuing'
                   ELSE 'unchanged' END AS change`;

/** The same finding in both runs: person, rule and the stay's entry day agree. */
const sameFinding = (d: Dialect): string => `b.person_key = a.person_key AND b.rule = a.rule AND ${d.same('b.entry_date', 'a.entry_date')}`;

export interface DiffOptions {
  /** Also the 'continuing' (only days grew) and 'unchanged' pairs. */
  includeUnchanged?: boolean;
  sort?: readonly SortKey[];
}

/**
 * The pairs of findings of runs A and B (a finding of one run alone is paired with
 * nothing): 'appeared', 'changed' (first day, status, exit or regime), 'disappeared',
 * then with `includeUnchanged` 'continuing' and 'unchanged'; in that order, then by
 * person and rule, unless sorted.
 */
export function diffRows(store: ReadStore, runA: number, runB: number, filter: FindingFilter, options: DiffOptions = {}): AsyncIterable<StoredRow[]> {
  const statement = diffStatement(runA, runB, filter, options, store.dialect);
  return store.batches<StoredRow>(statement.sql, statement.params);
}

/**
 * The statement of `diffRows` (exported for the test of its plan). Each side finds its
 * partner through the findings key (run_id, person_key), so the work grows with the
 * findings of both runs, not with their product (a full outer join scanned one run once
 * per finding of the other).
 */
export function diffStatement(runA: number, runB: number, filter: FindingFilter, options: DiffOptions = {}, d: Dialect = SQLITE_DIALECT): { sql: string; params: unknown[] } {
  const where = filterClause(filter, d);
  const side = `SELECT * FROM findings f WHERE f.run_id = ?${where.sql}`;
  const p = d.personsJoin('pairs.person_key');
  const sort = options.sort ?? [];
  return {
    sql: `WITH a AS (${side}), b AS (${side}),
     pairs AS (
       SELECT ${pairColumns(d)} FROM a LEFT JOIN b ON ${sameFinding(d)}
       UNION ALL
       SELECT ${pairColumns(d)} FROM b LEFT JOIN a ON ${sameFinding(d)} WHERE a.person_key IS NULL
     )
     SELECT * FROM (
       SELECT pairs.*, ${['document_no', 'surname', 'given_names'].map(p.column).join(', ')},
              CASE change WHEN 'appeared' THEN 0 WHEN 'changed' THEN 1 WHEN 'disappeared' THEN 2 WHEN 'continuing' THEN 3 ELSE 4 END AS _rank
       FROM pairs ${p.join}
       WHERE ${options.includeUnchanged === true ? d.always : "change IN ('appeared', 'changed', 'disappeared')"}
     ) AS listing
     ORDER BY ${sort.length > 0 ? `${orderByTerms(sort, DIFF_COLUMNS, d)}, ` : ''}_rank, person_key, rule${d.scanOrder(['entry_date'])}`,
    params: [runA, ...where.params, runB, ...where.params],
  };
}
