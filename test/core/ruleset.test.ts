import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { auditPerson } from '../../src/core/audit.js';
import {
  compileRuleset, defaultRuleset, parseRuleset, parseRulesetText, regimeFor, rulesetRows, rulesetSettingRows, RulesetError,
} from '../../src/core/ruleset.js';
import { d, overstays, person } from './helpers.js';

const fixture = (name: string): string => readFileSync(fileURLToPath(new URL(`../../fixtures/rules/${name}`, import.meta.url)), 'utf8');

function parseError(json: unknown): RulesetError {
  try {
    parseRuleset(json, 'rules.json');
  } catch (error) {
    expect(error).toBeInstanceOf(RulesetError);
    return error as RulesetError;
  }
  throw new Error('expected a RulesetError');
}

describe('default ruleset (SPEC §3)', () => {
  const rules = defaultRuleset();
  const regime = (cit: string, day: string) => regimeFor(rules, cit, d(day));

  it('EAEU: cap only to 2023-01-26, then cap 90 + 90/180 counting from 2023-01-27', () => {
    for (const cit of ['RUS', 'BLR', 'ARM', 'KGZ']) {
      expect(regime(cit, '2023-01-26')).toMatchObject({ name: 'EAEU', cap: 90, window: null, requiresVisa: false });
      expect(regime(cit, '2023-01-27')).toMatchObject({ name: 'EAEU', cap: 90, window: { days: 180, max: 90, countFrom: d('2023-01-27') } });
    }
  });

  it('CIS-90 and VF-30 groups likewise', () => {
    expect(regime('TJK', '2022-12-01')).toMatchObject({ name: 'CIS-90', cap: 90, window: null });
    expect(regime('GEO', '2024-12-01')).toMatchObject({ name: 'CIS-90', cap: 90, window: { max: 90, countFrom: d('2023-01-27') } });
    expect(regime('USA', '2023-01-26')).toMatchObject({ name: 'VF-30', cap: 30, window: null });
    expect(regime('ISR', '2023-01-27')).toMatchObject({ name: 'VF-30', cap: 30, window: { max: 90 } });
  });

  it('China: VF-14 (42 in 180, all days) before 2023-11-10, VF-30 from 2023-11-10', () => {
    expect(regime('CHN', '2020-01-01')).toMatchObject({ name: 'VF-14', cap: 14, window: { days: 180, max: 42, countFrom: null } });
    expect(regime('CHN', '2023-11-09')).toMatchObject({ name: 'VF-14', cap: 14 });
    expect(regime('CHN', '2023-11-10')).toMatchObject({ name: 'VF-30', cap: 30, window: { max: 90, countFrom: d('2023-01-27') } });
  });

  it('IND, IRN: VF-14 always; everyone else: visa', () => {
    expect(regime('IND', '2021-01-01')).toMatchObject({ name: 'VF-14', cap: 14, window: { max: 42, countFrom: null } });
    expect(regime('IRN', '2025-01-01')).toMatchObject({ name: 'VF-14' });
    expect(regime('NGA', '2025-01-01')).toMatchObject({ name: 'visa', cap: null, window: null, requiresVisa: true });
    expect(regime('KAZ', '2025-01-01')).toMatchObject({ name: 'visa' });
  });

  it('settings: 3 working days, the 14 holidays, grace 0, ban 5 years, unresolved missing exits, no checkpoint list', () => {
    expect(rules.registration).toEqual({
      workingDays: 3,
      holidays: ['01-01', '01-02', '01-07', '03-08', '03-21', '03-22', '03-23', '05-01', '05-07', '05-09', '07-06', '08-30', '10-25', '12-16'],
      extraHolidays: [],
    });
    expect([rules.graceDays, rules.banYears, rules.missingExit, rules.checkpoints]).toEqual([0, 5, 'unresolved', null]);
  });

  it('is one frozen object, compiled once', () => {
    expect(defaultRuleset()).toBe(rules);
    expect(Object.isFrozen(rules.regimes[0])).toBe(true);
    expect(compileRuleset(rules)).toBe(compileRuleset(defaultRuleset()));
  });

  it('is JSON: its own JSON is a valid replacement rules file with the same meaning', () => {
    const copy = parseRuleset(JSON.parse(JSON.stringify(rules)), 'copy.json');
    expect(copy).toEqual(rules);
  });

  it('table rows for `stayaudit rules`', () => {
    const rows = rulesetRows(rules);
    expect(rows).toHaveLength(10);
    expect(rows[1]).toEqual({
      regime: 'EAEU', groups: 'EAEU', members: 'RUS BLR ARM KGZ', from: '2023-01-27', until: '', cap: 90,
      window_max: 90, window_days: 180, count_from: '2023-01-27', requires_visa: 'no',
    });
    expect(rows[6]).toMatchObject({ regime: 'VF-14', members: 'CHN', until: '2023-11-09', cap: 14, window_max: 42, count_from: '' });
    expect(rows[9]).toEqual({
      regime: 'visa', groups: '', members: '(every other citizenship)', from: '', until: '', cap: '',
      window_max: '', window_days: '', count_from: '', requires_visa: 'yes',
    });
    for (const row of rows) for (const v of Object.values(row)) expect(['string', 'number']).toContain(typeof v);
    expect(rulesetSettingRows(rules).map((r) => r.setting)).toContain('graceDays');
  });
});

