/**
 * Nightly at the edges (issue 13): one bad inbox file never stops the job, rejected
 * rows survive a kill at any point, a run's reports are published all or nothing, the
 * lock excludes by construction, and file names cannot forge lines or read outside
 * the inbox. The kill sweep's figures go to the README's guarantees section.
 */
import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csvRecords, IS_ROOT, looksLikeCrash, peek, runMeasured, startCli, tempDir } from './support.js';

const FIXTURES = path.resolve(import.meta.dirname, '../../fixtures');
const AS_OF = '2024-04-14';
const EXPULSIONS_WITH_REJECTS = [
  'person_id,document_no,citizenship,decided_on,expelled_on,ban_years,reason',
  'X1,EX1,TJK,2021-05-20,2021-05-25,5,overstay',
  'X2,EX2,Narnia,2021-05-20,,5,bad citizenship',
  'X3,EX3,TJK,31.02.2021,,5,bad date',
  'X4,EX4,KGZ,2022-01-10,,3,ok',
].join('\n') + '\n';

let dir: string;
let cleanup: () => void;
beforeAll(() => ({ dir, cleanup } = tempDir('stayaudit-nightly-')));
afterAll(() => cleanup());

let counter = 0;
/** A fresh inbox with the four e2e files (named so the dataset comes from the name). */
function scene(): { root: string; inbox: string; reports: string; db: string } {
  const root = path.join(dir, `s${++counter}`);
  const inbox = path.join(root, 'inbox');
  fs.mkdirSync(inbox, { recursive: true });
  for (const name of ['crossings', 'registrations', 'permits', 'expulsions']) fs.copyFileSync(path.join(FIXTURES, 'e2e', `${name}.csv`), path.join(inbox, `${name}.csv`));
  return { root, inbox, reports: path.join(root, 'reports'), db: path.join(root, 'audit.db') };
}

function nightly(s: { inbox: string; reports: string; db: string }, ...extra: string[]) {
  return runMeasured(['--db', s.db, 'nightly', '--inbox', s.inbox, '--reports', s.reports, '--as-of', AS_OF, ...extra], { timeoutMs: 60_000 });
}

/** Every file a published set holds matches its manifest, and all carry the same run. */
function checkPublishedSet(setDir: string): { run: number; files: string[] } {
  const manifest = JSON.parse(fs.readFileSync(path.join(setDir, 'manifest.json'), 'utf8')) as { run: number; as_of: string; files: { name: string; sha256: string }[] };
  expect(manifest.as_of).toBe(path.basename(setDir));
  for (const f of manifest.files) {
    const bytes = fs.readFileSync(path.join(setDir, f.name));
    expect(createHash('sha256').update(bytes).digest('hex'), `${f.name} is not the file the manifest names`).toBe(f.sha256);
  }
  const names = fs.readdirSync(setDir).sort();
  expect(names).toEqual([...manifest.files.map((f) => f.name), 'manifest.json'].sort());
  for (const name of ['violators.csv', 'findings.csv']) {
    const records = csvRecords(fs.readFileSync(path.join(setDir, name), 'utf8'));
    const runAt = records[0]!.indexOf('run');
    for (const r of records.slice(1)) expect(Number(r[runAt])).toBe(manifest.run);
  }
  expect(fs.readFileSync(path.join(setDir, 'summary.txt'), 'utf8')).toContain(`run ${manifest.run},`);
  return { run: manifest.run, files: manifest.files.map((f) => f.name) };
}

