import type Database from 'better-sqlite3';

type Statement = Database.Statement<unknown[]>;
import { dayFromIso, isoFromDay } from '../core/dates.js';
import type { Crossing, Expulsion, Finding, Permit, PersonTimeline, Registration } from '../core/types.js';
import type { Connection } from './database.js';
import { WriteTransaction } from './write-transaction.js';

/** The host last known for a person (permits, then registrations), for registration findings. */
export interface PersonContext {
  lastHostId: string | null;
}

export interface TimelineWithContext {
  timeline: PersonTimeline;
  context: PersonContext;
}

type CrossingRaw = [string, string, string, string | null, string];
type PermitRaw = [string, string, string, string | null, string, string, string, string | null, string | null, string | null, string];
type RegistrationRaw = [string, string, string | null, string | null, string | null, string | null, string | null, string];
type ExpulsionRaw = [string, string, string | null, number | null, string | null, string];

/** Strings sort as SQLite's BINARY collation does (UTF-8 bytes = code points). */
function compareKeys(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.codePointAt(i)!;
    const y = b.codePointAt(i)!;
    if (x !== y) return x < y ? -1 : 1;
    if (x > 0xffff) i++;
  }
  return a.length - b.length;
}

function fastCompare(a: string, b: string): number {
  // Plain comparison agrees with code-point order unless surrogates are involved.
  if (a < b) return /[\ud800-\udfff]/.test(a) || /[\ud800-\udfff]/.test(b) ? compareKeys(a, b) : -1;
  if (a > b) return /[\ud800-\udfff]/.test(a) || /[\ud800-\udfff]/.test(b) ? compareKeys(a, b) : 1;
  return 0;
}

/** Which persons to read: one key, or the keys in [from, to) (null: unbounded). */
export interface KeyScope {
  only?: string;
  from?: string | null;
  to?: string | null;
}

/**
 * Keys that cut the `total` persons into `parts` ranges of about the same size, for
 * auditing the ranges in parallel: `parts - 1` keys in ascending order.
 */
export function splitKeys(db: Connection, parts: number, total: number): string[] {
  const keys: string[] = [];
  const at = db.prepare('SELECT person_key FROM persons ORDER BY person_key LIMIT 1 OFFSET ?').pluck();
  for (let i = 1; i < parts; i++) {
    const key = at.get(Math.floor((total * i) / parts)) as string | undefined;
    if (key !== undefined && (keys.length === 0 || key > keys[keys.length - 1]!)) keys.push(key);
  }
  return keys;
}

/** How many persons the database holds. */
export function countPersons(db: Connection): number {
  return (db.prepare('SELECT count(*) AS n FROM persons').get() as { n: number }).n;
}

/**
 * Every person's timeline, one at a time, in person-key order: a merge of four
 * ordered scans (crossings by their clustered key, the others by their person
 * index), so the whole database is read once and never held in memory.
 * The caller should hold a read transaction for a consistent snapshot.
 */
