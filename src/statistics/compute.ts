/**
 * The statistics of a run for a period: the cells the audit stored, its findings, and
 * the expulsions it knew, added up into figures (figures.ts) per group and in total.
 * One read of each source serves every grouping asked for, so the HTML report's five
 * groupings cost about what one `stats` does. The SQL is storage's (stats-store.ts).
 */
import { daysInMonth } from '../core/dates.js';
import { UsageError } from '../errors.js';
import type { ReadStore } from '../storage/read-store.js';
import { StatsStore, type CrossingKey } from '../storage/stats-store.js';
import { emptyFigures, GROUPINGS, SPLITS, type Figures, type Grouping, type Splits } from './figures.js';

/** The run the figures are for. */
export interface StatsRun {
  id: number;
  as_of: string;
  finished_at: string;
}

export interface PeriodOptions {
  /** Period start (default: 1 January of the as-of year). */
  from?: string;
  /** Period end (default: 31 December of the as-of year); crossings after as-of never count. */
  to?: string;
  /**
   * Where entries, exits and persons entered come from: the counts the audit stored
   * (`tally`, the default; periods that are not a calendar year or month re-count
   * persons from the crossings), or always re-counted from the crossings (`tables`).
   * Both give the same figures (tested); `tables` is the slow way, for checking.
   * Entries with a recorded exit always come from the audit's counts.
   */
  source?: 'tally' | 'tables';
}

