import { daysInMonth } from '../core/dates.js';
import { UsageError } from '../errors.js';
import type { ReadStore } from '../storage/read-store.js';
import { OWN_OFFENCE_RULES } from './filters.js';
import type { Listing, Row } from './render.js';
import { rulesetLabel, runMeta, type RunRow } from './runs.js';

export const GROUPINGS = ['citizenship', 'month', 'checkpoint', 'rule', 'host'] as const;
export type Grouping = (typeof GROUPINGS)[number];

export interface StatsOptions {
  by: Grouping;
  /** Period start (default: 1 January of the as-of year). */
  from?: string;
  /** Period end (default: 31 December of the as-of year); crossings after as-of never count. */
  to?: string;
  /**
   * Where entries, exits and persons entered come from: the counts the audit stored
   * (`tally`, the default; periods that are not a calendar year or month re-count
   * persons from the crossings), or always re-counted from the crossings (`tables`).
   * Both give the same figures (tested); `tables` is the slow way, for checking.
   */
  source?: 'tally' | 'tables';
}

/** The figures of SPEC §4 for one group (or the totals). */
export interface Figures {
  entries: number;
  exits: number;
  persons_entered: number;
  violators: number;
  findings: number;
  registration_findings: number;
  expected_departures: number;
  overstays: number;
  overstays_departed: number;
  overstays_in_country: number;
  expulsions: number;
}

const STATS_COLUMNS = [
  'entries',
  'exits',
  'persons_entered',
  'violators',
  'violator_rate_pct',
  'entry_rate_pct',
  'findings',
  'registration_findings',
  'expected_departures',
  'overstays',
  'overstays_departed',
  'overstays_in_country',
  'overstay_rate_pct',
  'expulsions',
] as const;

const OWN = OWN_OFFENCE_RULES.map((r) => `'${r}'`).join(', ');

/** Group expressions per source; null = that figure has no such grouping (totals only). */
interface GroupExpressions {
  crossings: string | null;
  ownFindings: string | null;
  registrationFindings: string | null;
  departures: string | null;
  expulsions: string | null;
}
const GROUP_EXPRESSIONS: Record<Grouping, GroupExpressions> = {
  citizenship: { crossings: 'citizenship', ownFindings: 'citizenship', registrationFindings: 'citizenship', departures: 'citizenship', expulsions: 'citizenship' },
  month: {
    crossings: 'substr(crossed_at, 1, 7)',
    ownFindings: 'substr(first_day, 1, 7)',
    registrationFindings: 'substr(first_day, 1, 7)',
    departures: 'substr(authorised_until, 1, 7)',
    expulsions: 'substr(decided_on, 1, 7)',
  },
  checkpoint: {
    crossings: "coalesce(checkpoint, '')",
    ownFindings: "coalesce(entry_checkpoint, '')",
    registrationFindings: "coalesce(entry_checkpoint, '')",
    departures: 'checkpoint',
    expulsions: null,
  },
  rule: { crossings: null, ownFindings: 'rule', registrationFindings: 'rule', departures: null, expulsions: null },
  // Registration findings are the receiving party's offences: they alone group by host.
  host: { crossings: null, ownFindings: null, registrationFindings: "coalesce(host_id, '')", departures: null, expulsions: null },
};

/** How the run's per-day crossing counts group. */
const DAY_GROUP: Record<Grouping, string> = {
  citizenship: 'citizenship',
  month: 'substr(day, 1, 7)',
  checkpoint: 'checkpoint',
  rule: "''",
  host: "''",
};

function lastDayOfMonth(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return `${month}-${String(daysInMonth(y, m)).padStart(2, '0')}`;
}

/** 'YYYY' or 'YYYY-MM' when [from, to] is exactly that calendar year or month. */
function calendarPeriod(from: string, to: string): string | null {
  if (from.endsWith('-01-01') && to === `${from.slice(0, 4)}-12-31`) return from.slice(0, 4);
  if (from.endsWith('-01') && to === lastDayOfMonth(from.slice(0, 7))) return from.slice(0, 7);
  return null;
}

