/**
 * The overstay rules as the audit computes them: the same verdict as the day-by-day
 * reading in `overstay.ts` (a test over generated data checks them equal, stay by
 * stay), without walking the days where a count will do. Presence, permit coverage
 * and counted days are DaySets, so the counted days in any window are two lookups.
 * With no permit in force on or after the entry day (the common case) the window
 * count of a stay extended day by day never decreases, so its first day over the
 * maximum is found by binary search. Stays with permits are judged run by run:
 * covered runs are skipped whole; an uncovered run is unlawful from a fixed day on,
 * except for the window, which is checked day by day only up to the cap.
 *
 * A stay is judged as if the person had stayed on from the entry without leaving: the
 * first unlawful day of that extension gives both the finding (when it lies on or
 * before the exit or as-of) and the stay's authorised-until (the day before).
 */
import type { PersonContext } from '../person-context.js';
import type { CompiledWindow, Regime } from '../ruleset.js';
import type { Day, OverstayRule } from '../types.js';
import { NO_BASIS, PERMIT_EXPIRED, ROLLING_LIMIT, STAY_LIMIT } from './overstay.js';

const NONE = -Infinity;

/** The verdict on one stay. */
export interface StayJudgement {
  /** First unlawful day if the person stayed on from the entry without leaving (Infinity: never). */
  firstUnlawful: number;
  rule: OverstayRule | null;
  /** Unlawful days within [entry, exit or as-of]. */
  unlawfulDays: number;
  /** rolling-limit: uncovered counted days in the window on the first unlawful day. */
  windowCount: number;
  /** permit-expired: last covered day before the first unlawful day. */
  lastCovered: number;
}

const LAWFUL: StayJudgement = Object.freeze({ firstUnlawful: Infinity, rule: null, unlawfulDays: 0, windowCount: 0, lastCovered: NONE });

/**
 * Uncovered counted days in the window ending on `day`, for a stay entered on
 * `entry` extended without a break up to `day` (day >= entry): days before the entry
 * come from the person's real counted days, days from the entry on are all present.
 */
function windowCount(ctx: PersonContext, entry: Day, day: Day, w: CompiledWindow): number {
  const lo = Math.max(day - w.days + 1, w.countFrom ?? NONE);
  const before = lo <= entry - 1 ? ctx.counted.count(lo, entry - 1) : 0;
  const a = lo > entry ? lo : entry;
  if (day < a) return before;
  return before + (day - a + 1) - ctx.coverage.count(a, day);
}

/** The regime's window when it can ever be exceeded, else null. */
function activeWindow(regime: Regime): CompiledWindow | null {
  const w = regime.window;
  return w !== null && w.max < w.days ? w : null;
}

/** Judges the stay [entry, end] under `regime`. */
export function judgeStay(ctx: PersonContext, entry: Day, end: Day, regime: Regime): StayJudgement {
  const cov = ctx.coverage;
  const firstCov = cov.firstEndingOnOrAfter(entry);
  return firstCov >= cov.intervalCount ? judgeUncovered(ctx, entry, end, regime) : judgeWithPermits(ctx, entry, end, regime, firstCov);
}

function judgement(firstUnlawful: number, rule: OverstayRule, end: Day, windowCountOnFirst = 0): StayJudgement {
  const unlawfulDays = firstUnlawful <= end ? end - firstUnlawful + 1 : 0;
  return { firstUnlawful, rule, unlawfulDays, windowCount: windowCountOnFirst, lastCovered: NONE };
}

/** No permit in force on or after the entry day: closed-form judgement. */
function judgeUncovered(ctx: PersonContext, entry: Day, end: Day, regime: Regime): StayJudgement {
  if (regime.requiresVisa) return judgement(entry, NO_BASIS.name, end);
  const capEnd = regime.cap === null ? Infinity : entry + regime.cap - 1;
  const w = activeWindow(regime);
  if (w !== null) {
    // From max(entry, countFrom) on every day counts, so after `days` days the window is full.
    const hi = Math.min(capEnd, Math.max(entry, w.countFrom ?? NONE) + w.days - 1);
    if (hi >= entry && windowCount(ctx, entry, hi, w) > w.max) {
      // The count never decreases along the extended stay: binary search the first day over.
      let lo = entry;
      let top = hi;
      while (lo < top) {
        const mid = lo + Math.floor((top - lo) / 2);
        if (windowCount(ctx, entry, mid, w) > w.max) top = mid;
        else lo = mid + 1;
      }
      return judgement(lo, ROLLING_LIMIT.name, end, windowCount(ctx, entry, lo, w));
    }
  }
  return capEnd === Infinity ? LAWFUL : judgement(capEnd + 1, STAY_LIMIT.name, end);
}

/** A permit is in force on or after the entry day: walk the stay run by run. */
function judgeWithPermits(ctx: PersonContext, entry: Day, end: Day, regime: Regime, firstCov: number): StayJudgement {
  const cov = ctx.coverage;
  const runs = cov.intervalCount;
  const grace = ctx.compiled.graceDays;
  const capEnd = regime.cap === null ? Infinity : entry + regime.cap - 1;
  const w = activeWindow(regime);
  const out: StayJudgement = { ...LAWFUL };
  let ci = firstCov;
  let lastCov = NONE;
  let unlawful = 0;
  let d = entry;
  // Until the first unlawful day is known, and then up to `end`.
  while (out.firstUnlawful === Infinity || d <= end) {
    while (ci < runs && cov.endOf(ci) < d) ci++;
    if (ci < runs && cov.startOf(ci) <= d) {
      // Covered run: lawful, and not counted in any window.
      lastCov = cov.endOf(ci);
      d = lastCov + 1;
      continue;
    }
    const runEnd = ci < runs ? cov.startOf(ci) - 1 : Infinity;
    // From `from` to runEnd every day carries `label`; days before `from` are lawful
    // except rolling-limit days, which the window scan below finds one by one.
    let from: number;
    let label: OverstayRule;
    if (lastCov !== NONE) {
      from = Math.max(d, lastCov + grace + 1);
      label = PERMIT_EXPIRED.name;
    } else if (regime.requiresVisa) {
      from = d;
      label = NO_BASIS.name;
    } else {
      if (w !== null) {
        // An endless uncovered run with no cap: the window is full `days` days after counting starts.
        let wEnd = Math.min(runEnd, capEnd);
        if (wEnd === Infinity) wEnd = Math.max(d, w.countFrom ?? NONE) + w.days - 1;
        for (let x = d; x <= wEnd; x++) {
          if (out.firstUnlawful !== Infinity && x > end) break;
          const c = windowCount(ctx, entry, x, w);
          if (c > w.max) {
            if (out.firstUnlawful === Infinity) {
              out.firstUnlawful = x;
              out.rule = ROLLING_LIMIT.name;
              out.windowCount = c;
            }
            if (x <= end) unlawful++;
          }
        }
      } else if (runEnd === Infinity && capEnd === Infinity) {
        break; // nothing can ever make this stay unlawful
      }
      from = Math.max(d, capEnd + 1);
      label = STAY_LIMIT.name;
    }
    if (from !== Infinity && from <= runEnd) {
      if (out.firstUnlawful === Infinity) {
        out.firstUnlawful = from;
        out.rule = label;
        out.lastCovered = lastCov;
      }
      const last = Math.min(runEnd, end);
      if (last >= from) unlawful += last - from + 1;
    }
    if (runEnd === Infinity) break;
    d = runEnd + 1;
  }
  out.unlawfulDays = unlawful;
  return out;
}
