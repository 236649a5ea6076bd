/**
 * Overstays (SPEC §3): each day of presence of a stay is covered, in the grace days
 * after a permit, permit-expired, no-basis, stay-limit or rolling-limit — the first of
 * these that holds, in that order (DAY_PRECEDENCE below) — else lawful. A stay with
 * an unlawful day yields one finding, named after its first unlawful day. These are
 * the foreigner's own offences.
 *
 * `judgeStayDayByDay` reads the law literally, one day at a time; the audit uses the
 * equivalent `judgeStay` of `overstay-kernel.ts`, which skips the walking, and a test
 * over generated data keeps the two equal.
 */
import { isoFromDay, isoOrNull } from '../dates.js';
import { permitCoverage, type PersonContext } from '../person-context.js';
import type { Regime } from '../ruleset.js';
import type { Day, Finding, Permit } from '../types.js';
import type { StayJudgement } from './overstay-kernel.js';
import { field, stayFinding, type Detail, type JudgedStay, type RuleFamily, type RuleInfo } from './rule.js';

/** What the law looks at to name one day of presence of a stay. */
export interface DayFacts {
  day: Day;
  /** The stay's entry day. */
  entry: Day;
  regime: Regime;
  /** A permit is in force on the day. */
  covered: boolean;
  /** The last covered day of the stay before this day, null when none. */
  lastCovered: Day | null;
  graceDays: number;
  /** Uncovered days of presence the regime counts in its window ending on this day (0 without a window). */
  windowCount: number;
}

/** Covered days are lawful and count in no window. */
const COVERED = { name: 'covered', lawful: true, holds: (x: DayFacts) => x.covered } as const;

/**
 * The grace days right after a covered day are lawful and judged by no other rule
 * (README, "Decisions where the specification is silent"; with 0 grace days, the
 * default, there are none).
 */
const GRACE = { name: 'grace', lawful: true, holds: (x: DayFacts) => x.lastCovered !== null && x.day - x.lastCovered <= x.graceDays } as const;

export const PERMIT_EXPIRED = {
  lawful: false,
  name: 'permit-expired',
  offender: 'person',
  holds: (x: DayFacts) => x.lastCovered !== null && x.day - x.lastCovered > x.graceDays,
  explain: (d: Detail) => `permit ${field(d, 'permitNo')} ended on ${field(d, 'permitEnd')} (grace ${field(d, 'graceDays')} days)`,
} as const;

export const NO_BASIS = {
  lawful: false,
  name: 'no-basis',
  offender: 'person',
  holds: (x: DayFacts) => x.regime.requiresVisa,
  explain: () => 'visa regime: present with no permit in force',
} as const;

export const STAY_LIMIT = {
  lawful: false,
  name: 'stay-limit',
  offender: 'person',
  holds: (x: DayFacts) => x.regime.cap !== null && x.day > x.entry + x.regime.cap - 1,
  explain: (d: Detail) => `cap of ${field(d, 'cap')} days per entry ended on ${field(d, 'capEnd')}`,
} as const;

export const ROLLING_LIMIT = {
  lawful: false,
  name: 'rolling-limit',
  offender: 'person',
  holds: (x: DayFacts) => x.regime.window !== null && x.windowCount > x.regime.window.max,
  explain: (d: Detail) =>
    `${field(d, 'windowCount')} counted days in the ${field(d, 'windowDays')}-day window on the first unlawful day (max ${field(d, 'windowMax')}${d['countFrom'] ? `, counting from ${field(d, 'countFrom')}` : ''})`,
} as const;

/** SPEC §3: a day of presence is the first of these that holds, else lawful. */
export const DAY_PRECEDENCE = [COVERED, GRACE, PERMIT_EXPIRED, NO_BASIS, STAY_LIMIT, ROLLING_LIMIT] as const;

export type OverstayRuleName = (typeof PERMIT_EXPIRED | typeof NO_BASIS | typeof STAY_LIMIT | typeof ROLLING_LIMIT)['name'];

/** The first test of DAY_PRECEDENCE that holds on a day (null: lawful, no test holds). */
export function classifyDay(x: DayFacts): (typeof DAY_PRECEDENCE)[number] | null {
  for (const test of DAY_PRECEDENCE) if (test.holds(x)) return test;
  return null;
}

/**
 * The overstay verdict on the stay [entry, end], day by day, as the law reads: the
 * stay is extended without a break until its first unlawful day is known (that gives
 * authorised-until), and the unlawful days on or before `end` are counted.
 */
