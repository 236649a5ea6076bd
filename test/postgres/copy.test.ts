import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES, run, tempDir } from '../e2e/helpers.js';
import { SKIP_PG, usePgServer, type PgServer } from './server.js';

const DATASETS = ['crossings', 'registrations', 'permits', 'expulsions'] as const;

/** Every row of every table, in an order independent of how the rows were inserted. */
function tableContents(file: string): Record<string, unknown[][]> {
  const db = new Database(file, { readonly: true });
  try {
    const out: Record<string, unknown[][]> = {};
    const tables = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`).pluck().all() as string[];
    for (const table of tables) {
      const columns = (db.prepare('SELECT name FROM pragma_table_info(?)').pluck().all(table) as string[]).map((c) => `"${c}"`);
      out[table] = db.prepare(`SELECT ${columns.join(', ')} FROM "${table}" ORDER BY ${columns.join(', ')}`).safeIntegers(true).raw(true).all() as unknown[][];
    }
    return out;
  } finally {
    db.close();
  }
}

/** A view of an SQLite store as text cells, to compare with PostgreSQL's. */
function sqliteView(file: string, sql: string): string[][] {
  const db = new Database(file, { readonly: true });
  try {
    return (db.prepare(sql).raw(true).all() as unknown[][]).map((row) => row.map((v) => (v === null ? null : String(v)) as string));
  } finally {
    db.close();
  }
}

describe.skipIf(SKIP_PG)('stayaudit copy between SQLite and PostgreSQL', () => {
  const pgServer = usePgServer();
  let tmp: ReturnType<typeof tempDir>;
  let original: string;
  beforeAll(async () => {
    tmp = tempDir('stayaudit-pg-copy-');
    // The demo year imported (with its rejected rows) and audited twice.
    original = path.join(tmp.dir, 'original.db');
    for (const dataset of DATASETS) {
      const imported = await run(['--db', original, 'import', dataset, path.join(FIXTURES, 'demo', `${dataset}.csv`)]);
      expect([0, 5], imported.stderr).toContain(imported.code);
    }
    for (const asOf of ['2022-06-30', '2022-12-31']) {
      const audited = await run(['--db', original, 'audit', '--as-of', asOf]);
      expect(audited.code, audited.stderr).toBe(0);
    }
    // Values COPY's text format must escape, an empty string (not null) and an integer
    // beyond 2^53 (exact only as BigInt).
    const db = new Database(original);
    db.prepare(`INSERT INTO persons (person_key, person_id, citizenship, document_no, surname, given_names, birth_date, sex)
                VALUES ('ZZZ:HOSTILE', '', 'ZZZ', 'D\\1', ?, '', NULL, 'Ж')`).run('tab\there new\nline cr\rend back\\slash \\N Ёлка 🙂');
    db.prepare(`INSERT INTO expulsions (person_key, decided_on, content_hash, citizenship, document_no, ban_years, import_id, line)
                VALUES ('ZZZ:HOSTILE', '2022-01-01', 'h', 'ZZZ', 'D1', ?, 1, 1)`).run(9007199254740993n);
    db.close();
  });
  afterAll(async () => {
    tmp?.cleanup();
  });

  it('round-trips the audited demo year: every table identical, views and reports the same', async () => {
    const server = pgServer();
    const url = await server.database();
    const there = await run(['copy', '--from', original, '--to', url]);
    expect(there.code, there.stderr).toBe(0);
    expect(there.stdout).toBe('');
    expect(there.stderr).toContain(`copied ${original} to ${url}`);
    expect(there.stderr).toMatch(/\n  crossings +5985\n/);
    expect(there.stderr).toMatch(/17 tables, \d+ rows, in [\d.]+ s/);

    // PostgreSQL's views say what SQLite's say.
    const findingsSql = 'SELECT * FROM findings_detail ORDER BY run_id, id';
    const pgFindings = (await server.sql(url, findingsSql)).map((row) => Object.values(row).map((v) => (v === null ? null : String(v))));
    expect(pgFindings.length).toBeGreaterThan(100);
    expect(pgFindings).toEqual(sqliteView(original, findingsSql));
    const staysSql = 'SELECT * FROM stays ORDER BY person_key, entry_date';
    const pgStays = (await server.sql(url, staysSql)).map((row) => Object.values(row).map((v) => (v === null ? null : String(v))));
    expect(pgStays.length).toBeGreaterThan(1000);
    expect(pgStays).toEqual(sqliteView(original, staysSql));

    // New rows continue after the copied ids, as SQLite's rowids would.
    const ids = await server.sql<{ id: string }>(
      url,
      `INSERT INTO imports (dataset, file, checksum, started_at, finished_at, rows_read, added, duplicate, rejected)
       VALUES ('crossings', 'x.csv', 'c', 's', 'f', 0, 0, 0, 0) RETURNING id`,
    );
    expect(ids[0]!.id).toBe('5');
    await server.sql(url, `DELETE FROM imports WHERE id = 5`);

    const back = path.join(tmp.dir, 'back.db');
    const home = await run(['copy', '--from', url, '--to', back]);
    expect(home.code, home.stderr).toBe(0);
    expect(tableContents(back)).toEqual(tableContents(original));

    for (const command of [['findings'], ['violators'], ['stats'], ['stats', '--by', 'checkpoint'], ['person', '999000000005', '--format', 'json'], ['diff']]) {
      const a = await run(['--db', original, ...command, ...(command.includes('--format') ? [] : ['--format', 'csv'])]);
      const b = await run(['--db', back, ...command, ...(command.includes('--format') ? [] : ['--format', 'csv'])]);
      expect(a.code, `${command.join(' ')}: ${a.stderr}`).toBe(0);
      expect(b.stdout, command.join(' ')).toBe(a.stdout);
      expect(a.stdout.split('\n').length, command.join(' ')).toBeGreaterThan(2);
    }
  });

  it('refuses a target that holds data (exit 2, nothing changed), and --replace overwrites it', async () => {
    const server = pgServer();
    const url = await server.database();
    expect((await run(['copy', '--from', original, '--to', url])).code).toBe(0);
    await server.sql(url, `DELETE FROM crossings WHERE person_key IN (SELECT person_key FROM crossings ORDER BY person_key LIMIT 10)`);
    const before = await server.sql<{ n: string }>(url, 'SELECT count(*) AS n FROM crossings');

    const refused = await run(['copy', '--from', original, '--to', url]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(`error: the target ${url} is not empty (crossings, `);
    expect(refused.stderr).toContain('--replace');
    expect(await server.sql(url, 'SELECT count(*) AS n FROM crossings')).toEqual(before);

    const replaced = await run(['copy', '--from', original, '--to', url, '--replace']);
    expect(replaced.code, replaced.stderr).toBe(0);
    const back = path.join(tmp.dir, 'replaced.db');
    expect((await run(['copy', '--from', url, '--to', back])).code).toBe(0);
    expect(tableContents(back)).toEqual(tableContents(original));

    // An SQLite target that holds data is refused the same way.
    const again = await run(['copy', '--from', url, '--to', back]);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain(`error: the target ${back} is not empty`);
  });

  it('keeps the target as it was when a row cannot be copied, and names the table', async () => {
    const server = pgServer();
    const broken = path.join(tmp.dir, 'nul.db');
    fs.copyFileSync(original, broken);
    const db = new Database(broken);
    db.prepare(`UPDATE persons SET surname = 'A' || char(0) || 'B' WHERE person_key = (SELECT max(person_key) FROM persons)`).run();
    db.close();
    const url = await server.database();
    const failed = await run(['copy', '--from', broken, '--to', url]);
    expect(failed.code).toBe(4);
    expect(failed.stderr).toContain('table persons, column surname: a value holds a NUL character');
    // One transaction: the tables written before persons are empty again.
    expect(await server.sql(url, 'SELECT (SELECT count(*) FROM crossings) + (SELECT count(*) FROM imports) AS n')).toEqual([{ n: '0' }]);

    // A new SQLite target is not left behind by a failed copy.
    const missing = path.join(tmp.dir, 'never.db');
    const noSource = await run(['copy', '--from', path.join(tmp.dir, 'absent.db'), '--to', missing]);
    expect(noSource.code).toBe(4);
    expect(fs.existsSync(missing)).toBe(false);
  });

  it('checks its flags', async () => {
    const same = await run(['copy', '--from', original, '--to', original]);
    expect(same.code).toBe(2);
    expect(same.stderr).toContain('name the same store');
    const half = await run(['copy', '--from', original]);
    expect(half.code).toBe(2);
    expect(half.stderr).toContain('copy needs both --from and --to');
  });
});
