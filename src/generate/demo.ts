/**
 * The bundled demo dataset: year 2022, ~2,400 random persons (mostly Russian, Uzbek,
 * Kyrgyz and Chinese) who all keep the rules, plus thirteen scripted persons whose
 * verdicts are known and explained below. The random part is lawful by construction
 * (violatorScale 0, no re-entries), so every violator in the demo is one of these:
 *
 * Russian violators (3 of about 1,500 Russian entries, the ministry's "0.2%"):
 *   1. 999000000001 PETROV IVAN — in 2022-01-10, out 2022-04-20. The EAEU cap of 90 days
 *      ends on 2022-04-09: stay-limit from 2022-04-10, 11 days, departed.
 *   2. RUS:990000002 SMIRNOVA OLGA (no person_id) — in 2022-09-01, still in the country:
 *      last lawful day 2022-11-29, stay-limit from 2022-11-30, 32 days, in-country.
 *   3. 999000000003 KUZNETSOV DMITRII — TRP revoked on 2022-06-15 while he was in the
 *      country (in 2022-03-01, out 2022-07-05): permit-expired from 2022-06-15, 21 days.
 * Other violators:
 *   4. 999000000004 KARIMOV BOBUR (UZB) — 46 days, cap 30: stay-limit from 2022-05-31, 16 days.
 *   5. 999000000005 WANG WEI (CHN, visa-free 14 days with 42 per 180 in 2022) — three
 *      14-day trips, then a fourth from 2022-04-10: rolling-limit from 2022-04-10, 5 days.
 *   6. 999000000006 KHAN IMRAN (PAK) — visa until 2022-03-31, left 2022-04-12:
 *      permit-expired from 2022-04-01, 12 days.
 *   7. 999000000007 AHMADZAI AHMAD (AFG) — no visa: no-basis from entry 2022-10-03, 18 days;
 *      also never registered (unregistered, 15 days, the host's offence).
 *   8. 999000000008 RAHMONOV FIRDAVS (TJK) — expelled 2020-05-20 with a 5-year ban,
 *      entered 2022-08-14: ban-breach, 17 days.
 *   9. 999000000009 ASANOV AZAMAT (KGZ) — expelled on 2022-03-10 when he left, came back
 *      on 2022-10-02: ban-breach, 8 days.
 * Lawful on purpose:
 *  10. 999000000010 SOKOLOV ANDREI (RUS) — 81 days, out and back the next day for 42 more
 *      ("visa run"): lawful in 2022 (cap only); from 2023-01-27 it would break the window.
 *  11. 999000000011 OSMONOVA AIGUL (KGZ) — 50 uncovered days, then a TRP to 2022-12-31.
 * Registration findings only (the receiving party's offence, not violators):
 *  12. 999000000012 YUSUPOVA MADINA (UZB) — notified 2022-06-14, deadline 2022-06-08:
 *      late-registration, 6 days.
 *  13. 999000000013 SYDYKOV ERLAN (KGZ) — never registered; deadline 2022-07-07 (6 July is
 *      a holiday): unregistered from 2022-07-08, 18 days.
 *
 * Malformed rows (7, all copies of scripted persons' rows): crossings of #10 with the
 * date 31.02.2022 and the direction SIDEWAYS, of #4 with citizenship ZZZ, of #13 with
 * no document number; #1's registration with an impossible date; #3's permit with
 * citizenship ZZZ; #8's expulsion with no document number.
 */
import { isoDay } from './calendar.js';
import { ListedDefects, type Defect } from './csv-writer.js';
import type { GeneratedDataset } from './dialect.js';
import { coveredOn, type ExpectedFinding, type ExpectedRule } from './judge.js';
import { DEFAULT_SHAPE, type ShapeParameters } from './person-planner.js';
import type { PermitPlan, PersonPlan, StayPlan } from './plan.js';
import { CHECKPOINTS, NATIONALITIES } from './population.js';
import { GenerationRun, type GenerateSummary } from './run.js';

export const DEMO_YEAR = 2022;
const DEMO_SEED = 2022;
const DEMO_RANDOM_PERSONS = 2_400;

const DEMO_SHAPE: ShapeParameters = {
  ...DEFAULT_SHAPE,
  nationalityWeights: {
    RUS: 50, UZB: 20, KGZ: 12, CHN: 8, TJK: 3, TUR: 1.5, DEU: 1, IND: 1, AZE: 1, BLR: 1, PAK: 0.8, AFG: 0.7,
  },
  trpShare: 0.03,
  expelledShare: 0.003,
  reentryShare: 0,
  violatorScale: 0,
};

