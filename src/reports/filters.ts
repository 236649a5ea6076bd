import { UsageError } from '../errors.js';

/** Filters shared by `findings`, `violators` and `diff`; always bound, never spliced. */
export interface FindingFilter {
  rules?: readonly string[];
  citizenships?: readonly string[];
  statuses?: readonly string[];
  minDays?: number;
  /** First day (first unlawful day, entry, …) on or after. */
  from?: string;
  /** First day on or before. */
  to?: string;
}

const ALL_RULES = [
  'stay-limit',
  'rolling-limit',
  'no-basis',
  'permit-expired',
  'ban-breach',
  'unregistered',
  'late-registration',
  'orphan-exit',
  'missing-exit',
  'permit-dates-reversed',
  'future-crossing',
  'unknown-checkpoint',
] as const;

export { OWN_OFFENCE_RULES } from '../core/types.js';

/** SQL conditions (ANDed, alias `f`) and their parameters. */
export function filterClause(filter: FindingFilter): { sql: string; params: unknown[] } {
  const parts: string[] = [];
  const params: unknown[] = [];
  const inList = (column: string, values: readonly string[] | undefined): void => {
    if (!values || values.length === 0) return;
    parts.push(`${column} IN (${values.map(() => '?').join(', ')})`);
    params.push(...values);
  };
  if (filter.rules) {
    for (const rule of filter.rules) {
      if (!(ALL_RULES as readonly string[]).includes(rule)) throw new UsageError(`unknown rule '${rule}'`, `rules are: ${ALL_RULES.join(', ')}`);
    }
  }
  inList('f.rule', filter.rules);
  inList('f.citizenship', filter.citizenships);
  if (filter.statuses) {
    for (const status of filter.statuses) {
      if (status !== 'in-country' && status !== 'departed') throw new UsageError(`unknown status '${status}'`, 'use in-country or departed');
    }
  }
  inList('f.status', filter.statuses);
  if (filter.minDays !== undefined) {
    parts.push('f.days >= ?');
    params.push(filter.minDays);
  }
  if (filter.from !== undefined) {
    parts.push('coalesce(f.first_day, f.entry_date) >= ?');
    params.push(filter.from);
  }
  if (filter.to !== undefined) {
    parts.push('coalesce(f.first_day, f.entry_date) <= ?');
    params.push(filter.to);
  }
  return { sql: parts.length === 0 ? '' : ' AND ' + parts.join(' AND '), params };
}