export function* iterateTimelines(db: Connection, scope: KeyScope = {}): Generator<TimelineWithContext> {
  const conditions: string[] = [];
  const params: string[] = [];
  if (scope.only !== undefined) {
    conditions.push('person_key = ?');
    params.push(scope.only);
  }
  if (scope.from != null) {
    conditions.push('person_key >= ?');
    params.push(scope.from);
  }
  if (scope.to != null) {
    conditions.push('person_key < ?');
    params.push(scope.to);
  }
  const where = conditions.length === 0 ? '' : `WHERE ${conditions.join(' AND ')}`;
  const scan = <T>(columns: string, table: string, order: string): IterableIterator<T> =>
    db.prepare(`SELECT person_key, ${columns} FROM ${table} ${where} ORDER BY person_key, ${order}`).raw().iterate(...params) as IterableIterator<T>;
  const crossings = scan<CrossingRaw>('crossed_at, direction, checkpoint, citizenship', 'crossings', 'crossed_at, direction');
  const permits = scan<PermitRaw>(
    'permit_no, kind, ground, valid_from, valid_until, status, revoked_on, address, host_id, citizenship',
    'permits',
    'permit_no',
  );
  const registrations = scan<RegistrationRaw>(
    'registered_from, registered_until, notified_on, address, host_id, host_name, citizenship',
    'registrations',
    'registered_from',
  );
  const expulsions = scan<ExpulsionRaw>('decided_on, expelled_on, ban_years, reason, citizenship', 'expulsions', 'decided_on');

  let c = crossings.next();
  let p = permits.next();
  let r = registrations.next();
  let e = expulsions.next();
  try {
    while (!c.done || !p.done || !r.done || !e.done) {
      // The smallest key among the four heads.
      let key: string | null = null;
      for (const head of [c, p, r, e]) {
        if (!head.done && (key === null || fastCompare(head.value[0], key) < 0)) key = head.value[0];
      }
      const personKey = key!;
      let citizenship: string | null = null;
      const personCrossings: Crossing[] = [];
      while (!c.done && c.value[0] === personKey) {
        const [, at, direction, checkpoint, cit] = c.value;
        personCrossings.push({ direction: direction as Crossing['direction'], day: dayFromIso(at), at, checkpoint });
        citizenship = cit;
        c = crossings.next();
      }
      const personPermits: Permit[] = [];
      let lastHostId: string | null = null;
      while (!p.done && p.value[0] === personKey) {
        const [, permitNo, kind, ground, from, until, status, revokedOn, address, hostId, cit] = p.value;
        personPermits.push({
          permitNo,
          kind: kind as Permit['kind'],
          ground,
          validFrom: dayFromIso(from),
          validUntil: dayFromIso(until),
          status: status as Permit['status'],
          revokedOn: revokedOn === null ? null : dayFromIso(revokedOn),
          address,
          hostId,
        });
        if (hostId !== null) lastHostId = hostId;
        citizenship ??= cit;
        p = permits.next();
      }
      const personRegistrations: Registration[] = [];
      while (!r.done && r.value[0] === personKey) {
        const [, from, until, notified, address, hostId, hostName, cit] = r.value;
        personRegistrations.push({
          registeredFrom: dayFromIso(from),
          registeredUntil: until === null ? null : dayFromIso(until),
          notifiedOn: notified === null ? null : dayFromIso(notified),
          address,
          hostId,
          hostName,
        });
        // Registrations come in date order: the last one seen is the latest.
        if (hostId !== null) lastHostId = hostId;
        citizenship ??= cit;
        r = registrations.next();
      }
      const personExpulsions: Expulsion[] = [];
      while (!e.done && e.value[0] === personKey) {
        const [, decided, expelled, banYears, reason, cit] = e.value;
        personExpulsions.push({
          decidedOn: dayFromIso(decided),
          expelledOn: expelled === null ? null : dayFromIso(expelled),
          banYears,
          reason,
        });
        citizenship ??= cit;
        e = expulsions.next();
      }
      yield {
        timeline: {
          personKey,
          citizenship: citizenship ?? '',
          crossings: personCrossings,
          permits: personPermits,
          registrations: personRegistrations,
          expulsions: personExpulsions,
        },
        context: { lastHostId },
      };
    }
  } finally {
    for (const it of [crossings, permits, registrations, expulsions]) it.return?.();
  }
}

/** Loads one person's timeline (for `person`), or undefined when nothing is known. */
export function loadTimeline(db: Connection, personKey: string): TimelineWithContext | undefined {
  for (const entry of iterateTimelines(db, { only: personKey })) return entry;
  return undefined;
}

export interface RunHeader {
  asOf: string;
  rulesetName: string;
  rulesetChecksum: string;
  rulesetJson: string;
  startedAt: string;
}

/**
 * A finding as the findings table stores it, from person_key to detail (run_id and id
 * are the writer's): made where the finding is (a worker thread, say), so the single
 * writer only binds it.
 */
export type FindingRow = [
  personKey: string,
  citizenship: string,
  rule: string,
  regime: string | null,
  entryDate: string | null,
  exitDate: string | null,
  firstDay: string | null,
  lastLawfulDay: string | null,
  days: number,
  status: string | null,
  entryCheckpoint: string | null,
  hostId: string | null,
  detail: string,
];

export function findingRow(f: Finding, entryCheckpoint: string | null, hostId: string | null): FindingRow {
  const iso = (day: number | null): string | null => (day === null ? null : isoFromDay(day));
  return [
    f.personKey,
    f.citizenship,
    f.rule,
    f.regime,
    iso(f.entryDay),
    iso(f.exitDay),
    iso(f.firstDay),
    iso(f.lastLawfulDay),
    f.days,
    f.status,
    entryCheckpoint,
    hostId,
    JSON.stringify(f.detail),
  ];
}

/** Entries and exits of one citizenship at one checkpoint on one day. */
export interface CrossingDayCell {
  citizenship: string;
  checkpoint: string;
  day: string;
  entries: number;
  exits: number;
}