/**
 * What a run knew: the rows of imports committed before it. Import ids grow in
 * commit order (each import takes the next id inside its write transaction), so they
 * are the ids up to the last import finished before the run did.
 */
function knownImports(run: RunRow): { sql: string; params: string[] } {
  return { sql: 'import_id <= (SELECT ifnull(max(id), 0) FROM imports WHERE finished_at <= ?)', params: [run.finished_at] };
}

/**
 * Distinct persons entered, per group or in total, each under the citizenship on
 * their entry crossing (a person who entered on two passports counts under both, and
 * once in the total). Calendar years and months come from the counts the audit
 * stored; any other period (or `recount`) is counted from the crossings the run knew.
 */
function personsEntered(
  store: ReadStore,
  run: RunRow,
  grouping: Grouping,
  grouped: boolean,
  from: string,
  to: string,
  crossingGroup: string,
  recount: boolean,
): [string, number][] {
  const exact = recount ? null : calendarPeriod(from, to);
  const stored = (period: string, by: string): [string, number][] =>
    store.all<{ key: string; persons: number }>(`SELECT key, persons FROM run_persons_entered WHERE run_id = ? AND period = ? AND grouping = ?`, [run.id, period, by]).map((r) => [r.key, r.persons]);
  if (!grouped && exact !== null) return stored(exact, 'total').map(([, n]) => ['', n]);
  if (grouped && exact !== null && (grouping === 'citizenship' || grouping === 'checkpoint')) return stored(exact, grouping);
  if (!recount && grouped && grouping === 'month' && from.endsWith('-01') && to === lastDayOfMonth(to.slice(0, 7))) {
    return store
      .all<{ key: string; persons: number }>(
        `SELECT period AS key, persons FROM run_persons_entered WHERE run_id = ? AND grouping = 'total' AND length(period) = 7 AND period BETWEEN ? AND ?`,
        [run.id, from.slice(0, 7), to.slice(0, 7)],
      )
      .map((r) => [r.key, r.persons]);
  }
  const known = knownImports(run);
  return store
    .all<{ k: string; n: number }>(
      `SELECT k, count(*) AS n FROM (SELECT DISTINCT ${crossingGroup} AS k, person_key FROM crossings
       WHERE direction = 'IN' AND crossed_at >= ? AND crossed_at <= ? AND ${known.sql}) GROUP BY k`,
      [from, `${to} 99`, ...known.params],
    )
    .map((r) => [String(r.k ?? ''), r.n]);
}

/** Entries and exits per group, from the crossings the run knew (what the run's per-day counts hold). */
function recountCrossings(store: ReadStore, run: RunRow, crossingGroup: string, from: string, to: string): { k: string; entries: number; exits: number }[] {
  const known = knownImports(run);
  return store.all<{ k: string; entries: number; exits: number }>(
    `SELECT ${crossingGroup} AS k, sum(direction = 'IN') AS entries, sum(direction = 'OUT') AS exits FROM crossings
     WHERE crossed_at >= ? AND crossed_at <= ? AND ${known.sql} GROUP BY k`,
    [from, `${to} 99`, ...known.params],
  );
}

function emptyFigures(): Figures {
  return {
    entries: 0,
    exits: 0,
    persons_entered: 0,
    violators: 0,
    findings: 0,
    registration_findings: 0,
    expected_departures: 0,
    overstays: 0,
    overstays_departed: 0,
    overstays_in_country: 0,
    expulsions: 0,
  };
}

/** A share as a percentage with three decimals; null when the base is zero. */
export function percent(numerator: number, denominator: number): number | null {
  if (denominator === 0) return null;
  return Math.round((numerator / denominator) * 100_000) / 1000;
}

