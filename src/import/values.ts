/**
 * Cell value parsers. Each takes a trimmed, non-empty cell and returns the normalised
 * value, or null when the value cannot be understood (the caller words the reason).
 *
 * These run once per cell on files of millions of rows, so they check characters by
 * code instead of using regular expressions, and return the input string unchanged
 * whenever it is already in the normal form.
 */

// ---------------------------------------------------------------- dates

/** Years outside this range are typing errors (`0000`, `0202`); 9999 is a common "no end". */
const MIN_YEAR = 1900;
const MAX_YEAR = 9999;

function digit(s: string, i: number): number {
  const c = s.charCodeAt(i) - 48;
  return c >= 0 && c <= 9 ? c : -1000;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

function validDate(year: number, month: number, day: number): boolean {
  return (
    year >= MIN_YEAR && year <= MAX_YEAR && month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month)
  );
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/**
 * Parses the date at the start of `s`. Returns the ISO date and the index just after
 * it, or null. Accepts `YYYY-MM-DD` and `DD.MM.YYYY` (day and month may have one digit,
 * as Excel sometimes writes them).
 */
function parseDatePrefix(s: string): { iso: string; end: number } | null {
  if (s.length >= 10 && s.charCodeAt(4) === 45 /* - */ && s.charCodeAt(7) === 45) {
    const year = digit(s, 0) * 1000 + digit(s, 1) * 100 + digit(s, 2) * 10 + digit(s, 3);
    const month = digit(s, 5) * 10 + digit(s, 6);
    const day = digit(s, 8) * 10 + digit(s, 9);
    if (!validDate(year, month, day)) return null;
    return { iso: s.length === 10 ? s : s.slice(0, 10), end: 10 };
  }
  // D.M.YYYY with 1 or 2 digit day and month
  const dot1 = s.charCodeAt(1) === 46 /* . */ ? 1 : s.charCodeAt(2) === 46 ? 2 : -1;
  if (dot1 < 0) return null;
  const dot2 = s.charCodeAt(dot1 + 2) === 46 ? dot1 + 2 : s.charCodeAt(dot1 + 3) === 46 ? dot1 + 3 : -1;
  if (dot2 < 0 || s.length < dot2 + 5) return null;
  const day = dot1 === 1 ? digit(s, 0) : digit(s, 0) * 10 + digit(s, 1);
  const month = dot2 - dot1 === 2 ? digit(s, dot1 + 1) : digit(s, dot1 + 1) * 10 + digit(s, dot1 + 2);
  const y = dot2 + 1;
  const year = digit(s, y) * 1000 + digit(s, y + 1) * 100 + digit(s, y + 2) * 10 + digit(s, y + 3);
  if (!validDate(year, month, day)) return null;
  return { iso: `${s.slice(y, y + 4)}-${pad2(month)}-${pad2(day)}`, end: y + 4 };
}

/**
 * Parses `H:MM`, `HH:MM`, `HH:MM:SS`, optionally with fractional seconds (dropped),
 * from `start` to the end of `s`. Returns `HH:MM:SS` or null. A time zone suffix
 * (`Z`, `+05:00`) is refused: a day is the calendar date at the border, not a UTC instant.
 */
function parseTime(s: string, start: number): string | null {
  const n = s.length;
  let i = start;
  let hour = digit(s, i++);
  if (s.charCodeAt(i) !== 58 /* : */) hour = hour * 10 + digit(s, i++);
  if (s.charCodeAt(i++) !== 58) return null;
  const minute = digit(s, i) * 10 + digit(s, i + 1);
  i += 2;
  let second = 0;
  if (i < n) {
    if (s.charCodeAt(i) !== 58) return null;
    second = digit(s, i + 1) * 10 + digit(s, i + 2);
    i += 3;
    if (i < n) {
      // fractional seconds: ".123" or ",123"
      const c = s.charCodeAt(i);
      if (c !== 46 && c !== 44) return null;
      if (++i === n) return null;
      for (; i < n; i++) if (digit(s, i) < 0) return null;
    }
  }
  if (i > n || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) return null;
  if (i - start === 8) return start === 0 && i === n ? s : s.slice(start, i); // already HH:MM:SS
  return `${pad2(hour)}:${pad2(minute)}:${pad2(second)}`;
}

/**
 * `YYYY-MM-DD` or `DD.MM.YYYY` → `YYYY-MM-DD`. A date-time at midnight is accepted too
 * (database exports write dates as `2025-01-05 00:00:00`); any other time is refused
 * rather than silently dropped.
 */
export function parseDate(s: string): string | null {
  const n = s.length;
  if (n === 10 && s.charCodeAt(4) === 45 && s.charCodeAt(7) === 45) {
    // Fast path, no allocation: already `YYYY-MM-DD`.
    const year = digit(s, 0) * 1000 + digit(s, 1) * 100 + digit(s, 2) * 10 + digit(s, 3);
    return validDate(year, digit(s, 5) * 10 + digit(s, 6), digit(s, 8) * 10 + digit(s, 9)) ? s : null;
  }
  const date = parseDatePrefix(s);
  if (date === null) return null;
  if (date.end === n) return date.iso;
  const time = parseDateTimeRest(s, date.end);
  return time === '00:00:00' ? date.iso : null;
}

function parseDateTimeRest(s: string, end: number): string | null {
  const sep = s.charCodeAt(end);
  if (sep !== 32 /* space */ && sep !== 84 /* T */) return null;
  let start = end + 1;
  while (s.charCodeAt(start) === 32) start++;
  return parseTime(s, start);
}

/**
 * Date-time → `YYYY-MM-DD HH:MM:SS`. The date is as in `parseDate`, followed by a space
 * or `T` and `HH:MM[:SS]`; a bare date means `00:00:00`.
 */
export function parseDateTime(s: string): string | null {
  // Fast path: already `YYYY-MM-DD HH:MM:SS`.
  if (
    s.length === 19 && s.charCodeAt(4) === 45 && s.charCodeAt(7) === 45 && s.charCodeAt(10) === 32 &&
    s.charCodeAt(13) === 58 && s.charCodeAt(16) === 58
  ) {
    const year = digit(s, 0) * 1000 + digit(s, 1) * 100 + digit(s, 2) * 10 + digit(s, 3);
    const month = digit(s, 5) * 10 + digit(s, 6);
    const day = digit(s, 8) * 10 + digit(s, 9);
    const hour = digit(s, 11) * 10 + digit(s, 12);
    const minute = digit(s, 14) * 10 + digit(s, 15);
    const second = digit(s, 17) * 10 + digit(s, 18);
    if (
      validDate(year, month, day) &&
      hour >= 0 && hour <= 23 && minute >= 0 && minute <= 59 && second >= 0 && second <= 59
    ) return s;
    return null;
  }
  const date = parseDatePrefix(s);
  if (date === null) return null;
  if (date.end === s.length) return `${date.iso} 00:00:00`;
  const time = parseDateTimeRest(s, date.end);
  return time === null ? null : `${date.iso} ${time}`;
}

/** Appends a separate time cell (`HH:MM[:SS]`) to a date; null when the time is invalid. */
export function combineDateAndTime(isoDate: string, time: string): string | null {
  const t = parseTime(time, 0);
  return t === null ? null : `${isoDate} ${t}`;
}

/** Whether a value that failed to parse carries a time zone (for a precise reason). */
export function hasTimeZone(s: string): boolean {
  return /(?:Z|[+-]\d{2}:?\d{2})$/i.test(s) && s.length > 16;
}

// ---------------------------------------------------------------- words

function table<T>(entries: Record<string, T>): Map<string, T> {
  const map = new Map<string, T>();
  for (const [key, value] of Object.entries(entries)) {
    const lower = key.toLowerCase();
    map.set(lower, value);
    // Exact-case hits skip toLowerCase for the usual spellings.
    map.set(lower.toUpperCase(), value);
    map.set(lower.charAt(0).toUpperCase() + lower.slice(1), value);
  }
  return map;
}

function lookup<T>(map: Map<string, T>, s: string): T | null {
  return map.get(s) ?? map.get(s.toLowerCase().replace(/ё/g, 'е')) ?? null;
}

const DIRECTIONS = table<'IN' | 'OUT'>({
  in: 'IN', out: 'OUT',
  entry: 'IN', exit: 'OUT',
  enter: 'IN', arrival: 'IN', departure: 'OUT',
  e: 'IN', x: 'OUT',
  '1': 'IN', '2': 'OUT',
  въезд: 'IN', выезд: 'OUT',
  прибытие: 'IN', убытие: 'OUT',
  кіру: 'IN', шығу: 'OUT',
  // Kazakh typed without Kazakh letters (Latin/Ukrainian i, г for ғ)
  кiру: 'IN', киру: 'IN', шыгу: 'OUT',
});

/** Direction word → `IN`/`OUT`, or null. */
export function parseDirection(s: string): 'IN' | 'OUT' | null {
  if (s === 'IN') return 'IN';
  if (s === 'OUT') return 'OUT';
  return lookup(DIRECTIONS, s);
}

export const DIRECTION_WORDS = 'IN/OUT, ENTRY/EXIT, E/X, 1/2, Въезд/Выезд, Кіру/Шығу';

const SEXES = table<'M' | 'F' | 'unknown'>({
  m: 'M', f: 'F', male: 'M', female: 'F',
  // Cyrillic М (looks like Latin M) and Ж
  '\u043c': 'M', '\u0436': 'F', муж: 'M', жен: 'F', мужской: 'M', женский: 'F', мужчина: 'M', женщина: 'F',
  // Kazakh: ер/еркек, әйел (passports print Е / Ә)
  ер: 'M', еркек: 'M', әйел: 'F', '\u0435': 'M', '\u04d9': 'F',
  // ICAO "unspecified"
  x: 'unknown', u: 'unknown', '<': 'unknown', unknown: 'unknown', 'не указан': 'unknown',
});

/**
 * Sex → `M`/`F`; null for "unspecified" and for anything unrecognised. Sex is
 * descriptive only (no rule reads it), so an odd value never costs the row.
 */
export function parseSex(s: string): 'M' | 'F' | null {
  const v = lookup(SEXES, s);
  return v === 'M' || v === 'F' ? v : null;
}

const PERMIT_KINDS = table<'trp' | 'visa'>({
  trp: 'trp', 'temporary residence permit': 'trp', 'residence permit': 'trp', residence: 'trp',
  рвп: 'trp', внж: 'trp', 'разрешение на временное проживание': 'trp', 'разрешение на временное пребывание': 'trp',
  'вид на жительство': 'trp', 'уақытша тұруға рұқсат': 'trp',
  visa: 'visa', виза: 'visa',
});

/** Permit kind → `trp`/`visa`, or null. (An empty cell means `trp`: the caller decides.) */
export function parsePermitKind(s: string): 'trp' | 'visa' | null {
  return lookup(PERMIT_KINDS, s);
}

const PERMIT_STATUSES = table<'active' | 'revoked' | 'annulled'>({
  active: 'active', valid: 'active', issued: 'active',
  действует: 'active', действующий: 'active', действующее: 'active', действительно: 'active',
  действительный: 'active', активно: 'active', активный: 'active', выдано: 'active', жарамды: 'active',
  revoked: 'revoked', отозвано: 'revoked', отозван: 'revoked', отзыв: 'revoked', 'кері қайтарылды': 'revoked',
  annulled: 'annulled', cancelled: 'annulled', canceled: 'annulled', аннулировано: 'annulled',
  аннулирован: 'annulled', аннулирование: 'annulled', 'жойылды': 'annulled', 'күшін жойды': 'annulled',
});

/** Permit status → `active`/`revoked`/`annulled`, or null. (Empty means `active`.) */
export function parsePermitStatus(s: string): 'active' | 'revoked' | 'annulled' | null {
  return lookup(PERMIT_STATUSES, s);
}

/** Re-entry ban in whole years, 0–99 (`5`, also `5.0` as spreadsheets write it), or null. */
export function parseBanYears(s: string): number | null {
  let n = s.length;
  if (n > 2 && s.charCodeAt(n - 2) === 46 && s.charCodeAt(n - 1) === 48) n -= 2; // "5.0"
  if (n === 0 || n > 2) return null;
  let value = 0;
  for (let i = 0; i < n; i++) {
    const d = digit(s, i);
    if (d < 0) return null;
    value = value * 10 + d;
  }
  return value;
}

// ---------------------------------------------------------------- identifiers

function isRemovable(c: number): boolean {
  return c === 32 || c === 45 || c === 9 || c === 0xa0 || (c >= 0x2010 && c <= 0x2015) || c === 0x2212;
}

/** Document number as compared: upper-case, spaces and dashes removed. */
export function normaliseDocumentNo(s: string): string {
  const upper = s.toUpperCase();
  for (let i = 0; i < upper.length; i++) {
    if (isRemovable(upper.charCodeAt(i))) {
      let out = '';
      for (let j = 0; j < upper.length; j++) {
        const c = upper.charCodeAt(j);
        if (!isRemovable(c)) out += upper[j];
      }
      return out;
    }
  }
  return upper;
}

/** The person key of SPEC §5: person_id, else `CITIZENSHIP:DOCUMENT_NO` (normalised). */
export function personKeyOf(personId: string | null, citizenship: string, documentNo: string): string {
  return personId !== null ? personId : `${citizenship}:${documentNo}`;
}