/** Distinct persons entered in a calendar year or month, in total or by citizenship or checkpoint. */
export interface PersonsEnteredCell {
  period: string;
  grouping: 'total' | 'citizenship' | 'checkpoint';
  key: string;
  persons: number;
}

/** What a run stores besides its findings, for the statistics. */
export interface RunAggregates {
  departures: Iterable<DepartureCell>;
  crossingDays: Iterable<CrossingDayCell>;
  personsEntered: Iterable<PersonsEnteredCell>;
}

export interface DepartureCell {
  citizenship: string;
  checkpoint: string;
  authorisedUntil: string;
  expected: number;
  overstaysDeparted: number;
  overstaysInCountry: number;
}

/**
 * Writes one audit run inside one write transaction on its own connection: nothing
 * of the run is visible until `commit`, and an interrupted audit leaves no trace.
 */
export class RunWriter extends WriteTransaction {
  private runId = 0;
  private nextFindingId = 1;
  private insertFinding: Statement | undefined;

  begin(header: RunHeader): number {
    return this.guard(() => {
      this.beginImmediate();
      const info = this.db
        .prepare(`INSERT INTO runs (as_of, ruleset_name, ruleset_checksum, ruleset_json, started_at, finished_at, persons, stays, findings, counts_json)
                  VALUES (?, ?, ?, ?, ?, ?, 0, 0, 0, '{}')`)
        .run(header.asOf, header.rulesetName, header.rulesetChecksum, header.rulesetJson, header.startedAt, header.startedAt);
      this.runId = Number(info.lastInsertRowid);
      this.insertFinding = this.db.prepare(`INSERT INTO findings (run_id, id, person_key, citizenship, rule, regime, entry_date, exit_date,
        first_day, last_lawful_day, days, status, entry_checkpoint, host_id, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
      return this.runId;
    });
  }

  /** Stores findings in the order given, numbering them on. */
  addFindings(rows: readonly FindingRow[]): void {
    const insert = this.insertFinding!;
    this.guard(() => {
      for (const r of rows) {
        insert.run(this.runId, this.nextFindingId++, r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8], r[9], r[10], r[11], r[12]);
      }
    });
  }

  /**
   * Adds one key range's statistics cells to the run; cells already there (from
   * another range) are summed, so ranges can be added in any order as they finish.
   */
  addAggregates(aggregates: RunAggregates): void {
    this.guard(() => {
      const departure = this.db.prepare(`INSERT INTO run_departures (run_id, citizenship, checkpoint, authorised_until, expected, overstays_departed, overstays_in_country)
        VALUES (?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (run_id, citizenship, checkpoint, authorised_until) DO UPDATE SET expected = expected + excluded.expected,
          overstays_departed = overstays_departed + excluded.overstays_departed, overstays_in_country = overstays_in_country + excluded.overstays_in_country`);
      for (const d of aggregates.departures) {
        departure.run(this.runId, d.citizenship, d.checkpoint, d.authorisedUntil, d.expected, d.overstaysDeparted, d.overstaysInCountry);
      }
      const day = this.db.prepare(`INSERT INTO run_crossing_days (run_id, citizenship, checkpoint, day, entries, exits) VALUES (?, ?, ?, ?, ?, ?)
        ON CONFLICT (run_id, citizenship, checkpoint, day) DO UPDATE SET entries = entries + excluded.entries, exits = exits + excluded.exits`);
      for (const d of aggregates.crossingDays) day.run(this.runId, d.citizenship, d.checkpoint, d.day, d.entries, d.exits);
      // Ranges hold disjoint persons, so their distinct counts add up too.
      const entered = this.db.prepare(`INSERT INTO run_persons_entered (run_id, period, grouping, key, persons) VALUES (?, ?, ?, ?, ?)
        ON CONFLICT (run_id, period, grouping, key) DO UPDATE SET persons = persons + excluded.persons`);
      for (const p of aggregates.personsEntered) entered.run(this.runId, p.period, p.grouping, p.key, p.persons);
    });
  }

  commit(totals: { persons: number; stays: number; findings: number; counts: Record<string, number> }): number {
    return this.guard(() => {
      this.db
        .prepare(`UPDATE runs SET finished_at = ?, persons = ?, stays = ?, findings = ?, counts_json = ? WHERE id = ?`)
        .run(new Date().toISOString(), totals.persons, totals.stays, totals.findings, JSON.stringify(totals.counts), this.runId);
      this.commitNow();
      return this.runId;
    });
  }
}
