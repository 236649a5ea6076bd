import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { crashSweep, inspectDatabase, runAndKill, runCli, writeCrossingsCsv, type CrashSweepReport } from '../../src/tools/reliability/crash-check.js';
import { looksLikeCrash, tempDir } from './support.js';

/**
 * Crash safety (issue 7): an import and an audit killed with SIGKILL at several points
 * leave a database that passes PRAGMA integrity_check, holds all or none of the
 * interrupted file (run), and once the command is run again holds exactly what an
 * uninterrupted run gives. A scaled-down sweep; the full one is
 * `node dist/tools/reliability/crash-check.js` (src/tools/reliability/crash-check.ts).
 */

let dir: string;
let cleanup: () => void;
let report: CrashSweepReport;
const lines: string[] = [];

beforeAll(async () => {
  ({ dir, cleanup } = tempDir('stayaudit-crash-'));
  report = await crashSweep({ rows: 8_000, importKills: 5, auditKills: 4, seed: 3, dir, log: (line) => lines.push(line) });
}, 180_000);

afterAll(() => cleanup());

describe('SIGKILL at many points', () => {
  it('every kill leaves an intact database holding all or none, and the re-run matches an uninterrupted run', () => {
    console.info(lines.join('\n'));
    expect(report.problems).toEqual([]);
    for (const o of report.outcomes) {
      expect(o.integrity, `${o.phase} ${o.trigger}`).toBe('ok');
      expect(o.left, `${o.phase} ${o.trigger}`).not.toBe('partial');
      expect(o.rerunMatches, `${o.phase} ${o.trigger}`).toBe(true);
    }
  });

  it('the kills hit the commands while they ran, including while a commit was being written', () => {
    for (const phase of ['import', 'audit'] as const) {
      const killed = report.outcomes.filter((o) => o.phase === phase && o.killed);
      expect(killed.length, `${phase}: kills that landed before the process ended`).toBeGreaterThanOrEqual(3);
      expect(killed.some((o) => o.left === 'none'), `${phase}: a kill that left none of it`).toBe(true);
      expect(killed.some((o) => o.walBytesAtKill > 0), `${phase}: a kill while the WAL was being written`).toBe(true);
    }
  });

  it('SIGTERM (a cron timeout) and SIGINT (Ctrl-C) in the middle of an import leave all or none too', async () => {
    const file = path.join(dir, 'signals.csv');
    const rows = writeCrossingsCsv(file, 30_000, 9, 'Q');
    const small = path.join(dir, 'signals-base.csv');
    const base = writeCrossingsCsv(small, 100, 10, 'R');
    for (const signal of ['SIGTERM', 'SIGINT'] as const) {
      const db = path.join(dir, `${signal}.db`);
      expect((await runCli(['--db', db, 'import', 'crossings', small])).code).toBe(0);
      const run = await runAndKill(['--db', db, 'import', 'crossings', file], db, { kind: 'delay', ms: 450 }, signal);
      expect(looksLikeCrash(run.result.stderr), run.result.stderr).toBe(false);
      const state = inspectDatabase(db);
      expect(state.integrity).toBe('ok');
      expect([base, base + rows], `${signal}: ${state.crossings} crossings`).toContain(state.crossings);
      expect(state.ledger.reduce((n, l) => n + l.added, 0)).toBe(state.crossings);
      const again = await runCli(['--db', db, 'import', 'crossings', file]);
      expect(again.code, again.stderr).toBe(0);
      expect(inspectDatabase(db).crossings).toBe(base + rows);
    }
  });
});
