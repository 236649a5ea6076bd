/**
 * The worked examples of SPEC §3 (default ruleset), one test each. Every example is
 * worked by hand in a comment first; the spec's verdict is what is asserted.
 */
import { describe, expect, it } from 'vitest';
import { auditPerson } from '../../src/core/audit.js';
import { explainPerson } from '../../src/core/explain.js';
import { defaultRuleset } from '../../src/core/ruleset.js';
import { byRule, d, expulsion, iso, overstays, person, readable } from './helpers.js';

const rules = defaultRuleset();

describe('SPEC §3 worked examples', () => {
  it('A: RUS in 2024-01-01, no exit, as of 2024-03-30 is lawful', () => {
    // EAEU (from 2023-01-27): cap 90, window 90 in 180 counting days >= 2023-01-27.
    // Entry day is day 1: Jan 31 + Feb 29 (leap year) + Mar 30 = 90 -> cap end 2024-03-30.
    // Window on 03-30: [2023-10-03, 2024-03-30] holds the 90 days of this stay: 90 <= 90.
    const p = person({ cit: 'RUS', crossings: ['IN 2024-01-01'] });
    const audit = auditPerson(p, rules, d('2024-03-30'));
    expect(overstays(audit)).toEqual([]);
    expect(audit.stays).toHaveLength(1);
    expect(audit.stays[0]).toMatchObject({ regime: 'EAEU', overstay: false, status: 'in-country', daysPresent: 90 });
    expect(iso(audit.stays[0]!.authorisedUntil)).toBe('2024-03-30');
  });

  it('B: same person as of 2024-04-02: stay-limit, last lawful 2024-03-30, 3 days, in-country', () => {
    // Days 03-31, 04-01, 04-02 are after entry + 90 - 1 = 03-30 -> stay-limit (it outranks the
    // window, which would also be over from 03-31). 3 unlawful days, stay still open.
    const p = person({ cit: 'RUS', crossings: ['IN 2024-01-01'] });
    const audit = auditPerson(p, rules, d('2024-04-02'));
    const found = overstays(audit);
    expect(found.map(readable)).toEqual([
      { rule: 'stay-limit', regime: 'EAEU', entry: '2024-01-01', exit: null, first: '2024-03-31', lastLawful: '2024-03-30', days: 3, status: 'in-country' },
    ]);
    expect(found[0]!.detail).toMatchObject({ cap: 90, capEnd: '2024-03-30' });
    expect(audit.stays[0]).toMatchObject({ overstay: true, status: 'in-country', daysPresent: 93 });
    expect(iso(audit.stays[0]!.authorisedUntil)).toBe('2024-03-30');
  });

  it('C: RUS in 2024-01-01 out 2024-03-01, in 2024-03-15, as of 2024-04-14: rolling-limit from 2024-04-13, 2 days', () => {
    // Stay 1: Jan 1..Mar 1 = 31 + 29 + 1 = 61 days.
    // Stay 2 from Mar 15: on Apr 12 it has Mar 15..31 (17) + Apr 1..12 (12) = 29 days.
    // Window on Apr 12 = [2023-10-15, 2024-04-12] holds all 61 + 29 = 90 -> lawful.
    // Window on Apr 13 = [2023-10-16, 2024-04-13]: 61 + 30 = 91 > 90 -> rolling-limit.
    // Cap of stay 2 ends Jun 12, far later. Unlawful: Apr 13, Apr 14 -> 2 days, in-country.
    const p = person({ cit: 'RUS', crossings: ['IN 2024-01-01', 'OUT 2024-03-01', 'IN 2024-03-15'] });
    const audit = auditPerson(p, rules, d('2024-04-14'));
    const found = overstays(audit);
    expect(found.map(readable)).toEqual([
      { rule: 'rolling-limit', regime: 'EAEU', entry: '2024-03-15', exit: null, first: '2024-04-13', lastLawful: '2024-04-12', days: 2, status: 'in-country' },
    ]);
    expect(found[0]!.detail).toEqual({ windowDays: 180, windowMax: 90, windowCount: 91, countFrom: '2023-01-27' });
    expect(audit.stays.map((s) => [iso(s.entryDay), s.overstay, iso(s.authorisedUntil)])).toEqual([
      // Staying on from Jan 1 would have hit the cap first (Mar 30).
      ['2024-01-01', false, '2024-03-30'],
      ['2024-03-15', true, '2024-04-12'],
    ]);
  });

  it('D: RUS in 2025-04-01 out 2025-05-10, in 2025-05-17, as of 2025-07-06: last lawful 2025-07-05, 1 day', () => {
    // Stay 1: Apr 1..May 10 = 30 + 10 = 40 days.
    // Stay 2 from May 17: up to Jul 5 = May 17..31 (15) + June (30) + Jul 1..5 (5) = 50 days.
    // Window on Jul 5 = [2025-01-07, 2025-07-05]: 40 + 50 = 90 -> lawful.
    // Window on Jul 6: 40 + 51 = 91 > 90 -> rolling-limit; 1 unlawful day up to as-of.
    const p = person({ cit: 'RUS', crossings: ['IN 2025-04-01', 'OUT 2025-05-10', 'IN 2025-05-17'] });
    const audit = auditPerson(p, rules, d('2025-07-06'));
    expect(overstays(audit).map(readable)).toEqual([
      { rule: 'rolling-limit', regime: 'EAEU', entry: '2025-05-17', exit: null, first: '2025-07-06', lastLawful: '2025-07-05', days: 1, status: 'in-country' },
    ]);
  });

  it('E: DEU in 2024-06-01, as of 2024-07-01: stay-limit, last lawful 2024-06-30, 1 day', () => {
    // VF-30: cap 30 -> Jun 1..Jun 30 lawful, Jul 1 is day 31 -> stay-limit.
    const p = person({ cit: 'DEU', crossings: ['IN 2024-06-01'] });
    const audit = auditPerson(p, rules, d('2024-07-01'));
    expect(overstays(audit).map(readable)).toEqual([
      { rule: 'stay-limit', regime: 'VF-30', entry: '2024-06-01', exit: null, first: '2024-07-01', lastLawful: '2024-06-30', days: 1, status: 'in-country' },
    ]);
    expect(overstays(audit)[0]!.detail).toEqual({ cap: 30, capEnd: '2024-06-30' });
  });

  it('F: RUS 2022 visa runs (pre-2023 cap only) are lawful', () => {
    // Before 2023-01-27 EAEU has a per-entry cap of 90 and no window.
    // Stay 1: Mar 1..May 20 = 31 + 30 + 20 = 81 <= 90. Stay 2: May 21..Jul 1 = 11 + 30 + 1 = 42 <= 90.
    // 123 days within 180 would break a 90/180 window, but there is none before 2023-01-27.
    const p = person({ cit: 'RUS', crossings: ['IN 2022-03-01', 'OUT 2022-05-20', 'IN 2022-05-21', 'OUT 2022-07-01'] });
    const audit = auditPerson(p, rules, d('2022-12-31'));
    expect(overstays(audit)).toEqual([]);
    expect(audit.stays.map((s) => [s.regime, s.daysPresent, s.status, iso(s.authorisedUntil)])).toEqual([
      ['EAEU', 81, 'departed', '2022-05-29'],
      ['EAEU', 42, 'departed', '2022-08-18'],
    ]);
  });

  it('G: KGZ in 2024-01-10 with TRP 2024-03-01..2024-12-31 is lawful as of 2024-11-01', () => {
    // Uncovered: Jan 10..31 (22) + Feb 1..29 (29) = 51 days, under the cap (90) and the window (90).
    // From Mar 1 every day is covered: lawful and not counted. The cap end (Apr 8) falls on covered days.
    const p = person({ cit: 'KGZ', crossings: ['IN 2024-01-10'], permits: [{ from: '2024-03-01', until: '2024-12-31' }] });
    const audit = auditPerson(p, rules, d('2024-11-01'));
    expect(overstays(audit)).toEqual([]);
    // Staying on, the TRP's end is the last authorised day.
    expect(iso(audit.stays[0]!.authorisedUntil)).toBe('2024-12-31');
    expect(explainPerson(p, rules, d('2024-02-29')).daysUsedInWindow).toBe(51);
    expect(explainPerson(p, rules, d('2024-11-01')).daysUsedInWindow).toBe(0);
  });

  it('H: KGZ in 2024-01-10, TRP 2024-03-01..2024-06-30, no exit, as of 2024-07-10: permit-expired, 10 days', () => {
    // Jan 10..Feb 29 uncovered (51 days, lawful), Mar 1..Jun 30 covered, Jul 1..Jul 10 are
    // after the last covered day (grace 0) -> permit-expired, 10 days, in-country.
    const p = person({ cit: 'KGZ', crossings: ['IN 2024-01-10'], permits: [{ no: 'TRP-7', from: '2024-03-01', until: '2024-06-30' }] });
    const audit = auditPerson(p, rules, d('2024-07-10'));
    const found = overstays(audit);
    expect(found.map(readable)).toEqual([
      { rule: 'permit-expired', regime: 'EAEU', entry: '2024-01-10', exit: null, first: '2024-07-01', lastLawful: '2024-06-30', days: 10, status: 'in-country' },
    ]);
    expect(found[0]!.detail).toEqual({ permitNo: 'TRP-7', permitKind: 'trp', permitEnd: '2024-06-30', graceDays: 0 });
    expect(iso(audit.stays[0]!.authorisedUntil)).toBe('2024-06-30');
  });

  it('I: TJK expelled 2021-05-20: an entry on 2025-09-01 breaches the ban, one on 2026-05-20 does not', () => {
    // Ban start 2021-05-20 (expelled_on), 5 years -> ban ends 2026-05-20; entries strictly between breach.
    // 2025-09-01: breach, days = 1 (entry day up to as-of). 2026-05-20 is the end day itself: no breach.
    const expelled = [expulsion('2021-05-10', '2021-05-20')];
    const breach = auditPerson(person({ cit: 'TJK', crossings: ['IN 2025-09-01'], expulsions: expelled }), rules, d('2025-09-01'));
    expect(byRule(breach, 'ban-breach').map(readable)).toEqual([
      { rule: 'ban-breach', regime: 'CIS-90', entry: '2025-09-01', exit: null, first: '2025-09-01', lastLawful: null, days: 1, status: 'in-country' },
    ]);
    expect(byRule(breach, 'ban-breach')[0]!.detail).toEqual({ banStart: '2021-05-20', banEnd: '2026-05-20', banYears: 5, decidedOn: '2021-05-10' });
    const after = auditPerson(person({ cit: 'TJK', crossings: ['IN 2026-05-20'], expulsions: expelled }), rules, d('2026-05-20'));
    expect(byRule(after, 'ban-breach')).toEqual([]);
    // Only a decision date: the ban starts on it.
    const decidedOnly = auditPerson(person({ cit: 'TJK', crossings: ['IN 2025-09-01'], expulsions: [expulsion('2021-05-20')] }), rules, d('2025-09-01'));
    expect(byRule(decidedOnly, 'ban-breach')).toHaveLength(1);
  });
});
