/**
 * The SQL of the statistics: storing a run's cells (counted by the audit) and reading
 * them back, with the findings, departures and expulsions they are combined with.
 * Every statement is fixed text; a grouping picks its key column from a fixed table
 * (`RECOUNT_KEYS`), never from text that came from outside. src/statistics holds the
 * definitions and does the adding up; this file only reads and writes rows.
 */
import { dayFromIso, isoFromDay } from '../core/dates.js';
import { OWN_OFFENCE_RULES } from '../core/types.js';
import { RULES } from '../core/rules/registry.js';
import { BatchedInsert, type Connection } from './database.js';
import type { ReadStore } from './read-store.js';

/** Entries and exits of one citizenship at one checkpoint on one day. */
export interface CrossingDayCell {
  citizenship: string;
  checkpoint: string;
  day: string;
  entries: number;
  exits: number;
  /** Entries of the day whose stay has a recorded exit (as of the run's as-of date). */
  matchedExits: number;
}

/** Distinct persons entered in a calendar year or month, in total or by citizenship or checkpoint. */
export interface PersonsEnteredCell {
  period: string;
  grouping: 'total' | 'citizenship' | 'checkpoint';
  key: string;
  persons: number;
}

/** Stays entered at one checkpoint under one citizenship whose authorised stay ends on one day. */
export interface DepartureCell {
  citizenship: string;
  checkpoint: string;
  authorisedUntil: string;
  expected: number;
  overstaysDeparted: number;
  overstaysInCountry: number;
}

/** What a run stores besides its findings, for the statistics. */
export interface RunAggregates {
  departures: Iterable<DepartureCell>;
  crossingDays: Iterable<CrossingDayCell>;
  personsEntered: Iterable<PersonsEnteredCell>;
}

/** Stores a run's statistics cells; the caller holds the run's write transaction. */
export function writeStatsCells(db: Connection, runId: number, aggregates: RunAggregates): void {
  const row = (width: number): string => `(${runId}${', ?'.repeat(width)})`;
  const departure = new BatchedInsert(
    db,
    'INSERT INTO run_departures (run_id, citizenship, checkpoint, authorised_until, expected, overstays_departed, overstays_in_country)',
    row(6),
  );
  for (const d of aggregates.departures) departure.add([d.citizenship, d.checkpoint, d.authorisedUntil, d.expected, d.overstaysDeparted, d.overstaysInCountry]);
  departure.flush();
  const day = new BatchedInsert(db, 'INSERT INTO run_crossing_days (run_id, citizenship, checkpoint, day, entries, exits, matched_exits)', row(6));
  for (const d of aggregates.crossingDays) day.add([d.citizenship, d.checkpoint, d.day, d.entries, d.exits, d.matchedExits]);
  day.flush();
  const entered = new BatchedInsert(db, 'INSERT INTO run_persons_entered (run_id, period, grouping, key, persons)', row(4));
  for (const p of aggregates.personsEntered) entered.add([p.period, p.grouping, p.key, p.persons]);
  entered.flush();
}

/** The run the figures are for: its number, and when it finished (which imports it knew). */
export interface StatsRun {
  id: number;
  finished_at: string;
}

/** How crossings can be keyed when they are counted again from the crossings table. */
export type CrossingKey = 'total' | 'citizenship' | 'month' | 'checkpoint';

/** The one place a key becomes SQL: a fixed column expression per key. */
const RECOUNT_KEYS: Readonly<Record<CrossingKey, string>> = {
  total: "''",
  citizenship: 'citizenship',
  month: 'substr(crossed_at, 1, 7)',
  checkpoint: "coalesce(checkpoint, '')",
};

function recountKey(key: CrossingKey): string {
  if (!Object.hasOwn(RECOUNT_KEYS, key)) throw new Error(`statistics: no crossing key '${String(key)}'`);
  return RECOUNT_KEYS[key];
}

/**
 * What a run knew: the rows of imports committed before it. Import ids grow in
 * commit order (each import takes the next id inside its write transaction), so they
 * are the ids up to the last import finished before the run did.
 */
const KNOWN_IMPORTS = 'import_id <= (SELECT coalesce(max(id), 0) FROM imports WHERE finished_at <= ?)';

const OWN_RULES: readonly string[] = OWN_OFFENCE_RULES;
const REGISTRATION_RULES: readonly string[] = RULES.filter((r) => r.family === 'registration').map((r) => r.name);

/** Crossing counts of a period per citizenship, checkpoint and month (matched exits null for runs stored before they were counted). */
export interface CrossingMonthRow {
  citizenship: string;
  checkpoint: string;
  month: string;
  entries: number;
  exits: number;
  matched: number | null;
}

