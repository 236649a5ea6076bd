/**
 * SPEC §2 as the audit reads it for one person: as-of is a snapshot (what was not yet
 * known on the audit day changes nothing), and citizenship is the document's (a stay
 * is judged under the citizenship on its entry crossing). The examples of issue 12.
 */
import { describe, expect, it } from 'vitest';
import { auditPerson, citizenshipAsOf, lastHostAsOf } from '../../src/core/audit.js';
import { explainPerson } from '../../src/core/explain.js';
import { defaultRuleset } from '../../src/core/ruleset.js';
import type { Crossing } from '../../src/core/types.js';
import { crossing, d, expulsion, iso, person, readable, registration } from './helpers.js';

const rules = defaultRuleset();
const audit = (p: Parameters<typeof auditPerson>[0], asOf: string) => auditPerson(p, rules, d(asOf));
const on = (spec: string, citizenship: string): Crossing => ({ ...crossing(spec), citizenship });

/** Person Z of issue 12: RUS in 2024-01-01, out 2024-03-15, then in as UZB 2024-08-01. */
const personZ = () =>
  person({ key: 'Z', cit: 'UZB', crossings: [on('IN 2024-01-01', 'RUS'), on('OUT 2024-03-15', 'RUS'), on('IN 2024-08-01', 'UZB')] });

describe('as-of is a snapshot', () => {
  it('a registration notified after as-of is not yet known: the stay is unregistered, not late', () => {
    // KGZ in Mon 2022-12-19; deadline Wed 12-21; notified 2023-01-09.
    const p = person({ cit: 'KGZ', crossings: ['IN 2022-12-19'], registrations: [registration('2022-12-19', '2023-01-09')] });
    const asOfYearEnd = audit(p, '2022-12-31').findings.map(readable);
    expect(asOfYearEnd).toEqual([
      { rule: 'unregistered', regime: 'EAEU', entry: '2022-12-19', exit: null, first: '2022-12-22', lastLawful: '2022-12-21', days: 10, status: 'in-country' },
    ]);
    // Once notified, the same stay is late-registered.
    expect(audit(p, '2023-01-10').findings.map(readable)).toEqual([
      { rule: 'late-registration', regime: 'EAEU', entry: '2022-12-19', exit: null, first: '2023-01-09', lastLawful: '2022-12-21', days: 19, status: 'in-country' },
    ]);
  });

  it('an expulsion decided after as-of is not yet known: no ban-breach', () => {
    const p = person({ cit: 'TJK', crossings: ['IN 2025-09-01'], expulsions: [expulsion('2025-09-10', '2025-08-01')] });
    expect(audit(p, '2025-09-05').findings.filter((f) => f.rule === 'ban-breach')).toEqual([]);
    expect(audit(p, '2025-09-10').findings.filter((f) => f.rule === 'ban-breach').map(readable)).toMatchObject([{ entry: '2025-09-01', days: 10 }]);
  });

  it('a revocation dated after as-of is not yet known: the permit stands as it did', () => {
    // KGZ TRP 2024-03-01..12-31, revoked on 2024-08-01; in since 2024-01-10.
    const p = person({ cit: 'KGZ', crossings: ['IN 2024-01-10'], permits: [{ from: '2024-03-01', until: '2024-12-31', status: 'revoked', revokedOn: '2024-08-01' }] });
    const july = auditPerson(p, rules, d('2024-07-15'));
    expect(july.findings.filter((f) => f.rule === 'permit-expired')).toEqual([]);
    expect(july.stays[0]!.authorisedUntil).toBe(d('2024-12-31'));
    expect(audit(p, '2024-08-05').findings.filter((f) => f.rule === 'permit-expired').map(readable)).toMatchObject([{ first: '2024-08-01', days: 5 }]);
  });

  it('a crossing after as-of changes neither the stays nor the citizenship', () => {
    const a = audit(personZ(), '2024-06-30');
    expect(a.stays.map((s) => [s.citizenship, s.regime, iso(s.entryDay), iso(s.exitDay)])).toEqual([['RUS', 'EAEU', '2024-01-01', '2024-03-15']]);
    expect(a.findings.filter((f) => f.rule !== 'unregistered')).toEqual([]);
    for (const f of a.findings) for (const day of [f.entryDay, f.exitDay, f.firstDay, f.lastLawfulDay]) if (day !== null) expect(day).toBeLessThanOrEqual(d('2024-06-30'));
    expect(citizenshipAsOf(personZ(), d('2024-06-30'))).toBe('RUS');
    expect(explainPerson(personZ(), rules, d('2024-06-30'))).toMatchObject({ citizenship: 'RUS', present: false, regime: 'EAEU' });
  });

  it('the host of a registration notified after as-of is not yet the last known', () => {
    const p = person({ cit: 'KGZ', crossings: ['IN 2024-01-10'], registrations: [registration('2024-01-10', '2024-01-10', 'H1'), registration('2024-02-01', '2024-03-01', 'H2')] });
    expect(lastHostAsOf(p, d('2024-02-15'))).toBe('H1');
    expect(lastHostAsOf(p, d('2024-03-01'))).toBe('H2');
  });
});

