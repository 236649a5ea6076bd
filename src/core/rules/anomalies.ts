/**
 * Anomalies (SPEC §2, §3): faults in the data rather than offences. They carry no
 * regime, `days` 0, `status` null and `lastLawfulDay` null:
 * - orphan-exit: an OUT with no open stay; exitDay = firstDay = its day.
 * - missing-exit: an IN while a stay was open; entryDay = the entry left without exit,
 *   firstDay = the day of the IN.
 * - permit-dates-reversed: valid_until before valid_from; firstDay = valid_from.
 * - future-crossing: one per person, for crossings known on as-of dated after the day
 *   they were imported (a keying or clock error); firstDay = the earliest.
 * - unknown-checkpoint: one per crossing through a checkpoint missing from the
 *   ruleset's list (only when a list is given); firstDay = its day.
 */
import { isoFromDay, isoOrNull } from '../dates.js';
import { citizenshipAsOf, type PersonContext } from '../person-context.js';
import type { Crossing, Day, Finding } from '../types.js';
import { listDetail, type RuleFamily } from './rule.js';

export const ORPHAN_EXIT = {
  name: 'orphan-exit',
  offender: 'nobody',
  explain: listDetail,
} as const satisfies RuleFamily['rules'][number];

export const MISSING_EXIT = {
  name: 'missing-exit',
  offender: 'nobody',
  explain: listDetail,
} as const satisfies RuleFamily['rules'][number];

export const PERMIT_DATES_REVERSED = {
  name: 'permit-dates-reversed',
  offender: 'nobody',
  explain: listDetail,
} as const satisfies RuleFamily['rules'][number];

export const FUTURE_CROSSING = {
  name: 'future-crossing',
  offender: 'nobody',
  explain: listDetail,
} as const satisfies RuleFamily['rules'][number];

export const UNKNOWN_CHECKPOINT = {
  name: 'unknown-checkpoint',
  offender: 'nobody',
  explain: listDetail,
} as const satisfies RuleFamily['rules'][number];

type AnomalyName = (typeof ORPHAN_EXIT | typeof MISSING_EXIT | typeof PERMIT_DATES_REVERSED | typeof FUTURE_CROSSING | typeof UNKNOWN_CHECKPOINT)['name'];

function anomaly(
  person: PersonContext,
  citizenship: string,
  rule: AnomalyName,
  entry: { day: Day; checkpoint: string | null } | null,
  exitDay: Day | null,
  firstDay: Day | null,
  detail: Finding['detail'],
): Finding {
  return {
    personKey: person.timeline.personKey,
    citizenship,
    rule,
    regime: null,
    entryDay: entry?.day ?? null,
    entryCheckpoint: entry?.checkpoint ?? null,
    exitDay,
    firstDay,
    lastLawfulDay: null,
    days: 0,
    status: null,
    detail,
  };
}

/** Orphan and missing exits, in the order the stays were built. */
function stayAnomalies(person: PersonContext, findings: Finding[]): void {
  const fallback = person.timeline.citizenship;
  for (const a of person.built.anomalies) {
    if (a.rule === ORPHAN_EXIT.name) {
      findings.push(anomaly(person, a.citizenship ?? fallback, ORPHAN_EXIT.name, null, a.day, a.day, { at: a.at, checkpoint: a.checkpoint }));
    } else {
      const entry = a.openEntryDay === null ? null : { day: a.openEntryDay, checkpoint: a.openEntryCheckpoint };
      findings.push(anomaly(person, a.openEntryCitizenship ?? fallback, MISSING_EXIT.name, entry, null, a.day, {
        entryAt: a.openEntryAt,
        nextEntryAt: a.at,
        checkpoint: a.checkpoint,
        resolution: person.compiled.missingExit,
      }));
    }
  }
}

function reversedPermits(person: PersonContext, findings: Finding[]): void {
  for (const p of person.reversedPermits) {
    findings.push(anomaly(person, p.citizenship ?? citizenshipAsOf(person.timeline, person.asOf), PERMIT_DATES_REVERSED.name, null, null, p.validFrom, {
      permitNo: p.permitNo,
      validFrom: isoFromDay(p.validFrom),
      validUntil: isoFromDay(p.validUntil),
    }));
  }
}

/**
 * Crossings known on `asOf` (on or before it) that are dated after the day they were
 * imported: how many (each time and direction once), and the earliest. A crossing
 * merely after as-of is not yet known, so it is not counted.
 */
function futureCrossings(person: PersonContext, findings: Finding[]): void {
  let count = 0;
  let first: Crossing | null = null;
  let prevAt = '';
  let prevDir = '';
  for (const c of person.timeline.crossings) {
    const imported = c.importedOn;
    if (imported === undefined || imported === null || c.day <= imported || c.day > person.asOf) continue;
    if (c.at === prevAt && c.direction === prevDir) continue;
    prevAt = c.at;
    prevDir = c.direction;
    count++;
    if (first === null || c.day < first.day || (c.day === first.day && c.at < first.at)) first = c;
  }
  if (first === null) return;
  findings.push(anomaly(person, first.citizenship ?? person.timeline.citizenship, FUTURE_CROSSING.name, null, null, first.day, {
    count,
    firstAt: first.at,
    importedOn: isoOrNull(first.importedOn ?? null),
  }));
}

function unknownCheckpoints(person: PersonContext, findings: Finding[]): void {
  const known = person.compiled.checkpoints;
  if (known === null) return;
  let prevAt = '';
  let prevDir = '';
  for (const c of person.timeline.crossings) {
    if (c.day > person.asOf || c.checkpoint === null) continue;
    if (c.at === prevAt && c.direction === prevDir) continue;
    prevAt = c.at;
    prevDir = c.direction;
    const code = c.checkpoint.trim().toUpperCase();
    if (code === '' || known.has(code)) continue;
    findings.push(anomaly(person, c.citizenship ?? person.timeline.citizenship, UNKNOWN_CHECKPOINT.name, c.direction === 'IN' ? c : null, c.direction === 'OUT' ? c.day : null, c.day, {
      checkpoint: c.checkpoint,
      direction: c.direction,
      at: c.at,
    }));
  }
}

export const anomalies: RuleFamily<AnomalyName> = {
  family: 'anomaly',
  rules: [ORPHAN_EXIT, MISSING_EXIT, PERMIT_DATES_REVERSED, FUTURE_CROSSING, UNKNOWN_CHECKPOINT],
  judgePerson(person, findings) {
    stayAnomalies(person, findings);
    reversedPermits(person, findings);
    futureCrossings(person, findings);
    unknownCheckpoints(person, findings);
  },
};
