/**
 * Calendar days as integers (days since 1970-01-01), without `Date` objects.
 *
 * The importers call `dayFromIso` for every date of every row (tens of millions of
 * calls for a national year), so it parses with `charCodeAt` and converts with
 * Howard Hinnant's days-from-civil formula: no allocation, no time zones.
 *
 * Invalid input (wrong shape, month 13, 31 February...) makes `dayFromIso` return
 * `NaN` rather than throw, so a hot loop can test `Number.isNaN` and reject the row
 * itself; `dayFromIsoStrict` throws a `RangeError` for code paths where a bad date is
 * a bug or a configuration error.
 */
import type { Day } from './types.js';

export interface CivilDate {
  year: number;
  /** 1..12 */
  month: number;
  /** 1..31 */
  day: number;
}

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

const DAYS_IN_MONTH = [0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] as const;

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return DAYS_IN_MONTH[month] ?? NaN;
}

/** Days since 1970-01-01 of a civil date; the caller guarantees the date is valid. */
export function dayFromCivil(year: number, month: number, day: number): Day {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** Internal: the civil fields of a day, written into a reused scratch record. */
const scratch: CivilDate = { year: 0, month: 0, day: 0 };

function civilInto(day: Day, out: CivilDate): CivilDate {
  const z = day + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  out.year = yoe + era * 400 + (m <= 2 ? 1 : 0);
  out.month = m;
  out.day = d;
  return out;
}

/** The civil date (year, month, day) of a day. Allocates one small object. */
export function civilFromDay(day: Day): CivilDate {
  return civilInto(day, { year: 0, month: 0, day: 0 });
}

/** `month * 100 + dayOfMonth` of a day (e.g. 321 for 21 March), without allocation. */
export function monthDayKey(day: Day): number {
  const c = civilInto(day, scratch);
  return c.month * 100 + c.day;
}

function digit(s: string, i: number): number {
  const c = s.charCodeAt(i) - 48;
  return c >= 0 && c <= 9 ? c : NaN;
}

/**
 * `YYYY-MM-DD` to a Day; `NaN` when the text is not such a date or the date does
 * not exist (2023-02-29, 2024-04-31, month 00...). A longer string is accepted when
 * the date is followed by `T` or a space (a date-time such as `Crossing.at`); the
 * time part is not looked at.
 */
export function dayFromIso(iso: string): Day {
  if (iso.length !== 10) {
    if (iso.length < 10) return NaN;
    const sep = iso.charCodeAt(10);
    if (sep !== 32 /* ' ' */ && sep !== 84 /* 'T' */) return NaN;
  }
  if (iso.charCodeAt(4) !== 45 || iso.charCodeAt(7) !== 45) return NaN;
  const year = digit(iso, 0) * 1000 + digit(iso, 1) * 100 + digit(iso, 2) * 10 + digit(iso, 3);
  const month = digit(iso, 5) * 10 + digit(iso, 6);
  const day = digit(iso, 8) * 10 + digit(iso, 9);
  // NaN propagates through the arithmetic above and fails every comparison below.
  if (!(month >= 1 && month <= 12 && day >= 1)) return NaN;
  if (!(day <= (month === 2 ? (isLeapYear(year) ? 29 : 28) : (DAYS_IN_MONTH[month] as number)))) return NaN;
  return dayFromCivil(year, month, day);
}

/** Like `dayFromIso` but throws a `RangeError` naming the text when it is not a valid date. */
export function dayFromIsoStrict(iso: string): Day {
  const day = dayFromIso(iso);
  if (Number.isNaN(day)) throw new RangeError(`not a valid YYYY-MM-DD date: ${JSON.stringify(iso)}`);
  return day;
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

function pad4(n: number): string {
  if (n >= 1000) return String(n);
  return String(n).padStart(4, '0');
}

/** Memo of ISO texts for 1970..2079: findings of millions of persons share a few thousand days. */
const ISO_CACHE_SIZE = 40177;
const isoCache: Array<string | undefined> = new Array<string | undefined>(ISO_CACHE_SIZE);

/** A Day as `YYYY-MM-DD`. */
export function isoFromDay(day: Day): string {
  const cacheable = day >= 0 && day < ISO_CACHE_SIZE && Number.isInteger(day);
  if (cacheable) {
    const hit = isoCache[day];
    if (hit !== undefined) return hit;
  }
  const c = civilInto(day, scratch);
  const text = `${pad4(c.year)}-${pad2(c.month)}-${pad2(c.day)}`;
  if (cacheable) isoCache[day] = text;
  return text;
}

/** A Day as `YYYY-MM-DD`, or null for null. */
export function isoOrNull(day: Day | null): string | null {
  return day === null ? null : isoFromDay(day);
}

/** The same calendar date `years` later (or earlier when negative); 29 February maps to 28 February in a common year. */
export function addYearsClamped(day: Day, years: number): Day {
  const c = civilInto(day, scratch);
  const year = c.year + years;
  const dom = c.month === 2 && c.day === 29 && !isLeapYear(year) ? 28 : c.day;
  return dayFromCivil(year, c.month, dom);
}

/** ISO weekday: 1 = Monday ... 7 = Sunday. (1970-01-01, day 0, was a Thursday.) */
export function isoWeekday(day: Day): number {
  return ((((day + 3) % 7) + 7) % 7) + 1;
}

/** Saturday or Sunday. */
export function isWeekend(day: Day): boolean {
  return isoWeekday(day) >= 6;
}
