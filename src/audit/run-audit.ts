import { createHash } from 'node:crypto';
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import { dayFromIso } from '../core/dates.js';
import { compileRuleset, type Ruleset } from '../core/ruleset.js';
import type { RuleName } from '../core/types.js';
import { StayauditError, StorageError, type ExitCodeValue } from '../errors.js';
import type { FindingRow } from '../storage/audit-store.js';
import type { AuditStores, TimelineSource } from '../storage/audit-source.js';
import type { KeyScope } from '../storage/timelines.js';
import { RangeAuditor, type AuditorResult, type RangeTotals } from './audit-range.js';
import { UnitOrder } from './unit-order.js';
import type { UnitsMessage, WorkerInput, WorkerMessage } from './audit-worker.js';

export interface AuditOptions {
  asOf: string;
  /** The rules; the run is stamped with their name and checksum. */
  ruleset: Ruleset;
  onProgress?: (persons: number) => void;
  /** Threads auditing (default: one per core, at most 4; small databases use one). */
  workers?: number;
  /** Persons per slice of a parallel audit's units (default `SLICE_PERSONS`; small values are for tests). */
  slicePersons?: number;
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
/** At most this many slices of persons (`SLICE_PERSONS` each) make one unit of work handed to a thread. */
const UNIT_SLICES = 256;

/**
 * Runs every rule over every person as of a date and stores the results as one run
 * (`withAuditStores` opens them on SQLite or PostgreSQL). On SQLite the writer's
 * transaction holds the database's write lock from the start, so no import can commit
 * meanwhile and every reader (in-process or in a worker thread) sees the same data; on
 * PostgreSQL every reader reads the coordinator's exported snapshot. All of the run is
 * committed, or none.
 *
 * On a large database the main thread and `workers - 1` worker threads audit units of
 * persons (consecutive key ranges), each taking the next unit as it finishes one. The
 * main thread alone writes: findings in key order, so that their numbers do not
 * depend on which thread was faster.
 */
export async function runAudit(stores: AuditStores, options: AuditOptions): Promise<AuditSummary> {
  const started = Date.now();
  const asOfDay = dayFromIso(options.asOf);
  const checksum = rulesetChecksum(options.ruleset);
  const { timelines: reader, run } = stores;
  const runId = await run.begin({
    asOf: options.asOf,
    rulesetName: options.ruleset.name,
    rulesetChecksum: checksum,
    rulesetJson: JSON.stringify(options.ruleset),
    startedAt: new Date(started).toISOString(),
  });
  let findings = 0;
  // SQLite stores a batch at once; a writer that waits (PostgreSQL) takes the batches
  // in order, one after another, while the audit goes on.
  let writing: Promise<void> | undefined;
  const write = (batch: readonly FindingRow[]): void => {
    findings += batch.length;
    if (writing === undefined) {
      const stored = run.addFindings(batch);
      if (stored instanceof Promise) writing = stored;
    } else {
      writing = writing.then(() => run.addFindings(batch));
    }
    writing?.catch(() => {}); // awaited below; not an unhandled rejection meanwhile
  };
  let threads = 0;
  let totals: RangeTotals;
  try {
    totals = await reader.readAsync(async () => {
      const wanted = options.workers ?? Math.min(4, os.availableParallelism());
      const auditor = new RangeAuditor(reader, compileRuleset(options.ruleset), asOfDay);
      if (wanted > 1 && (options.workers !== undefined || (await reader.holdsMoreThan(PARALLEL_FROM)))) {
        threads = wanted;
        await auditInParallel(reader, auditor, wanted, options, asOfDay, write);
      } else {
        if (options.onProgress) auditor.onProgress = options.onProgress;
        await auditor.audit({}, write);
      }
      await writing;
      const counted = auditor.totals();
      await run.addAggregates(counted);
      return counted;
    });
  } catch (error) {
    await run.rollback();
    throw reader.failure(error);
  }
  await run.commit({ persons: totals.persons, stays: totals.stays, findings, counts: totals.counts });
  return {
    runId,
    asOf: options.asOf,
    rulesetName: options.ruleset.name,
    rulesetChecksum: checksum,
    persons: totals.persons,
    stays: totals.stays,
    findings,
    counts: totals.counts,
    violators: totals.violators,
    workers: threads,
    seconds: (Date.now() - started) / 1000,
  };
}

/**
 * The units of work: consecutive key ranges of slices. A unit is about a quarter of
 * each thread's share of what is left (at most `UNIT_SLICES` slices), so units shrink
 * towards the end and the threads finish close together.
 */
export function unitsOf(cuts: readonly string[], threads: number): KeyScope[] {
  const slices = cuts.length + 1;
  const units: KeyScope[] = [];
  for (let first = 0; first < slices; ) {
    const size = Math.max(1, Math.min(UNIT_SLICES, Math.floor((slices - first) / (threads * 4))));
    const last = Math.min(first + size, slices) - 1; // slice i is [cuts[i - 1], cuts[i])
    units.push({ from: cuts[first - 1] ?? null, to: cuts[last] ?? null, cuts: cuts.slice(first, last) });
    first = last + 1;
  }
  return units;
}

/**
 * The main thread and `threads - 1` workers take units from a shared counter until
 * none is left. A unit's findings are written when every earlier unit's are; until
 * then they wait in memory (the units being worked on, and those done before an earlier
 * one: about a unit per thread, at most 32,768 persons each). The workers' counts and
 * tallies are merged into the main thread's `auditor`, whose statistics cells are then
 * stored once.
 */
async function auditInParallel(
  reader: TimelineSource,
  auditor: RangeAuditor,
  threads: number,
  options: AuditOptions,
  asOf: number,
  write: (batch: readonly FindingRow[]) => void,
): Promise<void> {
  const taken = new SharedArrayBuffer(4);
  // Inside the coordinator's snapshot: PostgreSQL workers import it, SQLite's read the locked file.
  const input: WorkerInput = { source: await reader.workerSpec(), ruleset: options.ruleset, asOf, taken };
  // Started first: they open their connections while the units are worked out.
  const workers = Array.from({ length: threads - 1 }, () => new Worker(new URL('./audit-worker.js', import.meta.url), { workerData: input }));
  try {
    const units = unitsOf(await reader.cuts(options.slicePersons), threads);
    // Batches of the workers come as JSON, parsed when their turn comes.
    const order = new UnitOrder<FindingRow[] | string>(units.length, (batch) => write(typeof batch === 'string' ? (JSON.parse(batch) as FindingRow[]) : batch));
    const progress = new Array<number>(threads).fill(0);
    const report = (thread: number, persons: number): void => {
      progress[thread] = persons;
      options.onProgress?.(progress.reduce((a, b) => a + b, 0));
    };
    auditor.onProgress = (persons) => report(0, persons);

    let failure: Error | undefined;
    const theirs = Promise.all(
      workers.map(
        (worker, index) =>
          new Promise<AuditorResult>((resolve, reject) => {
            worker.on('message', (message: WorkerMessage) => {
              try {
                switch (message.type) {
                  case 'findings':
                    order.add(message.unit, message.json);
                    break;
                  case 'unit-done':
                    order.finish(message.unit);
                    break;
                  case 'progress':
                    report(index + 1, message.persons);
                    break;
                  case 'done':
                    resolve(message.result);
                    break;
                  case 'error':
                    reject(workerError(message));
                    break;
                }
              } catch (error) {
                reject(error as Error);
              }
            });
            worker.on('error', reject);
            worker.on('exit', (code) => reject(new StorageError(`audit worker ${index + 1} stopped (exit code ${code})`)));
          }),
      ),
    );
    theirs.catch((error: Error) => (failure ??= error));
    for (const worker of workers) worker.postMessage({ type: 'units', units } satisfies UnitsMessage);

    const counter = new Int32Array(taken);
    for (let unit = Atomics.add(counter, 0, 1); unit < units.length && failure === undefined; unit = Atomics.add(counter, 0, 1)) {
      await auditor.audit(units[unit]!, (batch) => order.add(unit, batch));
      order.finish(unit);
      // Let the workers' messages in: their findings may be next to write.
      await new Promise((resolve) => setImmediate(resolve));
    }
    if (failure !== undefined) throw failure;
    for (const result of await theirs) auditor.merge(result);
    if (!order.complete) throw new Error('audit: the findings of some unit were never written');
  } finally {
    // Nothing more of theirs is written (after a failure the run is rolled back), and
    // their read snapshots are let go before this returns.
    for (const worker of workers) worker.removeAllListeners('message');
    await Promise.allSettled(workers.map((worker) => worker.terminate()));
  }
}

function workerError(message: Extract<WorkerMessage, { type: 'error' }>): Error {
  const error =
    message.exitCode !== undefined ? new StayauditError(message.message, message.exitCode as ExitCodeValue, message.hint) : new Error(message.message);
  if (message.stack) error.stack = message.stack;
  return error;
}
