/**
 * The rules of SPEC §3 one by one. Each case is worked out by hand in its comment.
 * Registration findings are checked in their own block; elsewhere only overstays are asserted.
 */
import { describe, expect, it } from 'vitest';
import { auditPerson } from '../../src/core/audit.js';
import { explainPerson } from '../../src/core/explain.js';
import { defaultRuleset, parseRuleset } from '../../src/core/ruleset.js';
import type { PersonTimeline } from '../../src/core/types.js';
import { byRule, crossing, d, expulsion, iso, overstays, person, readable, registration } from './helpers.js';

const rules = defaultRuleset();
const audit = (p: PersonTimeline, asOf: string, ruleset = rules) => auditPerson(p, ruleset, d(asOf));
const over = (p: PersonTimeline, asOf: string, ruleset = rules) => overstays(audit(p, asOf, ruleset)).map(readable);
const testRules = parseRuleset({
  extends: 'default',
  name: 'test',
  regimes: [
    { name: 'VISA-CAPPED', countries: ['XXA'], cap: 10, requiresVisa: true },
    { name: 'WINDOW-ONLY', countries: ['AAA'], window: { days: 180, max: 90 } },
  ],
}, 'test.json');

describe('precedence: covered > permit-expired > no-basis > stay-limit > rolling-limit > lawful', () => {
  it('covered beats no-basis: a visa holder from a visa country is lawful', () => {
    const p = person({ cit: 'NGA', crossings: ['IN 2024-01-05', 'OUT 2024-01-20'], permits: [{ kind: 'visa', from: '2024-01-01', until: '2024-01-31' }] });
    const a = audit(p, '2024-02-15');
    expect(overstays(a)).toEqual([]);
    expect(iso(a.stays[0]!.authorisedUntil)).toBe('2024-01-31');
  });

  it('permit-expired beats no-basis: days after the visa ends', () => {
    // Visa to Jan 10; Jan 11..15 uncovered after a covered day of this stay -> permit-expired, 5 days.
    const p = person({ cit: 'NGA', crossings: ['IN 2024-01-05'], permits: [{ kind: 'visa', from: '2024-01-01', until: '2024-01-10' }] });
    expect(over(p, '2024-01-15')).toEqual([
      { rule: 'permit-expired', regime: 'visa', entry: '2024-01-05', exit: null, first: '2024-01-11', lastLawful: '2024-01-10', days: 5, status: 'in-country' },
    ]);
  });

  it('no-basis before the visa starts; the finding is labelled by its first unlawful day and counts all unlawful days', () => {
    // Jan 1, 2 no-basis; Jan 3..10 covered; Jan 11..15 permit-expired -> one finding, rule no-basis, 2 + 5 = 7 days.
    const p = person({ cit: 'NGA', crossings: ['IN 2024-01-01'], permits: [{ kind: 'visa', from: '2024-01-03', until: '2024-01-10' }] });
    const a = audit(p, '2024-01-15');
    expect(overstays(a).map(readable)).toEqual([
      { rule: 'no-basis', regime: 'visa', entry: '2024-01-01', exit: null, first: '2024-01-01', lastLawful: '2023-12-31', days: 7, status: 'in-country' },
    ]);
    // Unlawful from the entry day: never authorised.
    expect(a.stays[0]!.authorisedUntil).toBeNull();
  });

  it('permit-expired beats stay-limit and the window: a RUS TRP holder is over the day after the TRP, cap or not', () => {
    // Cap would allow to Mar 30, but Jan 11..20 follow the last covered day (Jan 10).
    const p = person({ cit: 'RUS', crossings: ['IN 2024-01-01'], permits: [{ from: '2024-01-01', until: '2024-01-10' }] });
    expect(over(p, '2024-01-20')).toEqual([
      { rule: 'permit-expired', regime: 'EAEU', entry: '2024-01-01', exit: null, first: '2024-01-11', lastLawful: '2024-01-10', days: 10, status: 'in-country' },
    ]);
  });

  it('no-basis beats stay-limit', () => {
    // VISA-CAPPED: cap 10 and a visa needed; with no permit every day is no-basis (20 days), never stay-limit.
    const p = person({ cit: 'XXA', crossings: ['IN 2024-01-01'] });
    expect(over(p, '2024-01-20', testRules)).toEqual([
      { rule: 'no-basis', regime: 'VISA-CAPPED', entry: '2024-01-01', exit: null, first: '2024-01-01', lastLawful: '2023-12-31', days: 20, status: 'in-country' },
    ]);
  });

  it('stay-limit beats rolling-limit on the same day (example B: both are over from Mar 31)', () => {
    const p = person({ cit: 'RUS', crossings: ['IN 2024-01-01'] });
    expect(over(p, '2024-04-02')[0]).toMatchObject({ rule: 'stay-limit', first: '2024-03-31' });
  });

  it('rolling-limit first, then stay-limit: one finding, labelled rolling-limit, counting both', () => {
    // Stay 1: Jan 1..10 (10 days). Stay 2 from Feb 1: count = 10 + n; over when n = 81 -> Feb 1 + 80 = Apr 21.
    // Cap end of stay 2 = Feb 1 + 89 = Apr 30. Unlawful: Apr 21..30 (rolling, 10) + May 1..15 (stay-limit, 15) = 25.
    const p = person({ cit: 'RUS', crossings: ['IN 2024-01-01', 'OUT 2024-01-10', 'IN 2024-02-01'] });
    const f = overstays(audit(p, '2024-05-15'));
    expect(f.map(readable)).toEqual([
      { rule: 'rolling-limit', regime: 'EAEU', entry: '2024-02-01', exit: null, first: '2024-04-21', lastLawful: '2024-04-20', days: 25, status: 'in-country' },
    ]);
    expect(f[0]!.detail).toMatchObject({ windowCount: 91, windowMax: 90 });
  });
});

