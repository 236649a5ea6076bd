/**
 * Output files and terminals (issue 13): outputs cannot be redirected through planted
 * links, report folders are private, every output failure is one line with its
 * documented exit code, and no database comes into being by accident.
 */
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, IS_ROOT, looksLikeCrash, runMeasured, tempDir } from './support.js';

const FIXTURES = path.resolve(import.meta.dirname, '../../fixtures');
let dir: string;
let cleanup: () => void;
let db: string;

beforeAll(async () => {
  ({ dir, cleanup } = tempDir('stayaudit-out-'));
  db = path.join(dir, 'audit.db');
  for (const dataset of ['crossings', 'registrations', 'permits', 'expulsions']) {
    await runMeasured(['--db', db, 'import', dataset, path.join(FIXTURES, 'e2e', `${dataset}.csv`)]);
  }
  expect((await runMeasured(['--db', db, 'audit', '--as-of', '2024-04-14'])).code).toBe(0);
});
afterAll(() => cleanup());

/** One error line and one hint line, nothing else, no stack. */
function oneError(stderr: string, pattern: RegExp): void {
  expect(looksLikeCrash(stderr), stderr).toBe(false);
  const lines = stderr.trim().split('\n');
  expect(lines[0]).toMatch(pattern);
  expect(lines.slice(1).every((l) => l.startsWith('hint: '))).toBe(true);
}

describe('output files cannot be turned against their writer', () => {
  it('-o on a symbolic link is refused (exit 2) and the link and its target stay as they were', async () => {
    const victim = path.join(dir, 'victim.txt');
    fs.writeFileSync(victim, 'precious\n');
    const link = path.join(dir, 'link.csv');
    fs.symlinkSync(victim, link);
    const r = await runMeasured(['--db', db, 'findings', '-o', link]);
    expect(r.code).toBe(2);
    oneError(r.stderr, /^error: .*link\.csv is a symbolic link/);
    expect(fs.lstatSync(link).isSymbolicLink()).toBe(true);
    expect(fs.readFileSync(victim, 'utf8')).toBe('precious\n');
    // Asked for: the file it points to is written, the link stays.
    const asked = await runMeasured(['--db', db, 'findings', '-o', link, '--follow-symlinks']);
    expect(asked.code, asked.stderr).toBe(0);
    expect(fs.lstatSync(link).isSymbolicLink()).toBe(true);
    expect(fs.readFileSync(victim, 'utf8')).toMatch(/^person_key,/);
  });

  it('a link planted at a temporary name is never followed, and no temporary is left', async () => {
    const out = path.join(dir, 'planted');
    fs.mkdirSync(out);
    const victim = path.join(dir, 'victim-2.txt');
    fs.writeFileSync(victim, 'precious\n');
    // The old, predictable temporary names of the next pids.
    const child = spawn(process.execPath, [BIN, '--db', db, 'findings', '-o', path.join(out, 'f.csv')], { stdio: 'ignore' });
    for (let pid = child.pid!; pid < child.pid! + 3; pid++) {
      for (const name of [`.f.csv.tmp-${pid}`, `f.csv.tmp-${pid}`]) fs.symlinkSync(victim, path.join(out, name));
    }
    const code = await new Promise((resolve) => child.on('exit', resolve));
    expect(code).toBe(0);
    expect(fs.readFileSync(victim, 'utf8')).toBe('precious\n');
    expect(fs.readdirSync(out).filter((n) => !fs.lstatSync(path.join(out, n)).isSymbolicLink())).toEqual(['f.csv']);
    expect(fs.statSync(path.join(out, 'f.csv')).mode & 0o777).toBe(0o600);
  });

  it('under umask 000 nightly report folders are 0700 and reports 0600', async () => {
    const root = path.join(dir, 'umask');
    const inbox = path.join(root, 'inbox');
    fs.mkdirSync(inbox, { recursive: true });
    fs.copyFileSync(path.join(FIXTURES, 'e2e', 'crossings.csv'), path.join(inbox, 'crossings.csv'));
    const reports = path.join(root, 'reports');
    execFileSync('sh', ['-c', `umask 000; exec "${process.execPath}" "${BIN}" --db "${path.join(root, 'a.db')}" -q nightly --inbox "${inbox}" --reports "${reports}" --as-of 2024-04-14 > /dev/null`]);
    expect(fs.statSync(reports).mode & 0o777).toBe(0o700);
    expect(fs.statSync(path.join(reports, '2024-04-14')).mode & 0o777).toBe(0o700);
    for (const name of fs.readdirSync(path.join(reports, '2024-04-14'))) expect(fs.statSync(path.join(reports, '2024-04-14', name)).mode & 0o777).toBe(0o600);
  });
});