/** An own-offence finding as the statistics group it. */
export interface OwnFindingRow {
  person: string;
  citizenship: string;
  month: string;
  checkpoint: string;
  rule: string;
}

/** Registration findings counted per citizenship, month, entry checkpoint, rule and host. */
export interface RegistrationFindingRow {
  citizenship: string;
  month: string;
  checkpoint: string;
  rule: string;
  host: string;
  n: number;
}

export interface DepartureMonthRow {
  citizenship: string;
  checkpoint: string;
  month: string;
  expected: number;
  departed: number;
  inCountry: number;
}

export interface ExpulsionMonthRow {
  citizenship: string;
  month: string;
  n: number;
}

/** Reads of the statistics, on a read store (bound parameters, storage errors named). */
export class StatsStore {
  constructor(private readonly store: ReadStore) {}

  /** Runs `fn` inside one read snapshot, so that every figure sees the same data. */
  snapshot<T>(fn: () => Promise<T>): Promise<T> {
    return this.store.snapshot(fn);
  }

  /** The run's crossing cells of days in [from, to], added up per citizenship, checkpoint and month. */
  crossingMonths(run: StatsRun, from: string, to: string): Promise<CrossingMonthRow[]> {
    return this.store.all<CrossingMonthRow>(
      `SELECT citizenship, checkpoint, substr(day, 1, 7) AS month, sum(entries) AS entries, sum(exits) AS exits, sum(matched_exits) AS matched
       FROM run_crossing_days WHERE run_id = ? AND day BETWEEN ? AND ? GROUP BY citizenship, checkpoint, month`,
      [run.id, from, to],
    );
  }

  /** Entries and exits per key counted again from the crossings the run knew (what its cells hold). */
  recountCrossings(run: StatsRun, key: CrossingKey, from: string, to: string): Promise<{ k: string; entries: number; exits: number }[]> {
    const d = this.store.dialect;
    return this.store.all<{ k: string; entries: number; exits: number }>(
      `SELECT ${recountKey(key)} AS k, sum(${d.flag("direction = 'IN'")}) AS entries, sum(${d.flag("direction = 'OUT'")}) AS exits FROM ${d.crossings} AS c
       WHERE crossed_at >= ? AND crossed_at <= ? AND ${KNOWN_IMPORTS} GROUP BY k`,
      [from, `${to} 99`, run.finished_at],
    );
  }

  /** Distinct persons entered per key in [from, to], counted from the crossings the run knew. */
  async recountPersons(run: StatsRun, key: CrossingKey, from: string, to: string): Promise<[string, number][]> {
    return (
      await this.store.all<{ k: string; n: number }>(
        `SELECT k, count(*) AS n FROM (SELECT DISTINCT ${recountKey(key)} AS k, person_key FROM ${this.store.dialect.crossings} AS c
         WHERE direction = 'IN' AND crossed_at >= ? AND crossed_at <= ? AND ${KNOWN_IMPORTS}) AS entered GROUP BY k`,
        [from, `${to} 99`, run.finished_at],
      )
    ).map((r) => [String(r.k ?? ''), r.n]);
  }

  /** Distinct persons entered the audit counted for a calendar year or month ('2024', '2024-03'). */
  async storedPersons(run: StatsRun, period: string, grouping: 'total' | 'citizenship' | 'checkpoint'): Promise<[string, number][]> {
    return (
      await this.store.all<{ key: string; persons: number }>(`SELECT key, persons FROM run_persons_entered WHERE run_id = ? AND period = ? AND grouping = ?`, [
        run.id,
        period,
        grouping,
      ])
    ).map((r) => [r.key, r.persons]);
  }

  /** Distinct persons entered per calendar month, for the months from `fromMonth` to `toMonth` ('YYYY-MM'). */
  async storedMonthlyPersons(run: StatsRun, fromMonth: string, toMonth: string): Promise<[string, number][]> {
    return (
      await this.store.all<{ key: string; persons: number }>(
        `SELECT period AS key, persons FROM run_persons_entered WHERE run_id = ? AND grouping = 'total' AND length(period) = 7 AND period BETWEEN ? AND ?`,
        [run.id, fromMonth, toMonth],
      )
    ).map((r) => [r.key, r.persons]);
  }

