import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { StorageError } from '../../src/errors.js';
import { SqliteReadStore as ReadStore } from '../../src/storage/read-store.js';

describe('ReadStore.rows', () => {
  it('an SQLite error met part-way through the rows is a storage error naming the database', () => {
    const db = new Database(':memory:');
    const store = new ReadStore(db, 'x.db');
    // Row 3 raises an error inside SQLite while stepping, after two rows were yielded.
    const rows = store.rows<{ v: unknown }>("SELECT CASE WHEN value = 3 THEN json('not json') ELSE value END AS v FROM json_each('[1,2,3,4]')");
    const seen: unknown[] = [];
    let caught: unknown;
    try {
      for (const row of rows) seen.push(row.v);
    } catch (error) {
      caught = error;
    }
    expect(seen).toEqual([1, 2]);
    expect(caught).toBeInstanceOf(StorageError);
    expect((caught as Error).message).toContain('x.db');
    // The statement was let go: the connection is usable again.
    expect(store.oneNow<{ n: number }>('SELECT 1 AS n')).toEqual({ n: 1 });
    db.close();
  });

  it("an error of the caller's own loop is not turned into a storage error", () => {
    const db = new Database(':memory:');
    const store = new ReadStore(db, 'x.db');
    expect(() => {
      for (const row of store.rows<{ value: number }>("SELECT value FROM json_each('[1,2]')")) if (row.value === 1) throw new RangeError('mine');
    }).toThrow(RangeError);
    db.close();
  });
});