describe('output trouble is a usage or I/O error, one line each', () => {
  it('-o DIR, -o under a file, and a bad --format of query: exit 2, the connection is not "busy"', async () => {
    const a = await runMeasured(['--db', db, 'violators', '-o', dir]);
    expect(a.code).toBe(2);
    oneError(a.stderr, /^error: cannot write .*: it is a directory$/);
    const notADir = path.join(dir, 'plain-file');
    fs.writeFileSync(notADir, '');
    const b = await runMeasured(['--db', db, 'stats', '-o', path.join(notADir, 'x.csv')]);
    expect(b.code).toBe(2);
    oneError(b.stderr, /^error: cannot write /);
    const c = await runMeasured(['--db', db, 'query', 'SELECT * FROM runs', '--format', 'tsv']);
    expect(c.code).toBe(2);
    oneError(c.stderr, /^error: unknown --format 'tsv'$/);
  });

  it('-o - is stdout', async () => {
    const r = await runMeasured(['--db', db, 'runs', '-o', '-', '--format', 'csv']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^run,as_of,/);
    expect(fs.existsSync(path.join(os_tmp(), '-'))).toBe(false);
  });

  it('a full disk while writing a report or stdout: exit 4, one line, no temporary left', async () => {
    const full = await runMeasured(['--db', db, 'findings'], {});
    expect(full.code).toBe(0);
    const viaShell = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const child = spawn('sh', ['-c', `exec "${process.execPath}" "${BIN}" --db "${db}" findings > /dev/full`], { stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
      child.on('close', (code) => resolve({ code, stderr }));
    });
    expect(viaShell.code).toBe(4);
    oneError(viaShell.stderr, /^error: disk full while writing standard output/);
  });

  it.skipIf(!IS_ROOT)('a full file system under -o: exit 4, one line, no partial temporary', async () => {
    const mount = path.join(dir, 'smallfs');
    fs.mkdirSync(mount);
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=12k', 'tmpfs', mount], { stdio: 'ignore' });
    } catch {
      return; // No mounting here: covered by the /dev/full case above.
    }
    try {
      // Filled up to the last byte.
      const fd = fs.openSync(path.join(mount, 'filler'), 'w');
      try {
        for (;;) fs.writeSync(fd, Buffer.alloc(512));
      } catch (error) {
        expect((error as NodeJS.ErrnoException).code).toBe('ENOSPC');
      } finally {
        fs.closeSync(fd);
      }
      const r = await runMeasured(['--db', db, 'findings', '--format', 'json', '-o', path.join(mount, 'findings.json')]);
      expect(r.code).toBe(4);
      oneError(r.stderr, /^error: disk full while writing .*findings\.json; nothing was written$/);
      expect(fs.readdirSync(mount)).toEqual(['filler']);
    } finally {
      execFileSync('umount', [mount]);
    }
  });

  it('--help | head -1 is no error, five times out of five', async () => {
    for (let i = 0; i < 5; i++) {
      const out = execFileSync('sh', ['-c', `"${process.execPath}" "${BIN}" --help | head -1; "${process.execPath}" "${BIN}" import --help 2>&1 | head -1`], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
      expect(out).not.toMatch(/EPIPE|at .*:\d+:\d+/);
    }
  });
});

