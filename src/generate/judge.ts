/**
 * The generator's own verdicts: which findings the default ruleset must produce for
 * a planned person as of the last day of the data. It re-implements SPEC §3 for the
 * simple timelines the generator writes (stays in order, never overlapping, no
 * anomalies), so the expected figures in the summary are exact rather than hoped
 * for, and the audit in src/core can be checked against an independent reading of
 * the spec.
 */
import { addYears, type Calendar } from './calendar.js';
import type { PermitPlan, PersonPlan, StayPlan } from './plan.js';
import { regimeOn } from './regimes.js';

export const EXPECTED_RULES = [
  'permit-expired',
  'no-basis',
  'stay-limit',
  'rolling-limit',
  'ban-breach',
  'unregistered',
  'late-registration',
] as const;
export type ExpectedRule = (typeof EXPECTED_RULES)[number];

export interface ExpectedFinding {
  rule: ExpectedRule;
  regime: string;
  entry: number;
  exit: number | null;
  /** First unlawful day, entry (ban-breach), day after the deadline (unregistered), notification day (late). */
  firstDay: number;
  days: number;
  status: 'in-country' | 'departed';
}

export interface PersonVerdict {
  /** Has an overstay or ban-breach finding (the foreigner's own offence). */
  violator: boolean;
  /** Overstay and ban-breach findings. */
  offences: number;
  /** All findings, registration findings included. */
  findings: number;
  counts: Record<ExpectedRule, number>;
}

const DEFAULT_BAN_YEARS = 5;
/** Days of grace after a permit ends (the default ruleset's 0). */
const GRACE_DAYS = 0;

export function coveredOn(permits: readonly PermitPlan[], day: number): boolean {
  for (const p of permits) {
    if (p.status === 'annulled') continue;
    if (day < p.validFrom || day > p.validUntil) continue;
    if (p.status === 'revoked' && (p.revokedOn === null || day >= p.revokedOn)) continue;
    return true;
  }
  return false;
}

/**
 * Judges people one at a time, reusing one day-indexed scratch array and one verdict
 * object: a verdict is valid until the next call.
 */
export class Judge {
  private readonly presence: Uint8Array;
  private readonly verdict: PersonVerdict = {
    violator: false,
    offences: 0,
    findings: 0,
    counts: {
      'permit-expired': 0, 'no-basis': 0, 'stay-limit': 0, 'rolling-limit': 0,
      'ban-breach': 0, unregistered: 0, 'late-registration': 0,
    },
  };
  /** Where the current call collects findings, if the caller wants them. */
  private findings: ExpectedFinding[] | undefined;

  constructor(private readonly calendar: Calendar, private readonly asOf: number) {
    this.presence = new Uint8Array(calendar.last - calendar.first + 1);
  }

  judge(person: PersonPlan, findings?: ExpectedFinding[]): PersonVerdict {
    const counts = this.verdict.counts;
    if (this.verdict.findings > 0) for (const rule of EXPECTED_RULES) counts[rule] = 0;
    this.verdict.findings = 0;
    this.findings = findings;
    this.judgeStays(person);
    if (person.expulsions.length > 0) this.judgeBans(person);
    this.judgeRegistrations(person);
    this.findings = undefined;
    const offences = counts['permit-expired'] + counts['no-basis'] + counts['stay-limit'] + counts['rolling-limit'] +
      counts['ban-breach'];
    this.verdict.offences = offences;
    this.verdict.violator = offences > 0;
    return this.verdict;
  }

  private add(
    rule: ExpectedRule, person: PersonPlan, stay: StayPlan, firstDay: number, days: number,
  ): void {
    this.verdict.counts[rule]++;
    this.verdict.findings++;
    this.findings?.push({
      rule, regime: regimeOn(person.nationality.code, stay.entry).name, entry: stay.entry, exit: stay.exit,
      firstDay, days, status: stay.exit === null ? 'in-country' : 'departed',
    });
  }

