import { parentPort, workerData } from 'node:worker_threads';
import { compileRuleset, type Ruleset } from '../core/ruleset.js';
import { openTimelineSource } from '../storage/audit-source.js';
import { storageFailure } from '../storage/audit-source.js';
import type { KeyScope } from '../storage/timelines.js';
import { RangeAuditor, type AuditorResult } from './audit-range.js';

/**
 * A worker thread auditing units of persons on its own read-only connection. It gets
 * the units in a message, then takes them one at a time from the shared counter, as
 * the main thread does, until none is left.
 */
export interface WorkerInput {
  file: string;
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
  // A damaged or unreadable database is a storage error, whatever thread meets it.
  const e = storageFailure(error, input.file) as Error & { exitCode?: number; hint?: string };
  send({ type: 'error', message: e.message, exitCode: e.exitCode, hint: e.hint, stack: e.stack });
}

try {
  // Open while the main thread finds the units.
  const reader = openTimelineSource(input.file, { cacheMiB: 16 });
  const ruleset = compileRuleset(input.ruleset);
  port.once('message', ({ units }: UnitsMessage) => {
    try {
      const auditor = new RangeAuditor(reader, ruleset, input.asOf, (persons) => send({ type: 'progress', persons }));
      const taken = new Int32Array(input.taken);
      reader.read(() => {
        for (let unit = Atomics.add(taken, 0, 1); unit < units.length; unit = Atomics.add(taken, 0, 1)) {
          auditor.audit(units[unit]!, (findings) => send({ type: 'findings', unit, json: JSON.stringify(findings) }));
          send({ type: 'unit-done', unit });
        }
      });
      send({ type: 'done', result: auditor.result() });
    } catch (error) {
      fail(error);
    } finally {
      reader.close();
    }
  });
} catch (error) {
  fail(error);
}
