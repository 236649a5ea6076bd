/**
 * The append layout of issue 18 (schema 8): a small import into a large store puts its
 * crossings and new persons in crossings_recent and persons_recent, and a larger one
 * folds them back. Whatever the layout, every answer must be the one a store holding
 * the same rows in the clustered tables gives: the reference here is `stayaudit copy`
 * of the same store into a new file, which stores every row in crossings and persons.
 * The tables are read with plain SQL (not the code under test).
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run, tempDir, writeCsv } from './helpers.js';

let dir: string;
let cleanup: () => void;
let layered: string;
let folded: string;
let header: string;
let base: string[];
let delta: string[];
/** Two later nights of crossings of persons neither base nor delta names. */
let nights: [string[], string[]];
/** A person only the delta's crossings name, and one of the base whose surname the delta changes. */
let newPerson: string;
let renamed: { personId: string; surname: string };

const cli = (db: string, ...args: string[]) => run(['--db', db, ...args]);

/** Runs a command that must succeed (an import may exit 5: the generated files hold a few malformed rows). */
async function ok(db: string, ...args: string[]): Promise<string> {
  const result = await cli(db, ...args);
  expect(args[0] === 'import' ? [0, 5] : [0], `${args.join(' ')}: ${result.stderr}`).toContain(result.code);
  return result.stdout;
}

