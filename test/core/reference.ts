/**
 * A deliberately naive, day-by-day reading of SPEC §3, used only to cross-check the
 * optimised audit on random persons. Slow on purpose: sets of days, loops back over
 * the window on every day, no shortcuts.
 */
import { permitCoverage } from '../../src/core/audit.js';
import { regimeFor, type Ruleset } from '../../src/core/ruleset.js';
import { buildStays } from '../../src/core/stays.js';
import type { Day, PersonTimeline } from '../../src/core/types.js';

export interface ReferenceStay {
  entry: Day;
  end: Day;
  rule: string | null;
  first: Day | null;
  days: number;
  authorisedUntil: Day | null;
}

export function referenceAudit(p: PersonTimeline, ruleset: Ruleset, asOf: Day, horizon = 4000): ReferenceStay[] {
  const { stays } = buildStays(p.crossings, asOf, ruleset.missingExit);
  const presence = new Set<Day>();
  for (const s of stays) for (let x = s.entryDay; x <= (s.exitDay ?? asOf); x++) presence.add(x);
  const ranges = p.permits.filter((q) => q.validUntil >= q.validFrom).map(permitCoverage).filter((r) => r !== null);
  const coveredDays = new Set<Day>();
  for (const [a, b] of ranges) for (let x = a; x <= b; x++) coveredDays.add(x);
  const covered = (x: Day): boolean => coveredDays.has(x);

  return stays.map((s) => {
    const E = s.entryDay;
    const end = s.exitDay ?? asOf;
    const regime = regimeFor(ruleset, p.citizenship, E);
    // lastCov: the last covered day of the stay before `day` (callers walk the days in order).
    const classify = (day: Day, present: (x: Day) => boolean, lastCov: Day | null): string | null => {
      if (covered(day)) return null;
      if (lastCov !== null) return day - lastCov > ruleset.graceDays ? 'permit-expired' : null;
      if (regime.requiresVisa) return 'no-basis';
      if (regime.cap !== null && day > E + regime.cap - 1) return 'stay-limit';
      const w = regime.window;
      if (w !== null) {
        let n = 0;
        for (let x = day - w.days + 1; x <= day; x++) {
          if (present(x) && !covered(x) && (w.countFrom === null || x >= w.countFrom)) n++;
        }
        if (n > w.max) return 'rolling-limit';
      }
      return null;
    };
    let rule: string | null = null;
    let first: Day | null = null;
    let days = 0;
    let lastCov: Day | null = null;
    for (let day = E; day <= end; day++) {
      const label = classify(day, (x) => presence.has(x), lastCov);
      if (covered(day)) lastCov = day;
      if (label !== null) {
        days++;
        if (first === null) { first = day; rule = label; }
      }
    }
    let authorisedUntil: Day | null = null;
    lastCov = null;
    for (let day = E; day <= E + horizon; day++) {
      const label = classify(day, (x) => x >= E || presence.has(x), lastCov);
      if (covered(day)) lastCov = day;
      if (label !== null) {
        authorisedUntil = day === E ? null : day - 1;
        break;
      }
    }
    return { entry: E, end, rule, first, days, authorisedUntil };
  });
}
