/**
 * The differential suite of issue 17: one generated year (two years of crossings,
 * malformed rows, low registration compliance, so that every rule family and every
 * kind of reject occurs) imported, audited twice and read through the CLI on an
 * SQLite file and on a PostgreSQL database. Every command must print the same bytes
 * and exit with the same code on both; only the store's own name may differ.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csvRecords, run, tempDir, type RunResult } from '../e2e/helpers.js';
import { SKIP_PG, usePgServer } from './server.js';

const DATASETS = ['crossings', 'registrations', 'permits', 'expulsions'] as const;

describe.skipIf(SKIP_PG)('the same year on SQLite and on PostgreSQL', () => {
  const pgServer = usePgServer();
  let tmp: ReturnType<typeof tempDir>;
  let data: string;
  let sqlite: string;
  let postgres: string;

  /** Runs `args` on both stores; the store's name in the output is replaced by DB. */
  async function both(args: string[]): Promise<{ sqlite: RunResult; postgres: RunResult }> {
    const onSqlite = await run(['--db', sqlite, ...args.map((a) => a.replace('{store}', 'sqlite'))]);
    const onPostgres = await run(['--db', postgres, ...args.map((a) => a.replace('{store}', 'postgres'))]);
    // Durations ("(0.2 s)", "in 1.3 s") are the one thing allowed to differ.
    const clean = (text: string, name: string): string =>
      text.split(name).join('DB').split(`${tmp.dir}/sqlite`).join('OUT').split(`${tmp.dir}/postgres`).join('OUT').replace(/\b\d+(?:\.\d+)? s\b/g, 'T s');
    const strip = (r: RunResult, name: string): RunResult => ({ code: r.code, stdout: clean(r.stdout, name), stderr: clean(r.stderr, name) });
    return { sqlite: strip(onSqlite, sqlite), postgres: strip(onPostgres, postgres) };
  }

  function expectSame(pair: { sqlite: RunResult; postgres: RunResult }, label: string): void {
    expect(pair.postgres.code, `${label}: exit code (stderr on PostgreSQL: ${pair.postgres.stderr})`).toBe(pair.sqlite.code);
    expect(pair.postgres.stdout, `${label}: stdout`).toBe(pair.sqlite.stdout);
    expect(pair.postgres.stderr, `${label}: stderr`).toBe(pair.sqlite.stderr);
  }

  beforeAll(async () => {
    tmp = tempDir('stayaudit-pg-differential-');
    data = path.join(tmp.dir, 'data');
    for (const side of ['sqlite', 'postgres']) fs.mkdirSync(path.join(tmp.dir, side));
    const generated = await run(['generate', '--persons', '2500', '--seed', '17', '--years', '2', '--malformed', '0.01', '--registration-rate', '0.6', '--out', data]);
    expect(generated.code, generated.stderr).toBe(0);
    sqlite = path.join(tmp.dir, 'store.db');
    postgres = await pgServer().database('differential');
  }, 120_000);

  afterAll(() => tmp?.cleanup());

  it('imports every dataset with the same counts, rejects and exit codes, and counts a second import of a file as duplicates', async () => {
    for (const dataset of DATASETS) {
      const pair = await both(['import', dataset, path.join(data, `${dataset}.csv`), '--rejects', path.join(tmp.dir, '{store}', `${dataset}-rejects.csv`), '--json']);
      expectSame(pair, `import ${dataset}`);
      expect(pair.sqlite.code).not.toBe(null);
      // No rejects, no file (on both).
      const rejects = (side: string) => {
        const file = path.join(tmp.dir, side, `${dataset}-rejects.csv`);
        return fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : null;
      };
      expect(rejects('postgres'), `rejects of ${dataset}`).toBe(rejects('sqlite'));
    }
    // The generator plants malformed rows: the comparison covers real rejects.
    expect(csvRecords(fs.readFileSync(path.join(tmp.dir, 'sqlite', 'crossings-rejects.csv'), 'utf8')).length).toBeGreaterThan(2);
    expectSame(await both(['import', 'crossings', path.join(data, 'crossings.csv')]), 'import crossings again (all duplicates)');
  }, 600_000);

  it('audits twice with the same totals, and the findings, violators, statistics, diff and persons read the same', async () => {
    expectSame(await both(['audit', '--as-of', '2024-06-30']), 'audit 1');
    const second = await both(['audit', '--as-of', '2024-12-31']);
    expectSame(second, 'audit 2');
    const reads: string[][] = [
      ['findings', '--format', 'csv'],
      ['findings', '--run', '1', '--format', 'json'],
      ['findings', '--rule', 'overstay', '--sort', 'days:desc,person_key', '--limit', '50', '--format', 'csv'],
      ['violators', '--format', 'csv'],
      ['violators', '--run', '1', '--format', 'ndjson'],
      ['stats', '--format', 'csv'],
      ['stats', '--by', 'month', '--format', 'json'],
      ['stats', '--by', 'checkpoint', '--format', 'csv'],
      ['stats', '--by', 'rule', '--format', 'csv'],
      ['stats', '--by', 'host', '--format', 'csv'],
      ['stats', '--run', '1', '--by', 'citizenship', '--from', '2024-03-01', '--to', '2024-06-30', '--format', 'csv'],
      ['diff', '1', '2', '--format', 'csv'],
      ['runs', '--format', 'csv', '--columns', 'run,as_of,persons,stays,findings'],
    ];
    for (const args of reads) expectSame(await both(args), args.join(' '));

    // Persons with findings of the latest run, and one without any.
    const keys = csvRecords((await run(['--db', sqlite, 'violators', '--format', 'csv', '--columns', 'person_key', '--limit', '5'])).stdout)
      .slice(1)
      .map((r) => r[0]!);
    expect(keys.length).toBe(5);
    for (const key of keys) expectSame(await both(['person', key, '--format', 'json']), `person ${key}`);
    expectSame(await both(['person', 'NO-SUCH-DOCUMENT']), 'person unknown');
  }, 900_000);

  it('prunes the same runs, and a nightly job on each store writes the same summary and reports', async () => {
    // What prune says of the space it freed is the engine's own (file bytes, or VACUUM): the rest is the same.
    const pruned = await both(['runs', 'prune', '--keep', '1']);
    expect(pruned.postgres.code).toBe(pruned.sqlite.code);
    expect(pruned.postgres.stdout).toBe(pruned.sqlite.stdout);
    const told = (r: RunResult) => r.stderr.replace(/; database .*/s, '');
    expect(told(pruned.postgres)).toBe(told(pruned.sqlite));
    expectSame(await both(['runs', '--format', 'csv', '--columns', 'run,as_of,findings']), 'runs after prune');
    const inbox = path.join(tmp.dir, 'inbox');
    fs.mkdirSync(inbox);
    fs.copyFileSync(path.join(data, 'crossings.csv'), path.join(inbox, 'crossings.csv'));
    const nightly = await both(['nightly', '--inbox', inbox, '--reports', path.join(tmp.dir, '{store}', 'reports'), '--as-of', '2025-01-15', '--no-quarantine']);
    expectSame(nightly, 'nightly');
    const dir = (side: string) => path.join(tmp.dir, side, 'reports', '2025-01-15');
    const csvs = fs.readdirSync(dir('sqlite')).filter((name) => name.endsWith('.csv')).sort();
    expect(csvs.length).toBeGreaterThan(2);
    expect(fs.readdirSync(dir('postgres')).filter((name) => name.endsWith('.csv')).sort()).toEqual(csvs);
    for (const name of csvs) expect(fs.readFileSync(path.join(dir('postgres'), name), 'utf8'), name).toBe(fs.readFileSync(path.join(dir('sqlite'), name), 'utf8'));
  }, 900_000);
});
