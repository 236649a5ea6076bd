/**
 * Registration (SPEC §3): the receiving party must notify an arrival within the working
 * days of the ruleset (3), the arrival day counting when it is a working day. A stay
 * present after that deadline needs a registration starting within the stay; none is
 * `unregistered`, the earliest notified after the deadline is `late-registration`.
 * Stays covered by a permit on the deadline day are exempt. The receiving party's
 * offence, not the foreigner's.
 */
import { isoFromDay } from '../dates.js';
import { notificationDay } from '../person-context.js';
import type { Day, Registration } from '../types.js';
import { registrationDeadline } from '../working-days.js';
import { field, stayFinding, type RuleFamily } from './rule.js';

export const UNREGISTERED = {
  name: 'unregistered',
  offender: 'receiving-party',
  explain: (d) => `no registration notified by the deadline ${field(d, 'deadline')} (${field(d, 'workingDays')} working days)`,
} as const satisfies RuleFamily['rules'][number];

export const LATE_REGISTRATION = {
  name: 'late-registration',
  offender: 'receiving-party',
  explain: (d) => `notified after the deadline ${field(d, 'deadline')}`,
} as const satisfies RuleFamily['rules'][number];

/** The earliest-notified registration starting in [from, to] and notified on or before `asOf`. */
function earliestNotification(registrations: readonly Registration[], from: Day, to: Day, asOf: Day): Registration | null {
  let best: Registration | null = null;
  let bestDay = Infinity;
  for (const r of registrations) {
    if (r.registeredFrom < from || r.registeredFrom > to) continue;
    const n = notificationDay(r);
    if (n > asOf) continue; // not yet notified on the audit day
    if (n < bestDay) {
      bestDay = n;
      best = r;
    }
  }
  return best;
}

export const registration: RuleFamily<typeof UNREGISTERED.name | typeof LATE_REGISTRATION.name> = {
  family: 'registration',
  rules: [UNREGISTERED, LATE_REGISTRATION],
  judgeStay(person, s, findings) {
    const rs = person.compiled;
    const deadline = registrationDeadline(s.entry, rs.workingDays, rs.calendar);
    if (s.end <= deadline || person.coverage.has(deadline)) return;
    const reg = earliestNotification(person.timeline.registrations, s.entry, s.end, person.asOf);
    if (reg === null) {
      findings.push(stayFinding(person, s, UNREGISTERED.name, {
        firstDay: deadline + 1,
        lastLawfulDay: deadline,
        days: s.end - deadline,
        detail: { deadline: isoFromDay(deadline), workingDays: rs.workingDays },
      }));
      return;
    }
    const notified = notificationDay(reg);
    if (notified <= deadline) return;
    findings.push(stayFinding(person, s, LATE_REGISTRATION.name, {
      firstDay: notified,
      lastLawfulDay: deadline,
      days: notified - deadline,
      detail: {
        deadline: isoFromDay(deadline),
        workingDays: rs.workingDays,
        notifiedOn: isoFromDay(notified),
        registeredFrom: isoFromDay(reg.registeredFrom),
        hostId: reg.hostId,
        hostName: reg.hostName,
      },
    }));
  },
};