type Checkpoint = (typeof CHECKPOINTS)[number];

interface DemoStay {
  in: `${string} ${string}`;
  out: `${string} ${string}` | null;
  at: Checkpoint;
  /** Exit checkpoint when not the entry one. */
  outAt?: Checkpoint;
}

export interface DemoCase {
  citizenship: string;
  personId: string;
  documentNo: string;
  surname: string;
  givenNames: string;
  birth: string;
  male: boolean;
  stays: DemoStay[];
  permits?: {
    permitNo: string; kind: 'trp' | 'visa'; from: string; until: string; revokedOn?: string; ground: number;
  }[];
  /** `auto`: an on-time registration for every stay that needs one; or explicit rows. */
  registrations: 'auto' | { from: string; notified: string | null; until: string | null }[];
  expulsions?: { decided: string; expelled: string | null; banYears: number | null; reason: number }[];
  defects?: (readonly [GeneratedDataset, number, Defect])[];
  /** The findings the default ruleset must give as of 2022-12-31. */
  expected: { rule: ExpectedRule; firstDay: string; days: number; status: 'in-country' | 'departed' }[];
}

/** The scripted persons; see the comment at the top of this file. */
export const DEMO_CASES: readonly DemoCase[] = [
  {
    citizenship: 'RUS', personId: '999000000001', documentNo: '990000001', surname: 'PETROV', givenNames: 'IVAN',
    birth: '1984-06-12', male: true,
    stays: [{ in: '2022-01-10 08:40', out: '2022-04-20 19:05', at: 'ALA-AIRPORT', outAt: 'NQZ-AIRPORT' }],
    registrations: 'auto', defects: [['registrations', 0, 'bad-date']],
    expected: [{ rule: 'stay-limit', firstDay: '2022-04-10', days: 11, status: 'departed' }],
  },
  {
    citizenship: 'RUS', personId: '', documentNo: '990000002', surname: 'SMIRNOVA', givenNames: 'OLGA',
    birth: '1991-02-03', male: false,
    stays: [{ in: '2022-09-01 14:20', out: null, at: 'PETROPAVLOVSK-RAIL' }],
    registrations: 'auto',
    expected: [{ rule: 'stay-limit', firstDay: '2022-11-30', days: 32, status: 'in-country' }],
  },
  {
    citizenship: 'RUS', personId: '999000000003', documentNo: '990000003', surname: 'KUZNETSOV', givenNames: 'DMITRII',
    birth: '1979-11-23', male: true,
    stays: [{ in: '2022-03-01 07:30', out: '2022-07-05 22:10', at: 'ALA-AIRPORT' }],
    permits: [{ permitNo: 'RVP-DEMO-0003', kind: 'trp', from: '2021-07-01', until: '2024-06-30', revokedOn: '2022-06-15', ground: 0 }],
    registrations: 'auto', defects: [['permits', 0, 'bad-citizenship']],
    expected: [{ rule: 'permit-expired', firstDay: '2022-06-15', days: 21, status: 'departed' }],
  },
  {
    citizenship: 'UZB', personId: '999000000004', documentNo: 'DM0000004', surname: 'KARIMOV', givenNames: 'BOBUR',
    birth: '1995-09-30', male: true,
    stays: [{ in: '2022-05-01 06:15', out: '2022-06-15 18:45', at: 'ZHIBEK ZHOLY' }],
    registrations: 'auto', defects: [['crossings', 0, 'bad-citizenship']],
    expected: [{ rule: 'stay-limit', firstDay: '2022-05-31', days: 16, status: 'departed' }],
  },
  {
    citizenship: 'CHN', personId: '999000000005', documentNo: 'DM0000005', surname: 'WANG', givenNames: 'WEI',
    birth: '1988-04-17', male: true,
    stays: [
      { in: '2022-01-10 10:00', out: '2022-01-23 16:30', at: 'KHORGOS' },
      { in: '2022-02-10 09:45', out: '2022-02-23 17:10', at: 'KHORGOS' },
      { in: '2022-03-10 11:20', out: '2022-03-23 15:00', at: 'KHORGOS' },
      { in: '2022-04-10 08:05', out: '2022-04-14 20:40', at: 'KHORGOS' },
    ],
    registrations: 'auto',
    expected: [{ rule: 'rolling-limit', firstDay: '2022-04-10', days: 5, status: 'departed' }],
  },
  {
    citizenship: 'PAK', personId: '999000000006', documentNo: 'DM0000006', surname: 'KHAN', givenNames: 'IMRAN',
    birth: '1990-01-05', male: true,
    stays: [{ in: '2022-02-05 03:10', out: '2022-04-12 04:25', at: 'ALA-AIRPORT' }],
    permits: [{ permitNo: 'V-DEMO-0006', kind: 'visa', from: '2022-02-01', until: '2022-03-31', ground: 1 }],
    registrations: 'auto',
    expected: [{ rule: 'permit-expired', firstDay: '2022-04-01', days: 12, status: 'departed' }],
  },
  {
    citizenship: 'AFG', personId: '999000000007', documentNo: 'DM0000007', surname: 'AHMADZAI', givenNames: 'AHMAD',
    birth: '1993-07-21', male: true,
    stays: [{ in: '2022-10-03 02:50', out: '2022-10-20 23:15', at: 'NQZ-AIRPORT' }],
    registrations: [],
    expected: [
      { rule: 'no-basis', firstDay: '2022-10-03', days: 18, status: 'departed' },
      { rule: 'unregistered', firstDay: '2022-10-06', days: 15, status: 'departed' },
    ],
  },
  {
    citizenship: 'TJK', personId: '999000000008', documentNo: 'DM0000008', surname: 'RAHMONOV', givenNames: 'FIRDAVS',
    birth: '1997-03-14', male: true,
    stays: [{ in: '2022-08-14 07:55', out: '2022-08-30 13:35', at: 'ZHIBEK ZHOLY' }],
    expulsions: [{ decided: '2020-05-20', expelled: null, banYears: 5, reason: 0 }],
    registrations: 'auto', defects: [['expulsions', 0, 'no-document']],
    expected: [{ rule: 'ban-breach', firstDay: '2022-08-14', days: 17, status: 'departed' }],
  },
  {
    citizenship: 'KGZ', personId: '999000000009', documentNo: 'DM0000009', surname: 'ASANOV', givenNames: 'AZAMAT',
    birth: '1986-12-01', male: true,
    stays: [
      { in: '2022-02-01 09:30', out: '2022-03-10 18:00', at: 'KORDAI' },
      { in: '2022-10-02 06:40', out: '2022-10-09 21:20', at: 'AK-ZHOL' },
    ],
    expulsions: [{ decided: '2022-03-04', expelled: '2022-03-10', banYears: 5, reason: 1 }],
    registrations: 'auto',
    expected: [{ rule: 'ban-breach', firstDay: '2022-10-02', days: 8, status: 'departed' }],
  },
  {
    citizenship: 'RUS', personId: '999000000010', documentNo: '990000010', surname: 'SOKOLOV', givenNames: 'ANDREI',
    birth: '1975-05-09', male: true,
    stays: [
      { in: '2022-03-01 12:00', out: '2022-05-20 10:30', at: 'KAIRAK' },
      { in: '2022-05-21 09:15', out: '2022-07-01 17:45', at: 'KAIRAK' },
    ],
    registrations: 'auto', defects: [['crossings', 0, 'bad-date'], ['crossings', 1, 'bad-direction']],
    expected: [],
  },
  {
    citizenship: 'KGZ', personId: '999000000011', documentNo: 'DM0000011', surname: 'OSMONOVA', givenNames: 'AIGUL',
    birth: '1999-08-08', male: false,
    stays: [{ in: '2022-01-10 15:25', out: null, at: 'KORDAI' }],
    permits: [{ permitNo: 'RVP-DEMO-0011', kind: 'trp', from: '2022-03-01', until: '2022-12-31', ground: 1 }],
    registrations: 'auto',
    expected: [],
  },
  {
    citizenship: 'UZB', personId: '999000000012', documentNo: 'DM0000012', surname: 'YUSUPOVA', givenNames: 'MADINA',
    birth: '2001-10-19', male: false,
    stays: [{ in: '2022-06-06 11:00', out: '2022-06-20 16:00', at: 'ALA-AIRPORT' }],
    registrations: [{ from: '2022-06-06', notified: '2022-06-14', until: '2022-06-20' }],
    expected: [{ rule: 'late-registration', firstDay: '2022-06-14', days: 6, status: 'departed' }],
  },
  {
    citizenship: 'KGZ', personId: '999000000013', documentNo: 'DM0000013', surname: 'SYDYKOV', givenNames: 'ERLAN',
    birth: '1983-02-27', male: true,
    stays: [{ in: '2022-07-04 05:30', out: '2022-07-25 19:50', at: 'KARASU' }],
    registrations: [], defects: [['crossings', 1, 'no-document']],
    expected: [{ rule: 'unregistered', firstDay: '2022-07-08', days: 18, status: 'departed' }],
  },
];

