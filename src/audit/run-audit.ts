import { createHash } from 'node:crypto';
import { auditPerson } from '../core/audit.js';
import { dayFromIso, isoFromDay } from '../core/dates.js';
import { compileRuleset, type Ruleset } from '../core/ruleset.js';
import type { Finding, PersonTimeline, RuleName } from '../core/types.js';
import type { Connection } from '../storage/database.js';
import { iterateTimelines, RunWriter, type DepartureCell, type PersonContext, type StoredFinding } from '../storage/audit-store.js';

export interface AuditOptions {
  asOf: string;
  ruleset: Ruleset;
  /** Where the ruleset came from: a file path, or 'default'. */
  rulesetName: string;
  onProgress?: (persons: number) => void;
}

export interface AuditSummary {
  runId: number;
  asOf: string;
  rulesetName: string;
  rulesetChecksum: string;
  persons: number;
  stays: number;
  findings: number;
  counts: Partial<Record<RuleName, number>>;
  violators: number;
  seconds: number;
}

export function rulesetChecksum(ruleset: Ruleset): string {
  return createHash('sha256').update(JSON.stringify(ruleset)).digest('hex').slice(0, 16);
}

const iso = (day: number | null): string | null => (day === null ? null : isoFromDay(day));

/**
 * Runs every rule over every person as of a date and stores the results as one run.
 * Reads a consistent snapshot through `reader` while `writer` holds the run's write
 * transaction: all of the run is committed, or none of it.
 */
export function runAudit(reader: Connection, writer: Connection, file: string, options: AuditOptions): AuditSummary {
  const started = Date.now();
  const asOfDay = dayFromIso(options.asOf);
  const checksum = rulesetChecksum(options.ruleset);
  const compiled = compileRuleset(options.ruleset);
  const run = new RunWriter(writer, file);
  const runId = run.begin({
    asOf: options.asOf,
    rulesetName: options.rulesetName,
    rulesetChecksum: checksum,
    rulesetJson: JSON.stringify(options.ruleset),
    startedAt: new Date(started).toISOString(),
  });
  const counts: Partial<Record<RuleName, number>> = {};
  const departures = new Map<string, DepartureCell>();
  let persons = 0;
  let stays = 0;
  let findings = 0;
  let violators = 0;
  reader.exec('BEGIN');
  try {
    for (const { timeline, context } of iterateTimelines(reader)) {
      persons++;
      const result = auditPerson(timeline, compiled, asOfDay);
      stays += result.stays.length;
      let violator = false;
      for (const finding of result.findings) {
        counts[finding.rule] = (counts[finding.rule] ?? 0) + 1;
        findings++;
        if (isOwnOffence(finding.rule)) violator = true;
        run.addFinding(storedFinding(finding, timeline, context), iso);
      }
      if (violator) violators++;
      for (const stay of result.stays) {
        if (stay.authorisedUntil === null) continue;
        const checkpoint = stay.entryCheckpoint ?? '';
        const until = isoFromDay(stay.authorisedUntil);
        const key = `${stay.citizenship}\t${checkpoint}\t${until}`;
        let cell = departures.get(key);
        if (cell === undefined) {
          cell = { citizenship: stay.citizenship, checkpoint, authorisedUntil: until, expected: 0, overstaysDeparted: 0, overstaysInCountry: 0 };
          departures.set(key, cell);
        }
        cell.expected++;
        if (stay.overstay) {
          if (stay.status === 'departed') cell.overstaysDeparted++;
          else cell.overstaysInCountry++;
        }
      }
      if (options.onProgress && (persons & 0xffff) === 0) options.onProgress(persons);
    }
    reader.exec('COMMIT');
  } catch (error) {
    if (reader.inTransaction) reader.exec('ROLLBACK');
    run.rollback();
    throw error;
  }
  run.commit({ persons, stays, findings, counts }, departures.values());
  return {
    runId,
    asOf: options.asOf,
    rulesetName: options.rulesetName,
    rulesetChecksum: checksum,
    persons,
    stays,
    findings,
    counts,
    violators,
    seconds: (Date.now() - started) / 1000,
  };
}

/** The foreigner's own offences: what makes a person a violator (SPEC §4). */
export function isOwnOffence(rule: string): boolean {
  return rule === 'permit-expired' || rule === 'no-basis' || rule === 'stay-limit' || rule === 'rolling-limit' || rule === 'ban-breach';
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
