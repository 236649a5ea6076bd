import path from 'node:path';
import { childScript, removeDb, runExternal, runOurs } from './measure.js';

/**
 * What a nightly delta cannot go below on this machine (issue 18's "≤ 0.5 s at both
 * sizes"), measured beside the delta itself, `times` times each, alternating:
 *
 * - `bare`: a Node process that does nothing but insert the file's raw cells into a
 *   plain table of a new SQLite file (floors.js insert: Node's start, better-sqlite3,
 *   reading and splitting the file, the inserts, the commit; no decoding, checks,
 *   duplicates, persons or index);
 * - `emptyStore`: our import of the same file into a new, empty store: everything the
 *   import does, with nothing stored to find or to grow.
 *
 * Wall seconds of whole processes, as the delta's own figure is.
 */
export interface DeltaFloor {
  bare: number[];
  emptyStore: number[];
}

export async function measureDeltaFloor(file: string, scratchDir: string, times: number): Promise<DeltaFloor> {
  const floorsScript = path.join(path.dirname(childScript()), 'floors.js');
  const scratch = path.join(scratchDir, 'delta-floor.db');
  const out: DeltaFloor = { bare: [], emptyStore: [] };
  const remove = (): void => removeDb(scratch);
  try {
    for (let i = 0; i < times; i++) {
      remove();
      out.bare.push((await runExternal(process.execPath, [floorsScript, 'insert', file, scratch], { captureStdout: true })).wallSeconds);
      remove();
      out.emptyStore.push((await runOurs(['--db', scratch, 'import', 'crossings', file, '--json'], { captureStdout: true, expectCodes: [0, 5] })).wallSeconds);
    }
  } finally {
    remove();
  }
  return out;
}

const range = (values: readonly number[]): string => {
  if (values.length === 0) return '–';
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  return lo.toFixed(2) === hi.toFixed(2) ? `${lo.toFixed(2)} s` : `${lo.toFixed(2)}–${hi.toFixed(2)} s`;
};

/** One line for the log and the report; `file` names the file measured. */
export function deltaFloorText(f: DeltaFloor, file = 'the same file'): string {
  return `${file} by a bare insert process (Node, better-sqlite3, raw cells into a plain table; nothing checked): ${range(f.bare)}; our import of it into an empty store: ${range(f.emptyStore)}`;
}
