/**
 * The tally of a run's statistics cells (SPEC §4), counted while the audit reads each
 * timeline anyway: crossings per citizenship, checkpoint and day (with the entries whose
 * stay has a recorded exit); distinct persons entered per calendar year and month; and
 * expected departures per citizenship and entry checkpoint. Storage stores the cells
 * (storage/stats-store.ts); compute.ts reads them back into figures.
 */
import { civilFromDay, isoFromDay } from '../core/dates.js';
import type { Day, PersonTimeline, StayVerdict } from '../core/types.js';
import type { CrossingDayCell, DepartureCell, PersonsEnteredCell } from '../storage/stats-store.js';
import { compareKeys } from '../storage/timelines.js';

/** Days per block of crossing counts: a (citizenship, checkpoint) pair's days come in blocks. */
const BLOCK_BITS = 6;
const BLOCK_DAYS = 1 << BLOCK_BITS;
/** Counters per day of a block of crossing counts: entries, exits, matched exits. */
const CROSSING_WIDTH = 3;

/** Counts of one citizenship at one checkpoint, by day, in blocks of 64 days. */
interface PairCounts {
  citizenship: number;
  checkpoint: number;
  /** Block number (day >> 6) → crossings of its days: [entries, exits, entries whose stay has a recorded exit] × 64. */
  blocks: Map<number, Int32Array>;
  lastBlock: number;
  lastCounts: Int32Array | null;
  /**
   * Block number → stays entered here whose authorised stay ends on each day:
   * [expected, overstays departed, overstays in the country] × 64.
   */
  departures: Map<number, Int32Array>;
}

/** Every day of a pair's blocks in day order: the day, its block's counts, and where its `width` counters start. */
function* daysOf(blocks: Map<number, Int32Array>, width: number): Generator<[Day, Int32Array, number]> {
  for (const [block, counts] of [...blocks].sort(([a], [b]) => a - b)) {
    for (let i = 0; i < BLOCK_DAYS; i++) yield [block * BLOCK_DAYS + i, counts, width * i];
  }
}

/** Distinct persons entered in one period, in total and per citizenship and checkpoint (by id). */
export interface PeriodCounts {
  total: number;
  citizenship: number[];
  checkpoint: number[];
}

/** Strings numbered in order of first sight, so that counters can be arrays. */
class Names {
  private readonly ids = new Map<string, number>();
  readonly names: string[] = [];

  id(name: string): number {
    let id = this.ids.get(name);
    if (id === undefined) {
      id = this.names.length;
      this.ids.set(name, id);
      this.names.push(name);
    }
    return id;
  }
}

/** A tally's counts as plain data, to pass between threads and merge. */
export interface TallyState {
  citizenships: string[];
  checkpoints: string[];
  pairs: { citizenship: number; checkpoint: number; blocks: Map<number, Int32Array>; departures: Map<number, Int32Array> }[];
  periods: Map<number, PeriodCounts>;
}

/**
 * The statistics cells of a run, counted while the audit reads each timeline anyway:
 * crossings per citizenship, checkpoint and day (and, by the day of entry, the entries
 * whose stay has a recorded exit); distinct persons entered per
 * calendar year and month; and expected departures (stays by the day their authorised
 * stay ends, with the overstays among them) per citizenship and entry checkpoint.
 * Ranges of persons are disjoint, so the distinct counts of several ranges add up.
 *
 * Citizenship is the document's (SPEC §4): a crossing counts under the citizenship on
 * it, a person as entered under each citizenship they entered on (once per period in
 * the total), a stay under the citizenship on its entry crossing.
 *
 * This runs for every crossing and stay, so it counts in numbers: citizenships and
 * checkpoints get ids, a pair's days are typed-array blocks, and periods are
 * year × 100 + month (202403) or year × 100 (202400). Labels are made once, at the end.
 */
export class StatsTally {
  private readonly citizenships = new Names();
  /** Checkpoint names; a crossing without one counts under ''. */
  private readonly checkpoints = new Names();
  /** Citizenship id → checkpoint id → the pair's counts. */
  private readonly pairs: (PairCounts | undefined)[][] = [];
  private readonly periods = new Map<number, PeriodCounts>();
  /** Day number (1970 onwards, about 180 years) → year × 100 + month; 0 until computed. */
  private readonly months = new Int32Array(1 << 16);
  // Per-person scratch: the month, checkpoint id and citizenship id of each of its entries.
  private readonly seenMonths: number[] = [];
  private readonly seenCheckpoints: number[] = [];
  private readonly seenCitizenships: number[] = [];

  private pair(citizenship: number, checkpoint: number): PairCounts {
    const byCheckpoint = (this.pairs[citizenship] ??= []);
    return (byCheckpoint[checkpoint] ??= { citizenship, checkpoint, blocks: new Map(), lastBlock: NaN, lastCounts: null, departures: new Map() });
  }

