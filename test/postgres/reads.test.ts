/**
 * The read side on PostgreSQL (issue 17): a generated year and the demo year, imported
 * and audited twice into SQLite and copied into PostgreSQL with `stayaudit copy`, give
 * byte-identical stdout and the same exit code for every reading command on both
 * stores; `runs prune` leaves the same runs and findings; `query` refuses writes and
 * the meta table and honours --timeout; a reader sees one snapshot.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { FIXTURES, run, tempDir } from '../e2e/helpers.js';
import { openReadStore, storeAddress } from '../../src/storage/reads/index.js';
import { SKIP_PG, usePgServer } from './server.js';

const DATASETS = ['crossings', 'registrations', 'permits', 'expulsions'] as const;

// Each test runs dozens of commands on both stores: minutes on a loaded machine.
describe.skipIf(SKIP_PG)('reading commands on PostgreSQL answer as on SQLite', { timeout: 300_000 }, () => {
  let tmp: ReturnType<typeof tempDir>;
  let sqlite: string;
  let url: string;
  let crafted: { person_key: string };
  const pgServer = usePgServer(async (server) => {
    tmp = tempDir('stayaudit-pg-reads-');
    sqlite = path.join(tmp.dir, 'store.db');
    const data = path.join(tmp.dir, 'data');
    const generated = await run(['generate', '--persons', '3000', '--seed', '3', '--out', data]);
    expect(generated.code, generated.stderr).toBe(0);
    // The generated 2024 and the demo 2022 (expulsions, ban breaches, scripted violators), with their rejects.
    for (const dataset of DATASETS) {
      for (const file of [path.join(data, `${dataset}.csv`), path.join(FIXTURES, 'demo', `${dataset}.csv`)]) {
        const imported = await run(['--db', sqlite, 'import', dataset, file]);
        expect([0, 5], imported.stderr).toContain(imported.code);
      }
    }
    for (const asOf of ['2022-12-31', '2024-06-30', '2024-12-31']) {
      const audited = await run(['--db', sqlite, 'audit', '--as-of', asOf]);
      expect(audited.code, audited.stderr).toBe(0);
    }
    // A violator with two own offences of different rules and citizenships, the later
    // one (by id) alphabetically first: group_concat(DISTINCT) lists them as SQLite
    // reads the person's findings, which PostgreSQL's form must reproduce.
    const db = new Database(sqlite);
    const word = (w: string): number => (db.prepare('SELECT id FROM finding_words WHERE word = ?').get(w) as { id: number }).id;
    const first = db.prepare(`SELECT min(w.word) AS word FROM finding_rows f JOIN finding_words w ON w.id = f.citizenship`).get() as { word: string };
    const target = db
      .prepare(`SELECT f.id FROM findings f WHERE run_id = 3 AND rule = 'stay-limit' AND citizenship <> ? ORDER BY id LIMIT 1`)
      .get(first.word) as { id: number };
    db.prepare(
      `INSERT INTO finding_rows (run_id, id, person_key, citizenship, rule, regime, entry_day, exit_delta, first_delta, last_lawful_delta, days, status, entry_checkpoint, host_id, detail)
       SELECT run_id, (SELECT max(id) + 1 FROM finding_rows WHERE run_id = 3), person_key, ?, ?, regime, entry_day + 1, exit_delta, first_delta, last_lawful_delta, days, status, entry_checkpoint, host_id, detail
       FROM finding_rows WHERE run_id = 3 AND id = ?`,
    ).run(word(first.word), word('ban-breach'), target.id);
    crafted = db.prepare('SELECT person_key FROM finding_rows WHERE run_id = 3 AND id = ?').get(target.id) as { person_key: string };
    db.close();
    url = await server.database('reads');
    const copied = await run(['copy', '--from', sqlite, '--to', url]);
    expect(copied.code, copied.stderr).toBe(0);
  });
  afterAll(() => tmp?.cleanup());

  /** Runs the command on both stores: the same stdout and exit code; returns SQLite's result. */
  async function same(args: readonly string[]): Promise<{ stdout: string; code: number }> {
    pgServer();
    const [a, b] = await Promise.all([run(['--db', sqlite, ...args]), run(['--db', url, ...args])]);
    expect(b.code, `${args.join(' ')}: ${b.stderr}`).toBe(a.code);
    expect(b.stdout, args.join(' ')).toBe(a.stdout);
    if (a.code !== 0) expect(b.stderr.split('\n')[0], args.join(' ')).toBe(a.stderr.split('\n')[0]);
    return a;
  }

  it('findings: every format, filters, sort and limit', async () => {
    for (const format of ['csv', 'json', 'ndjson', 'table']) expect((await same(['findings', '--format', format])).stdout.split('\n').length).toBeGreaterThan(300);
    for (const flags of [
      ['--run', '2', '--rule', 'unregistered,late-registration', '--citizenship', 'RUS,UZB,CHN'],
      ['--status', 'in-country', '--min-days', '5'],
      ['--from', '2024-03-01', '--to', '2024-09-30', '--entry-from', '2024-02-01'],
      ['--address', 'almaty'],
      ['--region', 'ALMATY,Астана'],
      ['--checkpoint', 'ala-airport', '--host', 'nobody'],
      ['--sort', 'days:desc,citizenship', '--limit', '40'],
      ['--sort', 'exit_date', '--columns', 'person_key,rule,exit_date'],
      ['--mask'],
    ]) {
      await same(['findings', ...flags, '--format', 'csv']);
    }
    // A run that does not exist: the same usage error.
    expect((await same(['findings', '--run', '99'])).code).toBe(2);
  });

  it('violators: every format, filters, sort and limit, --mask', async () => {
    for (const format of ['csv', 'json', 'table']) expect((await same(['violators', '--format', format])).stdout.split('\n').length).toBeGreaterThan(8);
    // The crafted violator: both rules and both citizenships, in the order SQLite lists them.
    const row = (await same(['violators', '--format', 'json'])).stdout;
    const mine = (JSON.parse(row) as { rows: { person_key: string; rules: string; citizenship: string }[] }).rows.find((r) => r.person_key === crafted.person_key)!;
    expect(mine.rules).toBe('stay-limit,ban-breach');
    expect(mine.citizenship.split(',')).toHaveLength(2);
    for (const flags of [['--run', '1'], ['--limit', '3'], ['--sort', 'citizenship,days_over:desc'], ['--rule', 'stay-limit'], ['--mask'], ['--address', 'a']]) {
      await same(['violators', ...flags, '--format', 'csv']);
    }
  });

  it('diff: the latest pair, named runs, --all, filters and sort', async () => {
    for (const format of ['csv', 'json', 'table']) expect((await same(['diff', '--format', format])).stdout.split('\n').length).toBeGreaterThan(50);
    for (const args of [['1', '3', '--all'], ['3', '2'], ['--all', '--rule', 'unregistered'], ['--sort', 'days_b:desc', '--limit', '30'], ['--citizenship', 'CHN', '--all']]) {
      await same(['diff', ...args, '--format', 'csv']);
    }
    expect((await same(['diff', '7', '8'])).code).toBe(2);
  });

  it('stats: every grouping, periods, formats', async () => {
    for (const by of ['citizenship', 'month', 'checkpoint', 'rule', 'host']) {
      for (const format of ['csv', 'json']) await same(['stats', '--by', by, '--format', format]);
    }
    await same(['stats', '--format', 'table']);
    await same(['stats', '--from', '2024-03-05', '--to', '2024-09-20', '--by', 'month', '--format', 'csv']);
    await same(['stats', '--run', '1', '--format', 'csv']);
    await same(['stats', '--run', '2', '--from', '2024-01-01', '--to', '2024-12-31', '--by', 'checkpoint', '--format', 'csv']);
    await same(['stats', '--citizenship', 'RUS,UZB', '--format', 'csv']);
    expect((await same(['stats', '--from', '2024-05-01', '--to', '2024-04-01'])).code).toBe(2);
  });

  it('runs, the HTML report and query: the same text', async () => {
    await same(['runs', '--format', 'csv']);
    await same(['runs', '--format', 'json']);
    for (const args of [[], ['--run', '2', '--lang', 'en', '--violators', '10', '--no-mask'], ['--from', '2024-04-01', '--to', '2024-05-31', '--lang', 'kk']]) {
      expect((await same(['report', '-o', '-', ...args])).stdout).toContain('<html');
    }
    for (const sql of [
      'SELECT rule, count(*) AS n, sum(days) AS days FROM findings GROUP BY rule ORDER BY rule',
      'SELECT * FROM stays ORDER BY person_key, entry_date LIMIT 2500',
      "SELECT person_key, surname FROM persons WHERE citizenship = :c ORDER BY person_key",
    ]) {
      for (const format of ['csv', 'json']) await same(['query', sql, '--param', 'c=RUS', '--format', format]);
    }
  });

  it('person: the same explanation on both, for persons with findings and without, as JSON and as text', async () => {
    pgServer();
    const keys = (await run(['--db', sqlite, 'query', 'SELECT DISTINCT person_key FROM findings ORDER BY person_key LIMIT 4', '--format', 'csv', '--no-headers'])).stdout.trim().split('\n');
    const clean = (await run(['--db', sqlite, 'query', 'SELECT person_key FROM persons WHERE person_key NOT IN (SELECT person_key FROM findings) ORDER BY person_key LIMIT 1', '--format', 'csv', '--no-headers'])).stdout.trim();
    expect(keys.length).toBe(4);
    for (const key of [...keys, clean]) {
      expect((await same(['person', key, '--format', 'json'])).code).toBe(0);
      await same(['person', key, '--run', '1']);
    }
    // An unknown person is the same error on both.
    expect((await same(['person', 'NOBODY-AT-ALL'])).code).toBe(2);
  });

  it('query refuses writes and the meta table (exit 2), and cancels a statement past --timeout', async () => {
    pgServer();
    for (const sql of ['DELETE FROM runs', 'WITH x AS (DELETE FROM runs RETURNING id) SELECT * FROM x', 'UPDATE runs SET as_of = as_of', 'CREATE TABLE t (x int)', 'SELECT nextval(\'runs_id_seq\')']) {
      const r = await run(['--db', url, 'query', sql]);
      expect(r.code, `${sql}: ${r.stderr}`).toBe(2);
      expect(r.stdout).toBe('');
    }
    for (const sql of ['SELECT * FROM meta', 'SELECT * FROM (SELECT value FROM public.META) q', "SELECT query_to_xml('select * from meta', true, true, '')"]) {
      const r = await run(['--db', url, 'query', sql]);
      expect(r.code, sql).toBe(2);
      expect(r.stderr).toMatch(/meta table|functions that run SQL/);
    }
    expect((await run(['--db', url, 'runs', '--format', 'csv'])).stdout.split('\n')).toHaveLength(5);
    const started = Date.now();
    const slow = await run(['--db', url, 'query', 'SELECT pg_sleep(30)', '--timeout', '1']);
    expect(slow.code).toBe(2);
    expect(slow.stderr).toContain('ran longer than 1 s (--timeout) and was cancelled');
    expect(Date.now() - started).toBeLessThan(15_000);
    expect((await run(['--db', url, 'query', 'SELECT pg_sleep(0.2) AS slept', '--timeout', '5', '--format', 'csv'])).code).toBe(0);
  });

  it('a reader sees one snapshot: rows deleted while a listing streams are still listed', async () => {
    const server = pgServer();
    const mine = await server.database('snap');
    expect((await run(['copy', '--from', sqlite, '--to', mine])).code).toBe(0);
    const store = await openReadStore(storeAddress(mine, {}, tmp.dir));
    try {
      const total = (await store.one<{ n: number }>('SELECT count(*) AS n FROM crossings'))!.n;
      expect(total).toBeGreaterThan(3000);
      let seen = 0;
      let batches = 0;
      for await (const batch of store.batches<{ person_key: string }>('SELECT person_key FROM crossings WHERE crossed_at >= ? ORDER BY person_key', [''])) {
        if (batches++ === 0) await server.sql(mine, 'DELETE FROM crossings');
        seen += batch.length;
      }
      expect(batches).toBeGreaterThan(3);
      expect(seen).toBe(total);
      expect((await store.one<{ n: number }>('SELECT count(*) AS n FROM crossings'))!.n).toBe(0);
      // A snapshot over several reads: a run deleted in between is still there for it.
      const counts = await store.snapshot(async () => {
        const before = (await store.one<{ n: number }>('SELECT count(*) AS n FROM runs'))!.n;
        await server.sql(mine, 'DELETE FROM runs WHERE id = 1');
        const after = (await store.one<{ n: number }>('SELECT count(*) AS n FROM runs'))!.n;
        return [before, after];
      });
      expect(counts).toEqual([3, 3]);
      expect((await store.one<{ n: number }>('SELECT count(*) AS n FROM runs'))!.n).toBe(2);
    } finally {
      await store.close();
    }
  });

  it('runs prune leaves the same runs and findings on both stores', async () => {
    const server = pgServer();
    const file = path.join(tmp.dir, 'prune.db');
    fs.copyFileSync(sqlite, file);
    const target = await server.database('prune');
    expect((await run(['copy', '--from', file, '--to', target])).code).toBe(0);
    for (const args of [['--keep', '2', '--dry-run'], ['--keep', '2'], ['--before', '2024-07-01'], ['--keep', '1', '--json'], ['--before', '2030-01-01', '--vacuum', '--json']]) {
      const [a, b] = await Promise.all([run(['--db', file, 'runs', 'prune', ...args]), run(['--db', target, 'runs', 'prune', ...args])]);
      expect(b.code, `${args.join(' ')}: ${b.stderr}`).toBe(a.code);
      const pruned = (text: string): unknown => (args.includes('--json') ? (JSON.parse(text) as { pruned: unknown }).pruned : text);
      expect(pruned(b.stdout), args.join(' ')).toEqual(pruned(a.stdout));
      if (!args.includes('--json')) expect(b.stderr.split(';')[0]).toBe(a.stderr.split(';')[0]);
      const sql = 'SELECT run_id, id, person_key, rule, detail FROM findings ORDER BY run_id, id';
      const [ra, rb, fa, fb] = await Promise.all([
        run(['--db', file, 'runs', '--format', 'csv']),
        run(['--db', target, 'runs', '--format', 'csv']),
        run(['--db', file, 'query', sql, '--format', 'csv']),
        run(['--db', target, 'query', sql, '--format', 'csv']),
      ]);
      expect(rb.stdout).toBe(ra.stdout);
      expect(fb.stdout).toBe(fa.stdout);
    }
    expect((await run(['--db', target, 'runs', '--format', 'csv'])).stdout.trim().split('\n')).toHaveLength(1);
    const stored = await server.sql<{ n: string }>(target, 'SELECT (SELECT count(*) FROM finding_rows) + (SELECT count(*) FROM finding_details) + (SELECT count(*) FROM run_crossing_days) AS n');
    expect(stored[0]!.n).toBe('0');
  });
});
