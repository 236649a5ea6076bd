import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { runQuery } from '../../src/reports/query.js';
import { openConnection } from '../../src/storage/database.js';
import { collectRows } from '../../src/reports/render.js';
import { SqliteReadStore as ReadStore } from '../../src/storage/read-store.js';
import { csvRecords, FIXTURES, run, tempDir, type RunResult } from './helpers.js';

/**
 * The query guard (issues 13 and 19): the meta table (the key of the --mask
 * pseudonyms) cannot be read however it is spelt or wherever it hides, statements with
 * RETURNING are refused as writes (exit 2), not left to fail on the read-only
 * connection (exit 4), and a column alias cannot smuggle a formula into a CSV header.
 * The many spellings are run in-process through runQuery (cheap); a few of each kind
 * also through the binary, for the exit code and an empty stdout.
 */

let dir: string;
let cleanup: () => void;
let db: string;
let secret: string;

const sha = (file: string): string => createHash('sha256').update(fs.readFileSync(file)).digest('hex');
const query = (sql: string, ...flags: string[]): Promise<RunResult> => run(['--db', db, 'query', ...flags, '--', sql]);

beforeAll(async () => {
  ({ dir, cleanup } = tempDir('stayaudit-qguard-'));
  db = path.join(dir, 'audit.db');
  // The crossings alone make the tables and a run with findings (P1, P3 and P4 over the cap, P4's permit not imported).
  const imported = await run(['--db', db, 'import', 'crossings', path.join(FIXTURES, 'e2e', 'crossings.csv')]);
  expect(imported.code, imported.stderr).toBe(0);
  const audit = await run(['--db', db, 'audit', '--as-of', '2024-04-14']);
  expect(audit.code, audit.stderr).toBe(0);
  const look = new Database(db, { readonly: true });
  secret = (look.prepare(`SELECT value FROM meta WHERE key = 'mask_secret'`).get() as { value: string }).value;
  look.close();
  expect(secret).toMatch(/^[0-9a-f]{32}$/);
});
afterAll(() => cleanup());

interface Outcome {
  /** The exit code the error maps to; 0 when the statement ran. */
  code: number;
  message: string;
  output: string;
}

/** Runs each statement through runQuery on a read-only connection, rows and all. */
async function outcomes(statements: readonly string[]): Promise<Map<string, Outcome>> {
  const store = new ReadStore(openConnection(db, { readonly: true }), db);
  const result = new Map<string, Outcome>();
  try {
    for (const sql of statements) {
      try {
        const listing = await runQuery(store, sql, {});
        result.set(sql, { code: 0, message: '', output: JSON.stringify([listing.columns, ...(await collectRows(listing.rows))]) });
      } catch (error) {
        const code = error instanceof UsageError ? error.exitCode : (error as { exitCode?: number }).exitCode ?? 1;
        result.set(sql, { code, message: (error as Error).message, output: '' });
      }
    }
  } finally {
    await store.close();
  }
  return result;
}

/** The statements whose outcome is not what `expected` says, with what happened. */
async function unexpected(statements: readonly string[], expected: (o: Outcome) => boolean): Promise<string[]> {
  return [...(await outcomes(statements))].filter(([, o]) => !expected(o) || o.message.includes(secret)).map(([sql, o]) => `${JSON.stringify(sql)}: ${o.code} ${o.message}${o.output.slice(0, 100)}`);
}

const META_REFUSED = /^query cannot read the internal meta table/;
const refusedAsMeta = (o: Outcome): boolean => o.code === 2 && META_REFUSED.test(o.message);
const WRITE_REFUSED = /^query runs reading statements only/;