/** Host pool indexes used by the scripted registrations (a hotel and an employer near the top). */
const DEMO_HOSTS = [0, 1, 2, 5];

function minuteOf(time: string): number {
  const [h, m] = time.split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
}

function dayAndMinute(at: string): [number, number] {
  const [date, time] = at.split(' ');
  return [isoDay(date ?? ''), minuteOf(time ?? '00:00')];
}

/** A DemoCase as a PersonPlan. */
function demoPlan(c: DemoCase, registrationDeadline: (entry: number) => number, asOf: number): PersonPlan {
  const nationality = NATIONALITIES.find((n) => n.code === c.citizenship);
  if (nationality === undefined) throw new Error(`demo case with unknown citizenship ${c.citizenship}`);
  const stays: StayPlan[] = c.stays.map((s) => {
    const [entry, entryMinute] = dayAndMinute(s.in);
    const [exit, exitMinute] = s.out === null ? [null, 0] : dayAndMinute(s.out);
    return {
      entry, exit, entryMinute, exitMinute,
      entryCheckpoint: CHECKPOINTS.indexOf(s.at), exitCheckpoint: CHECKPOINTS.indexOf(s.outAt ?? s.at),
    };
  });
  const permits: PermitPlan[] = (c.permits ?? []).map((p, k) => ({
    permitNo: p.permitNo, kind: p.kind, ground: p.ground, validFrom: isoDay(p.from), validUntil: isoDay(p.until),
    status: p.revokedOn === undefined ? 'active' : 'revoked',
    revokedOn: p.revokedOn === undefined ? null : isoDay(p.revokedOn),
    host: p.kind === 'trp' ? (DEMO_HOSTS[k + 1] ?? null) : null,
  }));
  const plan: PersonPlan = {
    nationality, personId: c.personId, documentNo: c.documentNo,
    documentPrefixLength: 2,
    surname: c.surname, givenNames: c.givenNames, birth: isoDay(c.birth), male: c.male,
    stays, permits, registrations: [],
    expulsions: (c.expulsions ?? []).map((e) => ({
      decided: isoDay(e.decided), expelled: e.expelled === null ? null : isoDay(e.expelled), banYears: e.banYears,
      reason: e.reason,
    })),
  };
  if (c.registrations === 'auto') {
    stays.forEach((s, k) => {
      const deadline = registrationDeadline(s.entry);
      const last = s.exit ?? asOf;
      if (last <= deadline || coveredOn(permits, deadline)) return;
      plan.registrations.push({
        from: s.entry, until: s.exit, notified: Math.min(deadline, s.entry + 1), host: DEMO_HOSTS[k % DEMO_HOSTS.length]!,
      });
    });
  } else {
    for (const r of c.registrations) {
      plan.registrations.push({
        from: isoDay(r.from), until: r.until === null ? null : isoDay(r.until),
        notified: r.notified === null ? null : isoDay(r.notified), host: DEMO_HOSTS[0]!,
      });
    }
  }
  return plan;
}

