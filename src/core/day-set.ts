/**
 * A set of days as sorted, disjoint, non-adjacent closed intervals with running
 * totals, so "how many days of the set lie in [lo, hi]" costs a scan of a few
 * intervals (binary search for long lists) instead of a walk over the days. A
 * person's presence, permit coverage and counted days are each one DaySet.
 */
import type { Day } from './types.js';

export class DaySet {
  /** Interval starts, ascending. */
  readonly starts: number[];
  /** Interval ends (inclusive), ascending; ends[i] + 1 < starts[i + 1]. */
  readonly ends: number[];
  /** before[i] = number of days in intervals 0..i-1. */
  readonly before: number[];
  readonly size: number;

  private constructor(starts: number[], ends: number[]) {
    this.starts = starts;
    this.ends = ends;
    const before: number[] = new Array<number>(starts.length);
    let total = 0;
    for (let i = 0; i < starts.length; i++) {
      before[i] = total;
      total += (ends[i] as number) - (starts[i] as number) + 1;
    }
    this.before = before;
    this.size = total;
  }

  static readonly EMPTY: DaySet = new DaySet([], []);

  /**
   * From intervals given as parallel arrays, in any order, possibly overlapping.
   * The arrays are taken over (and sorted in place when needed).
   */
  static fromIntervals(starts: number[], ends: number[]): DaySet {
    const n = starts.length;
    if (n === 0) return DaySet.EMPTY;
    // Common case (a person's stays): already sorted, non-empty, apart: take the arrays as they are.
    let clean = (ends[0] as number) >= (starts[0] as number);
    for (let i = 1; clean && i < n; i++) {
      clean = (starts[i] as number) > (ends[i - 1] as number) + 1 && (ends[i] as number) >= (starts[i] as number);
    }
    if (clean) return new DaySet(starts, ends);
    let sorted = true;
    for (let i = 1; i < n; i++) if ((starts[i] as number) < (starts[i - 1] as number)) { sorted = false; break; }
    if (!sorted) {
      const order = starts.map((_, i) => i).sort((a, b) => (starts[a] as number) - (starts[b] as number));
      const s2 = order.map((i) => starts[i] as number);
      const e2 = order.map((i) => ends[i] as number);
      starts = s2;
      ends = e2;
    }
    const outS: number[] = [];
    const outE: number[] = [];
    let curS = 0;
    let curE = 0;
    let open = false;
    for (let i = 0; i < n; i++) {
      const s = starts[i] as number;
      const e = ends[i] as number;
      if (e < s) continue; // empty interval
      if (open && s <= curE + 1) {
        if (e > curE) curE = e;
      } else {
        if (open) { outS.push(curS); outE.push(curE); }
        curS = s;
        curE = e;
        open = true;
      }
    }
    if (open) { outS.push(curS); outE.push(curE); }
    return new DaySet(outS, outE);
  }

  /** First day of interval i (0 <= i < intervalCount). */
  startOf(i: number): number {
    return this.starts[i] as number;
  }

  /** Last day of interval i (0 <= i < intervalCount). */
  endOf(i: number): number {
    return this.ends[i] as number;
  }

  get intervalCount(): number {
    return this.starts.length;
  }

  isEmpty(): boolean {
    return this.starts.length === 0;
  }

  /** Index of the first interval whose end is >= day (intervalCount when none). */
  firstEndingOnOrAfter(day: Day): number {
    const ends = this.ends;
    let lo = 0;
    let hi = ends.length;
    if (hi <= 8) {
      while (lo < hi && (ends[lo] as number) < day) lo++;
      return lo;
    }
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((ends[mid] as number) < day) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  has(day: Day): boolean {
    const i = this.firstEndingOnOrAfter(day);
    return i < this.starts.length && (this.starts[i] as number) <= day;
  }

  /** Number of days of the set that are <= day. */
  countUpTo(day: number): number {
    const i = this.firstEndingOnOrAfter(day);
    if (i >= this.starts.length) return this.size;
    const s = this.starts[i] as number;
    return (this.before[i] as number) + (day >= s ? day - s + 1 : 0);
  }

  /** Number of days of the set in [lo, hi] (0 when hi < lo). */
  count(lo: number, hi: number): number {
    if (hi < lo || this.starts.length === 0) return 0;
    return this.countUpTo(hi) - this.countUpTo(lo - 1);
  }

  /** This set without the days of `other`. */
  minus(other: DaySet): DaySet {
    if (other.starts.length === 0 || this.starts.length === 0) return this;
    const outS: number[] = [];
    const outE: number[] = [];
    let j = 0;
    for (let i = 0; i < this.starts.length; i++) {
      let s = this.starts[i] as number;
      const e = this.ends[i] as number;
      while (j < other.starts.length && (other.ends[j] as number) < s) j++;
      let k = j;
      while (s <= e) {
        if (k >= other.starts.length || (other.starts[k] as number) > e) {
          outS.push(s);
          outE.push(e);
          break;
        }
        const os = other.starts[k] as number;
        const oe = other.ends[k] as number;
        if (os > s) {
          outS.push(s);
          outE.push(os - 1);
        }
        s = oe + 1;
        k++;
      }
    }
    return new DaySet(outS, outE);
  }
}