describe('per-entry cap and the rolling window', () => {
  it('leap year: entry 2024-02-01 -> cap end 2024-04-30 (29 + 31 + 30 = 90)', () => {
    const p = person({ cit: 'RUS', crossings: ['IN 2024-02-01'] });
    expect(over(p, '2024-04-30')).toEqual([]);
    expect(over(p, '2024-05-01')).toMatchObject([{ rule: 'stay-limit', first: '2024-05-01', days: 1 }]);
  });

  it('common year: entry 2023-02-01 -> cap end 2023-05-01 (28 + 31 + 30 + 1 = 90)', () => {
    const p = person({ cit: 'RUS', crossings: ['IN 2023-02-01'] });
    expect(over(p, '2023-05-01')).toEqual([]);
    expect(over(p, '2023-05-02')).toMatchObject([{ rule: 'stay-limit', first: '2023-05-02', lastLawful: '2023-05-01', days: 1 }]);
  });

  it('window alone: day 90 lawful, day 91 rolling-limit', () => {
    const p = person({ cit: 'AAA', crossings: ['IN 2024-01-01'] });
    expect(over(p, '2024-03-30', testRules)).toEqual([]);
    expect(over(p, '2024-03-31', testRules)).toMatchObject([{ rule: 'rolling-limit', first: '2024-03-31', days: 1 }]);
  });

  it('window boundary across 29 Feb: day − 179 is inside the window', () => {
    // Window on 2024-06-30 = [2024-01-03, 2024-06-30] (day of year 182 − 179 = 3).
    // Stay 2 from Apr 2 has 29 + 31 + 30 = 90 days by Jun 30 (its cap end). With Jan 3 present: 91 -> rolling-limit.
    const p = person({ cit: 'RUS', crossings: ['IN 2024-01-03 08:00', 'OUT 2024-01-03 20:00', 'IN 2024-04-02'] });
    const f = overstays(audit(p, '2024-06-30'));
    expect(f.map(readable)).toEqual([
      { rule: 'rolling-limit', regime: 'EAEU', entry: '2024-04-02', exit: null, first: '2024-06-30', lastLawful: '2024-06-29', days: 1, status: 'in-country' },
    ]);
    expect(f[0]!.detail).toMatchObject({ windowCount: 91 });
  });

  it('window boundary: day − 180 is outside the window', () => {
    // Same, with the one-day stay on Jan 2: on Jun 30 the window holds 90 days -> lawful; Jul 1 passes the cap.
    const p = person({ cit: 'RUS', crossings: ['IN 2024-01-02 08:00', 'OUT 2024-01-02 20:00', 'IN 2024-04-02'] });
    expect(over(p, '2024-06-30')).toEqual([]);
    expect(over(p, '2024-07-01')).toMatchObject([{ rule: 'stay-limit', first: '2024-07-01' }]);
  });

  it('the window counts only days on or after countFrom (2023-01-27)', () => {
    // Stay 1 (old regime): 2023-01-01..03-01 = 60 days <= cap 90. Only Jan 27..Mar 1 = 5 + 28 + 1 = 34 count.
    // Stay 2 from Mar 15: over when 34 + n > 90 -> n = 57 -> Mar 15 + 56 = May 10 (cap end Jun 12).
    const p = person({ cit: 'RUS', crossings: ['IN 2023-01-01', 'OUT 2023-03-01', 'IN 2023-03-15'] });
    const a = audit(p, '2023-05-10');
    expect(a.stays.map((s) => s.regime)).toEqual(['EAEU', 'EAEU']);
    expect(overstays(a).map(readable)).toEqual([
      { rule: 'rolling-limit', regime: 'EAEU', entry: '2023-03-15', exit: null, first: '2023-05-10', lastLawful: '2023-05-09', days: 1, status: 'in-country' },
    ]);
    expect(overstays(a)[0]!.detail).toEqual({ windowDays: 180, windowMax: 90, windowCount: 91, countFrom: '2023-01-27' });
  });

  it('VF-14 counts every day: 42 days in 180, the 43rd is over even on the entry day', () => {
    // IND: three 14-day stays (42 days); entering again on Apr 1 makes 43 -> over from the first day.
    const p = person({ cit: 'IND', crossings: ['IN 2024-01-01', 'OUT 2024-01-14', 'IN 2024-02-01', 'OUT 2024-02-14', 'IN 2024-03-01', 'OUT 2024-03-14', 'IN 2024-04-01'] });
    const a = audit(p, '2024-04-02');
    expect(overstays(a).map(readable)).toEqual([
      { rule: 'rolling-limit', regime: 'VF-14', entry: '2024-04-01', exit: null, first: '2024-04-01', lastLawful: '2024-03-31', days: 2, status: 'in-country' },
    ]);
    expect(a.stays.map((s) => iso(s.authorisedUntil))).toEqual(['2024-01-14', '2024-02-14', '2024-03-14', null]);
    // Before 2023 too: the VF-14 window has no countFrom.
    const q = person({ cit: 'IND', crossings: ['IN 2022-12-01', 'OUT 2022-12-14', 'IN 2023-01-01', 'OUT 2023-01-14', 'IN 2023-02-01', 'OUT 2023-02-14', 'IN 2023-03-01'] });
    expect(over(q, '2023-03-01')).toMatchObject([{ rule: 'rolling-limit', first: '2023-03-01' }]);
  });

  it('same-day entry and exit is one day', () => {
    const p = person({ cit: 'RUS', crossings: ['IN 2024-05-01 08:00', 'OUT 2024-05-01 20:00'] });
    const a = audit(p, '2024-06-01');
    expect(a.stays[0]).toMatchObject({ daysPresent: 1, status: 'departed' });
    expect(explainPerson(p, rules, d('2024-06-01')).daysUsedInWindow).toBe(1);
    expect(a.findings).toEqual([]);
  });

  it('a day in two stays (out and back the same day) counts once in the window', () => {
    // Stay 1 Jan 1..Mar 1 (61 days), stay 2 from Mar 1: count on day d = 61 + n − 1 (Mar 1 once).
    // Over when 60 + n > 90 -> n = 31 -> Mar 31 (counting Mar 1 twice would give Mar 30).
    const p = person({ cit: 'RUS', crossings: ['IN 2024-01-01', 'OUT 2024-03-01 10:00', 'IN 2024-03-01 18:00'] });
    expect(over(p, '2024-03-31')).toMatchObject([{ rule: 'rolling-limit', first: '2024-03-31', days: 1 }]);
    expect(explainPerson(p, rules, d('2024-03-10')).daysUsedInWindow).toBe(70);
  });

  it('a departed overstayer', () => {
    const p = person({ cit: 'DEU', crossings: ['IN 2024-06-01', 'OUT 2024-07-05'] });
    const a = audit(p, '2024-12-31');
    expect(overstays(a).map(readable)).toEqual([
      { rule: 'stay-limit', regime: 'VF-30', entry: '2024-06-01', exit: '2024-07-05', first: '2024-07-01', lastLawful: '2024-06-30', days: 5, status: 'departed' },
    ]);
    expect(a.stays[0]).toMatchObject({ overstay: true, status: 'departed', daysPresent: 35, entryCheckpoint: null });
  });
});