  /** The counts as plain data (see `merge`). */
  state(): TallyState {
    const pairs: TallyState['pairs'] = [];
    for (const byCheckpoint of this.pairs) {
      for (const pair of byCheckpoint ?? []) {
        if (pair !== undefined) pairs.push({ citizenship: pair.citizenship, checkpoint: pair.checkpoint, blocks: pair.blocks, departures: pair.departures });
      }
    }
    return { citizenships: this.citizenships.names, checkpoints: this.checkpoints.names, pairs, periods: this.periods };
  }

  /**
   * Adds the counts of another tally (of other persons: distinct counts add up).
   * Its ids are its own; they are matched to these by name.
   */
  merge(other: TallyState): void {
    const citizenship = other.citizenships.map((name) => this.citizenships.id(name));
    const checkpoint = other.checkpoints.map((name) => this.checkpoints.id(name));
    const addBlocks = (into: Map<number, Int32Array>, from: Map<number, Int32Array>): void => {
      for (const [block, counts] of from) {
        const mine = into.get(block);
        if (mine === undefined) into.set(block, counts.slice());
        else for (let i = 0; i < counts.length; i++) mine[i]! += counts[i]!;
      }
    };
    for (const theirs of other.pairs) {
      const pair = this.pair(citizenship[theirs.citizenship]!, checkpoint[theirs.checkpoint]!);
      addBlocks(pair.blocks, theirs.blocks);
      addBlocks(pair.departures, theirs.departures);
      pair.lastCounts = null;
    }
    for (const [period, theirs] of other.periods) {
      const counts = this.period(period);
      counts.total += theirs.total;
      theirs.citizenship.forEach((n, id) => (counts.citizenship[citizenship[id]!] = (counts.citizenship[citizenship[id]!] ?? 0) + n));
      theirs.checkpoint.forEach((n, id) => (counts.checkpoint[checkpoint[id]!] = (counts.checkpoint[checkpoint[id]!] ?? 0) + n));
    }
  }

  /** Counts a person's crossings up to `asOf`, each under the citizenship on it. */
  add(timeline: PersonTimeline, asOf: Day): void {
    // A person's crossings often share a checkpoint and a citizenship: one lookup for a run of them.
    let lastName: string | null | undefined;
    let lastCitizenship: string | undefined;
    let checkpoint = 0;
    let citizenship = 0;
    let pair: PairCounts | undefined;
    const months = this.seenMonths;
    const checkpoints = this.seenCheckpoints;
    const citizenships = this.seenCitizenships;
    months.length = 0;
    checkpoints.length = 0;
    citizenships.length = 0;
    for (const crossing of timeline.crossings) {
      const day = crossing.day;
      if (day > asOf) continue;
      const crossingCitizenship = crossing.citizenship ?? timeline.citizenship;
      if (pair === undefined || crossing.checkpoint !== lastName || crossingCitizenship !== lastCitizenship) {
        lastName = crossing.checkpoint;
        lastCitizenship = crossingCitizenship;
        checkpoint = this.checkpoints.id(lastName ?? '');
        citizenship = this.citizenships.id(crossingCitizenship);
        pair = this.pair(citizenship, checkpoint);
      }
      const block = day >> BLOCK_BITS;
      let counts = pair.lastCounts;
      if (counts === null || block !== pair.lastBlock) {
        counts = pair.blocks.get(block) ?? null;
        if (counts === null) {
          counts = new Int32Array(CROSSING_WIDTH * BLOCK_DAYS);
          pair.blocks.set(block, counts);
        }
        pair.lastBlock = block;
        pair.lastCounts = counts;
      }
      const slot = CROSSING_WIDTH * (day & (BLOCK_DAYS - 1));
      if (crossing.direction !== 'IN') {
        counts[slot + 1]!++;
        continue;
      }
      counts[slot]!++;
      months.push(this.monthOf(day));
      checkpoints.push(checkpoint);
      citizenships.push(citizenship);
    }
    // Each period once per person, once per (period, citizenship) and once per (period, checkpoint).
    for (let i = 0; i < months.length; i++) {
      const month = months[i]!;
      const year = month - (month % 100);
      const checkpoint = checkpoints[i]!;
      const citizenship = citizenships[i]!;
      let firstOfMonth = true;
      let firstOfMonthCitizenship = true;
      let firstOfMonthCheckpoint = true;
      let firstOfYear = true;
      let firstOfYearCitizenship = true;
      let firstOfYearCheckpoint = true;
      for (let j = 0; j < i; j++) {
        const sameCheckpoint = checkpoints[j] === checkpoint;
        const sameCitizenship = citizenships[j] === citizenship;
        if (months[j] === month) {
          firstOfMonth = false;
          if (sameCitizenship) firstOfMonthCitizenship = false;
          if (sameCheckpoint) firstOfMonthCheckpoint = false;
        }
        if (months[j]! - (months[j]! % 100) === year) {
          firstOfYear = false;
          if (sameCitizenship) firstOfYearCitizenship = false;
          if (sameCheckpoint) firstOfYearCheckpoint = false;
        }
      }
      this.count(month, citizenship, checkpoint, firstOfMonth, firstOfMonthCitizenship, firstOfMonthCheckpoint);
      this.count(year, citizenship, checkpoint, firstOfYear, firstOfYearCitizenship, firstOfYearCheckpoint);
    }
  }

