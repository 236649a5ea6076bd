import { auditPerson } from '../core/audit.js';
import { civilFromDay, isoFromDay } from '../core/dates.js';
import type { CompiledRuleset } from '../core/ruleset.js';
import { isOwnOffence, type Day, type Finding, type PersonTimeline, type RuleName } from '../core/types.js';
import type { Connection } from '../storage/database.js';
import {
  iterateTimelines,
  type CrossingDayCell,
  type DepartureCell,
  type KeyScope,
  type PersonContext,
  type PersonsEnteredCell,
  findingRow,
  type FindingRow,
} from '../storage/audit-store.js';

/** What auditing one range of persons adds up to (findings go out as they come). */
export interface RangeTotals {
  persons: number;
  stays: number;
  violators: number;
  counts: Partial<Record<RuleName, number>>;
  departures: DepartureCell[];
  crossingDays: CrossingDayCell[];
  personsEntered: PersonsEnteredCell[];
}

/** Nested maps: one lookup per level instead of a concatenated key per crossing. */
function child<K, V>(map: Map<K, V>, key: K, make: () => V): V {
  let value = map.get(key);
  if (value === undefined) {
    value = make();
    map.set(key, value);
  }
  return value;
}

interface PeriodCounts {
  total: number;
  citizenship: Map<string, number>;
  checkpoint: Map<string, number>;
}

/**
 * Counts crossings per citizenship, checkpoint and day, and distinct persons entered
 * per calendar year and month, while the audit reads each timeline anyway. Ranges of
 * persons are disjoint, so the distinct counts of several ranges add up.
 *
 * Periods are numbers while counting (labels are made at the end): a month as
 * year × 100 + month (202403), a year as year × 100 (202400).
 */
export class CrossingTally {
  private readonly days = new Map<string, Map<string, Map<Day, CrossingDayCell>>>();
  private readonly periods = new Map<number, PeriodCounts>();
  /** Day number (1970 onwards, about 180 years) → year × 100 + month; 0 until computed. */
  private readonly months = new Int32Array(1 << 16);
  // Per-person scratch: the month and checkpoint of each of its entries.
  private readonly seenMonths: number[] = [];
  private readonly seenCheckpoints: string[] = [];

  add(timeline: PersonTimeline, asOf: Day): void {
    const citizenship = timeline.citizenship;
    let byCheckpoint: Map<string, Map<Day, CrossingDayCell>> | undefined;
    // A person's crossings mostly share a checkpoint: one lookup for a run of them.
    let lastCheckpoint: string | null = null;
    let byDay: Map<Day, CrossingDayCell> | undefined;
    const months = this.seenMonths;
    const checkpoints = this.seenCheckpoints;
    months.length = 0;
    checkpoints.length = 0;
    for (const crossing of timeline.crossings) {
      const day = crossing.day;
      if (day > asOf) continue;
      const checkpoint = crossing.checkpoint ?? '';
      if (byDay === undefined || checkpoint !== lastCheckpoint) {
        byCheckpoint ??= child(this.days, citizenship, () => new Map<string, Map<Day, CrossingDayCell>>());
        byDay = child(byCheckpoint, checkpoint, () => new Map<Day, CrossingDayCell>());
        lastCheckpoint = checkpoint;
      }
      let cell = byDay.get(day);
      if (cell === undefined) {
        cell = { citizenship, checkpoint, day: isoFromDay(day), entries: 0, exits: 0 };
        byDay.set(day, cell);
      }
      if (crossing.direction !== 'IN') {
        cell.exits++;
        continue;
      }
      cell.entries++;
      months.push(this.monthOf(day));
      checkpoints.push(checkpoint);
    }
    // Each period once per person, each (period, checkpoint) once per person.
    for (let i = 0; i < months.length; i++) {
      const month = months[i]!;
      const year = month - (month % 100);
      const checkpoint = checkpoints[i]!;
      let firstOfMonth = true;
      let firstOfMonthPair = true;
      let firstOfYear = true;
      let firstOfYearPair = true;
      for (let j = 0; j < i; j++) {
        const sameCheckpoint = checkpoints[j] === checkpoint;
        if (months[j] === month) {
          firstOfMonth = false;
          if (sameCheckpoint) firstOfMonthPair = false;
        }
        if (months[j]! - (months[j]! % 100) === year) {
          firstOfYear = false;
          if (sameCheckpoint) firstOfYearPair = false;
        }
      }
      if (firstOfMonth || firstOfMonthPair) this.count(month, citizenship, checkpoint, firstOfMonth, firstOfMonthPair);
      if (firstOfYear || firstOfYearPair) this.count(year, citizenship, checkpoint, firstOfYear, firstOfYearPair);
    }
  }

  private monthOf(day: Day): number {
    const inCache = day >= 0 && day < this.months.length;
    if (inCache) {
      const known = this.months[day]!;
      if (known !== 0) return known;
    }
    const { year, month } = civilFromDay(day);
    const key = year * 100 + month;
    if (inCache) this.months[day] = key;
    return key;
  }

