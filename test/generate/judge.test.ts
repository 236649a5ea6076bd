/**
 * The generator's own reading of SPEC §3 (judge.ts) decides who is planned as a
 * violator and what the summary expects, so it must reproduce the spec's worked
 * examples.
 */
import { describe, expect, it } from 'vitest';
import { Calendar, isoDay } from '../../src/generate/calendar.js';
import { Judge, type ExpectedFinding } from '../../src/generate/judge.js';
import type { PermitPlan, PersonPlan } from '../../src/generate/plan.js';
import { NATIONALITIES } from '../../src/generate/population.js';

const calendar = new Calendar(2010, 2032);

function person(
  citizenship: string,
  stays: [string, string | null][],
  extra: { permits?: [string, string][]; expelled?: string } = {},
): PersonPlan {
  const nationality = NATIONALITIES.find((n) => n.code === citizenship)!;
  const permits: PermitPlan[] = (extra.permits ?? []).map(([from, until], k) => ({
    permitNo: `P${k}`, kind: 'trp', ground: 0, validFrom: isoDay(from), validUntil: isoDay(until), status: 'active',
    revokedOn: null, host: null,
  }));
  return {
    nationality, personId: '1', documentNo: 'N1', documentPrefixLength: 1, surname: 'X', givenNames: 'Y',
    birth: isoDay('1980-01-01'), male: true,
    stays: stays.map(([entry, exit]) => ({
      entry: isoDay(entry), exit: exit === null ? null : isoDay(exit), entryMinute: 0, exitMinute: 1,
      entryCheckpoint: 0, exitCheckpoint: 0,
    })),
    permits, registrations: [],
    expulsions: extra.expelled === undefined ? [] : [{ decided: isoDay(extra.expelled), expelled: null, banYears: null, reason: 0 }],
  };
}

/** Offences (not registration findings) as [rule, first day, days, status]. */
function offences(p: PersonPlan, asOf: string): [string, string, number, string][] {
  const findings: ExpectedFinding[] = [];
  new Judge(calendar, isoDay(asOf)).judge(p, findings);
  return findings
    .filter((f) => f.rule !== 'unregistered' && f.rule !== 'late-registration')
    .map((f) => [f.rule, calendar.iso(f.firstDay), f.days, f.status]);
}

describe('judge: the worked examples of SPEC §3', () => {
  const a = person('RUS', [['2024-01-01', null]]);
  it('A: RUS in 2024-01-01, as of 2024-03-30: lawful', () => {
    expect(offences(a, '2024-03-30')).toEqual([]);
  });
  it('B: as of 2024-04-02: stay-limit from 2024-03-31, 3 days, in-country', () => {
    expect(offences(a, '2024-04-02')).toEqual([['stay-limit', '2024-03-31', 3, 'in-country']]);
  });
  it('C: rolling-limit, first unlawful 2024-04-13, 2 days', () => {
    const c = person('RUS', [['2024-01-01', '2024-03-01'], ['2024-03-15', null]]);
    expect(offences(c, '2024-04-14')).toEqual([['rolling-limit', '2024-04-13', 2, 'in-country']]);
  });
  it('D: rolling-limit, last lawful 2025-07-05, 1 day', () => {
    const d = person('RUS', [['2025-04-01', '2025-05-10'], ['2025-05-17', null]]);
    expect(offences(d, '2025-07-06')).toEqual([['rolling-limit', '2025-07-06', 1, 'in-country']]);
  });
  it('E: DEU stay-limit, last lawful 2024-06-30, 1 day', () => {
    expect(offences(person('DEU', [['2024-06-01', null]]), '2024-07-01')).toEqual([
      ['stay-limit', '2024-07-01', 1, 'in-country'],
    ]);
  });
  it('F: RUS visa run in 2022: lawful (cap only)', () => {
    const f = person('RUS', [['2022-03-01', '2022-05-20'], ['2022-05-21', '2022-07-01']]);
    expect(offences(f, '2022-12-31')).toEqual([]);
  });
  it('G: KGZ with a TRP from 2024-03-01: lawful', () => {
    const g = person('KGZ', [['2024-01-10', null]], { permits: [['2024-03-01', '2024-12-31']] });
    expect(offences(g, '2024-11-01')).toEqual([]);
  });
  it('H: KGZ whose TRP ended 2024-06-30: permit-expired, 10 days', () => {
    const h = person('KGZ', [['2024-01-10', null]], { permits: [['2024-03-01', '2024-06-30']] });
    expect(offences(h, '2024-07-10')).toEqual([['permit-expired', '2024-07-01', 10, 'in-country']]);
  });
  it('I: TJK expelled 2021-05-20: ban-breach on 2025-09-01, not on 2026-05-20', () => {
    expect(offences(person('TJK', [['2025-09-01', null]], { expelled: '2021-05-20' }), '2025-09-01')).toEqual([
      ['ban-breach', '2025-09-01', 1, 'in-country'],
    ]);
    expect(offences(person('TJK', [['2026-05-20', null]], { expelled: '2021-05-20' }), '2026-05-20')).toEqual([]);
  });
});

describe('judge: registrations', () => {
  it('counts 3 working days from arrival, skipping holidays', () => {
    expect(calendar.iso(calendar.registrationDeadline(isoDay('2022-07-04')))).toBe('2022-07-07'); // 6 July
    expect(calendar.iso(calendar.registrationDeadline(isoDay('2024-12-31')))).toBe('2025-01-06');
    expect(calendar.iso(calendar.registrationDeadline(isoDay('2022-05-01')))).toBe('2022-05-04'); // Sunday, 1 May
  });
  it('finds an unregistered stay and a late registration', () => {
    const p = person('KGZ', [['2022-07-04', '2022-07-25']]);
    const findings: ExpectedFinding[] = [];
    new Judge(calendar, isoDay('2022-12-31')).judge(p, findings);
    expect(findings.map((f) => [f.rule, calendar.iso(f.firstDay), f.days])).toEqual([['unregistered', '2022-07-08', 18]]);
    p.registrations.push({ from: isoDay('2022-07-04'), until: null, notified: isoDay('2022-07-12'), host: 0 });
    findings.length = 0;
    new Judge(calendar, isoDay('2022-12-31')).judge(p, findings);
    expect(findings.map((f) => [f.rule, calendar.iso(f.firstDay), f.days])).toEqual([['late-registration', '2022-07-12', 5]]);
  });
  it('as-of is a snapshot: a notification after it is not yet known, nor an expulsion decided after it', () => {
    // KGZ in Mon 2022-12-19 (deadline Wed 12-21), notified 2023-01-09: as of 2022-12-31 unregistered, 10 days.
    const p = person('KGZ', [['2022-12-19', null]]);
    p.registrations.push({ from: isoDay('2022-12-19'), until: null, notified: isoDay('2023-01-09'), host: 0 });
    const findings: ExpectedFinding[] = [];
    new Judge(calendar, isoDay('2022-12-31')).judge(p, findings);
    expect(findings.map((f) => [f.rule, calendar.iso(f.firstDay), f.days])).toEqual([['unregistered', '2022-12-22', 10]]);
    // TJK in 2025-09-01, expelled on 2025-08-01 by a decision of 2025-09-10.
    const t = person('TJK', [['2025-09-01', null]]);
    t.expulsions.push({ decided: isoDay('2025-09-10'), expelled: isoDay('2025-08-01'), banYears: null, reason: 0 });
    expect(offences(t, '2025-09-05')).toEqual([]);
    expect(offences(t, '2025-09-10')).toEqual([['ban-breach', '2025-09-01', 10, 'in-country']]);
  });
});