  private judgeStays(person: PersonPlan): void {
    const { stays, permits } = person;
    const base = this.calendar.first;
    const presence = this.presence;
    const citizenship = person.nationality.code;
    try {
      for (let k = 0; k < stays.length; k++) {
        const stay = stays[k]!;
        const entry = stay.entry;
        const last = stay.exit ?? this.asOf;
        if (entry > this.asOf) continue;
        const regime = regimeOn(citizenship, entry);
        const windowed = regime.windowMax !== null;
        const countFrom = regime.countFrom;
        let count = 0;
        if (windowed) {
          // Uncovered presence of earlier stays in [entry − 179, entry − 1].
          const from = Math.max(entry - 179, countFrom);
          for (let j = 0; j < k; j++) {
            const earlier = stays[j]!;
            const hi = Math.min(earlier.exit ?? this.asOf, entry - 1);
            for (let d = Math.max(earlier.entry, from); d <= hi; d++) count += presence[d - base]!;
          }
        }
        let lastCovered = -Infinity;
        let firstUnlawful = -1;
        let rule: ExpectedRule = 'stay-limit';
        let unlawfulDays = 0;
        const capEnd = regime.cap === null ? Infinity : entry + regime.cap - 1;
        for (let d = entry; d <= last; d++) {
          const covered = coveredOn(permits, d);
          const flag = covered ? 0 : 1;
          presence[d - base] = flag;
          if (windowed && d >= countFrom) count += flag;
          if (covered) {
            lastCovered = d;
          } else {
            let label: ExpectedRule | null = null;
            if (lastCovered !== -Infinity && d > lastCovered + GRACE_DAYS) label = 'permit-expired';
            else if (regime.visa) label = 'no-basis';
            else if (d > capEnd) label = 'stay-limit';
            else if (windowed && count > regime.windowMax!) label = 'rolling-limit';
            if (label !== null) {
              unlawfulDays++;
              if (firstUnlawful < 0) {
                firstUnlawful = d;
                rule = label;
              }
            }
          }
          if (windowed) {
            const leaving = d - 179;
            if (leaving >= countFrom) count -= presence[leaving - base]!;
          }
        }
        if (firstUnlawful >= 0) this.add(rule, person, stay, firstUnlawful, unlawfulDays);
      }
    } finally {
      for (const stay of stays) {
        const last = Math.min(stay.exit ?? this.asOf, this.asOf);
        for (let d = stay.entry; d <= last; d++) presence[d - base] = 0;
      }
    }
  }

  private judgeBans(person: PersonPlan): void {
    for (const stay of person.stays) {
      if (stay.entry > this.asOf) continue;
      for (const ban of person.expulsions) {
        if (ban.decided > this.asOf) continue; // not yet decided on the audit day
        const start = ban.expelled ?? ban.decided;
        const end = addYears(start, ban.banYears ?? DEFAULT_BAN_YEARS);
        if (stay.entry > start && stay.entry < end) {
          const last = Math.min(stay.exit ?? this.asOf, end - 1);
          this.add('ban-breach', person, stay, stay.entry, last - stay.entry + 1);
          break;
        }
      }
    }
  }

  private judgeRegistrations(person: PersonPlan): void {
    for (const stay of person.stays) {
      if (stay.entry > this.asOf) continue;
      const last = stay.exit ?? this.asOf;
      const deadline = this.calendar.registrationDeadline(stay.entry);
      if (last <= deadline || coveredOn(person.permits, deadline)) continue;
      let earliest = Infinity;
      for (const r of person.registrations) {
        if (r.from < stay.entry || r.from > last) continue;
        const notified = r.notified ?? r.from;
        // Notified after the audit day: not yet known on it (SPEC §2), so not registered.
        if (notified > this.asOf) continue;
        earliest = Math.min(earliest, notified);
      }
      if (earliest === Infinity) this.add('unregistered', person, stay, deadline + 1, last - deadline);
      else if (earliest > deadline) this.add('late-registration', person, stay, earliest, earliest - deadline);
    }
  }
}
