import { createHash } from 'node:crypto';
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import { dayFromIso } from '../core/dates.js';
import { compileRuleset, type Ruleset } from '../core/ruleset.js';
import type { RuleName } from '../core/types.js';
import { StayauditError, StorageError, type ExitCodeValue } from '../errors.js';
import { storageFailure, type Connection } from '../storage/database.js';
import { countPersons, RunWriter, splitKeys, type KeyScope, type FindingRow } from '../storage/audit-store.js';
import { auditRange, type RangeTotals } from './audit-range.js';
import type { WorkerInput } from './audit-worker.js';

export interface AuditOptions {
  asOf: string;
  ruleset: Ruleset;
  /** The ruleset's name, stamped on the run. */
  rulesetName: string;
  onProgress?: (persons: number) => void;
  /** Worker threads (default: one per core, at most 4; small databases use none). */
  workers?: number;
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
  workers: number;
  seconds: number;
}

export function rulesetChecksum(ruleset: Ruleset): string {
  return createHash('sha256').update(JSON.stringify(ruleset)).digest('hex').slice(0, 16);
}

/** Below this many persons a worker's start-up costs more than it saves. */
const PARALLEL_FROM = 50_000;

/**
 * Runs every rule over every person as of a date and stores the results as one run.
 * The writer's transaction holds the database's write lock from the start, so no
 * import can commit meanwhile and every reader (in-process or in a worker thread,
 * one per key range) sees the same data. All of the run is committed, or none.
 */
export async function runAudit(reader: Connection, writer: Connection, file: string, options: AuditOptions): Promise<AuditSummary> {
  const started = Date.now();
  const asOfDay = dayFromIso(options.asOf);
  const checksum = rulesetChecksum(options.ruleset);
  const run = new RunWriter(writer, file);
  const runId = run.begin({
    asOf: options.asOf,
    rulesetName: options.rulesetName,
    rulesetChecksum: checksum,
    rulesetJson: JSON.stringify(options.ruleset),
    startedAt: new Date(started).toISOString(),
  });
  let findings = 0;
  const write = (batch: readonly FindingRow[]): void => {
    run.addFindings(batch);
    findings += batch.length;
  };
  let parts: RangeTotals[];
  let workers = 0;
  try {
    reader.exec('BEGIN');
    let keys: string[] = [];
    try {
      const wanted = options.workers ?? Math.min(4, os.availableParallelism());
      if (wanted > 1) {
        const total = countPersons(reader);
        if (options.workers !== undefined || total >= PARALLEL_FROM) keys = splitKeys(reader, wanted, total);
      }
      if (keys.length === 0) {
        const part = auditRange(reader, {}, compileRuleset(options.ruleset), asOfDay, write, options.onProgress);
        run.addAggregates(part);
        parts = [part];
      }
    } finally {
      reader.exec('COMMIT');
    }
    if (keys.length > 0) {
      const scopes: KeyScope[] = [null, ...keys].map((from, i) => ({ from, to: keys[i] ?? null }));
      workers = scopes.length;
      // Each range's statistics cells go in as soon as its worker ends (summed in SQL).
      parts = await auditInWorkers(file, scopes, options, asOfDay, write, (totals) => run.addAggregates(totals));
    }
  } catch (error) {
    run.rollback();
    throw storageFailure(error, file);
  }
  const totals = combine(parts!);
  run.commit({ persons: totals.persons, stays: totals.stays, findings, counts: totals.counts });
  return {
    runId,
    asOf: options.asOf,
    rulesetName: options.rulesetName,
    rulesetChecksum: checksum,
    persons: totals.persons,
    stays: totals.stays,
    findings,
    counts: totals.counts,
    violators: totals.violators,
    workers,
    seconds: (Date.now() - started) / 1000,
  };
}

type WorkerMessage =
  | { type: 'findings'; findings: FindingRow[] }
  | { type: 'progress'; persons: number }
  | { type: 'done'; totals: RangeTotals }
  | { type: 'error'; message: string; name: string; exitCode?: number; hint?: string; stack?: string };

/**
 * One worker thread per key range. Findings are written in key order: those of range
 * i wait until every earlier range is done, so finding numbers do not depend on which
 * thread was faster. A range's statistics cells are added as soon as it is done.
 */
function auditInWorkers(
  file: string,
  scopes: KeyScope[],
  options: AuditOptions,
  asOf: number,
  write: (batch: readonly FindingRow[]) => void,
  addAggregates: (totals: RangeTotals) => void,
): Promise<RangeTotals[]> {
  return new Promise((resolve, reject) => {
    const results: (RangeTotals | undefined)[] = scopes.map(() => undefined);
    const pending: FindingRow[][][] = scopes.map(() => []);
    const progress = scopes.map(() => 0);
    let next = 0; // the range whose findings are written as they come
    let failed = false;
    const threads: Worker[] = [];
    const fail = (error: Error): void => {
      if (failed) return;
      failed = true;
      for (const thread of threads) void thread.terminate();
      reject(error);
    };
    const advance = (): void => {
      while (next < scopes.length && results[next] !== undefined) {
        next++;
        if (next < scopes.length) {
          for (const batch of pending[next]!) write(batch);
          pending[next] = [];
        }
      }
      if (next === scopes.length) resolve(results as RangeTotals[]);
    };
    scopes.forEach((scope, index) => {
      const input: WorkerInput = { file, scope, ruleset: options.ruleset, asOf };
      const thread = new Worker(new URL('./audit-worker.js', import.meta.url), { workerData: input });
      threads.push(thread);
      thread.on('message', (message: WorkerMessage) => {
        if (failed) return;
        try {
          switch (message.type) {
            case 'findings':
              if (index === next) write(message.findings);
              else pending[index]!.push(message.findings);
              break;
            case 'progress':
              progress[index] = message.persons;
              options.onProgress?.(progress.reduce((a, b) => a + b, 0));
              break;
            case 'done':
              addAggregates(message.totals);
              results[index] = { ...message.totals, departures: [], crossingDays: [], personsEntered: [] };
              advance();
              break;
            case 'error': {
              const error =
                message.exitCode !== undefined
                  ? new StayauditError(message.message, message.exitCode as ExitCodeValue, message.hint)
                  : new Error(message.message);
              if (message.stack) error.stack = message.stack;
              fail(error);
              break;
            }
          }
        } catch (error) {
          fail(error as Error);
        }
      });
      thread.on('error', (error) => fail(error));
      thread.on('exit', (code) => {
        if (code !== 0 && results[index] === undefined) fail(new StorageError(`audit worker ${index} stopped (exit code ${code})`));
      });
    });
  });
}

/** The run's totals from those of its ranges (their statistics cells are stored already). */
function combine(parts: readonly RangeTotals[]): Omit<RangeTotals, 'departures' | 'crossingDays' | 'personsEntered'> {
  const counts: Partial<Record<RuleName, number>> = {};
  let persons = 0;
  let stays = 0;
  let violators = 0;
  for (const part of parts) {
    persons += part.persons;
    stays += part.stays;
    violators += part.violators;
    for (const [rule, n] of Object.entries(part.counts) as [RuleName, number][]) counts[rule] = (counts[rule] ?? 0) + n;
  }
  return { persons, stays, violators, counts };
}
