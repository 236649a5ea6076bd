import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { tryExclusiveLock } from '../../src/storage/exclusive-lock.js';
import { FIXTURES, parseCsv, ROOT, run, tempDir } from './helpers.js';

describe('nightly', () => {
  let dir: string;
  let cleanup: () => void;
  let inbox: string;
  let reports: string;
  let db: string;

  beforeEach(() => {
    ({ dir, cleanup } = tempDir());
    inbox = path.join(dir, 'inbox');
    reports = path.join(dir, 'reports');
    db = path.join(dir, 'audit.db');
    fs.mkdirSync(inbox);
    for (const name of ['crossings.csv', 'registrations.csv', 'permits.csv', 'expulsions.csv']) {
      // Names that do not say the dataset: it must come from the header.
      fs.copyFileSync(path.join(FIXTURES, 'e2e', name), path.join(inbox, `export-${name}`));
    }
    // Blank lines before the header, which import skips: the header still tells the dataset.
    const permits = path.join(inbox, 'export-permits.csv');
    fs.writeFileSync(permits, `\n\r\n  \n${fs.readFileSync(permits, 'utf8')}`);
  });
  afterEach(() => cleanup());

  const nightly = (...extra: string[]) => run(['--db', db, 'nightly', '--inbox', inbox, '--reports', reports, '--as-of', '2024-04-14', ...extra]);

  it('imports the inbox, audits, and writes dated reports and a summary', async () => {
    const result = await nightly();
    expect(result.code, result.stderr).toBe(0);
    const day = path.join(reports, '2024-04-14');
    expect(fs.readdirSync(day).sort()).toEqual(['findings.csv', 'manifest.json', 'report-2024-04-14.html', 'stats.csv', 'summary.txt', 'violators.csv']);
    expect(parseCsv(fs.readFileSync(path.join(day, 'violators.csv'), 'utf8')).map((r) => r['person_key'])).toEqual(['P1', 'P5', 'P3', 'P2']);
    expect(parseCsv(fs.readFileSync(path.join(day, 'findings.csv'), 'utf8'))).toHaveLength(7);
    const summary = fs.readFileSync(path.join(day, 'summary.txt'), 'utf8');
    expect(summary).toContain('violators 4');
    expect(summary).toContain('Russia (RUS): 2 violators');
    expect(summary).toContain('4 files imported');
    expect(result.stdout).toBe(summary);
  });

  it('skips files already imported, reports what changed, and exits 6 on findings when asked', async () => {
    expect((await nightly()).code).toBe(0);
    const second = await run(['--db', db, 'nightly', '--inbox', inbox, '--reports', reports, '--as-of', '2024-04-20', '--fail-on-findings']);
    expect(second.code).toBe(6);
    expect(second.stdout).toContain('0 files imported, 4 already imported');
    expect(second.stdout).toMatch(/since run 1: \d+ findings appeared, \d+ changed, \d+ disappeared/);
    const runs = await run(['--db', db, 'runs', '--format', 'csv']);
    expect(parseCsv(runs.stdout)).toHaveLength(2);
  });

  it('refuses to run while another nightly job holds the lock (exit 7), and runs once it is released', async () => {
    const held = tryExclusiveLock(`${db}.nightly-lock`);
    expect(held).not.toBeNull();
    const result = await nightly();
    expect(result.code).toBe(7);
    expect(result.stderr).toContain('another nightly job is running');
    held!.release();
    expect((await nightly()).code).toBe(0);
  });

  it('a job killed while holding the lock holds nothing: the next one runs', async () => {
    const lockModule = path.join(ROOT, 'dist', 'storage', 'exclusive-lock.js');
    const child = spawn(process.execPath, ['--input-type=module', '-e', `const m = await import(${JSON.stringify(lockModule)}); m.tryExclusiveLock(${JSON.stringify(`${db}.nightly-lock`)}); console.log('held'); setInterval(() => {}, 1000);`], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
    expect((await nightly()).code).toBe(7);
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));
    const result = await nightly();
    expect(result.code, result.stderr).toBe(0);
  });

  it('two nightly jobs at once: one runs, the other waits with --wait and then finds nothing new', async () => {
    const [a, b] = await Promise.all([nightly('--wait', '60'), nightly('--wait', '60')]);
    expect([a.code, b.code]).toEqual([0, 0]);
    const imported = [a.stdout, b.stdout].map((s) => /(\d+) files? imported/.exec(s)![1]).sort();
    expect(imported).toEqual(['0', '4']);
  });

  it('a broken inbox file fails alone: the others are imported and the exit code is 3', async () => {
    fs.writeFileSync(path.join(inbox, 'crossings-broken.csv'), Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00]));
    const result = await nightly();
    expect(result.code).toBe(3);
    expect(result.stdout).toContain('FAILED crossings-broken.csv');
    expect(result.stdout).toContain('4 files imported');
  });
});