describe('the regime in force on the entry day governs the stay', () => {
  it('CHN entering before 2023-11-10 is VF-14 (cap 14), from 2023-11-10 VF-30 (cap 30)', () => {
    const before = person({ cit: 'CHN', crossings: ['IN 2023-11-01'] });
    expect(over(before, '2023-11-20')).toEqual([
      { rule: 'stay-limit', regime: 'VF-14', entry: '2023-11-01', exit: null, first: '2023-11-15', lastLawful: '2023-11-14', days: 6, status: 'in-country' },
    ]);
    const on = person({ cit: 'CHN', crossings: ['IN 2023-11-10'] });
    const a = audit(on, '2023-11-20');
    expect(overstays(a)).toEqual([]);
    expect(a.stays[0]).toMatchObject({ regime: 'VF-30' });
    expect(iso(a.stays[0]!.authorisedUntil)).toBe('2023-12-09');
  });

  it('one person, two stays under two regimes; the earlier stay counts in the later window', () => {
    // Stay 1 Oct 1..14 under VF-14 (14 days, lawful). Stay 2 from Nov 15 under VF-30: cap end Dec 14.
    // Window on Dec 15: 14 + 31 = 45 <= 90, so the cap decides: stay-limit Dec 15..20 = 6 days.
    const p = person({ cit: 'CHN', crossings: ['IN 2023-10-01', 'OUT 2023-10-14', 'IN 2023-11-15'] });
    const a = audit(p, '2023-12-20');
    expect(a.stays.map((s) => s.regime)).toEqual(['VF-14', 'VF-30']);
    expect(overstays(a).map(readable)).toEqual([
      { rule: 'stay-limit', regime: 'VF-30', entry: '2023-11-15', exit: null, first: '2023-12-15', lastLawful: '2023-12-14', days: 6, status: 'in-country' },
    ]);
    expect(explainPerson(p, rules, d('2023-12-01')).daysUsedInWindow).toBe(14 + 17);
  });
});

