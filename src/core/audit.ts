/**
 * The audit of one person as of a day (SPEC §3): every rule of the registry
 * (`rules/registry.ts`), stay by stay and then for the person as a whole, plus a
 * verdict per stay for the statistics. The rules themselves live in `rules/`, one
 * file per family; this file only builds what they read and runs them in order.
 */
import { personContext, type PersonContext } from './person-context.js';
import { regimeFor, type CompiledRuleset, type Ruleset } from './ruleset.js';
import { judgeStay } from './rules/overstay-kernel.js';
import { FAMILIES } from './rules/registry.js';
import type { JudgedStay } from './rules/rule.js';
import type { Stay } from './stays.js';
import type { Day, Finding, PersonAudit, PersonTimeline, StayVerdict } from './types.js';

export { citizenshipAsOf, lastHostAsOf, notificationDay, permitCoverage, personContext, type PersonContext } from './person-context.js';
export { judgeStay, type StayJudgement } from './rules/overstay-kernel.js';

/**
 * Every finding about one person as of `asOf`, and a verdict per judged stay.
 * Pure: reads only its arguments. Pass a `CompiledRuleset` (or the same Ruleset
 * object every time, whose compiled form is cached) when auditing many persons.
 *
 * As of `asOf` is a snapshot (SPEC §2): crossings after it, registrations notified
 * after it, expulsions decided after it and revocations dated after it are left out,
 * so no finding has a day after it. Each stay is judged under the citizenship on its
 * entry crossing, and its findings show that citizenship.
 *
 * Findings come stay by stay (family by family in the registry's order), then the
 * per-person ones (anomalies). `StayVerdict.authorisedUntil` is null when the stay is
 * unbounded and when it was unlawful from its entry day (never authorised, e.g. a
 * visa regime without a visa).
 */
export function auditPerson(timeline: PersonTimeline, ruleset: Ruleset | CompiledRuleset, asOf: Day): PersonAudit {
  const person = personContext(timeline, ruleset, asOf);
  const findings: Finding[] = [];
  const verdicts: StayVerdict[] = [];
  for (const stay of person.built.stays) {
    const s = judgedStay(person, stay);
    for (const family of FAMILIES) family.judgeStay?.(person, s, findings);
    verdicts.push(verdict(timeline.personKey, s));
  }
  for (const family of FAMILIES) family.judgePerson?.(person, findings);
  return { findings, stays: verdicts };
}

function judgedStay(person: PersonContext, stay: Stay): JudgedStay {
  const entry = stay.entryDay;
  const exit = stay.exitDay;
  const end = exit ?? person.asOf;
  const citizenship = stay.entryCitizenship ?? person.timeline.citizenship;
  const regime = regimeFor(person.compiled, citizenship, entry);
  return { stay, entry, exit, end, status: exit === null ? 'in-country' : 'departed', citizenship, regime, judgement: judgeStay(person, entry, end, regime) };
}

function verdict(personKey: string, s: JudgedStay): StayVerdict {
  const f = s.judgement.firstUnlawful;
  return {
    personKey,
    citizenship: s.citizenship,
    entryDay: s.entry,
    exitDay: s.exit,
    entryCheckpoint: s.stay.entryCheckpoint,
    regime: s.regime.name,
    authorisedUntil: f === Infinity || f <= s.entry ? null : f - 1,
    overstay: f <= s.end,
    status: s.status,
    daysPresent: s.end - s.entry + 1,
  };
}
