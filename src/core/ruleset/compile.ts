/**
 * The compiled form of a ruleset, as the audit reads it: days as numbers, each
 * citizenship's regimes as a sorted list of disjoint periods (painted in priority
 * order), a holiday calendar. Compiled forms are cached per Ruleset object.
 */
import { dayFromIso } from '../dates.js';
import type { Day } from '../types.js';
import { createWorkingCalendar, type WorkingCalendar } from '../working-days.js';
import type { MissingExitMode, Ruleset, WindowDefinition } from './definition.js';

export interface CompiledWindow {
  days: number;
  max: number;
  /** First counted day; null: every day counts. */
  countFrom: Day | null;
}

/** A regime as the audit reads it. */
export interface Regime {
  name: string;
  /** Position in `Ruleset.regimes`; −1 for the default regime. */
  index: number;
  from: Day | null;
  until: Day | null;
  cap: number | null;
  window: CompiledWindow | null;
  requiresVisa: boolean;
}

/** One period of one citizenship's regime timeline (bounds inclusive, ±Infinity when open). */
export interface RegimePeriod {
  from: number;
  until: number;
  regime: Regime;
}

export interface CompiledRuleset {
  readonly ruleset: Ruleset;
  readonly regimes: readonly Regime[];
  readonly defaultRegime: Regime;
  /** Citizenship -> its regime periods, sorted by `from`, disjoint; days outside them get the default regime. */
  readonly periodsByCitizenship: ReadonlyMap<string, readonly RegimePeriod[]>;
  readonly calendar: WorkingCalendar;
  readonly workingDays: number;
  readonly graceDays: number;
  readonly banYears: number;
  readonly missingExit: MissingExitMode;
  /** Upper-cased checkpoint codes, or null when no list is given. */
  readonly checkpoints: ReadonlySet<string> | null;
}

function compileWindow(w: WindowDefinition | null): CompiledWindow | null {
  if (w === null) return null;
  return { days: w.days, max: w.max, countFrom: w.countFrom === null ? null : dayFromIso(w.countFrom) };
}

/** Subtracts the (sorted, disjoint) taken periods from [from, until]; returns the remaining pieces. */
function remainder(from: number, until: number, taken: readonly RegimePeriod[]): Array<[number, number]> {
  const pieces: Array<[number, number]> = [];
  let start = from;
  for (const t of taken) {
    if (t.until < start) continue;
    if (t.from > until) break;
    if (t.from > start) pieces.push([start, t.from - 1]);
    start = Math.max(start, t.until + 1);
    if (start > until) return pieces;
  }
  if (start <= until) pieces.push([start, until]);
  return pieces;
}

const compiledCache = new WeakMap<Ruleset, CompiledRuleset>();

/** The compiled form of a ruleset (cached per Ruleset object). */
export function compileRuleset(ruleset: Ruleset | CompiledRuleset): CompiledRuleset {
  if (isCompiled(ruleset)) return ruleset;
  const cached = compiledCache.get(ruleset);
  if (cached !== undefined) return cached;

  const regimes: Regime[] = ruleset.regimes.map((def, index) => ({
    name: def.name,
    index,
    from: def.from === null ? null : dayFromIso(def.from),
    until: def.until === null ? null : dayFromIso(def.until),
    cap: def.cap,
    window: compileWindow(def.window),
    requiresVisa: def.requiresVisa,
  }));
  const defaultRegime: Regime = {
    name: ruleset.defaultRegime.name,
    index: -1,
    from: null,
    until: null,
    cap: ruleset.defaultRegime.cap,
    window: compileWindow(ruleset.defaultRegime.window),
    requiresVisa: ruleset.defaultRegime.requiresVisa,
  };

  // Paint each citizenship's timeline in priority order: a regime only gets the days
  // no earlier regime in the list already has.
  const periods = new Map<string, RegimePeriod[]>();
  ruleset.regimes.forEach((def, i) => {
    const regime = regimes[i] as Regime;
    const members = new Set<string>(def.countries);
    for (const g of def.groups) for (const c of ruleset.groups[g] ?? []) members.add(c);
    const from = regime.from ?? -Infinity;
    const until = regime.until ?? Infinity;
    for (const citizenship of members) {
      let list = periods.get(citizenship);
      if (list === undefined) periods.set(citizenship, (list = []));
      for (const [a, b] of remainder(from, until, list)) list.push({ from: a, until: b, regime });
      list.sort((x, y) => x.from - y.from);
    }
  });

  const compiled: CompiledRuleset = {
    ruleset,
    regimes,
    defaultRegime,
    periodsByCitizenship: periods,
    calendar: createWorkingCalendar(ruleset.registration.holidays, ruleset.registration.extraHolidays),
    workingDays: ruleset.registration.workingDays,
    graceDays: ruleset.graceDays,
    banYears: ruleset.banYears,
    missingExit: ruleset.missingExit,
    checkpoints: ruleset.checkpoints === null ? null : new Set(ruleset.checkpoints.map((c) => c.trim().toUpperCase())),
  };
  compiledCache.set(ruleset, compiled);
  return compiled;
}

export function isCompiled(ruleset: Ruleset | CompiledRuleset): ruleset is CompiledRuleset {
  return (ruleset as CompiledRuleset).periodsByCitizenship !== undefined;
}

/** The regime in force for a citizenship on a day (the entry day's regime governs a whole stay). */
export function regimeFor(ruleset: Ruleset | CompiledRuleset, citizenship: string, day: Day): Regime {
  const compiled = isCompiled(ruleset) ? ruleset : compileRuleset(ruleset);
  const list = compiled.periodsByCitizenship.get(citizenship);
  if (list !== undefined) {
    for (let i = 0; i < list.length; i++) {
      const p = list[i] as RegimePeriod;
      if (day < p.from) break;
      if (day <= p.until) return p.regime;
    }
  }
  return compiled.defaultRegime;
}
