/**
 * Auditing a range of persons: every rule over each timeline, findings handed on in
 * batches, counts and the statistics tally (src/statistics) added up as it goes.
 */
import { auditPerson, lastHostAsOf } from '../core/audit.js';
import type { CompiledRuleset } from '../core/ruleset.js';
import { RULES } from '../core/rules/registry.js';
import { isOwnOffence, type Day, type Finding, type PersonTimeline, type RuleName } from '../core/types.js';
import { StatsTally, type TallyState } from '../statistics/tally.js';
import { findingRow, type FindingRow } from '../storage/audit-store.js';
import type { TimelineSource } from '../storage/audit-source.js';
import type { CrossingDayCell, DepartureCell, PersonsEnteredCell } from '../storage/stats-store.js';
import type { KeyScope } from '../storage/timelines.js';

/** What auditing persons counts up to (findings go out as they come). */
export interface AuditCounts {
  persons: number;
  stays: number;
  violators: number;
  counts: Partial<Record<RuleName, number>>;
}

/** The counts with the statistics cells to store. */
export interface RangeTotals extends AuditCounts {
  departures: DepartureCell[];
  crossingDays: CrossingDayCell[];
  personsEntered: PersonsEnteredCell[];
}

const FINDINGS_BATCH = 2000;

/**
 * Audits ranges of persons, reading each timeline once in key order from `reader`
 * (inside its read snapshot), and adds up what they come to. One auditor
 * can take several ranges, one after another; its totals cover them all.
 */
export class RangeAuditor {
  private readonly counts: Partial<Record<RuleName, number>> = {};
  private readonly tally = new StatsTally();
  private persons = 0;
  private stays = 0;
  private violators = 0;

  constructor(
    private readonly reader: TimelineSource,
    private readonly ruleset: CompiledRuleset,
    private readonly asOf: Day,
    /** Called with the persons audited so far, every 65,536. */
    public onProgress?: (persons: number) => void,
  ) {}

  /**
   * Audits the persons of `scope`, handing their findings to `emit` in batches, in key
   * order. The reader waits only between chunks; each chunk's persons are judged in one go.
   */
  async audit(scope: KeyScope, emit: (findings: FindingRow[]) => void): Promise<void> {
    const { ruleset, asOf, counts, tally, onProgress } = this;
    let batch: FindingRow[] = [];
    await this.reader.forEach(scope, (timeline) => {
      this.persons++;
      tally.add(timeline, asOf);
      const result = auditPerson(timeline, ruleset, asOf);
      this.stays += result.stays.length;
      let violator = false;
      for (const finding of result.findings) {
        counts[finding.rule] = (counts[finding.rule] ?? 0) + 1;
        if (isOwnOffence(finding.rule)) violator = true;
        batch.push(findingRow(finding, hostIdOf(finding, timeline, asOf)));
      }
      if (violator) this.violators++;
      if (batch.length >= FINDINGS_BATCH) {
        emit(batch);
        batch = [];
      }
      tally.addStays(result.stays);
      if (onProgress && (this.persons & 0xffff) === 0) onProgress(this.persons);
    });
    if (batch.length > 0) emit(batch);
  }

  /** What a worker thread hands back: its counts and its tally, to merge (see `merge`). */
  result(): AuditorResult {
    return { persons: this.persons, stays: this.stays, violators: this.violators, counts: this.counts, tally: this.tally.state() };
  }

  /** Adds what another auditor (of other persons) came to. */
  merge(other: AuditorResult): void {
    this.persons += other.persons;
    this.stays += other.stays;
    this.violators += other.violators;
    for (const [rule, n] of Object.entries(other.counts) as [RuleName, number][]) this.counts[rule] = (this.counts[rule] ?? 0) + n;
    this.tally.merge(other.tally);
  }

  /** What the ranges audited (and merged) so far come to, with the statistics cells. */
  totals(): RangeTotals {
    return {
      persons: this.persons,
      stays: this.stays,
      violators: this.violators,
      counts: this.counts,
      departures: this.tally.departures,
      crossingDays: this.tally.crossingDays,
      personsEntered: this.tally.personsEntered,
    };
  }
}

/** An auditor's counts and tally as plain data (see `RangeAuditor.result`). */
export interface AuditorResult extends AuditCounts {
  tally: TallyState;
}

/** The registration family's rules (src/core/rules/registry.ts). */
const REGISTRATION_RULES: ReadonlySet<string> = new Set(RULES.filter((r) => r.family === 'registration').map((r) => r.name));

/** The host a registration finding concerns: the one it names, else the last one known on the audit day. */
function hostIdOf(finding: Finding, timeline: PersonTimeline, asOf: Day): string | null {
  if (!REGISTRATION_RULES.has(finding.rule)) return null;
  const detailHost = finding.detail['hostId'];
  return typeof detailHost === 'string' ? detailHost : lastHostAsOf(timeline, asOf);
}
