import { parentPort, workerData } from 'node:worker_threads';
import { compileRuleset, type Ruleset } from '../core/ruleset.js';
import { openWorkerSource, workerFailure, type TimelineSource, type WorkerSourceSpec } from '../storage/audit-source.js';
import type { KeyScope } from '../storage/timelines.js';
import { RangeAuditor, type AuditorResult } from './audit-range.js';

/**
 * A worker thread auditing units of persons on its own read-only connection (to the
 * coordinator's SQLite file, or to its PostgreSQL store inside the coordinator's
 * snapshot). It gets the units in a message, then takes them one at a time from the
 * shared counter, as the main thread does, until none is left.
 */
export interface WorkerInput {
  /** Where to read, as the coordinator's source says (`TimelineSource.workerSpec`). */
  source: WorkerSourceSpec;
  ruleset: Ruleset;
  asOf: number;
  /** Int32 counter of units taken, shared by every thread of the audit. */
  taken: SharedArrayBuffer;
}

/** From the main thread: the units of the audit. */
export interface UnitsMessage {
  type: 'units';
  units: KeyScope[];
}

/** To the main thread. */
export type WorkerMessage =
  /** A batch of findings as JSON: one string crosses threads faster than the arrays. */
  | { type: 'findings'; unit: number; json: string }
  | { type: 'unit-done'; unit: number }
  | { type: 'progress'; persons: number }
  | { type: 'done'; result: AuditorResult }
  | { type: 'error'; message: string; exitCode?: number; hint?: string; stack?: string };

const input = workerData as WorkerInput;
const port = parentPort!;
const send = (message: WorkerMessage): void => port.postMessage(message);

function fail(error: unknown): void {
  // A damaged or unreadable store is a storage error, whatever thread meets it.
  const e = workerFailure(error, input.source) as Error & { exitCode?: number; hint?: string };
  send({ type: 'error', message: e.message, exitCode: e.exitCode, hint: e.hint, stack: e.stack });
}

// Listening at once: the units may come while the connection is being opened.
const unitsMessage = new Promise<UnitsMessage>((resolve) => port.once('message', resolve));

async function work(): Promise<void> {
  let reader: TimelineSource | undefined;
  try {
    // Open while the main thread finds the units.
    reader = await openWorkerSource(input.source);
    const source = reader;
    const ruleset = compileRuleset(input.ruleset);
    const { units } = await unitsMessage;
    const auditor = new RangeAuditor(source, ruleset, input.asOf, (persons) => send({ type: 'progress', persons }));
    const taken = new Int32Array(input.taken);
    await source.readAsync(async () => {
      for (let unit = Atomics.add(taken, 0, 1); unit < units.length; unit = Atomics.add(taken, 0, 1)) {
        await auditor.audit(units[unit]!, (findings) => send({ type: 'findings', unit, json: JSON.stringify(findings) }));
        send({ type: 'unit-done', unit });
      }
    });
    send({ type: 'done', result: auditor.result() });
  } catch (error) {
    fail(error);
  } finally {
    await reader?.close();
  }
}

void work();