describe('citizenship is the document\'s', () => {
  it('person Z as of 2024-12-31: the RUS stay is an EAEU stay, the UZB stay a VF-30 one', () => {
    const a = audit(personZ(), '2024-12-31');
    expect(a.stays.map((s) => [s.citizenship, s.regime])).toEqual([['RUS', 'EAEU'], ['UZB', 'VF-30']]);
    const over = a.findings.filter((f) => f.rule === 'stay-limit');
    // UZB in 08-01: cap 30 ends 08-30; 123 days over to 12-31.
    expect(over.map((f) => [f.citizenship, f.regime, iso(f.firstDay), f.days])).toEqual([['UZB', 'VF-30', '2024-08-31', 123]]);
    // Registration findings follow their stay's citizenship too.
    expect(a.findings.filter((f) => f.rule === 'unregistered').map((f) => [f.citizenship, iso(f.entryDay)])).toEqual([['RUS', '2024-01-01'], ['UZB', '2024-08-01']]);
    expect(citizenshipAsOf(personZ(), d('2024-12-31'))).toBe('UZB');
  });

  it('a dual national entering on a Russian passport is Russian for that stay, whatever the exit says', () => {
    // In as RUS (EAEU, cap 90), out as DEU: judged as EAEU, lawful for 90 days.
    const p = person({ cit: 'DEU', crossings: [on('IN 2024-01-01', 'RUS'), on('OUT 2024-03-20', 'DEU')] });
    const a = audit(p, '2024-04-01');
    expect(a.findings.filter((f) => f.rule !== 'unregistered')).toEqual([]);
    expect(a.stays.map((s) => [s.citizenship, s.regime])).toEqual([['RUS', 'EAEU']]);
    // The same trip on the German passport: VF-30, over from 01-31.
    const asGerman = audit(person({ cit: 'DEU', crossings: [on('IN 2024-01-01', 'DEU'), on('OUT 2024-03-20', 'DEU')] }), '2024-04-01');
    expect(asGerman.findings.filter((f) => f.rule === 'stay-limit').map((f) => [f.citizenship, iso(f.firstDay)])).toEqual([['DEU', '2024-01-31']]);
  });

  it('anomalies carry the citizenship of their own crossing or permit', () => {
    const p = person({
      cit: 'KAZ',
      crossings: [on('OUT 2024-01-05', 'RUS'), on('IN 2024-02-01', 'UZB'), on('IN 2024-02-03', 'TJK')],
      permits: [{ from: '2024-05-01', until: '2024-04-01' }],
    });
    p.permits[0]!.citizenship = 'BLR';
    const a = audit(p, '2024-02-04');
    expect(a.findings.filter((f) => f.regime === null).map((f) => [f.rule, f.citizenship])).toEqual([
      ['orphan-exit', 'RUS'],
      ['missing-exit', 'UZB'],
      ['permit-dates-reversed', 'BLR'],
    ]);
  });
});
