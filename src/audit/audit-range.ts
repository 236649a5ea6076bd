import { auditPerson } from '../core/audit.js';
import { isoFromDay } from '../core/dates.js';
import type { CompiledRuleset } from '../core/ruleset.js';
import type { Day, Finding, PersonTimeline, RuleName } from '../core/types.js';
import type { Connection } from '../storage/database.js';
import { iterateTimelines, type DepartureCell, type KeyScope, type PersonContext, type StoredFinding } from '../storage/audit-store.js';

/** What auditing one range of persons adds up to (findings go out as they come). */
export interface RangeTotals {
  persons: number;
  stays: number;
  violators: number;
  counts: Partial<Record<RuleName, number>>;
  departures: DepartureCell[];
}

/** The foreigner's own offences: what makes a person a violator (SPEC §4). */
export function isOwnOffence(rule: string): boolean {
  return rule === 'permit-expired' || rule === 'no-basis' || rule === 'stay-limit' || rule === 'rolling-limit' || rule === 'ban-breach';
}

const FINDINGS_BATCH = 2000;

/**
 * Audits the persons of one key range, reading each timeline once in key order
 * through `reader` (which should hold a read transaction), and hands the findings
 * to `emit` in batches, in key order.
 */
export function auditRange(
  reader: Connection,
  scope: KeyScope,
  ruleset: CompiledRuleset,
  asOf: Day,
  emit: (findings: StoredFinding[]) => void,
  onProgress?: (persons: number) => void,
): RangeTotals {
  const counts: Partial<Record<RuleName, number>> = {};
  const departures = new Map<string, DepartureCell>();
  let persons = 0;
  let stays = 0;
  let violators = 0;
  let batch: StoredFinding[] = [];
  for (const { timeline, context } of iterateTimelines(reader, scope)) {
    persons++;
    const result = auditPerson(timeline, ruleset, asOf);
    stays += result.stays.length;
    let violator = false;
    for (const finding of result.findings) {
      counts[finding.rule] = (counts[finding.rule] ?? 0) + 1;
      if (isOwnOffence(finding.rule)) violator = true;
      batch.push(storedFinding(finding, timeline, context));
    }
    if (violator) violators++;
    if (batch.length >= FINDINGS_BATCH) {
      emit(batch);
      batch = [];
    }
    for (const stay of result.stays) {
      if (stay.authorisedUntil === null) continue;
      const checkpoint = stay.entryCheckpoint ?? '';
      const key = `${stay.citizenship}\t${checkpoint}\t${stay.authorisedUntil}`;
      let cell = departures.get(key);
      if (cell === undefined) {
        cell = {
          citizenship: stay.citizenship,
          checkpoint,
          authorisedUntil: isoFromDay(stay.authorisedUntil),
          expected: 0,
          overstaysDeparted: 0,
          overstaysInCountry: 0,
        };
        departures.set(key, cell);
      }
      cell.expected++;
      if (stay.overstay) {
        if (stay.status === 'departed') cell.overstaysDeparted++;
        else cell.overstaysInCountry++;
      }
    }
    if (onProgress && (persons & 0xffff) === 0) onProgress(persons);
  }
  if (batch.length > 0) emit(batch);
  return { persons, stays, violators, counts, departures: [...departures.values()] };
}

function storedFinding(finding: Finding, timeline: PersonTimeline, context: PersonContext): StoredFinding {
  let entryCheckpoint: string | null = null;
  if (finding.entryDay !== null) {
    const entry = timeline.crossings.find((c) => c.direction === 'IN' && c.day === finding.entryDay);
    entryCheckpoint = entry?.checkpoint ?? null;
  }
  let hostId: string | null = null;
  if (finding.rule === 'late-registration' || finding.rule === 'unregistered') {
    const detailHost = finding.detail['hostId'];
    hostId = typeof detailHost === 'string' ? detailHost : context.lastHostId;
  }
  return { ...finding, entryCheckpoint, hostId };
}