describe('parseRuleset errors name the source, the field and the reason', () => {
  it('a wrong type deep in a regime', () => {
    const e = parseError({ extends: 'default', regimes: [{ name: 'A', countries: ['BRA'] }, { name: 'B', countries: ['BRA'] }, { name: 'C', countries: ['BRA'], cap: 'ninety' }] });
    expect(e.path).toBe('regimes[2].cap');
    expect(e.source).toBe('rules.json');
    expect(e.message).toBe('rules.json: regimes[2].cap: must be a whole number, got the string "ninety"');
    expect(e.hint).not.toBe('');
  });

  it('the fixture fixtures/rules/invalid.json', () => {
    expect(() => parseRulesetText(fixture('invalid.json'), 'fixtures/rules/invalid.json')).toThrow(
      'fixtures/rules/invalid.json: regimes[1].cap: must be a whole number, got the string "ninety"',
    );
  });

  it.each([
    [{ extends: 'default', grace: 2 }, 'grace', /unknown field/],
    [{ extends: 'kazakhstan' }, 'extends', /must be "default"/],
    [{ extends: 'default', regimes: [{ name: 'X', countries: ['RUSSIA'] }] }, 'regimes[0].countries[0]', /not an alpha-3/],
    [{ extends: 'default', regimes: [{ name: 'X', groups: ['NOPE'] }] }, 'regimes[0].groups[0]', /unknown group "NOPE"/],
    [{ extends: 'default', regimes: [{ name: 'X' }] }, 'regimes[0]', /names no group and no country/],
    [{ extends: 'default', regimes: [{ countries: ['BRA'] }] }, 'regimes[0].name', /is required/],
    [{ extends: 'default', regimes: [{ name: 'X', countries: ['BRA'], from: '2024-02-30' }] }, 'regimes[0].from', /not a valid date/],
    [{ extends: 'default', regimes: [{ name: 'X', countries: ['BRA'], from: '2024-05-01', until: '2024-04-01' }] }, 'regimes[0].until', /before "from"/],
    [{ extends: 'default', regimes: [{ name: 'X', countries: ['BRA'], cap: 0 }] }, 'regimes[0].cap', /between 1 and/],
    [{ extends: 'default', regimes: [{ name: 'X', countries: ['BRA'], window: { days: 180 } }] }, 'regimes[0].window.max', /is required/],
    [{ extends: 'default', regimes: [{ name: 'X', countries: ['BRA'], window: { days: 180, max: 90, countFrom: '27.01.2023' } }] }, 'regimes[0].window.countFrom', /not a valid date/],
    [{ extends: 'default', regimes: [{ name: 'X', countries: ['BRA'], requiresVisa: 'yes' }] }, 'regimes[0].requiresVisa', /true or false/],
    [{ extends: 'default', groups: { 'VF-14': ['IND', 7] } }, 'groups["VF-14"][1]', /alpha-3/],
    [{ extends: 'default', registration: { holidays: ['03-21', '3-22'] } }, 'registration.holidays[1]', /MM-DD/],
    [{ extends: 'default', registration: { extraHolidays: ['2025-13-01'] } }, 'registration.extraHolidays[0]', /not a valid date/],
    [{ extends: 'default', registration: { workingDays: 0 } }, 'registration.workingDays', /between 1 and 60/],
    [{ extends: 'default', graceDays: -1 }, 'graceDays', /between 0 and/],
    [{ extends: 'default', banYears: 2.5 }, 'banYears', /whole number/],
    [{ extends: 'default', missingExit: 'ignore' }, 'missingExit', /"unresolved", "present-throughout"/],
    [{ extends: 'default', checkpoints: 'ALA' }, 'checkpoints', /must be an array/],
    [{ extends: 'default', defaultRegime: { name: 'visa', requiresVisa: 1 } }, 'defaultRegime.requiresVisa', /true or false/],
    [{ defaultRegime: { name: 'visa', requiresVisa: true } }, 'regimes', /is required in a rules file without "extends"/],
    [{ regimes: [] }, 'defaultRegime', /is required/],
    [[1, 2], '', /must be an object/],
  ])('%j -> %s', (json, path, reason) => {
    const e = parseError(json);
    expect(e.path).toBe(path);
    expect(e.reason).toMatch(reason);
    expect(e.message.startsWith('rules.json: ')).toBe(true);
  });

  it('JSON syntax errors', () => {
    expect(() => parseRulesetText('{"extends": "default",}', 'bad.json')).toThrow(/^bad\.json: is not valid JSON/);
  });
});

