import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ROOT, tempDir, writeCsv } from './helpers.js';

const FLOORS = path.join(ROOT, 'dist', 'tools', 'bench', 'floors.js');

/** The benchmark's reference measurements (src/tools/bench/floors.ts) count what they handle. */
describe('bench floors', () => {
  let dir: string;
  let cleanup: () => void;
  beforeEach(() => ({ dir, cleanup } = tempDir()));
  afterEach(() => cleanup());

  const floors = (...args: string[]): { rows: number; seconds: number } => {
    const r = spawnSync(process.execPath, [FLOORS, ...args], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    return JSON.parse(r.stdout) as { rows: number; seconds: number };
  };

  it('the bare insert loop stores every data line as raw cells, padding short ones like .import', () => {
    const file = writeCsv(dir, 'c.csv', ['citizenship,document_no,direction,crossed_at', 'RUS,A1,IN,2024-01-01', 'RUS,A1,OUT', 'KAZ,B2,IN,2024-01-03,extra', '']);
    const db = path.join(dir, 'bare.db');
    const result = floors('insert', file, db);
    expect(result.rows).toBe(3);
    expect(result.seconds).toBeGreaterThan(0);
    const conn = new Database(db, { readonly: true });
    try {
      expect(conn.prepare('SELECT c0, c1, c2, c3 FROM plain ORDER BY rowid').raw().all()).toEqual([
        ['RUS', 'A1', 'IN', '2024-01-01'],
        ['RUS', 'A1', 'OUT', null],
        ['KAZ', 'B2', 'IN', '2024-01-03'],
      ]);
    } finally {
      conn.close();
    }
  });

  it('the reader alone counts the rows it accepts (a bad one is not counted)', () => {
    const file = writeCsv(dir, 'c.csv', ['citizenship,document_no,direction,crossed_at', 'RUS,A1,IN,2024-01-01', 'RUS,A1,SIDEWAYS,2024-01-02', 'RUS,A1,OUT,2024-01-05']);
    expect(floors('read', file, 'crossings').rows).toBe(2);
  });

  it('the delta floor times the bare insert process and our import into an empty store, each as often as asked, and leaves no scratch store', async () => {
    const { measureDeltaFloor, deltaFloorText } = (await import(pathToFileURL(path.join(ROOT, 'dist', 'tools', 'bench', 'delta-floor.js')).href)) as typeof import('../../src/tools/bench/delta-floor.js');
    const file = writeCsv(dir, 'c.csv', ['citizenship,document_no,direction,crossed_at', 'RUS,A1,IN,2024-01-01 08:00', 'RUS,A1,OUT,2024-01-05 09:00']);
    const floor = await measureDeltaFloor(file, dir, 2);
    expect(floor.bare).toHaveLength(2);
    expect(floor.emptyStore).toHaveLength(2);
    for (const seconds of [...floor.bare, ...floor.emptyStore]) expect(seconds).toBeGreaterThan(0);
    expect(fs.readdirSync(dir)).toEqual(['c.csv']);
    expect(deltaFloorText({ bare: [0.45, 0.4], emptyStore: [0.8, 0.801] })).toBe(
      'the same file by a bare insert process (Node, better-sqlite3, raw cells into a plain table; nothing checked): 0.40–0.45 s; our import of it into an empty store: 0.80 s',
    );
  });
});