  private count(period: number, citizenship: string, checkpoint: string, person: boolean, pair: boolean): void {
    const counts = child(this.periods, period, () => ({ total: 0, citizenship: new Map<string, number>(), checkpoint: new Map<string, number>() }));
    if (person) {
      counts.total++;
      counts.citizenship.set(citizenship, (counts.citizenship.get(citizenship) ?? 0) + 1);
    }
    if (pair) counts.checkpoint.set(checkpoint, (counts.checkpoint.get(checkpoint) ?? 0) + 1);
  }

  get crossingDays(): CrossingDayCell[] {
    const cells: CrossingDayCell[] = [];
    for (const byCheckpoint of this.days.values()) for (const byDay of byCheckpoint.values()) cells.push(...byDay.values());
    return cells;
  }

  get personsEntered(): PersonsEnteredCell[] {
    const cells: PersonsEnteredCell[] = [];
    for (const [key, counts] of this.periods) {
      const year = String(Math.floor(key / 100)).padStart(4, '0');
      const period = key % 100 === 0 ? year : `${year}-${String(key % 100).padStart(2, '0')}`;
      cells.push({ period, grouping: 'total', key: '', persons: counts.total });
      for (const [key, persons] of counts.citizenship) cells.push({ period, grouping: 'citizenship', key, persons });
      for (const [key, persons] of counts.checkpoint) cells.push({ period, grouping: 'checkpoint', key, persons });
    }
    return cells;
  }
}

const FINDINGS_BATCH = 2000;

/**
 * Audits the persons of one key range, reading each timeline once in key order
 * through `reader` (which should hold a read transaction), and hands the findings
 * to `emit` in batches, in key order.
 */
export function auditRange(
  reader: Connection,
  scope: KeyScope,
  ruleset: CompiledRuleset,
  asOf: Day,
  emit: (findings: FindingRow[]) => void,
  onProgress?: (persons: number) => void,
): RangeTotals {
  const counts: Partial<Record<RuleName, number>> = {};
  const departures = new Map<string, Map<string, Map<Day, DepartureCell>>>();
  let persons = 0;
  let stays = 0;
  let violators = 0;
  let batch: FindingRow[] = [];
  const tally = new CrossingTally();
  for (const { timeline, context } of iterateTimelines(reader, scope)) {
    persons++;
    tally.add(timeline, asOf);
    const result = auditPerson(timeline, ruleset, asOf);
    stays += result.stays.length;
    let violator = false;
    for (const finding of result.findings) {
      counts[finding.rule] = (counts[finding.rule] ?? 0) + 1;
      if (isOwnOffence(finding.rule)) violator = true;
      batch.push(findingRow(finding, entryCheckpointOf(finding, timeline), hostIdOf(finding, context)));
    }
    if (violator) violators++;
    if (batch.length >= FINDINGS_BATCH) {
      emit(batch);
      batch = [];
    }
    for (const stay of result.stays) {
      if (stay.authorisedUntil === null) continue;
      const checkpoint = stay.entryCheckpoint ?? '';
      const byDay = child(child(departures, stay.citizenship, () => new Map<string, Map<Day, DepartureCell>>()), checkpoint, () => new Map<Day, DepartureCell>());
      let cell = byDay.get(stay.authorisedUntil);
      if (cell === undefined) {
        cell = {
          citizenship: stay.citizenship,
          checkpoint,
          authorisedUntil: isoFromDay(stay.authorisedUntil),
          expected: 0,
          overstaysDeparted: 0,
          overstaysInCountry: 0,
        };
        byDay.set(stay.authorisedUntil, cell);
      }
      cell.expected++;
      if (stay.overstay) {
        if (stay.status === 'departed') cell.overstaysDeparted++;
        else cell.overstaysInCountry++;
      }
    }
    if (onProgress && (persons & 0xffff) === 0) onProgress(persons);
  }
  if (batch.length > 0) emit(batch);
  return {
    persons,
    stays,
    violators,
    counts,
    departures: [...departures.values()].flatMap((byCheckpoint) => [...byCheckpoint.values()].flatMap((byDay) => [...byDay.values()])),
    crossingDays: tally.crossingDays,
    personsEntered: tally.personsEntered,
  };
}

/** The checkpoint of the entry a finding's stay began with (the first entry that day). */
function entryCheckpointOf(finding: Finding, timeline: PersonTimeline): string | null {
  if (finding.entryDay === null) return null;
  return timeline.crossings.find((c) => c.direction === 'IN' && c.day === finding.entryDay)?.checkpoint ?? null;
}

/** The host a registration finding concerns: the one it names, else the last one known. */
function hostIdOf(finding: Finding, context: PersonContext): string | null {
  if (finding.rule !== 'late-registration' && finding.rule !== 'unregistered') return null;
  const detailHost = finding.detail['hostId'];
  return typeof detailHost === 'string' ? detailHost : context.lastHostId;
}
