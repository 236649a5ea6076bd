/**
 * What a command loads before it starts: a command on an SQLite file never loads the
 * PostgreSQL driver (pg, its COPY streams, .pgpass reading), which is loaded on demand
 * for a server store only; nor date-fns, loaded on the first date flag; an import loads
 * no other command and nothing of reading, `--version` no command. Checked on the built CLI (what users run) in a child
 * process: pg is CommonJS, so whatever loaded it leaves it in require's cache.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const DRIVER = /[\\/]node_modules[\\/](pg|pg-copy-streams|pgpass|pg-protocol)[\\/]/;
/** date-fns (required on the first date flag: its parser and locales are ~100 modules). */
const DATE_FNS = /[\\/]node_modules[\\/]date-fns[\\/]/;
/** A command's module other than the import's (the registry loads only the commands a command line names). */
const OTHER_COMMANDS = /[\\/]dist[\\/]cli[\\/]commands[\\/](?!import\.js|index\.js|command\.js)[^\\/]+$/;
/** What only reading or auditing needs: the table and CSV renderers, the read store, the audit's sources. */
const READING = /[\\/]dist[\\/](reports[\\/]render|storage[\\/]read-store|storage[\\/]audit-source)\.js$|[\\/]node_modules[\\/](cli-table3|chalk|csv-stringify)[\\/]/;
/** The HTML report's code (loaded by report and nightly only). */
const HTML_REPORT = /[\\/]dist[\\/]reports[\\/]html[\\/](?!languages)/;

/** Runs the CLI's main() with `args` in a fresh process; returns its exit code and the modules it loaded (CommonJS and ES). */
function loadedBy(args: readonly string[]): { code: number; modules: string[] } {
  // CommonJS modules are in require's cache; ES modules are seen by a resolve hook,
  // which runs on a thread of its own and posts each URL back.
  const hook = `let port; export function initialize(data) { port = data.port; }
    export async function resolve(specifier, context, next) { const r = await next(specifier, context); port.postMessage(r.url); return r; }`;
  const script = `
    import { createRequire, register } from 'node:module';
    import { MessageChannel } from 'node:worker_threads';
    import { fileURLToPath, pathToFileURL } from 'node:url';
    const { port1, port2 } = new MessageChannel();
    const esm = new Set();
    port1.on('message', (url) => esm.add(url));
    register('data:text/javascript,' + encodeURIComponent(${JSON.stringify(hook)}), { data: { port: port2 }, transferList: [port2] });
    const { main } = await import(${JSON.stringify(pathToFileURL(path.join(ROOT, 'dist/cli/main.js')).href)});
    const code = await main(['node', 'stayaudit', ...${JSON.stringify(args)}]);
    await new Promise((resolve) => setTimeout(resolve, 50));
    port1.close();
    const files = [...esm].filter((url) => url.startsWith('file:')).map((url) => fileURLToPath(url));
    process.stdout.write('\\n' + JSON.stringify({ code, modules: [...Object.keys(createRequire(import.meta.url).cache), ...files] }));
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
        expect(run.modules.filter((m) => DATE_FNS.test(m))).toEqual([]);
        expect(run.modules.filter((m) => HTML_REPORT.test(m))).toEqual([]);
      }
      // An import loads its own command only, and nothing of reading; `--version` no command.
      const imported = sqlite[1]!.modules;
      expect(imported.filter((m) => OTHER_COMMANDS.test(m))).toEqual([]);
      expect(imported.filter((m) => READING.test(m))).toEqual([]);
      const version = loadedBy(['--version']);
      expect(version.code).toBe(0);
      expect(version.modules.filter((m) => /[\\/]dist[\\/]cli[\\/]commands[\\/](?!index\.js)/.test(m))).toEqual([]);
      // ...and the checks can fail: `runs` loads the read store and its renderers.
      const runs = sqlite[2]!.modules;
      expect(runs.some((m) => READING.test(m))).toBe(true);
      expect(runs.some((m) => /[\\/]dist[\\/]cli[\\/]commands[\\/]runs\.js$/.test(m))).toBe(true);
      // A numeric date needs no date-fns; a written-out month loads it (so that the check above can fail).
      const numeric = loadedBy(['--db', db, 'audit', '--as-of', '31.12.2024']);
      expect(numeric.code).toBe(0);
      expect(numeric.modules.filter((m) => DATE_FNS.test(m))).toEqual([]);
      const dated = loadedBy(['--db', db, 'audit', '--as-of', '31 декабря 2024']);
      expect(dated.code).toBe(0);
      expect(dated.modules.some((m) => DATE_FNS.test(m))).toBe(true);
      const report = loadedBy(['--db', db, 'report', '--output', path.join(dir, 'report.html')]);
      expect(report.code).toBe(0);
      expect(report.modules.some((m) => HTML_REPORT.test(m))).toBe(true);
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
