/**
 * A deliberately naive, day-by-day reading of SPEC §2 and §3, used only to cross-check
 * the optimised audit on random persons. Slow on purpose: sets of days, loops back over
 * the window on every day, no shortcuts. It imports nothing it checks: the stays, the
 * permits' days, each stay's regime and the snapshot as of the audit day are worked
 * out here again (it takes only day conversion and types from src/core).
 */
import { dayFromIso } from '../../src/core/dates.js';
import type { Ruleset, WindowDefinition } from '../../src/core/ruleset.js';
import type { Crossing, Day, Permit, PersonTimeline } from '../../src/core/types.js';

interface ReferenceRegime {
  name: string;
  cap: number | null;
  window: { days: number; max: number; countFrom: Day | null } | null;
  requiresVisa: boolean;
}

/** The ruleset's regimes read literally: the first in the list naming the citizenship and in force on the day, else the default. */
function regimeOn(ruleset: Ruleset, citizenship: string, day: Day): ReferenceRegime {
  const window = (w: WindowDefinition | null) => (w === null ? null : { days: w.days, max: w.max, countFrom: w.countFrom === null ? null : dayFromIso(w.countFrom) });
  for (const r of ruleset.regimes) {
    const members = [...r.countries, ...r.groups.flatMap((g) => ruleset.groups[g] ?? [])];
    if (!members.includes(citizenship)) continue;
    if (r.from !== null && day < dayFromIso(r.from)) continue;
    if (r.until !== null && day > dayFromIso(r.until)) continue;
    return { name: r.name, cap: r.cap, window: window(r.window), requiresVisa: r.requiresVisa };
  }
  const d = ruleset.defaultRegime;
  return { name: d.name, cap: d.cap, window: window(d.window), requiresVisa: d.requiresVisa };
}

export interface ReferenceStay {
  entry: Day;
  end: Day;
  /** The citizenship on the entry crossing: the regime's. */
  citizenship: string;
  regime: string;
  rule: string | null;
  first: Day | null;
  days: number;
  authorisedUntil: Day | null;
}

interface RefStay {
  entry: Day;
  exit: Day | null;
  citizenship: string;
}

/**
 * SPEC §2 read literally: crossings on or before as-of, in time order; crossings with
 * the same time and direction once; at one instant an OUT goes first while a stay is
 * open, an IN otherwise; an IN while a stay is open leaves that stay unresolved (or,
 * present-throughout, keeps it); an OUT with no open stay is no stay.
 */
export function referenceStays(p: PersonTimeline, asOf: Day, missingExit: string): RefStay[] {
  const known = p.crossings.filter((c) => c.day <= asOf);
  const byInstant = new Map<string, Crossing[]>();
  for (const c of known) {
    const list = byInstant.get(c.at) ?? [];
    if (!list.some((x) => x.direction === c.direction)) list.push(c);
    byInstant.set(c.at, list);
  }
  const stays: RefStay[] = [];
  let open: Crossing | null = null;
  for (const at of [...byInstant.keys()].sort()) {
    const group = byInstant.get(at)!;
    const order = open !== null ? ['OUT', 'IN'] : ['IN', 'OUT'];
    for (const direction of order) {
      const c = group.find((x) => x.direction === direction);
      if (c === undefined) continue;
      if (c.direction === 'IN') {
        if (open !== null && missingExit === 'present-throughout') continue;
        open = c;
      } else if (open !== null) {
        stays.push({ entry: open.day, exit: c.day, citizenship: open.citizenship ?? p.citizenship });
        open = null;
      }
    }
  }
  if (open !== null) stays.push({ entry: open.day, exit: null, citizenship: open.citizenship ?? p.citizenship });
  return stays;
}

/** Whether a permit is in force on `day` as it stood on `asOf` (a later revocation is not yet known). */
function inForce(q: Permit, day: Day, asOf: Day): boolean {
  if (q.validUntil < q.validFrom || q.status === 'annulled') return false;
  if (day < q.validFrom || day > q.validUntil) return false;
  if (q.status === 'revoked') {
    if (q.revokedOn === null) return false;
    if (q.revokedOn <= asOf && day >= q.revokedOn) return false;
  }
  return true;
}

export function referenceAudit(p: PersonTimeline, ruleset: Ruleset, asOf: Day, horizon = 4000): ReferenceStay[] {
  const stays = referenceStays(p, asOf, ruleset.missingExit ?? 'unresolved');
  const presence = new Set<Day>();
  for (const s of stays) for (let x = s.entry; x <= (s.exit ?? asOf); x++) presence.add(x);
  const coveredDays = new Set<Day>();
  for (const q of p.permits) for (let x = q.validFrom; x <= q.validUntil; x++) if (inForce(q, x, asOf)) coveredDays.add(x);
  const covered = (x: Day): boolean => coveredDays.has(x);

  return stays.map((s) => {
    const E = s.entry;
    const end = s.exit ?? asOf;
    const regime = regimeOn(ruleset, s.citizenship, E);
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
    return { entry: E, end, citizenship: s.citizenship, regime: regime.name, rule, first, days, authorisedUntil };
  });
}
