import { describe, expect, it } from 'vitest';
import { buildStays, daysOfPresence } from '../../src/core/stays.js';
import { crossing, d, iso } from './helpers.js';

const stays = (specs: string[], asOf: string, mode: 'unresolved' | 'present-throughout' = 'unresolved') =>
  buildStays(specs.map((s) => crossing(s)), d(asOf), mode);
const ranges = (r: ReturnType<typeof buildStays>) => r.stays.map((s) => [iso(s.entryDay), iso(s.exitDay)]);

describe('buildStays (SPEC §2)', () => {
  it('pairs each IN with the next OUT; an IN without OUT is open', () => {
    const r = stays(['IN 2024-01-01', 'OUT 2024-01-10', 'IN 2024-02-01'], '2024-03-01');
    expect(ranges(r)).toEqual([['2024-01-01', '2024-01-10'], ['2024-02-01', null]]);
    expect(r.anomalies).toEqual([]);
  });

  it('entry and exit on the same day is one day of presence', () => {
    const r = stays(['IN 2024-05-01 08:00', 'OUT 2024-05-01 20:00'], '2024-06-01');
    expect(ranges(r)).toEqual([['2024-05-01', '2024-05-01']]);
    expect(daysOfPresence(r.stays, d('2024-06-01'))).toBe(1);
  });

  it('a day in two stays counts once', () => {
    const r = stays(['IN 2024-01-01', 'OUT 2024-01-10 09:00', 'IN 2024-01-10 18:00', 'OUT 2024-01-20'], '2024-03-01');
    expect(ranges(r)).toEqual([['2024-01-01', '2024-01-10'], ['2024-01-10', '2024-01-20']]);
    expect(daysOfPresence(r.stays, d('2024-03-01'))).toBe(20);
  });

  it('duplicated crossings (same direction and time) count once', () => {
    const r = stays(['IN 2024-01-01 10:00', 'IN 2024-01-01 10:00', 'OUT 2024-01-05 12:00', 'OUT 2024-01-05 12:00'], '2024-03-01');
    expect(ranges(r)).toEqual([['2024-01-01', '2024-01-05']]);
    expect(r.anomalies).toEqual([]);
  });

  it('an IN and an OUT with the same timestamp: OUT first when a stay is open, IN first otherwise', () => {
    // Date-only files: left and came back the same day.
    const a = stays(['IN 2024-01-01', 'IN 2024-02-01', 'OUT 2024-02-01', 'OUT 2024-02-20'], '2024-03-01');
    expect(ranges(a)).toEqual([['2024-01-01', '2024-02-01'], ['2024-02-01', '2024-02-20']]);
    expect(a.anomalies).toEqual([]);
    // A same-day visit.
    const b = stays(['IN 2024-02-01', 'OUT 2024-02-01'], '2024-03-01');
    expect(ranges(b)).toEqual([['2024-02-01', '2024-02-01']]);
  });

  it('OUT with no open stay: orphan-exit, no stay', () => {
    const r = stays(['OUT 2024-01-05', 'IN 2024-02-01', 'OUT 2024-02-03'], '2024-03-01');
    expect(ranges(r)).toEqual([['2024-02-01', '2024-02-03']]);
    expect(r.anomalies.map((a) => [a.rule, iso(a.day)])).toEqual([['orphan-exit', '2024-01-05']]);
  });

  it('IN while a stay is open: missing-exit; the earlier stay is unresolved (not a stay) by default', () => {
    const r = stays(['IN 2024-01-01', 'IN 2024-02-01', 'OUT 2024-02-10'], '2024-03-01');
    expect(ranges(r)).toEqual([['2024-02-01', '2024-02-10']]);
    expect(r.anomalies.map((a) => [a.rule, iso(a.day), iso(a.openEntryDay)])).toEqual([['missing-exit', '2024-02-01', '2024-01-01']]);
    expect(daysOfPresence(r.stays, d('2024-03-01'))).toBe(10);
  });

  it('missing-exit with "present-throughout": one stay from the first entry', () => {
    const r = stays(['IN 2024-01-01', 'IN 2024-02-01', 'OUT 2024-02-10'], '2024-03-01', 'present-throughout');
    expect(ranges(r)).toEqual([['2024-01-01', '2024-02-10']]);
    expect(r.anomalies.map((a) => a.rule)).toEqual(['missing-exit']);
    expect(daysOfPresence(r.stays, d('2024-03-01'))).toBe(41);
  });

  it('crossings after as-of are not yet known: the stay is open on as-of', () => {
    const r = stays(['IN 2024-01-01', 'OUT 2024-03-05', 'IN 2024-04-01'], '2024-03-01');
    expect(ranges(r)).toEqual([['2024-01-01', null]]);
    expect(r.anomalies).toEqual([]);
  });

  it('a stay carries the citizenship on its entry crossing', () => {
    const r = buildStays([
      { ...crossing('IN 2024-01-01'), citizenship: 'RUS' },
      { ...crossing('OUT 2024-03-15'), citizenship: 'UZB' },
      { ...crossing('IN 2024-08-01'), citizenship: 'UZB' },
    ], d('2024-12-31'));
    expect(r.stays.map((s) => [s.entryCitizenship, s.exitDay === null ? null : iso(s.exitDay)])).toEqual([['RUS', '2024-03-15'], ['UZB', null]]);
  });

  it('unsorted input is put in time order first', () => {
    const r = stays(['OUT 2024-01-10', 'IN 2024-01-01'], '2024-03-01');
    expect(ranges(r)).toEqual([['2024-01-01', '2024-01-10']]);
  });
});