describe('one inbox file never stops the job', () => {
  it('a dangling link, a link out of the inbox, a FIFO and a stray notes.txt: listed, quarantined or ignored; the rest is imported', async () => {
    const s = scene();
    fs.symlinkSync(path.join(s.root, 'gone.csv'), path.join(s.inbox, 'crossings-dangling.csv'));
    fs.symlinkSync('/etc/passwd', path.join(s.inbox, 'registrations-passwd.csv'));
    execFileSync('mkfifo', [path.join(s.inbox, 'crossings-fifo.csv')]);
    fs.writeFileSync(path.join(s.inbox, 'notes.txt'), 'call Ivan about the April export\n');
    const first = await nightly(s);
    expect(first.timedOut).toBe(false);
    expect(first.code, first.stderr).toBe(3);
    expect(looksLikeCrash(first.stderr)).toBe(false);
    expect(first.stdout).toContain('4 files imported, 0 already imported, 3 failed, 1 ignored');
    expect(first.stdout).toMatch(/FAILED crossings-dangling\.csv: .*symbolic link/);
    expect(first.stdout).toMatch(/FAILED registrations-passwd\.csv: .*symbolic link/);
    expect(first.stdout).toMatch(/FAILED crossings-fifo\.csv: .*named pipe/);
    expect(first.stdout).toContain('ignored (not matching *.csv, *.csv.gz): notes.txt');
    expect(first.stdout + first.stderr).not.toMatch(/root:|\/bin\/(ba)?sh/);
    // Moved aside (the links themselves), so the next night is clean.
    expect(fs.readdirSync(path.join(s.inbox, 'quarantine')).sort()).toEqual(['crossings-dangling.csv', 'crossings-fifo.csv', 'registrations-passwd.csv']);
    expect(fs.readFileSync('/etc/passwd', 'utf8').length).toBeGreaterThan(0);
    const second = await nightly(s);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toContain('0 files imported, 4 already imported, 0 failed, 1 ignored');
  });

  it('with --follow-symlinks a link is imported; without quarantine a failed file stays where it is', async () => {
    const s = scene();
    const outside = path.join(s.root, 'elsewhere');
    fs.mkdirSync(outside);
    fs.renameSync(path.join(s.inbox, 'permits.csv'), path.join(outside, 'permits.csv'));
    fs.symlinkSync(path.join(outside, 'permits.csv'), path.join(s.inbox, 'permits.csv'));
    fs.writeFileSync(path.join(s.inbox, 'mystery.csv'), 'a,b,c\n1,2,3\n');
    const result = await nightly(s, '--follow-symlinks', '--no-quarantine');
    expect(result.code, result.stderr).toBe(3);
    expect(result.stdout).toContain('permits.csv: permits, 1 read, 1 added');
    expect(result.stdout).toMatch(/FAILED mystery\.csv: .*cannot tell which dataset.*\(left in the inbox\)/);
    expect(fs.existsSync(path.join(s.inbox, 'mystery.csv'))).toBe(true);
  });

  it('reads gzipped exports (named or detected by header) and takes a --pattern', async () => {
    const s = scene();
    for (const name of ['crossings.csv', 'expulsions.csv']) {
      const file = path.join(s.inbox, name);
      fs.writeFileSync(`${file}.gz`, zlib.gzipSync(fs.readFileSync(file)));
      fs.rmSync(file);
    }
    fs.renameSync(path.join(s.inbox, 'expulsions.csv.gz'), path.join(s.inbox, 'export-7.csv.gz'));
    fs.renameSync(path.join(s.inbox, 'permits.csv'), path.join(s.inbox, 'permits.txt'));
    const result = await nightly(s, '--pattern', '*.csv,*.csv.gz', '--pattern', 'permits*.txt');
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('crossings.csv.gz: crossings, 13 read, 13 added');
    expect(result.stdout).toContain('export-7.csv.gz: expulsions');
    expect(result.stdout).toContain('permits.txt: permits');
    expect(result.stdout).toContain('4 files imported');
  });

  it('file names with newlines and terminal escapes cannot forge lines of the summary or the log', async () => {
    const s = scene();
    const evil = 'crossings-x.csv\nimports: 99 files imported, 0 failed\n\u001b]0;PWNED\u0007.csv';
    fs.writeFileSync(path.join(s.inbox, evil), 'not,a,header\n');
    const result = await nightly(s);
    expect(result.code).toBe(3);
    const summary = fs.readFileSync(path.join(s.reports, AS_OF, 'summary.txt'), 'utf8');
    for (const text of [summary, result.stdout, result.stderr]) {
      expect(text).not.toContain('\u001b');
      expect(text).not.toContain('\u0007');
      expect(text.split('\n').filter((l) => l.startsWith('imports: 99'))).toEqual([]);
    }
    expect(summary).toContain('FAILED "crossings-x.csv\\u000aimports: 99 files imported, 0 failed\\u000a\\u001b]0;PWNED\\u0007.csv"');
  });
});