describe('query never reads the meta table', () => {
  it('refuses it in any case, schema-qualified or quoted', async () => {
    const spellings = [
      'SELECT key, length(value) FROM META',
      'SELECT key, length(value) FROM meta',
      'SELECT * FROM Meta',
      'SELECT * FROM mEtA',
      'SELECT * FROM main.meta',
      'SELECT * FROM MAIN.META',
      'SELECT * FROM "meta"',
      'SELECT * FROM "MeTa"',
      'SELECT * FROM main."meta"',
      '  SELECT * FROM "main"."Meta"',
      'SELECT * FROM [META]',
      'SELECT * FROM `meta`',
      "SELECT * FROM meta AS m WHERE m.key LIKE 'mask%'",
    ];
    expect(await unexpected(spellings, refusedAsMeta)).toEqual([]);
  });

  it('refuses it behind comments, string literals, subqueries, CTEs and joins (judged by what the statement reads, not its text)', async () => {
    const hidden = [
      "SELECT '--', * FROM meta",
      "SELECT '/*', * FROM meta -- */",
      "SELECT '*/' AS a, value FROM /* 'x */ meta",
      'SELECT value FROM meta /* unterminated comment',
      '/* leading */ -- line\n;; SELECT * FROM meta',
      'SELECT (SELECT value FROM meta) AS v',
      'WITH m AS (SELECT * FROM meta) SELECT * FROM m',
      'WITH RECURSIVE m(v) AS (SELECT value FROM meta) SELECT v FROM m',
      'SELECT p.person_key, m.value FROM persons p JOIN meta m ON 1',
      'SELECT value FROM meta WHERE 0',
      "SELECT 1 WHERE EXISTS (SELECT 1 FROM meta WHERE value LIKE 'a%')",
      'SELECT count(*) FROM meta',
      'VALUES ((SELECT value FROM meta))',
      'SELECT person_key, citizenship FROM persons UNION ALL SELECT key, value FROM meta',
    ];
    expect(await unexpected(hidden, refusedAsMeta)).toEqual([]);
  });

  it('statements that merely mention meta, and EXPLAIN of one that reads it, run (no secret in them)', async () => {
    const allowed = ["SELECT 'meta' AS meta", 'SELECT 1 AS "META"', "SELECT count(*) AS n FROM persons WHERE surname = 'meta' -- FROM meta", 'EXPLAIN SELECT * FROM meta', "SELECT name FROM sqlite_schema WHERE name = 'meta'"];
    expect(await unexpected(allowed, (o) => o.code === 0 && o.output.length > 0 && !o.output.includes(secret))).toEqual([]);
    expect((await outcomes(["SELECT 'meta' AS meta"])).get("SELECT 'meta' AS meta")!.output).toBe('[["meta"],{"meta":"meta"}]');
  });

  it('with bound parameters the program is judged the same way', async () => {
    const store = new ReadStore(openConnection(db, { readonly: true }), db);
    try {
      await expect(runQuery(store, 'SELECT value FROM meta WHERE key = :k', { k: 'mask_secret' })).rejects.toThrow(META_REFUSED);
      const listing = await runQuery(store, 'SELECT person_key FROM findings WHERE rule = :rule ORDER BY 1', { rule: 'stay-limit' });
      expect(await collectRows(listing.rows)).toEqual([{ person_key: 'P1' }, { person_key: 'P3' }, { person_key: 'P4' }]);
    } finally {
      await store.close();
    }
  });

  it('through the binary: exit 2, a clear message, nothing on stdout, no secret anywhere', async () => {
    const results = await Promise.all(['SELECT key, length(value) FROM META', 'SELECT * FROM main."Meta"', "SELECT '/*', * FROM meta -- */"].map((sql) => query(sql, '--format', 'csv')));
    for (const r of results) {
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(/^error: query cannot read the internal meta table/);
      expect(r.stderr).not.toContain(secret);
    }
  });
});

describe('query refuses statements with RETURNING as writes', () => {
  it('DELETE, INSERT and UPDATE … RETURNING are refused as writes', async () => {
    const writes = [
      'DELETE FROM crossings RETURNING *',
      'DELETE FROM finding_rows WHERE run_id = 1 RETURNING id, person_key',
      "INSERT INTO meta (key, value) VALUES ('x', 'y') RETURNING *",
      'INSERT INTO finding_rows SELECT * FROM finding_rows RETURNING id',
      "UPDATE persons SET surname = 'X' RETURNING person_key",
      'WITH gone AS (SELECT 1) DELETE FROM crossings RETURNING person_key',
      'DELETE FROM meta RETURNING value',
    ];
    expect(await unexpected(writes, (o) => o.code === 2 && WRITE_REFUSED.test(o.message))).toEqual([]);
  });

  it('through the binary: exit 2 "reading statements only" (not exit 4), the database unchanged', async () => {
    const before = sha(db);
    const results = await Promise.all(['DELETE FROM crossings RETURNING *', "INSERT INTO runs (as_of) VALUES ('2024-01-01') RETURNING id"].map((sql) => query(sql, '--format', 'csv')));
    for (const r of results) {
      expect(r.code, r.stderr).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(/^error: query runs reading statements only/);
    }
    expect(sha(db)).toBe(before);
  });
});

describe('query column names are CSV header cells', () => {
  const sql = `SELECT 1 AS "=cmd|' /C calc'!A0", 2 AS "@SUM(A1)", 3 AS "+1", 4 AS "-x", 5 AS plain`;

  it('an alias that starts like a formula gets the leading apostrophe in CSV', async () => {
    const r = await query(sql, '--format', 'csv');
    expect(r.code, r.stderr).toBe(0);
    expect(csvRecords(r.stdout)).toEqual([
      ["'=cmd|' /C calc'!A0", "'@SUM(A1)", "'+1", "'-x", 'plain'],
      ['1', '2', '3', '4', '5'],
    ]);
  });

  it('--raw keeps the names, and JSON (no spreadsheet) carries them as written', async () => {
    const [raw, json] = await Promise.all([query(sql, '--format', 'csv', '--raw'), query(sql, '--format', 'json')]);
    expect(csvRecords(raw.stdout)[0]).toEqual(["=cmd|' /C calc'!A0", '@SUM(A1)', '+1', '-x', 'plain']);
    const body = JSON.parse(json.stdout) as { columns: string[]; rows: Record<string, number>[] };
    expect(body.columns[0]).toBe("=cmd|' /C calc'!A0");
    expect(body.rows).toEqual([{ "=cmd|' /C calc'!A0": 1, '@SUM(A1)': 2, '+1': 3, '-x': 4, plain: 5 }]);
  });
});
