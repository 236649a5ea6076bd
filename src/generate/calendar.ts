/**
 * Calendar days for the generator: a day is an integer, days since 1970-01-01, as in
 * the audit core. Formatting goes through precomputed tables because the generator
 * writes millions of dates and `Date` formatting would dominate its run time.
 */

const DAY_MS = 86_400_000;

/** Day number of a calendar date. */
export function dayOf(year: number, month: number, day: number): number {
  return Math.round(Date.UTC(year, month - 1, day) / DAY_MS);
}

/** `YYYY-MM-DD` → day number (for fixed dates written in code). */
export function isoDay(iso: string): number {
  const [y, m, d] = iso.split('-').map(Number);
  if (y === undefined || m === undefined || d === undefined) throw new Error(`bad ISO date ${iso}`);
  return dayOf(y, m, d);
}

export function yearOf(day: number): number {
  return new Date(day * DAY_MS).getUTCFullYear();
}

/** The same calendar date `years` later (or earlier); 29 February maps to 28 February. */
export function addYears(day: number, years: number): number {
  const date = new Date(day * DAY_MS);
  const month = date.getUTCMonth();
  let d = date.getUTCDate();
  const year = date.getUTCFullYear() + years;
  if (month === 1 && d === 29 && !isLeap(year)) d = 28;
  return dayOf(year, month + 1, d);
}

function isLeap(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/**
 * Fixed-date public holidays of Kazakhstan, [month, day] (SPEC §3). The audit's copy is
 * HOLIDAYS in `src/core/law/kazakhstan.ts`; keep them in step by hand, never import it.
 */
export const KAZAKHSTAN_HOLIDAYS: readonly (readonly [number, number])[] = [
  [1, 1], [1, 2], [1, 7], [3, 8], [3, 21], [3, 22], [3, 23], [5, 1], [5, 7], [5, 9],
  [7, 6], [8, 30], [10, 25], [12, 16],
];

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** Minute of the day (0–1439) → `HH:MM`. */
export const TIME_OF_MINUTE: readonly string[] = Array.from(
  { length: 1440 },
  (_, m) => `${pad2(Math.floor(m / 60))}:${pad2(m % 60)}`,
);

/** Day tables for the years [fromYear, toYear]. */
export class Calendar {
  readonly first: number;
  readonly last: number;
  private readonly isoDates: string[] = [];
  private readonly dmyDates: string[] = [];
  private readonly working: Uint8Array;
  /** Registration deadline of each arrival day (see registrationDeadline). */
  private readonly deadlines: Int32Array;

  constructor(fromYear: number, toYear: number) {
    this.first = dayOf(fromYear, 1, 1);
    this.last = dayOf(toYear, 12, 31);
    const holidays = new Set(KAZAKHSTAN_HOLIDAYS.map(([m, d]) => m * 100 + d));
    this.working = new Uint8Array(this.last - this.first + 1);
    for (let day = this.first; day <= this.last; day++) {
      const date = new Date(day * DAY_MS);
      const y = date.getUTCFullYear();
      const m = date.getUTCMonth() + 1;
      const d = date.getUTCDate();
      this.isoDates.push(`${y}-${pad2(m)}-${pad2(d)}`);
      this.dmyDates.push(`${pad2(d)}.${pad2(m)}.${y}`);
      const weekday = date.getUTCDay();
      const isWorking = weekday !== 0 && weekday !== 6 && !holidays.has(m * 100 + d);
      this.working[day - this.first] = isWorking ? 1 : 0;
    }
    // The third working day from each arrival day, in one backward pass: `next`
    // holds the first three working days on or after day i.
    this.deadlines = new Int32Array(this.working.length);
    const next: number[] = [];
    for (let i = this.working.length - 1; i >= 0; i--) {
      if (this.working[i] === 1) {
        next.unshift(i);
        if (next.length > 3) next.pop();
      }
      // Near the end of the table, fewer than three working days follow: extrapolate.
      this.deadlines[i] = next.length === 3 ? next[2]! : i + 4;
    }
  }

  private index(day: number): number {
    const i = day - this.first;
    if (i < 0 || day > this.last) throw new RangeError(`day ${day} outside the generator's calendar`);
    return i;
  }

  /** `YYYY-MM-DD`. */
  iso(day: number): string {
    return this.isoDates[this.index(day)] as string;
  }

  /** `DD.MM.YYYY`. */
  dmy(day: number): string {
    return this.dmyDates[this.index(day)] as string;
  }

  isWorkingDay(day: number): boolean {
    return this.working[this.index(day)] === 1;
  }

  /**
   * Last day on which the receiving party may notify: the third working day,
   * counting the arrival day when it is a working day (SPEC §3).
   */
  registrationDeadline(entry: number): number {
    return this.first + this.deadlines[this.index(entry)]!;
  }
}
