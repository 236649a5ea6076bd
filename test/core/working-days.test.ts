import { describe, expect, it } from 'vitest';
import { isoFromDay } from '../../src/core/dates.js';
import {
  createWorkingCalendar, isHoliday, isWorkingDay, KAZAKHSTAN_CALENDAR, nthWorkingDayFrom, registrationDeadline, workingDaysBetween,
} from '../../src/core/working-days.js';
import { d } from './helpers.js';

const deadline = (arrival: string, workingDays = 3, calendar = KAZAKHSTAN_CALENDAR): string =>
  isoFromDay(registrationDeadline(d(arrival), workingDays, calendar));

describe('working days', () => {
  it('weekends and the Kazakhstan holidays are not working days', () => {
    expect(isWorkingDay(d('2024-06-14'))).toBe(true); // Friday
    expect(isWorkingDay(d('2024-06-15'))).toBe(false); // Saturday
    expect(isWorkingDay(d('2024-06-16'))).toBe(false); // Sunday
    expect(isWorkingDay(d('2024-03-21'))).toBe(false); // Nauryz, Thursday
    expect(isHoliday(d('2023-12-16'))).toBe(true);
    expect(isHoliday(d('2023-12-15'))).toBe(false);
    expect(workingDaysBetween(d('2024-03-18'), d('2024-03-24'))).toBe(3); // Mon, Tue, Wed
  });

  it('a holiday on a weekend is not moved', () => {
    // 2024-03-23 is a Saturday and a holiday; Monday 25th is an ordinary working day.
    expect(isWorkingDay(d('2024-03-25'))).toBe(true);
  });
});

describe('registrationDeadline (3 working days counting the arrival day)', () => {
  it('arrival on Monday -> Wednesday', () => {
    expect(deadline('2024-06-10')).toBe('2024-06-12');
  });
  it('arrival on Saturday -> Mon, Tue, Wed -> Wednesday', () => {
    expect(deadline('2024-06-15')).toBe('2024-06-19');
  });
  it('arrival on Sunday -> Wednesday; on Friday -> Fri, Mon, Tue', () => {
    expect(deadline('2024-06-16')).toBe('2024-06-19');
    expect(deadline('2024-06-14')).toBe('2024-06-18');
  });
  it('arrival on Wed 2024-03-20 before the Nauryz holidays (21-23 March) -> Tue 2024-03-26', () => {
    // Wed 20 (1), Thu 21 / Fri 22 / Sat 23 holidays, Sun 24, Mon 25 (2), Tue 26 (3).
    expect(deadline('2024-03-20')).toBe('2024-03-26');
  });
  it('arrival on New Year 2024 (Mon, holiday; Jan 2 holiday) -> Jan 3, 4, 5', () => {
    expect(deadline('2024-01-01')).toBe('2024-01-05');
  });
  it('other numbers of working days and a replaced calendar', () => {
    expect(deadline('2024-06-10', 1)).toBe('2024-06-10');
    expect(deadline('2024-06-10', 5)).toBe('2024-06-14');
    const noHolidays = createWorkingCalendar([], []);
    expect(deadline('2024-03-20', 3, noHolidays)).toBe('2024-03-22');
    const extra = createWorkingCalendar(['03-21'], ['2024-03-22']);
    expect(deadline('2024-03-20', 3, extra)).toBe('2024-03-26');
    expect(isoFromDay(nthWorkingDayFrom(d('2024-03-20'), 2, extra))).toBe('2024-03-25');
  });
  it('rejects malformed holidays', () => {
    expect(() => createWorkingCalendar(['3-21'])).toThrow(RangeError);
    expect(() => createWorkingCalendar(['02-30'])).toThrow(RangeError);
    expect(() => createWorkingCalendar([], ['2024-02-30'])).toThrow(RangeError);
    expect(() => createWorkingCalendar(['02-29'])).not.toThrow();
  });
});
