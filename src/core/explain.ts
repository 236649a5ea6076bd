/**
 * Where a person stands on the as-of day, for the `person` command: days used in the
 * rolling window, days left, and how long they may stay on.
 */
import { citizenshipAsOf, personContext } from './person-context.js';
import { judgeStay } from './rules/overstay-kernel.js';
import { regimeFor, type CompiledRuleset, type Ruleset } from './ruleset.js';
import type { Day, PersonTimeline } from './types.js';

/** Window length used for `daysUsedInWindow` when the regime has no window. */
const DEFAULT_WINDOW_DAYS = 180;

export interface PersonExplanation {
  asOf: Day;
  /** The person's citizenship as of the day: that of their latest crossing on or before it. */
  citizenship: string;
  /** In the country on the as-of day: a judged stay is open at as-of. */
  present: boolean;
  /** Entry day of the open stay (null when not present). */
  entryDay: Day | null;
  /** Days of the open stay up to as-of, entry day included (null when not present). */
  daysInStay: number | null;
  /**
   * Regime of the open stay (under the citizenship it was entered on), else the regime
   * that would govern an entry on the as-of day under `citizenship`.
   */
  regime: string;
  cap: number | null;
  /** entry + cap − 1 for the open stay (null when not present or no cap). */
  capEnd: Day | null;
  requiresVisa: boolean;
  /** The regime's window length, null when it has none (the count then uses 180 days and every day). */
  windowDays: number | null;
  windowMax: number | null;
  countFrom: Day | null;
  /** Uncovered days of presence in [asOf − windowDays + 1, asOf] that the regime counts. */
  daysUsedInWindow: number;
  /** windowMax − daysUsedInWindow, never below 0; null when the regime has no window. */
  daysRemaining: number | null;
  /** A permit is in force on the as-of day. */
  covered: boolean;
  /**
   * Last lawful day if the person stays on without leaving (null when not present or
   * never limited). Before the entry day when the stay was unlawful from its first day;
   * before as-of when the person is already over.
   */
  lastLawfulDayIfStaysOn: Day | null;
}

export function explainPerson(timeline: PersonTimeline, ruleset: Ruleset | CompiledRuleset, asOf: Day): PersonExplanation {
  const ctx = personContext(timeline, ruleset, asOf);
  const stays = ctx.built.stays;
  const last = stays.length > 0 ? stays[stays.length - 1] : undefined;
  const current = last !== undefined && last.exitDay === null ? last : null;
  const citizenship = citizenshipAsOf(timeline, asOf);
  const regime = regimeFor(ctx.compiled, current?.entryCitizenship ?? citizenship, current === null ? asOf : current.entryDay);
  const w = regime.window;
  const windowDays = w?.days ?? DEFAULT_WINDOW_DAYS;
  const lo = Math.max(asOf - windowDays + 1, w?.countFrom ?? -Infinity);
  const used = ctx.counted.count(lo, asOf);

  let lastLawful: Day | null = null;
  if (current !== null) {
    const j = judgeStay(ctx, current.entryDay, asOf, regime);
    lastLawful = j.firstUnlawful === Infinity ? null : j.firstUnlawful - 1;
  }
  return {
    asOf,
    citizenship,
    present: current !== null,
    entryDay: current?.entryDay ?? null,
    daysInStay: current === null ? null : asOf - current.entryDay + 1,
    regime: regime.name,
    cap: regime.cap,
    capEnd: current === null || regime.cap === null ? null : current.entryDay + regime.cap - 1,
    requiresVisa: regime.requiresVisa,
    windowDays: w?.days ?? null,
    windowMax: w?.max ?? null,
    countFrom: w?.countFrom ?? null,
    daysUsedInWindow: used,
    daysRemaining: w === null ? null : Math.max(0, w.max - used),
    covered: ctx.coverage.has(asOf),
    lastLawfulDayIfStaysOn: lastLawful,
  };
}
