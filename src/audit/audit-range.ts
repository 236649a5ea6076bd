import { auditPerson } from '../core/audit.js';
import { isoFromDay } from '../core/dates.js';
import type { CompiledRuleset } from '../core/ruleset.js';
import type { Day, Finding, PersonTimeline, RuleName } from '../core/types.js';
import type { Connection } from '../storage/database.js';
import {
  iterateTimelines,
  type CrossingDayCell,
  type DepartureCell,
  type KeyScope,
  type PersonContext,
  type PersonsEnteredCell,
  type StoredFinding,
} from '../storage/audit-store.js';

/** What auditing one range of persons adds up to (findings go out as they come). */
export interface RangeTotals {
  persons: number;
  stays: number;
  violators: number;
  counts: Partial<Record<RuleName, number>>;
  departures: DepartureCell[];
  crossingDays: CrossingDayCell[];
  personsEntered: PersonsEnteredCell[];
}

/**
 * Counts crossings per citizenship, checkpoint and day, and distinct persons entered
 * per calendar year and month, while the audit reads each timeline anyway. Ranges of
 * persons are disjoint, so the distinct counts of several ranges add up.
 */
export class CrossingTally {
  private readonly days = new Map<string, CrossingDayCell>();
  private readonly entered = new Map<string, PersonsEnteredCell>();

  add(timeline: PersonTimeline, asOf: Day): void {
    const citizenship = timeline.citizenship;
    let periods: string[] | null = null;
    for (const crossing of timeline.crossings) {
      if (crossing.day > asOf) continue;
      const checkpoint = crossing.checkpoint ?? '';
      const key = `${citizenship}\t${checkpoint}\t${crossing.day}`;
      let cell = this.days.get(key);
      if (cell === undefined) {
        cell = { citizenship, checkpoint, day: isoFromDay(crossing.day), entries: 0, exits: 0 };
        this.days.set(key, cell);
      }
      if (crossing.direction === 'IN') {
        cell.entries++;
        periods ??= [];
        for (const period of [cell.day.slice(0, 4), cell.day.slice(0, 7)]) {
          periods.push(`${period}\ttotal\t`, `${period}\tcitizenship\t${citizenship}`, `${period}\tcheckpoint\t${checkpoint}`);
        }
      } else {
        cell.exits++;
      }
    }
    if (periods === null) return;
    for (const id of periods.length > 6 ? new Set(periods) : periods) {
      let cell = this.entered.get(id);
      if (cell === undefined) {
        const [period, grouping, key] = id.split('\t') as [string, PersonsEnteredCell['grouping'], string];
        cell = { period, grouping, key, persons: 0 };
        this.entered.set(id, cell);
      }
      cell.persons++;
    }
  }

  get crossingDays(): CrossingDayCell[] {
    return [...this.days.values()];
  }

  get personsEntered(): PersonsEnteredCell[] {
    return [...this.entered.values()];
  }
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
  const tally = new CrossingTally();
  for (const { timeline, context } of iterateTimelines(reader, scope)) {
    persons++;
    tally.add(timeline, asOf);
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
  return {
    persons,
    stays,
    violators,
    counts,
    departures: [...departures.values()],
    crossingDays: tally.crossingDays,
    personsEntered: tally.personsEntered,
  };
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