function count(db: string, table: string): number {
  const conn = new Database(db, { readonly: true });
  try {
    return (conn.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
  } finally {
    conn.close();
  }
}

/** Every row of crossings and persons, wherever it is stored, sorted. */
function contents(db: string): { crossings: string[]; persons: string[]; keysInBoth: number } {
  const conn = new Database(db, { readonly: true });
  try {
    const rows = (sql: string): string[] => (conn.prepare(sql).raw(true).all() as unknown[][]).map((r) => JSON.stringify(r)).sort();
    return {
      crossings: rows('SELECT person_key, crossed_at, direction, citizenship, document_no, checkpoint, line FROM crossings UNION ALL SELECT person_key, crossed_at, direction, citizenship, document_no, checkpoint, line FROM crossings_recent'),
      persons: rows('SELECT * FROM persons UNION ALL SELECT * FROM persons_recent'),
      keysInBoth: (conn.prepare('SELECT count(*) AS n FROM persons p JOIN persons_recent r USING (person_key)').get() as { n: number }).n,
    };
  } finally {
    conn.close();
  }
}

beforeAll(async () => {
  ({ dir, cleanup } = tempDir('stayaudit-recent-'));
  const generated = path.join(dir, 'g');
  const g = await run(['generate', '--persons', '3000', '--seed', '18', '--out', generated]);
  expect(g.code, g.stderr).toBe(0);
  const lines = fs.readFileSync(path.join(generated, 'crossings.csv'), 'utf8').trimEnd().split('\n');
  header = lines[0]!;
  const columns = header.split(',');
  const at = (line: string, name: string): string => line.split(',')[columns.indexOf(name)]!;
  // Every 40th person's crossings only in the delta (new persons), and every 50th line
  // of the others (persons the store knows); one base person renamed in the delta.
  const ids = [...new Set(lines.slice(1).map((l) => at(l, 'person_id')))];
  const late = new Set(ids.filter((_, i) => i % 40 === 7));
  const later = [new Set(ids.filter((_, i) => i % 20 === 9)), new Set(ids.filter((_, i) => i % 20 === 13))];
  base = [];
  delta = [];
  nights = [[], []];
  lines.slice(1).forEach((line, i) => {
    const id = at(line, 'person_id');
    const night = later.findIndex((persons) => persons.has(id));
    if (night >= 0) nights[night]!.push(line);
    else (late.has(id) || i % 50 === 3 ? delta : base).push(line);
  });
  // The file's value wins when it gives one; a person with no other row in the delta.
  const inDelta = new Set(delta.map((l) => at(l, 'person_id')));
  const known = base.find((l) => !inDelta.has(at(l, 'person_id')) && at(l, 'surname') !== '' && /^\d+$/.test(at(l, 'person_id')))!;
  const fields = known.split(',');
  fields[columns.indexOf('surname')] = 'RENAMEDOV';
  fields[columns.indexOf('crossed_at')] = '2024-12-30 23:59';
  fields[columns.indexOf('direction')] = 'IN';
  delta.push(fields.join(','));
  renamed = { personId: at(known, 'person_id'), surname: 'RENAMEDOV' };

  layered = path.join(dir, 'layered.db');
  await ok(layered, 'import', 'crossings', writeCsv(dir, 'base.csv', [header, ...base]));
  for (const dataset of ['registrations', 'permits', 'expulsions']) await ok(layered, 'import', dataset, path.join(generated, `${dataset}.csv`));
  await ok(layered, 'import', 'crossings', writeCsv(dir, 'delta.csv', [header, ...delta]));
  const conn = new Database(layered, { readonly: true });
  newPerson = (conn.prepare('SELECT person_key FROM persons_recent JOIN crossings_recent USING (person_key) ORDER BY person_key LIMIT 1').get() as { person_key: string }).person_key;
  conn.close();
  await ok(layered, 'audit', '--as-of', '2024-06-30');
  await ok(layered, 'audit', '--as-of', '2024-12-31');
  folded = path.join(dir, 'folded.db');
  await ok(layered, 'copy', '--from', layered, '--to', folded);
}, 120_000);

afterAll(() => cleanup());

describe('a small import into a large store (schema 8)', () => {
  it('appends its crossings and new persons to the recent tables, each key in one table only', () => {
    expect(count(layered, 'crossings_recent')).toBeGreaterThan(delta.length / 2);
    // Persons the delta alone names, unless a registration, permit or expulsion named them before.
    expect(count(layered, 'persons_recent')).toBeGreaterThan(10);
    expect(contents(layered).keysInBoth).toBe(0);
    // The reference holds the same rows, all in the clustered tables.
    expect(count(folded, 'crossings_recent') + count(folded, 'persons_recent')).toBe(0);
    const [a, b] = [contents(layered), contents(folded)];
    expect(a.crossings).toEqual(b.crossings);
    expect(a.persons).toEqual(b.persons);
  });

  it('updates a stored person the file names differently where that person is', () => {
    const conn = new Database(layered, { readonly: true });
    try {
      const rows = conn.prepare("SELECT 'base' AS t, surname FROM persons WHERE person_id = ? UNION ALL SELECT 'recent', surname FROM persons_recent WHERE person_id = ?").all(renamed.personId, renamed.personId);
      expect(rows).toEqual([{ t: 'base', surname: renamed.surname }]);
    } finally {
      conn.close();
    }
  });

  it('gives the answers of the same rows stored in the clustered tables', async () => {
    const seconds = /"seconds": [\d.]+/g;
    const same = async (...args: string[]): Promise<string> => {
      const [a, b] = [await ok(layered, ...args), await ok(folded, ...args)];
      expect(a.replace(seconds, ''), args.join(' ')).toBe(b.replace(seconds, ''));
      return a;
    };
    const audit = await same('audit', '--as-of', '2024-12-31', '--json');
    expect(JSON.parse(audit).findings).toBeGreaterThan(20);
    expect((await same('findings', '--format', 'csv')).split('\n').length).toBeGreaterThan(20);
    await same('violators', '--format', 'csv');
    for (const by of ['citizenship', 'checkpoint', 'month']) await same('stats', '--by', by, '--format', 'csv');
    // Not a calendar year or month: persons entered are counted again from the crossings.
    await same('stats', '--by', 'citizenship', '--from', '2024-03-01', '--to', '2024-09-30', '--format', 'csv');
    await same('diff', '1', '2', '--format', 'csv');
    const person = JSON.parse(await same('person', newPerson, '--format', 'json')) as { identity: { person_key: string }; crossings: unknown[] };
    expect(person.identity.person_key).toBe(newPerson);
    expect(person.crossings.length).toBeGreaterThan(0);
    expect(await same('person', renamed.personId, '--format', 'json')).toContain(renamed.surname);
    const counted = await same(
      'query',
      `SELECT (SELECT count(*) FROM crossings) AS c, (SELECT count(*) FROM persons) AS p, (SELECT count(*) FROM stays) AS s,
              (SELECT count(*) FROM findings_detail WHERE surname IS NOT NULL) AS named, (SELECT count(*) FROM persons WHERE person_id = :id) AS found`,
      '--param',
      `id=${newPerson}`,
      '--format',
      'json',
    );
    expect((JSON.parse(counted) as { rows: unknown[] }).rows).toEqual([{ c: count(folded, 'crossings'), p: count(folded, 'persons'), s: expect.any(Number), named: expect.any(Number), found: 1 }]);
  }, 120_000);

  it('knows the rows of either table again, and a larger import folds the recent tables back first', async () => {
    const before = contents(layered);
    type Imported = { files: { read: number; added: number; duplicate: number; rejected: number }[] };
    const again = (JSON.parse(await ok(layered, 'import', 'crossings', path.join(dir, 'delta.csv'), '--json')) as Imported).files[0]!;
    expect(again).toMatchObject({ read: delta.length, added: 0, duplicate: delta.length - again.rejected });
    expect(count(layered, 'crossings_recent')).toBe(before.crossings.length - count(layered, 'crossings'));
    // A small file of rows the clustered table holds: duplicates too, and nothing appended.
    const stored = writeCsv(dir, 'stored.csv', [header, ...base.slice(0, 200)]);
    const old = (JSON.parse(await ok(layered, 'import', 'crossings', stored, '--json')) as Imported).files[0]!;
    expect(old).toMatchObject({ read: 200, added: 0, duplicate: 200 - old.rejected });
    expect(contents(layered).crossings).toEqual(before.crossings);

    // Both files in one: too large to append, so the recent rows are folded, then all are
    // duplicates (without the renamed person's base rows, whose surname would win again).
    const rows = [...base.filter((l) => !l.startsWith(`${renamed.personId},`)), ...delta];
    const both = writeCsv(dir, 'both.csv', [header, ...rows]);
    const whole = (JSON.parse(await ok(layered, 'import', 'crossings', both, '--json')) as Imported).files[0]!;
    expect(whole).toMatchObject({ read: rows.length, added: 0, duplicate: rows.length - whole.rejected });
    expect(count(layered, 'crossings_recent') + count(layered, 'persons_recent')).toBe(0);
    const after = contents(layered);
    expect(after.crossings).toEqual(before.crossings);
    expect(after.persons).toEqual(before.persons);
  }, 60_000);

  it('folds the recent tables back when a small import would overfill them, then appends that import', async () => {
    // A store holding every row in the clustered tables, then two small nights of new persons.
    const store = path.join(dir, 'nights.db');
    await ok(folded, 'copy', '--from', folded, '--to', store);
    type Imported = { files: { added: number }[] };
    const night = async (n: 0 | 1): Promise<number> =>
      (JSON.parse(await ok(store, 'import', 'crossings', writeCsv(dir, `night-${n}.csv`, [header, ...nights[n]]), '--json')) as Imported).files[0]!.added;
    // What the layout weighs against: the crossings the ledger counts, here the clustered table's.
    const clustered = count(store, 'crossings');
    const first = await night(0);
    expect(count(store, 'crossings_recent')).toBe(first);
    expect(count(store, 'crossings')).toBe(clustered);
    // The sizes this test is about: the second night alone is small (16 times its rows fit
    // in the store), but with the first night's rows and persons waiting it is not.
    const waiting = count(store, 'crossings_recent') + count(store, 'persons_recent');
    expect(16 * nights[1].length).toBeLessThanOrEqual(clustered + first);
    expect(16 * (waiting + nights[1].length)).toBeGreaterThan(clustered + first);

    const second = await night(1);
    // The first night's rows are folded into the clustered tables, the second's appended.
    expect(count(store, 'crossings')).toBe(clustered + first);
    expect(count(store, 'crossings_recent')).toBe(second);
    expect(second).toBeGreaterThan(nights[1].length / 2);
    // At most one person per distinct person id, citizenship and document of the night.
    const secondPersons = new Set(nights[1].map((line) => line.split(',').slice(0, 3).join(',')));
    expect(count(store, 'persons_recent')).toBeGreaterThan(0);
    expect(count(store, 'persons_recent')).toBeLessThanOrEqual(secondPersons.size);
    const layeredRows = contents(store);
    expect(layeredRows.keysInBoth).toBe(0);
    // The same rows as a copy stores them, all clustered.
    const reference = path.join(dir, 'nights-folded.db');
    await ok(store, 'copy', '--from', store, '--to', reference);
    const referenceRows = contents(reference);
    expect(layeredRows.crossings).toEqual(referenceRows.crossings);
    expect(layeredRows.persons).toEqual(referenceRows.persons);
    expect(layeredRows.crossings.length).toBe(clustered + first + second);
  }, 60_000);

  it('refuses to fold a key held by both tables of a pair, and keeps the store as it was', async () => {
    const store = path.join(dir, 'both-tables.db');
    await ok(folded, 'copy', '--from', folded, '--to', store);
    await ok(store, 'import', 'crossings', writeCsv(dir, 'first-night.csv', [header, ...nights[0]]));
    // One waiting crossing also put in the clustered table, as no import of ours would.
    const conn = new Database(store);
    conn.exec('INSERT INTO crossings SELECT * FROM crossings_recent ORDER BY person_key LIMIT 1');
    conn.close();
    const before = contents(store);
    const ledger = count(store, 'imports');
    // The second night would fold the recent tables back first (the test above).
    const result = await cli(store, 'import', 'crossings', writeCsv(dir, 'second-night.csv', [header, ...nights[1]]));
    expect(result.code, result.stderr).toBe(4);
    expect(result.stderr).toContain('1 of the');
    expect(result.stderr).toContain('rows of crossings_recent are also in crossings; nothing of this import was kept');
    expect(contents(store)).toEqual(before);
    expect(count(store, 'imports')).toBe(ledger);
  }, 60_000);
});