describe('permits', () => {
  it('a revoked permit covers only before revoked_on', () => {
    // TRP to Dec 31, revoked on Jun 1: covered to May 31; Jun 1..10 permit-expired (10 days).
    const p = person({ cit: 'KGZ', crossings: ['IN 2024-01-10'], permits: [{ no: 'R1', from: '2024-03-01', until: '2024-12-31', status: 'revoked', revokedOn: '2024-06-01' }] });
    const f = overstays(audit(p, '2024-06-10'));
    expect(f.map(readable)).toEqual([
      { rule: 'permit-expired', regime: 'EAEU', entry: '2024-01-10', exit: null, first: '2024-06-01', lastLawful: '2024-05-31', days: 10, status: 'in-country' },
    ]);
    expect(f[0]!.detail).toMatchObject({ permitNo: 'R1', permitEnd: '2024-05-31' });
  });

  it('a revoked permit with no revoked_on never covers; neither does an annulled one', () => {
    // Uncovered throughout: cap end Jan 10 + 89 = Apr 8 (22 + 29 + 31 + 8), stay-limit from Apr 9.
    for (const status of ['revoked', 'annulled'] as const) {
      const p = person({ cit: 'KGZ', crossings: ['IN 2024-01-10'], permits: [{ from: '2024-03-01', until: '2024-12-31', status, revokedOn: null }] });
      expect(over(p, '2024-06-10')).toMatchObject([{ rule: 'stay-limit', first: '2024-04-09', days: 63 }]);
    }
    const annulledWithDate = person({ cit: 'KGZ', crossings: ['IN 2024-01-10'], permits: [{ from: '2024-03-01', until: '2024-12-31', status: 'annulled', revokedOn: '2024-06-01' }] });
    expect(over(annulledWithDate, '2024-06-10')).toMatchObject([{ rule: 'stay-limit' }]);
  });

  it('grace days: permit-expired starts after the grace days, which are lawful', () => {
    // Example H with 3 grace days: Jul 1..3 lawful, Jul 4..10 permit-expired (7 days).
    const grace = parseRuleset({ extends: 'default', graceDays: 3 }, 'grace.json');
    const p = person({ cit: 'KGZ', crossings: ['IN 2024-01-10'], permits: [{ from: '2024-03-01', until: '2024-06-30' }] });
    expect(over(p, '2024-07-03', grace)).toEqual([]);
    const f = overstays(audit(p, '2024-07-10', grace));
    expect(f.map(readable)).toMatchObject([{ rule: 'permit-expired', first: '2024-07-04', lastLawful: '2024-07-03', days: 7 }]);
    expect(f[0]!.detail).toMatchObject({ graceDays: 3, permitEnd: '2024-06-30' });
    expect(iso(audit(p, '2024-07-10', grace).stays[0]!.authorisedUntil)).toBe('2024-07-03');
  });

  it('two consecutive permits leave no gap; a gap between them is permit-expired', () => {
    const chained = person({ cit: 'NGA', crossings: ['IN 2024-01-01'], permits: [{ no: 'A', from: '2024-01-01', until: '2024-01-31' }, { no: 'B', from: '2024-02-01', until: '2024-03-31' }] });
    expect(over(chained, '2024-03-31')).toEqual([]);
    const gap = person({ cit: 'NGA', crossings: ['IN 2024-01-01'], permits: [{ no: 'A', from: '2024-01-01', until: '2024-01-31' }, { no: 'B', from: '2024-02-06', until: '2024-03-31' }] });
    const f = overstays(audit(gap, '2024-03-31'));
    expect(f.map(readable)).toMatchObject([{ rule: 'permit-expired', first: '2024-02-01', days: 5 }]);
    expect(f[0]!.detail).toMatchObject({ permitNo: 'A' });
  });

  it('valid_until before valid_from: an anomaly, and the permit covers nothing', () => {
    const p = person({ cit: 'NGA', crossings: ['IN 2024-01-01', 'OUT 2024-01-02'], permits: [{ no: 'BAD', from: '2024-05-01', until: '2024-04-01' }] });
    const a = audit(p, '2024-06-01');
    expect(byRule(a, 'permit-dates-reversed').map((f) => [iso(f.firstDay), f.detail])).toEqual([
      ['2024-05-01', { permitNo: 'BAD', validFrom: '2024-05-01', validUntil: '2024-04-01' }],
    ]);
    expect(overstays(a)).toMatchObject([{ rule: 'no-basis', days: 2 }]);
  });
});

