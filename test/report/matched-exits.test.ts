import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openConnection } from '../../src/storage/database.js';
import { FINDING_DETAIL_KEYS, MIGRATIONS } from '../../src/storage/schema.js';
import { run, tempDir, writeCsv } from '../e2e/helpers.js';
import { ok } from './helpers.js';

const HEADER = 'person_id,document_no,citizenship,surname,given_names,birth_date,sex,direction,crossed_at,checkpoint';

/**
 * Hand-computed (period 2024, entries by their day, an exit counts when recorded by the as-of date):
 * - P1 RUS in 01-10 ALA, out 01-20: matched.
 * - P2 RUS in 02-01 KORDAI, no exit: not matched.
 * - P3 UZB in 03-01 ALA, out 03-05: matched; in 04-01 ALA, out 12-30: matched as of 12-31 only.
 * - P4 UZB in 05-01 KORDAI, in 05-10 KORDAI (missing exit: the first stay is unresolved), out 05-20: one of two matched.
 * - P5 KGZ in 2023-12-20, out 2024-01-05 (entry before the period), and an orphan exit 02-01: no entry in 2024.
 * As of 12-31: RUS 1/2, UZB 3/4, KGZ 0/0, total 4/6. As of 06-30: UZB 2/4, total 3/6.
 */
const CROSSINGS = [
  HEADER,
  'P1,D1,RUS,ONE,A,1980-01-01,M,IN,2024-01-10 08:00,ALA-AIRPORT',
  'P1,D1,RUS,ONE,A,1980-01-01,M,OUT,2024-01-20 08:00,ALA-AIRPORT',
  'P2,D2,RUS,TWO,B,1981-01-01,F,IN,2024-02-01 08:00,KORDAI',
  'P3,D3,UZB,THREE,C,1982-01-01,F,IN,2024-03-01 08:00,ALA-AIRPORT',
  'P3,D3,UZB,THREE,C,1982-01-01,F,OUT,2024-03-05 08:00,ALA-AIRPORT',
  'P3,D3,UZB,THREE,C,1982-01-01,F,IN,2024-04-01 08:00,ALA-AIRPORT',
  'P3,D3,UZB,THREE,C,1982-01-01,F,OUT,2024-12-30 08:00,ALA-AIRPORT',
  'P4,D4,UZB,FOUR,D,1983-01-01,M,IN,2024-05-01 08:00,KORDAI',
  'P4,D4,UZB,FOUR,D,1983-01-01,M,IN,2024-05-10 08:00,KORDAI',
  'P4,D4,UZB,FOUR,D,1983-01-01,M,OUT,2024-05-20 08:00,KORDAI',
  'P5,D5,KGZ,FIVE,E,1984-01-01,M,IN,2023-12-20 08:00,KORDAI',
  'P5,D5,KGZ,FIVE,E,1984-01-01,M,OUT,2024-01-05 08:00,KORDAI',
  'P5,D5,KGZ,FIVE,E,1984-01-01,M,OUT,2024-02-01 08:00,KORDAI',
];

type Rows = Record<string, string | number | null>[];

describe('entries with a matched exit', () => {
  let dir: string;
  let cleanup: () => void;
  let db: string;
  const cli = (...args: string[]) => run(['--db', db, ...args], { cwd: dir });
  const stats = async (...args: string[]): Promise<Map<string, Record<string, string | number | null>>> => {
    const rows = (JSON.parse(ok(await cli('stats', '--format', 'json', ...args)).stdout) as { rows: Rows }).rows;
    return new Map(rows.map((r) => [String(Object.values(r)[0]), r]));
  };

  beforeAll(async () => {
    ({ dir, cleanup } = tempDir('stayaudit-matched-'));
    db = path.join(dir, 'audit.db');
    ok(await run(['--db', db, 'import', 'crossings', writeCsv(dir, 'crossings.csv', CROSSINGS)]));
    ok(await cli('audit', '--as-of', '2024-06-30'));
    ok(await cli('audit', '--as-of', '2024-12-31'));
  });
  afterAll(() => cleanup());

  it('counts them per nationality and in total, as of the run (hand-computed)', async () => {
    const late = await stats('--run', '2');
    const pick = (row: Record<string, unknown> | undefined) => [row?.['entries'], row?.['entries_with_exit'], row?.['exit_match_pct']];
    expect(pick(late.get('RUS'))).toEqual([2, 1, 50]);
    expect(pick(late.get('UZB'))).toEqual([4, 3, 75]);
    expect(pick(late.get('KGZ'))).toEqual([0, 0, null]);
    expect(pick(late.get('TOTAL'))).toEqual([6, 4, 66.667]);
    const early = await stats('--run', '1');
    expect(pick(early.get('UZB'))).toEqual([4, 2, 50]);
    expect(pick(early.get('TOTAL'))).toEqual([6, 3, 50]);
  });

  it('splits them by month and checkpoint of entry, and not by rule', async () => {
    const months = await stats('--run', '2', '--by', 'month');
    expect(['2024-01', '2024-02', '2024-03', '2024-04', '2024-05'].map((m) => months.get(m)?.['entries_with_exit'])).toEqual([1, 0, 1, 1, 1]);
    expect(months.get('2024-05')?.['entries']).toBe(2);
    const checkpoints = await stats('--run', '2', '--by', 'checkpoint');
    expect(checkpoints.get('ALA-AIRPORT')?.['entries_with_exit']).toBe(3);
    expect(checkpoints.get('KORDAI')?.['entries_with_exit']).toBe(1);
    const rules = await stats('--run', '2', '--by', 'rule');
    for (const [key, row] of rules) expect(row['entries_with_exit'], key).toBe(key === 'TOTAL' ? 4 : null);
  });

  it('comes last in the CSV, after the stamp columns', async () => {
    const header = ok(await cli('stats', '--format', 'csv')).stdout.split('\n')[0]!;
    expect(header.endsWith(',ruleset,entries_with_exit,exit_match_pct')).toBe(true);
  });

  it('is shown in the report’s data quality, in every language', async () => {
    const expected = { en: /66\.67\s?% of entries have a matched exit: 4 of the 6 entries/, ru: /66,67\s?% въездов имеют сопоставленный выезд: у 4 из 6 въездов/, kk: /Кірулердің 66,67\s?% сәйкес шығуы бар: кезеңдегі 6 кірудің 4 шығуы/ };
    for (const [lang, pattern] of Object.entries(expected)) {
      const file = path.join(dir, `r-${lang}.html`);
      ok(await cli('report', '--lang', lang, '--output', file));
      const quality = /<section id="quality">[\s\S]*?<\/section>/.exec(fs.readFileSync(file, 'utf8'))![0];
      expect(quality.replace(/\u00a0|\u202f/g, ' '), lang).toMatch(pattern);
      expect(quality).toMatch(/<table class="matched-exits">[\s\S]*?UZB\)<\/th><td class="num">4<\/td><td class="num">3<\/td>/);
    }
  });
});

