/**
 * Stays from a person's border crossings (SPEC §2).
 *
 * Crossings are read in time order, ignoring those after the as-of day (not yet known
 * on it: SPEC §2, as-of is a snapshot); an IN opens a stay, the next OUT closes it.
 * Crossings with the same direction and timestamp count once. When an IN and an OUT carry the same timestamp (typical of files with
 * dates but no times) their true order is unknown, so they are taken in the order
 * that explains them without an anomaly: OUT first when a stay is open (the person
 * left and came back), IN first otherwise (a same-day visit).
 */
import { DaySet } from './day-set.js';
import type { MissingExitMode } from './ruleset.js';
import type { AnomalyRule, Crossing, Day } from './types.js';

export interface Stay {
  entryDay: Day;
  /** null: open at as-of (present up to as-of). */
  exitDay: Day | null;
  entryAt: string;
  exitAt: string | null;
  entryCheckpoint: string | null;
  exitCheckpoint: string | null;
  /** Citizenship on the entry crossing (null when the crossing does not say): the stay's regime follows it. */
  entryCitizenship: string | null;
}

export interface StayAnomaly {
  /** Checked against the registry's anomaly names (`rules/anomalies.ts` reports them). */
  rule: Extract<AnomalyRule, 'orphan-exit' | 'missing-exit'>;
  /** orphan-exit: the OUT; missing-exit: the IN that came while a stay was open. */
  day: Day;
  at: string;
  checkpoint: string | null;
  /** missing-exit: the entry that has no exit; null for orphan-exit. */
  openEntryDay: Day | null;
  openEntryAt: string | null;
  /** Checkpoint of that entry. */
  openEntryCheckpoint: string | null;
  /** Citizenship on the crossing `day` is of (null when it does not say). */
  citizenship: string | null;
  /** missing-exit: citizenship on the entry that has no exit. */
  openEntryCitizenship: string | null;
}

export interface StaysResult {
  /** Judged stays in time order (unresolved ones are left out: their days count nowhere). */
  stays: Stay[];
  /** Shared and frozen when empty: do not mutate. */
  anomalies: readonly StayAnomaly[];
}

function isOrdered(crossings: readonly Crossing[]): boolean {
  for (let i = 1; i < crossings.length; i++) {
    const a = crossings[i - 1] as Crossing;
    const b = crossings[i] as Crossing;
    // Days decide unless equal; only then compare the timestamps.
    if (b.day < a.day || (b.day === a.day && b.at < a.at)) return false;
  }
  return true;
}

const NO_ANOMALIES: readonly StayAnomaly[] = Object.freeze([]);

/**
 * The stays and anomalies of one person as of `asOf` (crossings after it are ignored).
 * `crossings` should be sorted by `at`; unsorted input is sorted (a copy) first.
 */
export function buildStays(crossings: readonly Crossing[], asOf: Day, missingExit: MissingExitMode = 'unresolved'): StaysResult {
  const list = isOrdered(crossings)
    ? crossings
    : [...crossings].sort((a, b) => a.day - b.day || (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
  const stays: Stay[] = [];
  let anomalies: StayAnomaly[] = NO_ANOMALIES as StayAnomaly[];
  let open: Crossing | null = null;
  const throughout = missingExit === 'present-throughout';

  const n = list.length;
  let i = 0;
  while (i < n) {
    const first = list[i] as Crossing;
    // One group = the crossings sharing a timestamp; at most one IN and one OUT survive.
    let inC: Crossing | null = null;
    let outC: Crossing | null = null;
    let j = i;
    for (; j < n; j++) {
      const c = list[j] as Crossing;
      if (c.day !== first.day || c.at !== first.at) break;
      if (c.direction === 'IN') { if (inC === null) inC = c; } else if (outC === null) outC = c;
    }
    i = j;
    // In time order: the rest is after as-of too, not yet known on it.
    if (first.day > asOf) break;
    // Same timestamp, both directions: OUT first when a stay is open, else IN first.
    const outFirst: boolean = open !== null;
    for (let step = 0; step < 2; step++) {
      const c: Crossing | null = (step === 0) === outFirst ? outC : inC;
      if (c === null) continue;
      if (c.direction === 'IN') {
        if (open !== null) {
          if (anomalies === NO_ANOMALIES) anomalies = [];
          anomalies.push({
            rule: 'missing-exit', day: c.day, at: c.at, checkpoint: c.checkpoint, openEntryDay: open.day, openEntryAt: open.at,
            openEntryCheckpoint: open.checkpoint, citizenship: c.citizenship ?? null, openEntryCitizenship: open.citizenship ?? null,
          });
          // 'present-throughout': the person never left; the stay keeps its first entry.
          if (throughout) continue;
        }
        open = c;
      } else if (open === null) {
        if (anomalies === NO_ANOMALIES) anomalies = [];
        anomalies.push({
          rule: 'orphan-exit', day: c.day, at: c.at, checkpoint: c.checkpoint, openEntryDay: null, openEntryAt: null,
          openEntryCheckpoint: null, citizenship: c.citizenship ?? null, openEntryCitizenship: null,
        });
      } else {
        stays.push({
          entryDay: open.day, exitDay: c.day, entryAt: open.at, exitAt: c.at, entryCheckpoint: open.checkpoint, exitCheckpoint: c.checkpoint,
          entryCitizenship: open.citizenship ?? null,
        });
        open = null;
      }
    }
  }
  if (open !== null) {
    stays.push({
      entryDay: open.day, exitDay: null, entryAt: open.at, exitAt: null, entryCheckpoint: open.checkpoint, exitCheckpoint: null,
      entryCitizenship: open.citizenship ?? null,
    });
  }
  return { stays, anomalies };
}

/** Every day of presence of the stays, each counted once. */
export function presenceOf(stays: readonly Stay[], asOf: Day): DaySet {
  const starts: number[] = new Array<number>(stays.length);
  const ends: number[] = new Array<number>(stays.length);
  for (let i = 0; i < stays.length; i++) {
    const s = stays[i] as Stay;
    starts[i] = s.entryDay;
    ends[i] = s.exitDay ?? asOf;
  }
  return DaySet.fromIntervals(starts, ends);
}

/** Days of presence of the stays, a day in two stays counted once. */
export function daysOfPresence(stays: readonly Stay[], asOf: Day): number {
  return presenceOf(stays, asOf).size;
}