describe('registration (the receiving party)', () => {
  // DEU arriving Saturday 2024-06-15: deadline Mon 17, Tue 18, Wed 19 -> 2024-06-19. Leaves Jun 25.
  const stay = ['IN 2024-06-15', 'OUT 2024-06-25'];
  const reg = (regs: ReturnType<typeof registration>[]) => audit(person({ cit: 'DEU', crossings: stay, registrations: regs }), '2024-12-31');
  const regFindings = (a: ReturnType<typeof audit>) => a.findings.filter((f) => f.rule === 'unregistered' || f.rule === 'late-registration').map(readable);

  it('no registration: unregistered from the day after the deadline, days present after it', () => {
    const a = reg([]);
    expect(regFindings(a)).toEqual([
      { rule: 'unregistered', regime: 'VF-30', entry: '2024-06-15', exit: '2024-06-25', first: '2024-06-20', lastLawful: '2024-06-19', days: 6, status: 'departed' },
    ]);
    expect(byRule(a, 'unregistered')[0]!.detail).toEqual({ deadline: '2024-06-19', workingDays: 3 });
  });

  it('notified on the deadline: nothing', () => {
    expect(regFindings(reg([registration('2024-06-15', '2024-06-19')]))).toEqual([]);
  });

  it('notified after the deadline: late-registration, days = notification day − deadline, first day = notification day', () => {
    const a = reg([registration('2024-06-15', '2024-06-21', 'HOST-1')]);
    expect(regFindings(a)).toEqual([
      { rule: 'late-registration', regime: 'VF-30', entry: '2024-06-15', exit: '2024-06-25', first: '2024-06-21', lastLawful: '2024-06-19', days: 2, status: 'departed' },
    ]);
    expect(byRule(a, 'late-registration')[0]!.detail).toMatchObject({ deadline: '2024-06-19', notifiedOn: '2024-06-21', hostId: 'HOST-1' });
  });

  it('no notified_on: the notification day is registered_from', () => {
    expect(regFindings(reg([registration('2024-06-20')]))).toMatchObject([{ rule: 'late-registration', first: '2024-06-20', days: 1 }]);
  });

  it('the earliest notification counts', () => {
    expect(regFindings(reg([registration('2024-06-22', '2024-06-22'), registration('2024-06-16', '2024-06-18')]))).toEqual([]);
  });

  it('registrations outside [entry, exit] do not count', () => {
    expect(regFindings(reg([registration('2024-06-14', '2024-06-14'), registration('2024-06-26', '2024-06-26')]))).toMatchObject([{ rule: 'unregistered' }]);
  });

  it('a stay that ends by the deadline needs none', () => {
    const p = person({ cit: 'DEU', crossings: ['IN 2024-06-15', 'OUT 2024-06-19'] });
    expect(audit(p, '2024-12-31').findings).toEqual([]);
  });

  it('over the Nauryz holidays: arrival 2024-03-20 -> deadline 2024-03-26; an open stay is judged to as-of', () => {
    const p = person({ cit: 'DEU', crossings: ['IN 2024-03-20'] });
    expect(byRule(audit(p, '2024-03-26'), 'unregistered')).toEqual([]);
    expect(byRule(audit(p, '2024-03-27'), 'unregistered').map(readable)).toEqual([
      { rule: 'unregistered', regime: 'VF-30', entry: '2024-03-20', exit: null, first: '2024-03-27', lastLawful: '2024-03-26', days: 1, status: 'in-country' },
    ]);
  });

  it('a stay covered by a permit on the deadline day is exempt', () => {
    const covered = person({ cit: 'NGA', crossings: stay, permits: [{ kind: 'visa', from: '2024-06-01', until: '2024-06-30' }] });
    expect(audit(covered, '2024-12-31').findings).toEqual([]);
    // A visa starting after the deadline does not exempt.
    const late = person({ cit: 'NGA', crossings: stay, permits: [{ kind: 'visa', from: '2024-06-20', until: '2024-06-30' }] });
    expect(byRule(audit(late, '2024-12-31'), 'unregistered')).toHaveLength(1);
  });

  it('the ruleset sets the working days and holidays', () => {
    const five = parseRuleset({ extends: 'default', registration: { workingDays: 5 } }, 'five.json');
    // Sat Jun 15 -> Mon 17 .. Fri 21 = deadline Jun 21; days after it to Jun 25 = 4.
    expect(audit(person({ cit: 'DEU', crossings: stay }), '2024-12-31', five).findings.map(readable)).toMatchObject([{ rule: 'unregistered', first: '2024-06-22', days: 4 }]);
  });
});