  /**
   * Counts the expected departures of stays, each under the citizenship and checkpoint
   * of its entry, and each stay with a recorded exit as a matched exit on its entry's day.
   */
  addStays(stays: readonly StayVerdict[]): void {
    for (const stay of stays) {
      if (stay.exitDay !== null) this.addMatchedExit(stay);
      const until = stay.authorisedUntil;
      if (until === null) continue;
      const pair = this.pair(this.citizenships.id(stay.citizenship), this.checkpoints.id(stay.entryCheckpoint ?? ''));
      const block = until >> BLOCK_BITS;
      let counts = pair.departures.get(block);
      if (counts === undefined) {
        counts = new Int32Array(3 * BLOCK_DAYS);
        pair.departures.set(block, counts);
      }
      const slot = 3 * (until & (BLOCK_DAYS - 1));
      counts[slot]!++;
      if (stay.overstay) counts[slot + (stay.status === 'departed' ? 1 : 2)]!++;
    }
  }

  /** Counts the entry of a stay that has a recorded exit, beside the entry's crossing counts. */
  private addMatchedExit(stay: StayVerdict): void {
    const pair = this.pair(this.citizenships.id(stay.citizenship), this.checkpoints.id(stay.entryCheckpoint ?? ''));
    const block = stay.entryDay >> BLOCK_BITS;
    let counts = pair.blocks.get(block);
    if (counts === undefined) {
      counts = new Int32Array(CROSSING_WIDTH * BLOCK_DAYS);
      pair.blocks.set(block, counts);
    }
    counts[CROSSING_WIDTH * (stay.entryDay & (BLOCK_DAYS - 1)) + 2]!++;
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

  private period(key: number): PeriodCounts {
    let counts = this.periods.get(key);
    if (counts === undefined) {
      counts = { total: 0, citizenship: [], checkpoint: [] };
      this.periods.set(key, counts);
    }
    return counts;
  }

  /** Counts a person entered in `period`: in the total, under the citizenship and at the checkpoint, where first seen. */
  private count(period: number, citizenship: number, checkpoint: number, total: boolean, byCitizenship: boolean, byCheckpoint: boolean): void {
    if (!total && !byCitizenship && !byCheckpoint) return;
    const counts = this.period(period);
    if (total) counts.total++;
    if (byCitizenship) counts.citizenship[citizenship] = (counts.citizenship[citizenship] ?? 0) + 1;
    if (byCheckpoint) counts.checkpoint[checkpoint] = (counts.checkpoint[checkpoint] ?? 0) + 1;
  }

  /**
   * Every (citizenship, checkpoint) pair with its labels, in the order of the cells'
   * primary keys, so that storing them appends to the tables' B-trees.
   */
  private labelledPairs(): [PairCounts, string, string][] {
    const pairs: [PairCounts, string, string][] = [];
    for (const byCheckpoint of this.pairs) {
      for (const pair of byCheckpoint ?? []) {
        if (pair !== undefined) pairs.push([pair, this.citizenships.names[pair.citizenship]!, this.checkpoints.names[pair.checkpoint]!]);
      }
    }
    return pairs.sort(([, a, b], [, c, d]) => compareKeys(a, c) || compareKeys(b, d));
  }

  get crossingDays(): CrossingDayCell[] {
    const cells: CrossingDayCell[] = [];
    for (const [pair, citizenship, checkpoint] of this.labelledPairs()) {
      for (const [day, counts, at] of daysOf(pair.blocks, CROSSING_WIDTH)) {
        const entries = counts[at]!;
        const exits = counts[at + 1]!;
        const matchedExits = counts[at + 2]!;
        if (entries !== 0 || exits !== 0 || matchedExits !== 0) cells.push({ citizenship, checkpoint, day: isoFromDay(day), entries, exits, matchedExits });
      }
    }
    return cells;
  }

  get departures(): DepartureCell[] {
    const cells: DepartureCell[] = [];
    for (const [pair, citizenship, checkpoint] of this.labelledPairs()) {
      for (const [day, counts, at] of daysOf(pair.departures, 3)) {
        const expected = counts[at]!;
        if (expected === 0) continue;
        cells.push({ citizenship, checkpoint, authorisedUntil: isoFromDay(day), expected, overstaysDeparted: counts[at + 1]!, overstaysInCountry: counts[at + 2]! });
      }
    }
    return cells;
  }

  get personsEntered(): PersonsEnteredCell[] {
    const cells: PersonsEnteredCell[] = [];
    for (const [key, counts] of this.periods) {
      const year = String(Math.floor(key / 100)).padStart(4, '0');
      const period = key % 100 === 0 ? year : `${year}-${String(key % 100).padStart(2, '0')}`;
      cells.push({ period, grouping: 'total', key: '', persons: counts.total });
      counts.citizenship.forEach((persons, id) => cells.push({ period, grouping: 'citizenship', key: this.citizenships.names[id]!, persons }));
      counts.checkpoint.forEach((persons, id) => cells.push({ period, grouping: 'checkpoint', key: this.checkpoints.names[id]!, persons }));
    }
    return cells;
  }
}