export function judgeStayDayByDay(ctx: PersonContext, entry: Day, end: Day, regime: Regime): StayJudgement {
  const w = regime.window;
  // The stay extended without a break: present every day from the entry on.
  const present = (x: Day): boolean => x >= entry || ctx.presence.has(x);
  const covered = (x: Day): boolean => ctx.coverage.has(x);
  const counts = (x: Day): number => (w !== null && present(x) && !covered(x) && (w.countFrom === null || x >= w.countFrom) ? 1 : 0);
  // Past the last permit, `end` and the start of counting nothing changes but the cap,
  // the grace days and the window filling up: a stay lawful by then stays lawful.
  const lastCoverage = ctx.coverage.isEmpty() ? entry : ctx.coverage.endOf(ctx.coverage.intervalCount - 1);
  const settled = Math.max(entry, end, lastCoverage, w?.countFrom ?? entry);
  const horizon = settled + ctx.compiled.graceDays + (regime.cap ?? 0) + (w?.days ?? 0) + 1;

  let windowCount = 0;
  if (w !== null) for (let x = entry - w.days; x < entry; x++) windowCount += counts(x);
  const out: StayJudgement = { firstUnlawful: Infinity, rule: null, unlawfulDays: 0, windowCount: 0, lastCovered: -Infinity };
  let lastCovered: Day | null = null;
  for (let day = entry; day <= horizon; day++) {
    if (w !== null) windowCount += counts(day) - counts(day - w.days);
    const facts: DayFacts = { day, entry, regime, covered: covered(day), lastCovered, graceDays: ctx.compiled.graceDays, windowCount };
    const test = classifyDay(facts);
    if (facts.covered) lastCovered = day;
    if (test !== null && !test.lawful) {
      const label = test.name;
      if (out.firstUnlawful === Infinity) {
        out.firstUnlawful = day;
        out.rule = label;
        if (label === ROLLING_LIMIT.name) out.windowCount = windowCount;
        if (label === PERMIT_EXPIRED.name) out.lastCovered = lastCovered ?? -Infinity;
      }
      if (day <= end) out.unlawfulDays++;
    }
    if (day >= end && out.firstUnlawful !== Infinity) break;
  }
  return out;
}

// ---------------------------------------------------------------------------
// Findings

/** The permit whose coverage ended on `day` (else one in force on it). */
function permitEndingOn(permits: readonly Permit[], day: number, asOf: Day): Permit | null {
  let found: Permit | null = null;
  for (const p of permits) {
    const range = permitCoverage(p, asOf);
    if (range !== null && range[0] <= day && range[1] >= day) {
      if (range[1] === day) return p;
      found ??= p;
    }
  }
  return found;
}

function detail(person: PersonContext, s: JudgedStay): Finding['detail'] {
  const { regime, judgement: j } = s;
  switch (j.rule) {
    case STAY_LIMIT.name:
      return { cap: regime.cap, capEnd: isoFromDay(s.entry + (regime.cap ?? 0) - 1) };
    case ROLLING_LIMIT.name: {
      const w = regime.window;
      return { windowDays: w?.days ?? null, windowMax: w?.max ?? null, windowCount: j.windowCount, countFrom: isoOrNull(w?.countFrom ?? null) };
    }
    case PERMIT_EXPIRED.name: {
      const p = permitEndingOn(person.timeline.permits, j.lastCovered, person.asOf);
      return { permitNo: p?.permitNo ?? null, permitKind: p?.kind ?? null, permitEnd: isoFromDay(j.lastCovered), graceDays: person.compiled.graceDays };
    }
    case NO_BASIS.name:
      return { requiresVisa: true, permits: person.timeline.permits.length };
    default:
      return {};
  }
}

const RULES: readonly RuleInfo<OverstayRuleName>[] = [PERMIT_EXPIRED, NO_BASIS, STAY_LIMIT, ROLLING_LIMIT];

export const overstay: RuleFamily<OverstayRuleName> = {
  family: 'overstay',
  rules: RULES,
  judgeStay(person, s, findings) {
    const j = s.judgement;
    if (j.rule === null || j.firstUnlawful > s.end) return;
    findings.push(stayFinding(person, s, j.rule, { firstDay: j.firstUnlawful, lastLawfulDay: j.firstUnlawful - 1, days: j.unlawfulDays, detail: detail(person, s) }));
  },
};
