/**
 * The statistics as outputs show them: the listing of `stats` (and nightly's
 * stats.csv), and the ministry's sentence. The figures and their definitions are
 * in src/statistics; this only shapes them.
 */
import { computeStats, computeGroupings, receivingPartyNames, type StatsOptions, type StatsResult, type PeriodOptions } from '../statistics/compute.js';
import { GROUPINGS, inapplicableColumns, LATER_COLUMNS, percent, STATS_COLUMNS, withRates, type Figures, type Grouping } from '../statistics/figures.js';
import type { Listing, Row } from './render.js';
import { rulesetLabel, runMeta, type RunRow } from './runs.js';

export { computeStats, computeGroupings, GROUPINGS, percent, receivingPartyNames };
export type { Figures, Grouping, PeriodOptions, StatsOptions, StatsResult };

/** The statistics as a listing: one row per group, most entries (or findings) first, then totals. */
export function statsListing(result: StatsResult, run: RunRow, hostNames?: Map<string, string>): Listing {
  const groupColumn = result.grouping;
  // Every row carries its stamp, so a CSV line copied elsewhere still says what it is.
  // Columns added later come after the stamp, so that existing consumers keep working.
  const columns = [groupColumn, ...(groupColumn === 'host' ? ['host_name'] : []), ...STATS_COLUMNS, 'period_from', 'period_to', 'as_of', 'run', 'ruleset', ...LATER_COLUMNS];
  const stamp: Row = { period_from: result.from, period_to: result.to, as_of: run.as_of, run: run.id, ruleset: rulesetLabel(run) };
  const entries = [...result.groups.entries()];
  entries.sort(([ka, a], [kb, b]) => {
    if (groupColumn === 'month') return ka < kb ? -1 : ka > kb ? 1 : 0;
    return b.entries - a.entries || b.findings + b.registration_findings - (a.findings + a.registration_findings) || (ka < kb ? -1 : 1);
  });
  const blank = inapplicableColumns(result.grouping);
  const shaped = (label: string, f: Figures, host: Row): Row => {
    const { entries_with_exit, exit_match_pct, ...figures } = withRates(f);
    return { [groupColumn]: label, ...host, ...figures, ...stamp, entries_with_exit, exit_match_pct };
  };
  const rows: Row[] = entries.map(([k, f]) => {
    const row = shaped(k === '' ? '(none)' : k, f, groupColumn === 'host' ? { host_name: hostNames?.get(k) ?? null } : {});
    // A figure that cannot be split this way is left empty in the group rows (it is in TOTAL).
    for (const column of blank) row[column] = null;
    return row;
  });
  const totals = shaped('TOTAL', result.totals, {});
  return {
    columns,
    tableColumns: columns.filter((c) => !(c in stamp)),
    rows: [...rows, totals],
    meta: { ...runMeta(run), period: `${result.from}..${result.to}`, crossings_counted_to: result.countedTo, by: groupColumn },
  };
}

/**
 * The ministry's sentence ("3.2 thousand Russians violated the rules: 0.2% of the 1.66
 * million Russian entries"), as "Russia: 3.2 thousand violators, 0.2% of the 1.66
 * million entries".
 */
export function headline(label: string, f: Figures): string {
  const rate = percent(f.violators, f.entries);
  const violators = f.violators === 1 ? '1 violator' : `${humanCount(f.violators)} violators`;
  return `${label}: ${violators}, ${rate === null ? 'n/a' : `${trimPercent(rate)}%`} of the ${humanCount(f.entries)} ${f.entries === 1 ? 'entry' : 'entries'}`;
}

function trimPercent(p: number): string {
  if (p === 0) return '0';
  if (p >= 1) return p.toFixed(1).replace(/\.0$/, '');
  return String(Number(p.toPrecision(2)));
}

export function humanCount(n: number): string {
  if (n >= 1_000_000) return `${Number((n / 1_000_000).toPrecision(3))} million`;
  if (n >= 10_000) return `${Number((n / 1000).toPrecision(3))} thousand`;
  return n.toLocaleString('en-US');
}
