/**
 * What the rules read about one person as of the audit day, worked out once: the stays,
 * the days a permit covers, the days present, the days a window counts, and what was
 * known on that day (SPEC §2: as-of is a snapshot). Also the person's citizenship and
 * last host as of a day, which the person view and the statistics need.
 */
import { DaySet } from './day-set.js';
import { compileRuleset, type CompiledRuleset, type Ruleset } from './ruleset.js';
import { buildStays, presenceOf, type StaysResult } from './stays.js';
import type { Crossing, Day, Expulsion, Permit, PersonTimeline, Registration } from './types.js';

export interface PersonContext {
  timeline: PersonTimeline;
  compiled: CompiledRuleset;
  asOf: Day;
  built: StaysResult;
  /** Days on which a permit is in force. */
  coverage: DaySet;
  /** Days of presence of the judged stays (each once). */
  presence: DaySet;
  /** Days of presence not covered by a permit: what windows count. */
  counted: DaySet;
  /** Permits whose valid_until is before valid_from. */
  reversedPermits: Permit[];
  /** Expulsions decided on or before as-of (later ones are not yet known). */
  expulsions: readonly Expulsion[];
}

/**
 * The days a permit covers: [valid_from, valid_until], a revoked one only before
 * revoked_on, an annulled one never. As of `asOf`, a revocation dated after it is not
 * yet known: the permit stands as it did on that day, active.
 */
export function permitCoverage(p: Permit, asOf: Day = Infinity): [Day, Day] | null {
  if (p.status === 'annulled') return null;
  let until = p.validUntil;
  // A revocation dated after as-of is not yet known (one without a date always is).
  const revoked = p.status === 'revoked' && (p.revokedOn === null || p.revokedOn <= asOf);
  if (revoked) {
    if (p.revokedOn === null) return null;
    if (p.revokedOn - 1 < until) until = p.revokedOn - 1;
  }
  return until < p.validFrom ? null : [p.validFrom, until];
}

function knownExpulsions(expulsions: readonly Expulsion[], asOf: Day): readonly Expulsion[] {
  for (const ex of expulsions) if (ex.decidedOn > asOf) return expulsions.filter((e) => e.decidedOn <= asOf);
  return expulsions;
}

export function personContext(timeline: PersonTimeline, ruleset: Ruleset | CompiledRuleset, asOf: Day): PersonContext {
  const compiled = compileRuleset(ruleset);
  const built = buildStays(timeline.crossings, asOf, compiled.missingExit);
  let coverage = DaySet.EMPTY;
  const reversedPermits: Permit[] = [];
  const permits = timeline.permits;
  if (permits.length > 0) {
    const starts: number[] = [];
    const ends: number[] = [];
    for (const p of permits) {
      if (p.validUntil < p.validFrom) {
        reversedPermits.push(p);
        continue;
      }
      const range = permitCoverage(p, asOf);
      if (range !== null) {
        starts.push(range[0]);
        ends.push(range[1]);
      }
    }
    coverage = DaySet.fromIntervals(starts, ends);
  }
  const presence = presenceOf(built.stays, asOf);
  const counted = presence.minus(coverage);
  const expulsions = knownExpulsions(timeline.expulsions, asOf);
  return { timeline, compiled, asOf, built, coverage, presence, counted, reversedPermits, expulsions };
}

/** The day a registration became known: its notification, else its start. */
export function notificationDay(r: Registration): Day {
  return r.notifiedOn ?? r.registeredFrom;
}

/**
 * The one citizenship of a person as of `asOf`, where one is needed (the person view,
 * days remaining): that of their latest crossing on or before it, else the timeline's.
 */
export function citizenshipAsOf(timeline: PersonTimeline, asOf: Day): string {
  const crossings = timeline.crossings;
  let best: Crossing | null = null;
  for (const c of crossings) {
    if (c.day > asOf) continue;
    if (best === null || c.day > best.day || (c.day === best.day && c.at >= best.at)) best = c;
  }
  return best?.citizenship ?? timeline.citizenship;
}

/**
 * The host last known on `asOf` (for registration findings that name none): that of
 * the latest registration notified by then, else of the last permit naming one.
 */
export function lastHostAsOf(timeline: PersonTimeline, asOf: Day): string | null {
  let host: string | null = null;
  for (const p of timeline.permits) if (p.hostId !== null) host = p.hostId;
  let latest = -Infinity;
  for (const r of timeline.registrations) {
    if (r.hostId === null || notificationDay(r) > asOf) continue;
    // In date order (registered_from), ties kept in the order given.
    if (r.registeredFrom >= latest) {
      latest = r.registeredFrom;
      host = r.hostId;
    }
  }
  return host;
}