describe('a database at schema version 5', () => {
  it('upgrades: import_rejections goes, old runs keep their figures and say the matched share is unknown', async () => {
    const { dir, cleanup } = tempDir('stayaudit-v5-');
    try {
      // A database written by the previous stayaudit: migrations 1..5, one import and one run.
      const file = path.join(dir, 'old.db');
      const current = path.join(dir, 'current.db');
      ok(await run(['--db', current, 'import', 'crossings', writeCsv(dir, 'crossings.csv', CROSSINGS)]));
      ok(await run(['--db', current, 'audit', '--as-of', '2024-12-31']));
      const before = JSON.parse(ok(await run(['--db', current, 'stats', '--format', 'json'])).stdout) as { rows: Rows };

      // Rebuild it as version 5 wrote it: migrations 1..5 on an empty file, then every
      // table copied from the current one, the three that changed since in their old shape.
      const Database = (await import('better-sqlite3')).default;
      const raw = new Database(file);
      for (const sql of MIGRATIONS.slice(0, 5)) raw.exec(sql);
      raw.exec(`ATTACH DATABASE '${current.replaceAll("'", "''")}' AS cur`);
      const tables = (schema: string) =>
        raw.prepare(`SELECT name FROM ${schema}.sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`).pluck().all() as string[];
      const changed = new Set(['run_crossing_days', 'finding_rows', 'finding_details']);
      raw.exec('DELETE FROM meta');
      for (const table of tables('main')) {
        if (!changed.has(table) && tables('cur').includes(table)) raw.exec(`INSERT INTO main.${table} SELECT * FROM cur.${table}`);
      }
      const decode = FINDING_DETAIL_KEYS.reduce((sql, key, i) => `replace(${sql}, char(${i + 1}), '${key}')`, 'detail');
      raw.exec(`
        INSERT INTO main.run_crossing_days SELECT run_id, citizenship, checkpoint, day, entries, exits FROM cur.run_crossing_days;
        INSERT INTO main.finding_details SELECT id, hash, first_run, last_run, ${decode} FROM cur.finding_details;
        INSERT INTO main.finding_rows
          SELECT run_id, id, person_key, (SELECT word FROM cur.finding_words w WHERE w.id = f.citizenship), rule, regime, entry_day,
                 exit_delta + coalesce(first_delta + coalesce(entry_day, 0), 0) + days - 1,
                 first_delta + coalesce(entry_day, 0),
                 last_lawful_delta + coalesce(first_delta + coalesce(entry_day, 0), 0) - 1,
                 days, status, entry_checkpoint, host_id, detail
          FROM cur.finding_rows f;
        INSERT INTO import_rejections VALUES (1, 'x', 1, 2);
        PRAGMA user_version = 5;`);
      raw.exec('DETACH DATABASE cur');
      raw.close();

      const upgraded = openConnection(file);
      expect(upgraded.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
      expect(upgraded.prepare("SELECT count(*) AS n FROM sqlite_schema WHERE name = 'import_rejections'").get()).toEqual({ n: 0 });
      upgraded.close();

      const after = JSON.parse(ok(await run(['--db', file, 'stats', '--format', 'json'])).stdout) as { rows: Rows };
      const without = (rows: Rows) => rows.map(({ entries_with_exit: _a, exit_match_pct: _b, ...rest }) => rest);
      expect(without(after.rows)).toEqual(without(before.rows));
      expect(after.rows.every((r) => r['entries_with_exit'] === null && r['exit_match_pct'] === null)).toBe(true);
      const report = path.join(dir, 'old.html');
      ok(await run(['--db', file, 'report', '--lang', 'en', '--output', report]));
      expect(fs.readFileSync(report, 'utf8')).toContain('The share of entries with a matched exit is not known for this run');
    } finally {
      cleanup();
    }
  });
});