function withRates(f: Figures): Row {
  return {
    entries: f.entries,
    exits: f.exits,
    persons_entered: f.persons_entered,
    violators: f.violators,
    violator_rate_pct: percent(f.violators, f.persons_entered),
    entry_rate_pct: percent(f.violators, f.entries),
    findings: f.findings,
    registration_findings: f.registration_findings,
    expected_departures: f.expected_departures,
    overstays: f.overstays,
    overstays_departed: f.overstays_departed,
    overstays_in_country: f.overstays_in_country,
    overstay_rate_pct: percent(f.overstays, f.expected_departures),
    expulsions: f.expulsions,
  };
}

export interface StatsResult {
  grouping: Grouping;
  from: string;
  to: string;
  /** Crossings and expulsions count up to this day: min(to, as-of). */
  countedTo: string;
  groups: Map<string, Figures>;
  totals: Figures;
}

export function computeStats(store: ReadStore, run: RunRow, options: StatsOptions): StatsResult {
  if (!(GROUPINGS as readonly string[]).includes(options.by)) {
    throw new UsageError(`unknown grouping '${options.by}'`, `use --by ${GROUPINGS.join(', ')}`);
  }
  const year = run.as_of.slice(0, 4);
  const from = options.from ?? `${year}-01-01`;
  const to = options.to ?? `${year}-12-31`;
  if (from > to) throw new UsageError(`--from ${from} is after --to ${to}`);
  const countedTo = to < run.as_of ? to : run.as_of;
  const recount = options.source === 'tables';
  const expr = GROUP_EXPRESSIONS[options.by];
  const groups = new Map<string, Figures>();
  const totals = emptyFigures();

  const add = (key: string | null, fill: (f: Figures) => void): void => {
    if (key === null) {
      fill(totals);
      return;
    }
    let figures = groups.get(key);
    if (!figures) {
      figures = emptyFigures();
      groups.set(key, figures);
    }
    fill(figures);
  };

  store.snapshot(() => {
    // Each figure once per group and once for the totals (distinct counts do not add up).
    for (const grouped of [false, true]) {
      const g = (e: string | null): string | null => (grouped ? e : "''");
      const key = (k: unknown): string | null => (grouped ? String(k ?? '') : null);

      const cx = g(expr.crossings);
      if (cx !== null) {
        // Entries and exits: the run's per-day counts add up over any period.
        const dayGroup = grouped ? DAY_GROUP[options.by] : "''";
        const crossingCounts = recount
          ? recountCrossings(store, run, cx, from, countedTo)
          : store.rows<{ k: string; entries: number; exits: number }>(
              `SELECT ${dayGroup} AS k, sum(entries) AS entries, sum(exits) AS exits
               FROM run_crossing_days WHERE run_id = ? AND day BETWEEN ? AND ? GROUP BY k`,
              [run.id, from, countedTo],
            );
        for (const r of crossingCounts) {
          add(key(r.k), (f) => {
            f.entries += r.entries;
            f.exits += r.exits;
          });
        }
        for (const [k, n] of personsEntered(store, run, options.by, grouped, from, countedTo, cx, recount)) add(key(k), (f) => (f.persons_entered += n));
      }

      const ox = g(expr.ownFindings);
      if (ox !== null) {
        for (const r of store.rows<{ k: string; violators: number; findings: number }>(
          `SELECT ${ox} AS k, count(DISTINCT person_key) AS violators, count(*) AS findings
           FROM findings WHERE run_id = ? AND rule IN (${OWN}) AND first_day BETWEEN ? AND ? GROUP BY k`,
          [run.id, from, to],
        )) {
          add(key(r.k), (f) => {
            f.violators += r.violators;
            f.findings += r.findings;
          });
        }
      }
      const rx = g(expr.registrationFindings);
      if (rx !== null) {
        for (const r of store.rows<{ k: string; n: number }>(
          `SELECT ${rx} AS k, count(*) AS n FROM findings
           WHERE run_id = ? AND rule IN ('unregistered', 'late-registration') AND first_day BETWEEN ? AND ? GROUP BY k`,
          [run.id, from, to],
        )) {
          add(key(r.k), (f) => (f.registration_findings += r.n));
        }
      }

      const dx = g(expr.departures);
      if (dx !== null) {
        for (const r of store.rows<{ k: string; expected: number; departed: number; inCountry: number }>(
          `SELECT ${dx} AS k, sum(expected) AS expected, sum(overstays_departed) AS departed, sum(overstays_in_country) AS inCountry
           FROM run_departures WHERE run_id = ? AND authorised_until BETWEEN ? AND ? GROUP BY k`,
          [run.id, from, to],
        )) {
          add(key(r.k), (f) => {
            f.expected_departures += r.expected;
            f.overstays_departed += r.departed;
            f.overstays_in_country += r.inCountry;
            f.overstays += r.departed + r.inCountry;
          });
        }
      }

      const ex = g(expr.expulsions);
      if (ex !== null) {
        // Expulsions the run knew (imported before it), decided by as-of.
        const known = knownImports(run);
        for (const r of store.rows<{ k: string; n: number }>(
          `SELECT ${ex} AS k, count(*) AS n FROM expulsions WHERE decided_on BETWEEN ? AND ? AND ${known.sql} GROUP BY k`,
          [from, countedTo, ...known.params],
        )) {
          add(key(r.k), (f) => (f.expulsions += r.n));
        }
      }
    }
  });
  return { grouping: options.by, from, to, countedTo, groups, totals };
}

