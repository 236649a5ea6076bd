import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runQuery } from '../../src/reports/query.js';
import { SqliteReadStore as ReadStore } from '../../src/storage/read-store.js';

/** ReadStore.tablesOpenedBy: which tables a statement's compiled program opens (the query guard's basis). */
describe('ReadStore.tablesOpenedBy', () => {
  let db: Database.Database;
  let store: ReadStore;

  beforeEach(() => {
    db = new Database(':memory:');
    db.exec(`
      CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
      CREATE INDEX meta_value ON meta (value);
      INSERT INTO meta VALUES ('mask_secret', 'the-secret');
      CREATE TABLE persons (person_key TEXT PRIMARY KEY, surname TEXT);
      CREATE INDEX persons_surname ON persons (surname);
      CREATE TABLE crossings (person_key TEXT, crossed_at TEXT);
      CREATE VIEW people AS SELECT p.person_key, m.value FROM persons p, meta m;
    `);
    store = new ReadStore(db, 'memory.db');
  });
  afterEach(() => db.close());

  const opened = (sql: string): string[] | null => {
    const tables = store.tablesOpenedBy(sql);
    return tables === null ? null : [...tables].sort();
  };

  it('names the tables read, also behind views, subqueries and CTEs', () => {
    expect(opened('SELECT * FROM crossings')).toEqual(['crossings']);
    expect(opened('SELECT * FROM people')).toEqual(['meta', 'persons']);
    expect(opened('SELECT (SELECT count(*) FROM crossings) AS n')).toEqual(['crossings']);
    expect(opened('WITH c AS MATERIALIZED (SELECT * FROM crossings) SELECT * FROM c, persons')).toEqual(['crossings', 'persons']);
    expect(opened('SELECT 1')).toEqual([]);
    expect(opened("SELECT name FROM sqlite_schema WHERE type = 'table'")).toEqual(['sqlite_schema']);
  });

  it('an index read is named by its table (covering-index reads of meta included)', async () => {
    expect(opened("SELECT surname FROM persons INDEXED BY persons_surname WHERE surname > 'A'")).toEqual(['persons']);
    expect(opened("SELECT value FROM meta INDEXED BY meta_value WHERE value > ''")).toEqual(['meta']);
    await expect(runQuery(store, "SELECT value FROM meta INDEXED BY meta_value WHERE value > ''", {})).rejects.toThrow(/meta table/);
  });

  it('names the tables a writing statement would open', () => {
    expect(opened("UPDATE persons SET surname = 'X' RETURNING person_key")).toContain('persons');
    expect(opened('INSERT INTO crossings SELECT person_key, value FROM people')).toEqual(['crossings', 'meta', 'persons']);
  });

  it('binds parameters as the statement will run, and throws what SQLite says when one is missing', () => {
    expect([...store.tablesOpenedBy('SELECT * FROM persons WHERE person_key = :k', { k: 'P1' })!]).toEqual(['persons']);
    expect(() => store.tablesOpenedBy('SELECT * FROM persons WHERE person_key = :k')).toThrow(/parameter/i);
  });
});
