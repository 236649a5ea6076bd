import { parentPort, workerData } from 'node:worker_threads';
import { compileRuleset, type Ruleset } from '../core/ruleset.js';
import { openConnection, storageFailure } from '../storage/database.js';
import type { KeyScope } from '../storage/audit-store.js';
import { auditRange } from './audit-range.js';

/** A worker thread auditing one key range on its own read-only connection. */
export interface WorkerInput {
  file: string;
  scope: KeyScope;
  ruleset: Ruleset;
  asOf: number;
}

const input = workerData as WorkerInput;
const port = parentPort!;
try {
  const reader = openConnection(input.file, { readonly: true, cacheMiB: 16 });
  try {
    reader.exec('BEGIN');
    const totals = auditRange(
      reader,
      input.scope,
      compileRuleset(input.ruleset),
      input.asOf,
      (findings) => port.postMessage({ type: 'findings', findings }),
      (persons) => port.postMessage({ type: 'progress', persons }),
    );
    reader.exec('COMMIT');
    port.postMessage({ type: 'done', totals });
  } finally {
    reader.close();
  }
} catch (error) {
  // A damaged or unreadable database is a storage error, whatever thread meets it.
  const e = storageFailure(error, input.file) as Error & { exitCode?: number; hint?: string };
  port.postMessage({ type: 'error', message: e.message, name: e.name, exitCode: e.exitCode, hint: e.hint, stack: e.stack });
}