describe('re-entry bans', () => {
  const tjk = (entries: string[], ex: ReturnType<typeof expulsion>[]) => person({ cit: 'TJK', crossings: entries, expulsions: ex });

  it('days stop on the day before the ban ends', () => {
    // Ban 2021-05-20 .. 2026-05-20; entry 2026-05-10, as-of Jun 30: breach days = May 10..19 = 10.
    const a = audit(tjk(['IN 2026-05-10'], [expulsion('2021-05-20')]), '2026-06-30');
    expect(byRule(a, 'ban-breach').map(readable)).toEqual([
      { rule: 'ban-breach', regime: 'CIS-90', entry: '2026-05-10', exit: null, first: '2026-05-10', lastLawful: null, days: 10, status: 'in-country' },
    ]);
  });

  it('an entry on the ban start day is not strictly after it', () => {
    expect(byRule(audit(tjk(['IN 2024-01-10'], [expulsion('2024-01-05', '2024-01-10')]), '2024-01-20'), 'ban-breach')).toEqual([]);
    expect(byRule(audit(tjk(['IN 2024-01-11'], [expulsion('2024-01-05', '2024-01-10')]), '2024-01-20'), 'ban-breach')).toHaveLength(1);
  });

  it('a ban starting on 29 February ends on 28 February of a common year', () => {
    const ex = [expulsion('2020-02-29')];
    expect(byRule(audit(tjk(['IN 2025-02-27', 'OUT 2025-03-05'], ex), '2025-03-31'), 'ban-breach')).toMatchObject([{ days: 1, detail: { banEnd: '2025-02-28' } }]);
    expect(byRule(audit(tjk(['IN 2025-02-28'], ex), '2025-03-31'), 'ban-breach')).toEqual([]);
  });

  it('ban years: the expulsion\'s own, else the ruleset\'s', () => {
    expect(byRule(audit(tjk(['IN 2023-06-01'], [expulsion('2021-05-20', null, 1)]), '2023-06-02'), 'ban-breach')).toEqual([]);
    const ten = parseRuleset({ extends: 'default', banYears: 10 }, 'ten.json');
    expect(byRule(audit(tjk(['IN 2028-06-01'], [expulsion('2021-05-20')]), '2028-06-02', ten), 'ban-breach')).toMatchObject([{ detail: { banYears: 10, banEnd: '2031-05-20' } }]);
    expect(byRule(audit(tjk(['IN 2028-06-01'], [expulsion('2021-05-20')]), '2028-06-02'), 'ban-breach')).toEqual([]);
  });
});