  /** The run's own-offence findings whose first unlawful day is in [from, to]. */
  async ownFindings(run: StatsRun, from: string, to: string): Promise<OwnFindingRow[]> {
    const rows: OwnFindingRow[] = [];
    await this.findingsOf(run, OWN_RULES, from, to, (person, citizenship, month, checkpoint, rule) => rows.push({ person, citizenship, month, checkpoint, rule }));
    return rows;
  }

  /** The run's registration findings whose first day is in [from, to], counted per citizenship, month, checkpoint, rule and host. */
  async registrationFindings(run: StatsRun, from: string, to: string): Promise<RegistrationFindingRow[]> {
    const counts = new Map<string, RegistrationFindingRow>();
    await this.findingsOf(run, REGISTRATION_RULES, from, to, (_, citizenship, month, checkpoint, rule, host) => {
      const key = `${citizenship}\u0000${month}\u0000${checkpoint}\u0000${rule}\u0000${host}`;
      const known = counts.get(key);
      if (known === undefined) counts.set(key, { citizenship, month, checkpoint, rule, host, n: 1 });
      else known.n++;
    });
    return [...counts.values()];
  }

  /**
   * The run's findings of `rules` whose first day is in [from, to], read from
   * finding_rows as stored (word ids, day numbers: the findings view would decode
   * every column of every row), decoded here for the few columns the figures need.
   */
  private async findingsOf(
    run: StatsRun,
    rules: readonly string[],
    from: string,
    to: string,
    visit: (person: string, citizenship: string, month: string, checkpoint: string, rule: string, host: string) => void,
  ): Promise<void> {
    const words = new Map((await this.store.all<{ id: number; word: string }>('SELECT id, word FROM finding_words')).map((w) => [w.id, w.word]));
    const ruleIds = [...words].filter(([, word]) => rules.includes(word)).map(([id]) => id);
    if (ruleIds.length === 0) return;
    const months = new Map<number, string>();
    const monthOf = (day: number): string => {
      let month = months.get(day);
      if (month === undefined) months.set(day, (month = isoFromDay(day).slice(0, 7)));
      return month;
    };
    for await (const batch of this.store.batches<{
      person: string;
      citizenship: number;
      day: number;
      checkpoint: number | null;
      rule: number;
      host: string | null;
    }>(
      // first_day is stored as a difference from entry_day (schema 7), citizenship as a word id.
      `SELECT person_key AS person, citizenship, first_delta + coalesce(entry_day, 0) AS day, entry_checkpoint AS checkpoint, rule, host_id AS host
       FROM finding_rows
       WHERE run_id = ? AND rule IN (${ruleIds.map(() => '?').join(', ')}) AND first_delta + coalesce(entry_day, 0) BETWEEN ? AND ?`,
      [run.id, ...ruleIds, dayFromIso(from), dayFromIso(to)],
    )) {
      for (const { person, citizenship, day, checkpoint, rule, host } of batch) {
        visit(person, words.get(citizenship)!, monthOf(day), checkpoint === null ? '' : words.get(checkpoint) ?? '', words.get(rule)!, host ?? '');
      }
    }
  }

  /** Expected departures whose authorised stay ends in [from, to], per citizenship, checkpoint and month. */
  departureMonths(run: StatsRun, from: string, to: string): Promise<DepartureMonthRow[]> {
    return this.store.all<DepartureMonthRow>(
      `SELECT citizenship, checkpoint, substr(authorised_until, 1, 7) AS month,
              sum(expected) AS expected, sum(overstays_departed) AS departed, sum(overstays_in_country) AS "inCountry"
       FROM run_departures WHERE run_id = ? AND authorised_until BETWEEN ? AND ? GROUP BY citizenship, checkpoint, month`,
      [run.id, from, to],
    );
  }

  /** Expulsions the run knew (imported before it), decided in [from, to], per citizenship and month. */
  expulsionMonths(run: StatsRun, from: string, to: string): Promise<ExpulsionMonthRow[]> {
    return this.store.all<ExpulsionMonthRow>(
      `SELECT citizenship, substr(decided_on, 1, 7) AS month, count(*) AS n FROM expulsions
       WHERE decided_on BETWEEN ? AND ? AND ${KNOWN_IMPORTS} GROUP BY citizenship, month`,
      [from, to, run.finished_at],
    );
  }

  /** Receiving parties' names by id (the latest name a registration gave). */
  async hostNames(): Promise<Map<string, string>> {
    return new Map(
      (await this.store.all<{ host_id: string; host_name: string }>(`SELECT host_id, max(host_name) AS host_name FROM registrations WHERE host_id IS NOT NULL GROUP BY host_id`)).map((r) => [
        r.host_id,
        r.host_name,
      ]),
    );
  }
}