export interface DemoOptions {
  /** Default `reference`. */
  variant?: 'reference' | 'russian-cp1251';
}

/**
 * Writes the demo dataset (see the top of this file) into `outDir`. Deterministic:
 * the same files every time. Returns the summary, whose `expected` block lists the
 * nine violators above.
 */
export async function generateDemo(outDir: string, options: DemoOptions = {}): Promise<GenerateSummary & {
  cases: { personKey: string; findings: ExpectedFinding[] }[];
}> {
  const run = new GenerationRun({
    outDir, seed: DEMO_SEED, variant: options.variant ?? 'reference', malformedShare: 0,
    fromYear: DEMO_YEAR, toYear: DEMO_YEAR, shape: DEMO_SHAPE,
  });
  const cases: { personKey: string; findings: ExpectedFinding[] }[] = [];
  try {
    const asOf = run.planner.asOf;
    DEMO_CASES.forEach((c, k) => {
      const plan = demoPlan(c, (entry) => run.calendar.registrationDeadline(entry), asOf);
      const findings: ExpectedFinding[] = [];
      const verdict = run.planner.judge.judge(plan, findings);
      run.add(plan, verdict, DEMO_RANDOM_PERSONS + k, new ListedDefects(c.defects ?? []));
      cases.push({ personKey: c.personId || `${c.citizenship}:${c.documentNo}`, findings });
    });
    for (let i = 0; i < DEMO_RANDOM_PERSONS; i++) {
      const { plan, verdict } = run.planner.plan(i);
      run.add(plan, verdict, i);
    }
  } catch (error) {
    run.abort();
    throw error;
  }
  return { ...run.finish(), cases };
}