describe('input files that cannot be read, databases that cannot be written', () => {
  it('a FIFO with no writer does not hang import: exit 3 at once', async () => {
    const fifo = path.join(dir, 'crossings.fifo');
    execFileSync('mkfifo', [fifo]);
    const r = await runMeasured(['--db', db, 'import', 'crossings', fifo], { timeoutMs: 20_000 });
    expect(r.timedOut).toBe(false);
    expect(r.code).toBe(3);
    oneError(r.stderr, /named pipe \(FIFO\), not a regular file/);
  });

  it.skipIf(!IS_ROOT)('as an ordinary user: a mode-000 input is exit 3, a read-only database folder exit 4', async () => {
    const area = path.join(dir, 'user');
    fs.mkdirSync(area, { mode: 0o777 });
    fs.chmodSync(area, 0o777);
    for (let d = dir; d !== '/'; d = path.dirname(d)) fs.chmodSync(d, fs.statSync(d).mode | 0o005);
    const secret = path.join(area, 'secret.csv');
    fs.copyFileSync(path.join(FIXTURES, 'e2e', 'crossings.csv'), secret);
    fs.chmodSync(secret, 0o000);
    const userDb = path.join(area, 'u.db');
    const a = await runMeasured(['--db', userDb, 'import', 'crossings', secret], { uid: 65534, gid: 65534 });
    expect(a.code).toBe(3);
    oneError(a.stderr, /secret\.csv: permission denied/);
    // A database in a folder the user cannot write (its -wal and -shm cannot be made).
    const locked = path.join(dir, 'ro');
    fs.mkdirSync(locked);
    fs.copyFileSync(db, path.join(locked, 'a.db'));
    fs.chmodSync(path.join(locked, 'a.db'), 0o666);
    fs.chmodSync(locked, 0o755);
    for (const args of [['import', 'crossings', path.join(FIXTURES, 'e2e', 'crossings.csv')], ['audit', '--as-of', '2024-04-14'], ['findings']]) {
      const r = await runMeasured(['--db', path.join(locked, 'a.db'), ...args], { uid: 65534, gid: 65534 });
      expect(r.code, `${args[0]}: ${r.stderr}`).toBe(4);
      oneError(r.stderr, /^error: /);
    }
  });

  it('only import and nightly create a database: the others refuse a missing one (exit 4, naming it)', async () => {
    const typo = path.join(dir, 'typo.db');
    for (const args of [['audit', '--as-of', '2024-04-14'], ['findings'], ['violators'], ['stats'], ['runs'], ['diff'], ['person', 'P1'], ['query', 'SELECT 1']]) {
      const r = await runMeasured(['--db', typo, ...args]);
      expect(r.code, args[0]).toBe(4);
      oneError(r.stderr, new RegExp(`^error: database ${typo.replace(/[.]/g, '\\.')} does not exist$`));
      expect(fs.existsSync(typo), args[0]).toBe(false);
    }
    const created = await runMeasured(['--db', typo, 'import', 'crossings', path.join(FIXTURES, 'e2e', 'crossings.csv')]);
    expect(created.code).toBe(0);
    expect(fs.existsSync(typo)).toBe(true);
  });
});

function os_tmp(): string {
  return path.dirname(dir);
}

describe('personal data stays out of errors and logs', () => {
  const firstRow = '999000000004,DM0000004,RUS,KARIMOV,BOBUR,1995-01-02,M,IN,2022-01-01 10:00,ALA';
  const values = ['999000000004', 'DM0000004', 'KARIMOV', 'BOBUR', '1995-01-02'];

  it('a file with no header line names the file, line and columns, not the values (import and nightly)', async () => {
    const file = path.join(dir, 'no-header.csv');
    fs.writeFileSync(file, `${firstRow}\n${firstRow.replace('04', '05')}\n`);
    const r = await runMeasured(['--db', db, 'import', 'crossings', file]);
    expect(r.code).toBe(3);
    oneError(r.stderr, /no-header\.csv, line 1: .*looks like data, not a header \(columns 1, 2, 6, 9/);
    for (const v of values) expect(r.stderr).not.toContain(v);
    const inbox = path.join(dir, 'pii-inbox');
    fs.mkdirSync(inbox);
    fs.copyFileSync(file, path.join(inbox, 'crossings-no-header.csv'));
    const reports = path.join(dir, 'pii-reports');
    const n = await runMeasured(['--db', path.join(dir, 'pii.db'), 'nightly', '--inbox', inbox, '--reports', reports, '--as-of', '2024-04-14']);
    expect(n.code).toBe(3);
    const summary = fs.readFileSync(path.join(reports, '2024-04-14', 'summary.txt'), 'utf8');
    for (const text of [summary, n.stdout, n.stderr]) for (const v of values) expect(text).not.toContain(v);
  });

  it('a junk header of 50 KB on one line is not echoed whole', async () => {
    const file = path.join(dir, 'junk-header.csv');
    fs.writeFileSync(file, `${'Q'.repeat(50_000)},${'Z'.repeat(30)}\n1,2\n`);
    const r = await runMeasured(['--db', db, 'import', 'crossings', file]);
    expect(r.code).toBe(3);
    expect(r.stderr.length).toBeLessThan(1500);
    oneError(r.stderr, /junk-header\.csv, line 1: missing required columns/);
  });
});
