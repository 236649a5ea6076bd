/**
 * The registry of rules and the law file: every rule once, whose offence it is, its
 * place in the precedence, a sentence for each finding; the default ruleset built
 * from law/kazakhstan.ts is the one every stored run names (its checksum).
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { auditPerson } from '../../src/core/audit.js';
import { HOLIDAYS, REGIMES } from '../../src/core/law/kazakhstan.js';
import { defaultRuleset, parseRuleset, regimeFor } from '../../src/core/ruleset.js';
import { FAMILIES, isOwnOffence, OWN_OFFENCE_RULES, ruleInfo, RULES } from '../../src/core/rules/registry.js';
import { isHoliday, KAZAKHSTAN_CALENDAR } from '../../src/core/working-days.js';
import { crossing, d, expulsion, person, registration } from './helpers.js';

describe('the registry of rules', () => {
  it('lists every rule of SPEC §3 once, family by family (a new rule goes after them)', () => {
    expect(FAMILIES.map((f) => f.family).slice(0, 4)).toEqual(['overstay', 'registration', 're-entry ban', 'anomaly']);
    expect(RULES.map((r) => r.name).slice(0, 12)).toEqual([
      'permit-expired', 'no-basis', 'stay-limit', 'rolling-limit',
      'unregistered', 'late-registration',
      'ban-breach',
      'orphan-exit', 'missing-exit', 'permit-dates-reversed', 'future-crossing', 'unknown-checkpoint',
    ]);
    expect(new Set(RULES.map((r) => r.name)).size).toBe(RULES.length);
  });

  it('says whose offence each rule is: the foreigner own ones make a violator (SPEC §4)', () => {
    expect([...OWN_OFFENCE_RULES].sort()).toEqual(['ban-breach', 'no-basis', 'permit-expired', 'rolling-limit', 'stay-limit']);
    expect(RULES.filter((r) => r.offender === 'receiving-party').map((r) => r.name)).toEqual(['unregistered', 'late-registration']);
    expect(RULES.filter((r) => r.offender === 'nobody').every((r) => r.family === 'anomaly')).toBe(true);
    expect(isOwnOffence('stay-limit')).toBe(true);
    expect(isOwnOffence('unregistered')).toBe(false);
  });

  it('gives overstay rules their place in the precedence of a day, others none', () => {
    expect(RULES.filter((r) => r.precedence !== null).map((r) => [r.name, r.precedence])).toEqual([
      ['permit-expired', 2], ['no-basis', 3], ['stay-limit', 4], ['rolling-limit', 5],
    ]);
    expect(ruleInfo('ban-breach')?.precedence).toBeNull();
    expect(ruleInfo('no-such-rule')).toBeUndefined();
  });

  it('explains each finding from its detail, in the sentences of the person view', () => {
    const rules = parseRuleset({ extends: 'default', checkpoints: ['ALA'] }, 'test');
    const p = person({
      cit: 'RUS',
      crossings: [crossing('OUT 2023-12-20 10:00', 'ALA'), crossing('IN 2024-01-01 08:00', 'XXX')],
      registrations: [registration('2024-01-01', '2024-01-10', 'H1')],
      expulsions: [expulsion('2022-05-20')],
    });
    p.permits.push({ permitNo: 'R1', kind: 'trp', ground: null, validFrom: d('2024-02-01'), validUntil: d('2024-01-01'), status: 'active', revokedOn: null, hostId: null });
    const audit = auditPerson(p, rules, d('2024-04-02'));
    const said = Object.fromEntries(audit.findings.map((f) => [f.rule, ruleInfo(f.rule)!.explain(f.detail)]));
    expect(said).toEqual({
      'stay-limit': 'cap of 90 days per entry ended on 2024-03-30',
      'late-registration': 'notified after the deadline 2024-01-05', // 1 and 2 January are holidays
      'ban-breach': 'entry during the re-entry ban 2022-05-20..2027-05-20',
      'orphan-exit': 'at=2023-12-20 10:00:00, checkpoint=ALA',
      'permit-dates-reversed': 'permitNo=R1, validFrom=2024-02-01, validUntil=2024-01-01',
      'unknown-checkpoint': 'checkpoint=XXX, direction=IN, at=2024-01-01 08:00:00',
    });
  });

  it('explains the other overstays likewise', () => {
    const explain = (p: Parameters<typeof auditPerson>[0], asOf: string): string[] =>
      auditPerson(p, defaultRuleset(), d(asOf)).findings.map((f) => `${f.rule}: ${ruleInfo(f.rule)!.explain(f.detail)}`);
    expect(explain(person({ cit: 'RUS', crossings: ['IN 2024-01-01', 'OUT 2024-03-01', 'IN 2024-03-15'], registrations: [registration('2024-01-01'), registration('2024-03-15')] }), '2024-04-14'))
      .toEqual(['rolling-limit: 91 counted days in the 180-day window on the first unlawful day (max 90, counting from 2023-01-27)']);
    expect(explain(person({ cit: 'KGZ', crossings: ['IN 2024-01-10'], permits: [{ no: 'T7', from: '2024-03-01', until: '2024-06-30' }], registrations: [registration('2024-01-10')] }), '2024-07-10'))
      .toEqual(['permit-expired: permit T7 ended on 2024-06-30 (grace 0 days)']);
    expect(explain(person({ cit: 'NGA', crossings: ['IN 2024-01-10', 'OUT 2024-01-11'] }), '2024-07-10'))
      .toEqual(['no-basis: visa regime: present with no permit in force']);
  });
});

describe('the law file (core/law/kazakhstan.ts)', () => {
  it('builds the default ruleset every stored run names: default (941abbe90110c25a)', () => {
    const checksum = createHash('sha256').update(JSON.stringify(defaultRuleset())).digest('hex').slice(0, 16);
    expect(`${defaultRuleset().name} (${checksum})`).toBe('default (941abbe90110c25a)');
    expect(defaultRuleset().regimes).toBe(REGIMES);
    expect(Object.isFrozen(REGIMES[0])).toBe(true);
  });

  it('its holidays are the default calendar', () => {
    expect(defaultRuleset().registration.holidays).toEqual(HOLIDAYS.map(([md]) => md));
    for (const [md] of HOLIDAYS) expect(isHoliday(d(`2025-${md}`), KAZAKHSTAN_CALENDAR)).toBe(true);
    expect(isHoliday(d('2025-03-24'), KAZAKHSTAN_CALENDAR)).toBe(false);
  });

  it('every member of a group gets its regime', () => {
    for (const [group, members] of Object.entries(defaultRuleset().groups)) {
      for (const cit of members) expect(regimeFor(defaultRuleset(), cit, d('2024-06-01')).name).toBe(group);
    }
  });
});
