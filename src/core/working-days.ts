/**
 * Working-day arithmetic for registration deadlines.
 *
 * A day is a working day unless it is a Saturday, a Sunday, a recurring fixed-date
 * holiday (`MM-DD`, every year) or one of the explicit extra holiday dates. Holidays
 * that fall on a weekend are not moved to the next working day (the rules give fixed
 * dates only); a user who needs transferred days off lists them as extra dates. The
 * holidays themselves are law: `law/kazakhstan.ts`.
 */
import { dayFromIso, isoWeekday, monthDayKey } from './dates.js';
import { KAZAKHSTAN_HOLIDAYS } from './law/kazakhstan.js';
import type { Day } from './types.js';

export { KAZAKHSTAN_HOLIDAYS };

/** A compiled holiday calendar; build it with `createWorkingCalendar`. */
export interface WorkingCalendar {
  /** Recurring holidays as `MM-DD`, as given. */
  readonly monthDays: readonly string[];
  /** Extra one-off holidays as `YYYY-MM-DD`, as given. */
  readonly dates: readonly string[];
  /** Index `month * 100 + day` -> 1 when that month-day is a holiday. */
  readonly monthDayFlags: Uint8Array;
  readonly extraDays: ReadonlySet<Day>;
  /** Deadline memo per (workingDays, entry day): many persons share entry days. */
  readonly deadlineCache: Map<number, Day>;
}

/** `MM-DD` to `month * 100 + day`, or NaN when it is not a month-day that exists in some year (02-29 is allowed). */
export function monthDayKeyFromText(text: string): number {
  if (!/^\d\d-\d\d$/.test(text)) return NaN;
  const m = Number(text.slice(0, 2));
  const d = Number(text.slice(3, 5));
  const max = [0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m];
  if (max === undefined || m < 1 || d < 1 || d > max) return NaN;
  return m * 100 + d;
}

/**
 * Builds a calendar from recurring `MM-DD` holidays and optional one-off ISO dates.
 * Throws a RangeError on a malformed entry (the ruleset parser validates first and
 * reports the field path; this is the last line of defence).
 */
export function createWorkingCalendar(monthDays: readonly string[] = KAZAKHSTAN_HOLIDAYS, dates: readonly string[] = []): WorkingCalendar {
  const flags = new Uint8Array(1232);
  for (const md of monthDays) {
    const key = monthDayKeyFromText(md);
    if (Number.isNaN(key)) throw new RangeError(`not a valid MM-DD holiday: ${JSON.stringify(md)}`);
    flags[key] = 1;
  }
  const extra = new Set<Day>();
  for (const iso of dates) {
    const day = dayFromIso(iso);
    if (Number.isNaN(day)) throw new RangeError(`not a valid YYYY-MM-DD holiday: ${JSON.stringify(iso)}`);
    extra.add(day);
  }
  return { monthDays: [...monthDays], dates: [...dates], monthDayFlags: flags, extraDays: extra, deadlineCache: new Map() };
}

/** The default calendar: Kazakhstan's fixed-date holidays, no extra dates. */
export const KAZAKHSTAN_CALENDAR: WorkingCalendar = createWorkingCalendar(KAZAKHSTAN_HOLIDAYS, []);

export function isHoliday(day: Day, calendar: WorkingCalendar = KAZAKHSTAN_CALENDAR): boolean {
  return calendar.monthDayFlags[monthDayKey(day)] === 1 || (calendar.extraDays.size > 0 && calendar.extraDays.has(day));
}

export function isWorkingDay(day: Day, calendar: WorkingCalendar = KAZAKHSTAN_CALENDAR): boolean {
  return isoWeekday(day) < 6 && !isHoliday(day, calendar);
}

/**
 * The day on which `count` working days have elapsed, counting `from` itself when it
 * is a working day: the `count`-th working day on or after `from` (count >= 1).
 */
export function nthWorkingDayFrom(from: Day, count: number, calendar: WorkingCalendar = KAZAKHSTAN_CALENDAR): Day {
  let seen = 0;
  let day = from;
  for (;;) {
    if (isWorkingDay(day, calendar)) {
      seen++;
      if (seen >= count) return day;
    }
    day++;
  }
}

/**
 * Last day on which the receiving party may notify the arrival: the `workingDays`-th
 * working day counting the arrival day when it is a working day. Arrival on a Monday
 * gives Wednesday; arrival on a Saturday gives Mon, Tue, Wed -> Wednesday; arrival on
 * Wed 2024-03-20 (21-23 March are holidays) gives Mon 25, Tue 26 -> 2024-03-26.
 */
export function registrationDeadline(entryDay: Day, workingDays = 3, calendar: WorkingCalendar = KAZAKHSTAN_CALENDAR): Day {
  const cacheable = workingDays >= 0 && workingDays < 64 && Number.isInteger(workingDays);
  const key = entryDay * 64 + workingDays;
  if (cacheable) {
    const cached = calendar.deadlineCache.get(key);
    if (cached !== undefined) return cached;
  }
  const deadline = nthWorkingDayFrom(entryDay, Math.max(1, workingDays), calendar);
  if (!cacheable) return deadline;
  if (calendar.deadlineCache.size > 100_000) calendar.deadlineCache.clear();
  calendar.deadlineCache.set(key, deadline);
  return deadline;
}

/** Working days in [from, to], both included (0 when to < from). */
export function workingDaysBetween(from: Day, to: Day, calendar: WorkingCalendar = KAZAKHSTAN_CALENDAR): number {
  let n = 0;
  for (let d = from; d <= to; d++) if (isWorkingDay(d, calendar)) n++;
  return n;
}