describe('anomalies', () => {
  it('missing exit, "unresolved" (default): the earlier stay is not judged and its days count nowhere', () => {
    // Only Mar 1..Apr 15 (46 days) is a stay: lawful. Jan..Feb are not counted.
    const p = person({ cit: 'RUS', crossings: ['IN 2024-01-01', 'IN 2024-03-01'] });
    const a = audit(p, '2024-04-15');
    expect(overstays(a)).toEqual([]);
    expect(a.stays.map((s) => iso(s.entryDay))).toEqual(['2024-03-01']);
    expect(byRule(a, 'missing-exit').map((f) => [iso(f.entryDay), iso(f.firstDay), f.regime, f.days, f.detail.resolution])).toEqual([
      ['2024-01-01', '2024-03-01', null, 0, 'unresolved'],
    ]);
    expect(explainPerson(p, rules, d('2024-04-15')).daysUsedInWindow).toBe(46);
  });

  it('missing exit, "present-throughout": one stay from the first entry', () => {
    // One stay from Jan 1: cap end Mar 30; Mar 31..Apr 15 stay-limit = 16 days.
    const throughout = parseRuleset({ extends: 'default', missingExit: 'present-throughout' }, 'pt.json');
    const a = audit(person({ cit: 'RUS', crossings: ['IN 2024-01-01', 'IN 2024-03-01'] }), '2024-04-15', throughout);
    expect(overstays(a).map(readable)).toEqual([
      { rule: 'stay-limit', regime: 'EAEU', entry: '2024-01-01', exit: null, first: '2024-03-31', lastLawful: '2024-03-30', days: 16, status: 'in-country' },
    ]);
    expect(byRule(a, 'missing-exit').map((f) => f.detail.resolution)).toEqual(['present-throughout']);
  });

  it('orphan exit', () => {
    const a = audit(person({ cit: 'RUS', crossings: ['OUT 2024-01-05', 'IN 2024-02-01', 'OUT 2024-02-02'] }), '2024-04-15');
    expect(byRule(a, 'orphan-exit').map((f) => [f.rule, iso(f.entryDay), iso(f.exitDay), iso(f.firstDay), f.days, f.status])).toEqual([
      ['orphan-exit', null, '2024-01-05', '2024-01-05', 0, null],
    ]);
    expect(a.stays).toHaveLength(1);
  });

  it('crossings after as-of are not yet known: no finding, and the stay is open at as-of', () => {
    const a = audit(person({ cit: 'DEU', crossings: ['IN 2024-06-01', 'OUT 2024-06-10', 'IN 2024-07-01'] }), '2024-06-05');
    expect(byRule(a, 'future-crossing')).toEqual([]);
    expect(a.stays).toHaveLength(1);
    expect(a.stays[0]).toMatchObject({ exitDay: null, status: 'in-country', daysPresent: 5 });
  });

  it('future-crossing: crossings known on as-of that are dated after the day they were imported', () => {
    const imported = (spec: string, on: string | null) => ({ ...crossing(spec), importedOn: on === null ? null : d(on) });
    const p = person({
      cit: 'DEU',
      crossings: [
        imported('IN 2024-06-01', '2024-06-01'), // imported the same day: fine
        imported('OUT 2024-06-10', '2024-06-05'), // keyed five days early
        imported('IN 2024-06-20', '2024-06-05'), // and this one
        imported('OUT 2024-06-25', null), // import day unknown: not judged
        imported('IN 2024-08-01', '2024-06-05'), // after as-of: not yet known
      ],
    });
    const a = audit(p, '2024-07-01');
    expect(byRule(a, 'future-crossing').map((f) => [iso(f.firstDay), f.detail.count, f.detail.firstAt, f.detail.importedOn, f.citizenship])).toEqual([
      ['2024-06-10', 2, '2024-06-10 00:00:00', '2024-06-05', 'DEU'],
    ]);
    // As of a day before them, none of them is known yet.
    expect(byRule(audit(p, '2024-06-09'), 'future-crossing')).toEqual([]);
  });

  it('unknown checkpoint only when the ruleset lists checkpoints', () => {
    const p = person({ cit: 'DEU', crossings: [crossing('IN 2024-06-01', 'ala'), crossing('OUT 2024-06-02', 'XYZ')] });
    expect(byRule(audit(p, '2024-07-01'), 'unknown-checkpoint')).toEqual([]);
    const listed = parseRuleset({ extends: 'default', checkpoints: ['ALA', 'NQZ'] }, 'cp.json');
    const a = audit(p, '2024-07-01', listed);
    expect(byRule(a, 'unknown-checkpoint').map((f) => [iso(f.firstDay), f.detail.checkpoint, f.detail.direction])).toEqual([['2024-06-02', 'XYZ', 'OUT']]);
    expect(a.stays[0]!.entryCheckpoint).toBe('ala');
  });

  it("a finding carries its own stay's entry checkpoint, also after a same-day re-entry elsewhere", () => {
    // In and out at ALA on Jan 1, back in at NQZ the same evening: the second stay
    // (entered at NQZ) overstays 90 days on Mar 31 and was never registered.
    const p = person({
      cit: 'RUS',
      crossings: [crossing('IN 2024-01-01 08:00', 'ALA'), crossing('OUT 2024-01-01 12:00', 'ALA'), crossing('IN 2024-01-01 20:00', 'NQZ')],
    });
    const a = audit(p, '2024-04-15');
    expect(a.findings.map((f) => [f.rule, iso(f.entryDay), f.entryCheckpoint])).toEqual([
      ['stay-limit', '2024-01-01', 'NQZ'],
      ['unregistered', '2024-01-01', 'NQZ'],
    ]);
    expect(a.stays.map((s) => s.entryCheckpoint)).toEqual(['ALA', 'NQZ']);
    // Anomalies: a missing exit names the entry left open; an orphan exit has none.
    const b = audit(person({ cit: 'RUS', crossings: [crossing('OUT 2024-01-05', 'KOR'), crossing('IN 2024-02-01', 'ALA'), crossing('IN 2024-02-03', 'NQZ')] }), '2024-02-04');
    expect(b.findings.filter((f) => f.regime === null).map((f) => [f.rule, iso(f.entryDay), f.entryCheckpoint])).toEqual([
      ['orphan-exit', null, null],
      ['missing-exit', '2024-02-01', 'ALA'],
    ]);
  });
});