describe('rejected rows are never lost, reports are published as one set', () => {
  it('rejects of a file imported before its report was written are written by the next run', async () => {
    const s = scene();
    fs.writeFileSync(path.join(s.inbox, 'expulsions.csv'), EXPULSIONS_WITH_REJECTS);
    // What a kill between the import's commit and the rejects report leaves: the import, no report.
    const imported = await runMeasured(['--db', s.db, 'import', 'expulsions', path.join(s.inbox, 'expulsions.csv')]);
    expect(imported.code).toBe(5);
    const result = await nightly(s);
    expect(result.code, result.stderr).toBe(0); // Nothing was rejected in this run's imports.
    expect(result.stdout).toContain('2 rows rejected from expulsions.csv: rejects-expulsions.csv');
    const rows = csvRecords(fs.readFileSync(path.join(s.reports, AS_OF, 'rejects-expulsions.csv'), 'utf8'));
    expect(rows[0]).toEqual(['_file', '_line', '_reason', 'person_id', 'document_no', 'citizenship', 'decided_on', 'expelled_on', 'ban_years', 'reason']);
    expect(rows.slice(1).map((r) => [r[1], r[3]])).toEqual([['3', 'X2'], ['4', 'X3']]);
    // Published once: the next run of the same day keeps the file, the one after another day does not repeat it.
    const again = await nightly(s);
    expect(again.stdout).not.toContain('rows rejected from');
    expect(fs.existsSync(path.join(s.reports, AS_OF, 'rejects-expulsions.csv'))).toBe(true);
  });

  it('survives SIGKILL at any point: rejects recoverable, every published set whole and stamped, no temporaries left', async () => {
    const kills: { at: number; published: boolean }[] = [];
    // Kill points spread over the job's lifetime, as long as it takes on this machine now.
    const KILLS = 16;
    for (let k = 0; k < KILLS; k++) {
      const s = scene();
      fs.writeFileSync(path.join(s.inbox, 'expulsions.csv'), EXPULSIONS_WITH_REJECTS);
      // A first complete run, so a killed second run has a set of its own day to replace.
      fs.rmSync(path.join(s.inbox, 'crossings.csv'));
      const first = await nightly(s);
      expect(first.code).toBe(5);
      const delay = Math.round((first.ms * 1.2 * (k + 0.5)) / KILLS);
      fs.copyFileSync(path.join(FIXTURES, 'e2e', 'crossings.csv'), path.join(s.inbox, 'crossings.csv'));
      fs.writeFileSync(path.join(s.inbox, 'expulsions-2.csv'), EXPULSIONS_WITH_REJECTS.replace(/X(\d)/g, 'Y$1'));
      const running = startCli(['--db', s.db, 'nightly', '--inbox', s.inbox, '--reports', s.reports, '--as-of', AS_OF]);
      await new Promise((resolve) => setTimeout(resolve, delay));
      running.child.kill('SIGKILL');
      const killed = await running.done;
      kills.push({ at: delay, published: killed.signal === null });
      // Whatever is published is one whole set.
      checkPublishedSet(path.join(s.reports, AS_OF));
      const rerun = await nightly(s);
      expect([0, 5], rerun.stderr).toContain(rerun.code);
      const set = checkPublishedSet(path.join(s.reports, AS_OF));
      expect(set.files).toContain('rejects-expulsions.csv');
      expect(set.files).toContain('rejects-expulsions-2.csv');
      const rejects = csvRecords(fs.readFileSync(path.join(s.reports, AS_OF, 'rejects-expulsions-2.csv'), 'utf8'));
      expect(rejects.slice(1).map((r) => r[3])).toEqual(['Y2', 'Y3']);
      const leftovers = fs.readdirSync(s.reports).filter((n) => n !== AS_OF);
      expect(leftovers, `after a kill at ${delay} ms`).toEqual([]);
      expect(fs.readdirSync(s.inbox).filter((n) => n.includes('.tmp'))).toEqual([]);
      const stored = peek(s.db, (db) => (db.prepare('SELECT count(*) AS n FROM import_rejects').get() as { n: number }).n);
      expect(stored).toBe(4);
    }
    const figures = { kills: kills.length, killedBeforeEnd: kills.filter((k) => !k.published).length };
    fs.mkdirSync(path.join(import.meta.dirname, '../../test-results'), { recursive: true });
    fs.writeFileSync(path.join(import.meta.dirname, '../../test-results/nightly-kills.json'), JSON.stringify({ ...figures, kills }, null, 2) + '\n');
    expect(figures.killedBeforeEnd).toBeGreaterThan(KILLS / 2);
  }, 600_000);
});

