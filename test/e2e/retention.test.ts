import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FIXTURES, importScenario, parseCsv, run, tempDir } from './helpers.js';

describe('retention: runs prune and nightly --keep-runs', () => {
  let dir: string;
  let cleanup: () => void;
  let db: string;

  beforeEach(() => {
    ({ dir, cleanup } = tempDir());
    db = path.join(dir, 'audit.db');
  });
  afterEach(() => cleanup());

  const runIds = async (): Promise<string[]> => parseCsv((await run(['--db', db, 'runs', '--format', 'csv'])).stdout).map((r) => r['run']!);

  it('runs prune --keep keeps the newest runs; the data and the latest reports are untouched', async () => {
    await importScenario(db);
    for (const asOf of ['2024-04-10', '2024-04-12', '2024-04-14']) expect((await run(['--db', db, 'audit', '--as-of', asOf])).code).toBe(0);
    const findingsBefore = (await run(['--db', db, 'findings', '--format', 'csv'])).stdout;
    const crossingsBefore = (await run(['--db', db, 'query', 'SELECT count(*) AS n FROM crossings', '--format', 'csv'])).stdout;

    const dry = await run(['--db', db, 'runs', 'prune', '--keep', '1', '--dry-run']);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stderr).toContain('would prune 2 run(s) (1, 2)');
    expect(await runIds()).toEqual(['1', '2', '3']);

    const pruned = await run(['--db', db, 'runs', 'prune', '--keep', '1', '--json']);
    expect(pruned.code, pruned.stderr).toBe(0);
    const json = JSON.parse(pruned.stdout) as { pruned: { id: number }[]; kept: number };
    expect(json.pruned.map((r) => r.id)).toEqual([1, 2]);
    expect(json.kept).toBe(1);
    expect(await runIds()).toEqual(['3']);
    expect((await run(['--db', db, 'findings', '--format', 'csv'])).stdout).toBe(findingsBefore);
    expect((await run(['--db', db, 'query', 'SELECT count(*) AS n FROM crossings', '--format', 'csv'])).stdout).toBe(crossingsBefore);
    const gone = await run(['--db', db, 'findings', '--run', '1']);
    expect(gone.code).toBe(2);
  });

  it('runs prune --before removes runs as of an earlier day', async () => {
    await importScenario(db);
    for (const asOf of ['2024-04-14', '2024-03-01', '2024-04-20']) expect((await run(['--db', db, 'audit', '--as-of', asOf])).code).toBe(0);
    const result = await run(['--db', db, 'runs', 'prune', '--before', '2024-04-14']);
    expect(result.code, result.stderr).toBe(0);
    expect(await runIds()).toEqual(['1', '3']);
  });

  it('runs prune without a criterion, with --keep 0 or a bad date is a usage error; a missing database is not created', async () => {
    for (const args of [[], ['--keep', '0'], ['--keep', 'x'], ['--before', '2024-02-30']]) {
      const result = await run(['--db', db, 'runs', 'prune', ...args]);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr).toMatch(/^error: /);
    }
    const missing = await run(['--db', db, 'runs', 'prune', '--keep', '3']);
    expect(missing.code).toBe(4);
    expect(fs.existsSync(db)).toBe(false);
  });

  it('nightly --keep-runs N keeps N runs after writing the reports (and its diff still sees the previous run)', async () => {
    const inbox = path.join(dir, 'inbox');
    const reports = path.join(dir, 'reports');
    fs.mkdirSync(inbox);
    for (const name of ['crossings.csv', 'registrations.csv', 'permits.csv', 'expulsions.csv']) fs.copyFileSync(path.join(FIXTURES, 'e2e', name), path.join(inbox, name));
    const nightly = (asOf: string) => run(['--db', db, 'nightly', '--inbox', inbox, '--reports', reports, '--as-of', asOf, '--keep-runs', '2']);
    for (const asOf of ['2024-04-12', '2024-04-13']) expect((await nightly(asOf)).code).toBe(0);
    expect(await runIds()).toEqual(['1', '2']);
    const third = await nightly('2024-04-14');
    expect(third.code, third.stderr).toBe(0);
    expect(third.stdout).toMatch(/since run 2: /);
    expect(third.stderr).toContain('pruned 1 run(s) (1)');
    expect(await runIds()).toEqual(['2', '3']);
    const bad = await run(['--db', db, 'nightly', '--inbox', inbox, '--reports', reports, '--keep-runs', '0']);
    expect(bad.code).toBe(2);
  });
});
