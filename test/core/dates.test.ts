import { describe, expect, it } from 'vitest';
import {
  addYearsClamped, civilFromDay, dayFromIso, dayFromIsoStrict, isoFromDay, isoWeekday, isWeekend, monthDayKey,
} from '../../src/core/dates.js';

describe('dayFromIso / isoFromDay', () => {
  it('day 0 is 1970-01-01', () => {
    expect(dayFromIso('1970-01-01')).toBe(0);
    expect(isoFromDay(0)).toBe('1970-01-01');
    expect(dayFromIso('1969-12-31')).toBe(-1);
    expect(isoFromDay(-1)).toBe('1969-12-31');
  });

  it('agrees with Date.UTC on every day from 1899 to 2101 and round-trips', () => {
    const start = Date.UTC(1899, 0, 1) / 86_400_000;
    const stop = Date.UTC(2101, 11, 31) / 86_400_000;
    for (let day = start; day <= stop; day++) {
      const text = new Date(day * 86_400_000).toISOString().slice(0, 10);
      if (dayFromIso(text) !== day || isoFromDay(day) !== text) {
        expect([text, dayFromIso(text), isoFromDay(day)]).toEqual([text, day, text]);
      }
    }
  });

  it('rejects impossible and malformed dates with NaN', () => {
    for (const bad of ['2023-02-29', '2100-02-29', '2024-04-31', '2024-02-30', '2024-13-01', '2024-00-10', '2024-01-00', '2024-1-01', '24-01-01', '', 'abcd-ef-gh', '2024/01/01', '2024-01-01X', ' 2024-01-01']) {
      expect(dayFromIso(bad), bad).toBeNaN();
    }
    expect(dayFromIso('2024-02-29')).toBe(dayFromIso('2024-03-01') - 1);
    expect(dayFromIso('2000-02-29')).not.toBeNaN();
  });

  it('reads the date of a date-time', () => {
    expect(dayFromIso('2024-03-01 23:59:59')).toBe(dayFromIso('2024-03-01'));
    expect(dayFromIso('2024-03-01T08:00')).toBe(dayFromIso('2024-03-01'));
  });

  it('dayFromIsoStrict throws a RangeError naming the text', () => {
    expect(() => dayFromIsoStrict('2023-02-29')).toThrow(RangeError);
    expect(() => dayFromIsoStrict('31.02.2024')).toThrow(/31\.02\.2024/);
  });

  it('civilFromDay and monthDayKey', () => {
    expect(civilFromDay(dayFromIso('2024-02-29'))).toEqual({ year: 2024, month: 2, day: 29 });
    expect(monthDayKey(dayFromIso('2025-03-21'))).toBe(321);
  });
});

describe('addYearsClamped', () => {
  it('keeps the calendar date', () => {
    expect(isoFromDay(addYearsClamped(dayFromIso('2021-05-20'), 5))).toBe('2026-05-20');
    expect(isoFromDay(addYearsClamped(dayFromIso('2021-05-20'), -1))).toBe('2020-05-20');
  });
  it('maps 29 February to 28 February in a common year', () => {
    expect(isoFromDay(addYearsClamped(dayFromIso('2020-02-29'), 5))).toBe('2025-02-28');
    expect(isoFromDay(addYearsClamped(dayFromIso('2020-02-29'), 4))).toBe('2024-02-29');
    expect(isoFromDay(addYearsClamped(dayFromIso('2020-02-29'), 80))).toBe('2100-02-28');
  });
});

describe('weekdays', () => {
  it('1970-01-01 was a Thursday, 2024-01-01 a Monday', () => {
    expect(isoWeekday(0)).toBe(4);
    expect(isoWeekday(dayFromIso('2024-01-01'))).toBe(1);
    expect(isoWeekday(dayFromIso('2024-06-16'))).toBe(7);
    expect(isoWeekday(dayFromIso('1969-12-28'))).toBe(7);
    expect(isWeekend(dayFromIso('2024-06-15'))).toBe(true);
    expect(isWeekend(dayFromIso('2024-06-14'))).toBe(false);
  });
});