describe('the nightly lock is exclusive by construction', () => {
  it('eight processes contending for the lock never hold it at the same time', async () => {
    const lockFile = path.join(dir, 'contended.lock');
    const logFile = path.join(dir, 'contended.log');
    const lockModule = path.resolve(import.meta.dirname, '../../dist/nightly/lock.js');
    const script = `
      import fs from 'node:fs';
      const { acquireLock } = await import(${JSON.stringify(lockModule)});
      for (let i = 0; i < 5; i++) {
        const lock = await acquireLock(${JSON.stringify(lockFile)}, 60000);
        fs.appendFileSync(${JSON.stringify(logFile)}, 'enter ' + process.pid + '\\n');
        await new Promise((r) => setTimeout(r, 20));
        fs.appendFileSync(${JSON.stringify(logFile)}, 'leave ' + process.pid + '\\n');
        lock.release();
      }`;
    await Promise.all(
      Array.from({ length: 8 }, () => new Promise<void>((resolve, reject) => {
        const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: 'inherit' });
        child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`exit ${code}`))));
      })),
    );
    const lines = fs.readFileSync(logFile, 'utf8').trim().split('\n');
    expect(lines).toHaveLength(80);
    for (let i = 0; i < lines.length; i += 2) {
      const [enter, leave] = [lines[i]!.split(' '), lines[i + 1]!.split(' ')];
      expect(enter[0]).toBe('enter');
      expect(leave).toEqual(['leave', enter[1]]);
    }
  }, 120_000);
});

describe.skipIf(!IS_ROOT)('unreadable inbox files (run as nobody)', () => {
  it('a mode-000 file fails alone', async () => {
    const s = scene();
    fs.writeFileSync(path.join(s.inbox, 'crossings-secret.csv'), fs.readFileSync(path.join(FIXTURES, 'e2e', 'crossings.csv')));
    fs.chmodSync(path.join(s.inbox, 'crossings-secret.csv'), 0o000);
    execFileSync('chmod', ['-R', 'a+rwX', s.root]);
    fs.chmodSync(path.join(s.inbox, 'crossings-secret.csv'), 0o000);
    for (let d = s.root; d !== '/'; d = path.dirname(d)) fs.chmodSync(d, fs.statSync(d).mode | 0o005);
    const result = await runMeasured(['--db', s.db, 'nightly', '--inbox', s.inbox, '--reports', s.reports, '--as-of', AS_OF], { uid: 65534, gid: 65534 });
    expect(result.code, result.stderr).toBe(3);
    expect(result.stdout).toMatch(/FAILED crossings-secret\.csv: .*permission denied/);
    expect(result.stdout).toContain('4 files imported');
  });
});