describe('rules files', () => {
  it('the example fixture parses and extends the default', () => {
    const rules = parseRulesetText(fixture('example.json'), 'fixtures/rules/example.json');
    expect(rules.name).toBe('kz-example');
    expect(regimeFor(rules, 'PAK', d('2025-03-01')).name).toBe('VF-14');
    expect(regimeFor(rules, 'BRA', d('2024-12-31')).name).toBe('visa');
    expect(regimeFor(rules, 'BRA', d('2025-01-01'))).toMatchObject({ name: 'VF-30', cap: 30 });
    expect(regimeFor(rules, 'NGA', d('2025-07-01'))).toMatchObject({ name: 'TRANSIT', cap: 3, requiresVisa: false });
    expect(regimeFor(rules, 'NGA', d('2025-09-01')).name).toBe('visa');
    expect(rules.registration.holidays).toHaveLength(14);
    expect(rules.registration.extraHolidays).toEqual(['2025-01-03', '2025-05-02']);
    expect(rules.graceDays).toBe(2);
    expect(rules.checkpoints).toContain('ALA');
    expect(rulesetRows(rules)).toHaveLength(12);
  });

  it('a custom ruleset extending the default: regimes in front win, groups replace by name, settings merge', () => {
    const rules = parseRuleset({
      extends: 'default',
      groups: { EAEU: ['RUS', 'BLR', 'ARM', 'KGZ', 'KAZ'] },
      regimes: [{ name: 'KGZ-FREE', countries: ['KGZ'], from: '2025-01-01' }],
      registration: { holidays: ['01-01'] },
      banYears: 10,
    }, 'custom.json');
    expect(rules.name).toBe('default+custom.json');
    expect(regimeFor(rules, 'KGZ', d('2024-12-31')).name).toBe('EAEU');
    expect(regimeFor(rules, 'KGZ', d('2025-01-01'))).toMatchObject({ name: 'KGZ-FREE', cap: null, window: null, requiresVisa: false });
    expect(regimeFor(rules, 'KAZ', d('2025-01-01')).name).toBe('EAEU');
    expect(rules.registration).toEqual({ workingDays: 3, holidays: ['01-01'], extraHolidays: [] });
    expect(rules.banYears).toBe(10);
    expect(rules.defaultRegime.name).toBe('visa');
    // A KGZ citizen entering in 2025 has no limit any more; in 2024 the cap applies.
    const stay2025 = auditPerson(person({ cit: 'KGZ', crossings: ['IN 2025-01-10'] }), rules, d('2025-12-31'));
    expect(overstays(stay2025)).toEqual([]);
    expect(stay2025.stays[0]!.authorisedUntil).toBeNull();
    const stay2024 = auditPerson(person({ cit: 'KGZ', crossings: ['IN 2024-10-10'] }), rules, d('2025-12-31'));
    expect(overstays(stay2024).map((f) => f.rule)).toEqual(['stay-limit']);
  });

  it('a replacement ruleset (no "extends") stands alone', () => {
    const rules = parseRuleset({
      name: 'tiny',
      regimes: [{ name: 'FREE', groups: 'ALL', window: { days: 30, max: 10 } }],
      groups: { ALL: ['rus', 'deu'] },
      defaultRegime: { name: 'closed', requiresVisa: true },
    }, 'tiny.json');
    expect(rules.groups).toEqual({ ALL: ['RUS', 'DEU'] });
    expect(regimeFor(rules, 'DEU', d('2024-01-01'))).toMatchObject({ name: 'FREE', cap: null, window: { days: 30, max: 10, countFrom: null } });
    expect(regimeFor(rules, 'KGZ', d('2024-01-01')).name).toBe('closed');
    expect([rules.graceDays, rules.banYears, rules.missingExit, rules.registration.workingDays]).toEqual([0, 5, 'unresolved', 3]);
  });

  it('overlapping regimes: the first in the list wins, the later one keeps the rest of its period', () => {
    const rules = parseRuleset({
      regimes: [
        { name: 'SUMMER', countries: ['DEU'], from: '2024-06-01', until: '2024-08-31', cap: 60 },
        { name: 'BASE', countries: ['DEU'], cap: 30 },
      ],
      defaultRegime: { name: 'visa', requiresVisa: true },
    }, 'x.json');
    expect(regimeFor(rules, 'DEU', d('2024-05-31')).name).toBe('BASE');
    expect(regimeFor(rules, 'DEU', d('2024-06-01')).name).toBe('SUMMER');
    expect(regimeFor(rules, 'DEU', d('2024-08-31')).name).toBe('SUMMER');
    expect(regimeFor(rules, 'DEU', d('2024-09-01')).name).toBe('BASE');
    expect(compileRuleset(rules).periodsByCitizenship.get('DEU')!.map((p) => p.regime.name)).toEqual(['BASE', 'SUMMER', 'BASE']);
  });
});
