/**
 * What a command loads before it starts: a command on an SQLite file never loads the
 * PostgreSQL driver (pg, its COPY streams, .pgpass reading), which is loaded on demand
 * for a server store only. Checked on the built CLI (what users run) in a child
 * process: pg is CommonJS, so whatever loaded it leaves it in require's cache.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const DRIVER = /[\\/]node_modules[\\/](pg|pg-copy-streams|pgpass|pg-protocol)[\\/]/;

/** Runs the CLI's main() with `args` in a fresh process; returns its exit code and the CommonJS modules loaded. */
function loadedBy(args: readonly string[]): { code: number; modules: string[] } {
  const script = `
    import { createRequire } from 'node:module';
    import { main } from ${JSON.stringify(path.join(ROOT, 'dist/cli/main.js'))};
    const code = await main(['node', 'stayaudit', ...${JSON.stringify(args)}]);
    process.stdout.write('\\n' + JSON.stringify({ code, modules: Object.keys(createRequire(import.meta.url).cache) }));
  `;
  const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: ROOT, encoding: 'utf8' });
  expect(child.status, child.stderr).toBe(0);
  return JSON.parse(child.stdout.slice(child.stdout.lastIndexOf('\n') + 1)) as { code: number; modules: string[] };
}

describe('start-up', () => {
  it('a command on an SQLite file loads no PostgreSQL driver; one on a server store does', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stayaudit-startup-'));
    try {
      const db = path.join(dir, 'store.db');
      const sqlite = [
        loadedBy(['--db', db, 'init']),
        loadedBy(['--db', db, 'import', 'crossings', path.join(ROOT, 'fixtures/import/crossings.csv')]),
        loadedBy(['--db', db, 'runs']),
        loadedBy(['--db', db, 'query', 'SELECT count(*) FROM persons']),
      ];
      for (const run of sqlite) {
        expect(run.modules.length).toBeGreaterThan(5); // better-sqlite3 and its helpers: the check sees CommonJS modules
        expect(run.modules.filter((m) => DRIVER.test(m))).toEqual([]);
      }
      // The other way round, so that the check above can fail: a server address loads the
      // driver (nothing listens on this socket directory; the command fails to connect).
      const server = loadedBy(['--db', `postgres://nobody@/none?host=${encodeURIComponent(dir)}`, 'runs']);
      expect(server.code).not.toBe(0);
      expect(server.modules.some((m) => DRIVER.test(m))).toBe(true);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