export interface StatsOptions extends PeriodOptions {
  by: Grouping;
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

export function checkGrouping(by: string): asserts by is Grouping {
  if (!(GROUPINGS as readonly string[]).includes(by)) {
    throw new UsageError(`unknown grouping '${by}'`, `use --by ${GROUPINGS.join(', ')}`);
  }
}

/** The statistics of one grouping (what `stats --by` shows). */
export async function computeStats(store: ReadStore, run: StatsRun, options: StatsOptions): Promise<StatsResult> {
  checkGrouping(options.by);
  return (await computeGroupings(store, run, options, [options.by])).get(options.by)!;
}

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
 * Distinct persons entered, per group (`key`) or in total, each under the citizenship
 * on their entry crossing (a person who entered on two passports counts under both,
 * and once in the total). Calendar years and months come from the counts the audit
 * stored; any other period (or `recount`) is counted from the crossings the run knew.
 */
function personsEntered(stats: StatsStore, run: StatsRun, key: CrossingKey, from: string, to: string, recount: boolean): Promise<[string, number][]> {
  const exact = recount ? null : calendarPeriod(from, to);
  if (key === 'total' && exact !== null) return stats.storedPersons(run, exact, 'total').then((rows) => rows.map(([, n]): [string, number] => ['', n]));
  if (exact !== null && (key === 'citizenship' || key === 'checkpoint')) return stats.storedPersons(run, exact, key);
  if (!recount && key === 'month' && from.endsWith('-01') && to === lastDayOfMonth(to.slice(0, 7))) {
    return stats.storedMonthlyPersons(run, from.slice(0, 7), to.slice(0, 7));
  }
  return stats.recountPersons(run, key, from, to);
}

/** Groups of one grouping, made on first mention (a group exists when any source names it). */
class Groups {
  readonly map = new Map<string, Figures>();
  get(key: string): Figures {
    let figures = this.map.get(key);
    if (figures === undefined) {
      figures = emptyFigures();
      this.map.set(key, figures);
    }
    return figures;
  }
}

/** Adds a count that may be unknown (null): unknown stays unknown. */
function addKnown(sum: number | null, n: number | null): number | null {
  return sum === null || n === null ? null : sum + n;
}

/**
 * The statistics of several groupings of one run and period, from one read of each
 * source: the totals once, every group of every grouping asked for alongside.
 */
export async function computeGroupings(store: ReadStore, run: StatsRun, options: PeriodOptions, groupings: readonly Grouping[] = GROUPINGS): Promise<Map<Grouping, StatsResult>> {
  for (const by of groupings) checkGrouping(by);
  const year = run.as_of.slice(0, 4);
  const from = options.from ?? `${year}-01-01`;
  const to = options.to ?? `${year}-12-31`;
  if (from > to) throw new UsageError(`--from ${from} is after --to ${to}`);
  const countedTo = to < run.as_of ? to : run.as_of;
  const recount = options.source === 'tables';
  const stats = new StatsStore(store);

  const totals = emptyFigures();
  const groups = new Map<Grouping, Groups>(groupings.map((by) => [by, new Groups()]));
  /** The groupings asked for that split `source`. */
  const splitting = (source: keyof Splits): [Grouping, Groups][] => [...groups].filter(([by]) => SPLITS[by][source]);
  const crossingGroupings = splitting('crossings') as [CrossingKey & Grouping, Groups][];

  await stats.snapshot(async () => {
    // Entries and exits: the run's per-day counts add up over any period.
    for (const r of await stats.crossingMonths(run, from, countedTo)) {
      const keys: Record<CrossingKey, string> = { total: '', citizenship: r.citizenship, month: r.month, checkpoint: r.checkpoint };
      for (const f of [totals, ...crossingGroupings.map(([by, g]) => g.get(keys[by]))]) {
        if (!recount) {
          f.entries += r.entries;
          f.exits += r.exits;
        }
        f.entries_with_exit = addKnown(f.entries_with_exit, r.matched);
      }
    }
    if (recount) {
      for (const r of await stats.recountCrossings(run, 'total', from, countedTo)) {
        totals.entries += r.entries;
        totals.exits += r.exits;
      }
      for (const [by, g] of crossingGroupings) {
        for (const r of await stats.recountCrossings(run, by, from, countedTo)) {
          const f = g.get(String(r.k ?? ''));
          f.entries += r.entries;
          f.exits += r.exits;
        }
      }
    }
    for (const [, n] of await personsEntered(stats, run, 'total', from, countedTo, recount)) totals.persons_entered += n;
    for (const [by, g] of crossingGroupings) {
      for (const [k, n] of await personsEntered(stats, run, by, from, countedTo, recount)) g.get(k).persons_entered += n;
    }

    // Violators: distinct persons, so counted per group from the findings themselves.
    const own = splitting('ownFindings');
    const violators = new Map<Groups, Map<string, Set<string>>>(own.map(([, g]) => [g, new Map()]));
    const everyone = new Set<string>();
    for (const r of await stats.ownFindings(run, from, to)) {
      everyone.add(r.person);
      totals.findings++;
      for (const [by, g] of own) {
        const key = by === 'citizenship' ? r.citizenship : by === 'month' ? r.month : by === 'checkpoint' ? r.checkpoint : r.rule;
        g.get(key).findings++;
        const persons = violators.get(g)!;
        let set = persons.get(key);
        if (set === undefined) persons.set(key, (set = new Set()));
        set.add(r.person);
      }
    }
    totals.violators += everyone.size;
    for (const [g, persons] of violators) for (const [key, set] of persons) g.get(key).violators += set.size;

    const registration = splitting('registrationFindings');
    for (const r of await stats.registrationFindings(run, from, to)) {
      totals.registration_findings += r.n;
      for (const [by, g] of registration) g.get(r[by]).registration_findings += r.n;
    }

    const departures = splitting('departures');
    for (const r of await stats.departureMonths(run, from, to)) {
      for (const f of [totals, ...departures.map(([by, g]) => g.get(r[by as 'citizenship' | 'month' | 'checkpoint']))]) {
        f.expected_departures += r.expected;
        f.overstays_departed += r.departed;
        f.overstays_in_country += r.inCountry;
        f.overstays += r.departed + r.inCountry;
      }
    }

    // Expulsions the run knew (imported before it), decided by as-of.
    const expulsions = splitting('expulsions');
    for (const r of await stats.expulsionMonths(run, from, countedTo)) {
      totals.expulsions += r.n;
      for (const [by, g] of expulsions) g.get(String(r[by as 'citizenship' | 'month'] ?? '')).expulsions += r.n;
    }
  });

  const results = new Map<Grouping, StatsResult>();
  for (const [by, g] of groups) {
    // In key order, as a GROUP BY would give them (outputs sort them their own way).
    const sorted = new Map([...g.map].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    results.set(by, { grouping: by, from, to, countedTo, groups: sorted, totals: { ...totals } });
  }
  return results;
}

/** Receiving parties' names by id, for the host grouping's host_name column. */
export function receivingPartyNames(store: ReadStore): Promise<Map<string, string>> {
  return new StatsStore(store).hostNames();
}