describe('explainPerson', () => {
  it('a person in the country: days used, days left, last lawful day if they stay on', () => {
    const p = person({ cit: 'RUS', crossings: ['IN 2024-01-01'] });
    expect(explainPerson(p, rules, d('2024-03-10'))).toEqual({
      asOf: d('2024-03-10'), citizenship: 'RUS', present: true, entryDay: d('2024-01-01'), daysInStay: 70, regime: 'EAEU', cap: 90, capEnd: d('2024-03-30'),
      requiresVisa: false, windowDays: 180, windowMax: 90, countFrom: d('2023-01-27'), daysUsedInWindow: 70, daysRemaining: 20,
      covered: false, lastLawfulDayIfStaysOn: d('2024-03-30'),
    });
  });

  it('example C as of 2024-04-01: 61 + 18 days used, 11 left, lawful to 2024-04-12', () => {
    const p = person({ cit: 'RUS', crossings: ['IN 2024-01-01', 'OUT 2024-03-01', 'IN 2024-03-15'] });
    const e = explainPerson(p, rules, d('2024-04-01'));
    expect([e.daysUsedInWindow, e.daysRemaining, iso(e.lastLawfulDayIfStaysOn)]).toEqual([79, 11, '2024-04-12']);
  });

  it('a person not in the country: regime of an entry on as-of, no last lawful day', () => {
    const p = person({ cit: 'CHN', crossings: ['IN 2023-10-01', 'OUT 2023-10-14'] });
    const e = explainPerson(p, rules, d('2023-11-20'));
    // Oct 1..14 lie in [2023-05-25, 2023-11-20] and after 2023-01-27: 14 of VF-30's 90 used.
    expect(e).toMatchObject({ present: false, entryDay: null, regime: 'VF-30', daysUsedInWindow: 14, daysRemaining: 76, lastLawfulDayIfStaysOn: null });
    // As of Nov 1 an entry would still be VF-14: 14 of 42 used.
    expect(explainPerson(p, rules, d('2023-11-01'))).toMatchObject({ regime: 'VF-14', daysUsedInWindow: 14, daysRemaining: 28 });
  });

  it('a TRP holder: covered, uncovered days only, lawful to the permit end', () => {
    const p = person({ cit: 'KGZ', crossings: ['IN 2024-01-10'], permits: [{ from: '2024-03-01', until: '2024-12-31' }] });
    expect(explainPerson(p, rules, d('2024-06-01'))).toMatchObject({ covered: true, daysUsedInWindow: 51, daysRemaining: 39, lastLawfulDayIfStaysOn: d('2024-12-31') });
  });

  it('a visa-regime person with no visa: no window, unlawful from the entry', () => {
    const p = person({ cit: 'NGA', crossings: ['IN 2024-06-01'] });
    expect(explainPerson(p, rules, d('2024-06-05'))).toMatchObject({ regime: 'visa', requiresVisa: true, windowMax: null, daysRemaining: null, daysUsedInWindow: 5, lastLawfulDayIfStaysOn: d('2024-05-31') });
  });
});