function inapplicableColumns(grouping: Grouping): string[] {
  const e = GROUP_EXPRESSIONS[grouping];
  const columns: string[] = [];
  if (e.crossings === null) columns.push('entries', 'exits', 'persons_entered', 'violator_rate_pct', 'entry_rate_pct');
  if (e.ownFindings === null) columns.push('violators', 'findings', 'violator_rate_pct', 'entry_rate_pct');
  if (e.registrationFindings === null) columns.push('registration_findings');
  if (e.departures === null) columns.push('expected_departures', 'overstays', 'overstays_departed', 'overstays_in_country', 'overstay_rate_pct');
  if (e.expulsions === null) columns.push('expulsions');
  return columns;
}

/** The statistics as a listing: one row per group, most entries (or findings) first, then totals. */
export function statsListing(result: StatsResult, run: RunRow, hostNames?: Map<string, string>): Listing {
  const groupColumn = result.grouping;
  // Every row carries its stamp, so a CSV line copied elsewhere still says what it is.
  const columns = [groupColumn, ...(groupColumn === 'host' ? ['host_name'] : []), ...STATS_COLUMNS, 'period_from', 'period_to', 'as_of', 'run', 'ruleset'];
  const stamp: Row = { period_from: result.from, period_to: result.to, as_of: run.as_of, run: run.id, ruleset: rulesetLabel(run) };
  const entries = [...result.groups.entries()];
  entries.sort(([ka, a], [kb, b]) => {
    if (groupColumn === 'month') return ka < kb ? -1 : ka > kb ? 1 : 0;
    return b.entries - a.entries || b.findings + b.registration_findings - (a.findings + a.registration_findings) || (ka < kb ? -1 : 1);
  });
  const blank = inapplicableColumns(result.grouping);
  const rows: Row[] = entries.map(([k, f]) => {
    const row: Row = { [groupColumn]: k === '' ? '(none)' : k, ...(groupColumn === 'host' ? { host_name: hostNames?.get(k) ?? null } : {}), ...withRates(f) };
    // A figure that cannot be split this way is left empty in the group rows (it is in TOTAL).
    for (const column of blank) row[column] = null;
    return { ...row, ...stamp };
  });
  const totals: Row = { [groupColumn]: 'TOTAL', ...withRates(result.totals), ...stamp };
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
