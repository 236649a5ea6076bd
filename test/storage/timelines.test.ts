/**
 * The chunked timeline reader against a plain one written here: one query per person
 * and table, no joined text. Values are chosen to break a careless reader: separators
 * and '=' inside values, empty strings next to nulls, and keys whose UTF-16 order is
 * not SQLite's (an astral character against one from U+E000 up).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dayFromIso } from '../../src/core/dates.js';
import type { PersonTimeline } from '../../src/core/types.js';
import { openConnection, type Connection } from '../../src/storage/database.js';
import { chunkCuts, compareKeys, iterateTimelines, loadTimeline, type KeyScope, type ReadOptions, type ReadStats } from '../../src/storage/timelines.js';

const ASTRAL = 'RUS:\u{1F600}1'; // UTF-8 F0 9F …: after every BMP character in SQLite
const HIGH_BMP = 'RUS:\uFF211'; // fullwidth A, UTF-8 EF BC A1: before the astral key in SQLite, after it in UTF-16

let dir: string;
let db: Connection;

function insert(table: string, row: Record<string, unknown>): void {
  const columns = Object.keys(row);
  db.prepare(`INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`).run(...Object.values(row));
}

const base = (key: string, cit = 'RUS') => ({ person_key: key, citizenship: cit, document_no: key.slice(4) || 'D', import_id: 1, line: 1 });

function crossing(key: string, at: string, direction: 'IN' | 'OUT', checkpoint: string | null, cit = 'RUS', importId = 1): void {
  insert('crossings', { ...base(key, cit), crossed_at: at, direction, checkpoint, import_id: importId });
}

function importRow(id: number, startedAt: string): void {
  insert('imports', { id, dataset: 'crossings', file: `f${id}`, checksum: '', started_at: startedAt, finished_at: startedAt, rows_read: 0, added: 0, duplicate: 0, rejected: 0 });
}

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stayaudit-timelines-'));
  db = openConnection(path.join(dir, 't.db'), { create: true });
  db.exec('BEGIN');
  // Import 1 started on 2024-03-01 at 20:00 UTC: already 2024-03-02 in UTC+14, the day
  // it counts as imported on; import 2 on 2024-01-10; import 3 is not recorded (no day).
  importRow(1, '2024-03-01T20:00:00.000Z');
  importRow(2, '2024-01-10T09:00:00.000Z');
  // Ordinary persons, enough for several chunks at any chunk size.
  for (let i = 0; i < 640; i++) {
    const key = `100000000${String(i).padStart(3, '0')}`;
    crossing(key, `2024-01-${String((i % 27) + 1).padStart(2, '0')} 10:00:00`, 'IN', i % 3 === 0 ? null : 'ALA', i % 4 === 0 ? 'KGZ' : 'RUS', 1 + (i % 3));
    if (i % 2 === 0) crossing(key, `2024-03-${String((i % 27) + 1).padStart(2, '0')} 10:00:00`, 'OUT', 'NQZ');
    if (i % 5 === 0) {
      insert('registrations', { ...base(key), registered_from: '2024-01-02', content_hash: `h${i}`, registered_until: i % 2 ? null : '2024-02-01', notified_on: '2024-01-03', host_id: `H${i}`, host_name: i % 10 ? 'TOO "X"' : '' });
    }
  }
  // Separators inside values: these chunks must be read row by row, and correctly.
  crossing('RUS:SEP', '2024-02-01 08:00:00', 'IN', 'A\x1eB');
  crossing('RUS:SEP', '2024-02-01 09:00:00', 'OUT', 'C\x1fD');
  insert('registrations', { ...base('RUS:SEP'), registered_from: '2024-02-01', content_hash: 'x', registered_until: null, notified_on: null, host_id: null, host_name: 'N\x1fO' });
  insert('expulsions', { ...base('RUS:SEP'), decided_on: '2023-05-01', content_hash: 'e', expelled_on: null, ban_years: null, reason: 'R\x1eS' });
  // '=' and empty strings next to nulls; a citizenship that changes between crossings.
  crossing('RUS:EQ', '2024-04-01 00:00:00', 'IN', '=', 'KAZ');
  crossing('RUS:EQ', '2024-04-01 00:00:00', 'OUT', '', 'RUS');
  crossing('RUS:EQ', '2024-04-02 00:00:00', 'IN', '==x', 'UZB');
  insert('permits', { ...base('RUS:EQ'), permit_no: '=1', kind: 'trp', ground: '', valid_from: '2024-01-01', valid_until: '2024-12-31', status: 'revoked', revoked_on: '2024-06-01', host_id: '=', content_hash: 'p' });
  insert('permits', { ...base('RUS:EQ'), permit_no: 'P2', kind: 'visa', ground: null, valid_from: '2024-01-01', valid_until: '2024-02-01', status: 'active', revoked_on: null, host_id: null, content_hash: 'q' });
  insert('expulsions', { ...base('RUS:EQ'), decided_on: '2022-01-01', content_hash: 'e1', expelled_on: '2022-01-05', ban_years: 3, reason: '' });
  // Keys in the four tables whose order differs between UTF-16 and SQLite.
  crossing(ASTRAL, '2024-05-01 00:00:00', 'IN', 'ALA');
  insert('permits', { ...base(HIGH_BMP), permit_no: 'P9', kind: 'trp', ground: 'work', valid_from: '2024-01-01', valid_until: '2024-12-31', status: 'active', revoked_on: null, host_id: 'H9', content_hash: 'r' });
  insert('registrations', { ...base(ASTRAL), registered_from: '2024-05-01', content_hash: 'y', registered_until: null, notified_on: '2024-05-02', host_id: 'H1', host_name: null });
  insert('expulsions', { ...base(HIGH_BMP), decided_on: '2021-01-01', content_hash: 'e2', expelled_on: null, ban_years: 5, reason: null });
  // Persons only in one of the later tables.
  insert('expulsions', { ...base('ZZZ:ONLY', 'ZZZ'), decided_on: '2020-01-01', content_hash: 'e3', expelled_on: null, ban_years: null, reason: 'x' });
  // The persons table, as imports keep it: every key once.
  db.exec(`INSERT INTO persons (person_key, citizenship, document_no)
    SELECT person_key, min(citizenship), min(document_no) FROM (
      SELECT person_key, citizenship, document_no FROM crossings UNION ALL SELECT person_key, citizenship, document_no FROM permits
      UNION ALL SELECT person_key, citizenship, document_no FROM registrations UNION ALL SELECT person_key, citizenship, document_no FROM expulsions)
    GROUP BY person_key`);
  db.exec('COMMIT');
});

afterAll(() => {
  db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** The plain reader: every key in SQLite's order, then one query per table. */
function expected(): PersonTimeline[] {
  const keys = db
    .prepare('SELECT person_key FROM crossings UNION SELECT person_key FROM permits UNION SELECT person_key FROM registrations UNION SELECT person_key FROM expulsions ORDER BY 1')
    .pluck()
    .all() as string[];
  return keys.map((personKey) => {
    type Row = Record<string, string | number | null>;
    const rows = (sql: string): Row[] => db.prepare(sql).all(personKey) as Row[];
    const day = (v: unknown): number | null => (v === null ? null : dayFromIso(v as string));
    const crossings = rows(`SELECT c.*, date(i.started_at, '+14 hours') AS imported_on FROM crossings c LEFT JOIN imports i ON i.id = c.import_id
      WHERE person_key = ? ORDER BY crossed_at, direction`);
    const permits = rows('SELECT * FROM permits WHERE person_key = ? ORDER BY permit_no');
    const registrations = rows('SELECT * FROM registrations WHERE person_key = ? ORDER BY registered_from, content_hash');
    const expulsions = rows('SELECT * FROM expulsions WHERE person_key = ? ORDER BY decided_on, content_hash');
    // The fallback citizenship: a permit's, a registration's, an expulsion's, else the first crossing's.
    const citizenship = (permits[0] ?? registrations[0] ?? expulsions[0] ?? crossings[0])!['citizenship'] as string;
    const timeline: PersonTimeline = {
      personKey,
      citizenship,
      crossings: crossings.map((c) => ({
        direction: c['direction'] as 'IN' | 'OUT',
        day: day(c['crossed_at'])!,
        at: c['crossed_at'] as string,
        checkpoint: c['checkpoint'] as string | null,
        citizenship: c['citizenship'] as string,
        importedOn: day(c['imported_on']),
      })),
      permits: permits.map((p) => ({
        permitNo: p['permit_no'] as string,
        kind: p['kind'] as 'trp' | 'visa',
        ground: p['ground'] as string | null,
        validFrom: day(p['valid_from'])!,
        validUntil: day(p['valid_until'])!,
        status: p['status'] as 'active' | 'revoked' | 'annulled',
        revokedOn: day(p['revoked_on']),
        hostId: p['host_id'] as string | null,
        citizenship: p['citizenship'] as string,
      })),
      registrations: registrations.map((r) => ({
        registeredFrom: day(r['registered_from'])!,
        registeredUntil: day(r['registered_until']),
        notifiedOn: day(r['notified_on']),
        hostId: r['host_id'] as string | null,
        hostName: r['host_name'] as string | null,
      })),
      expulsions: expulsions.map((e) => ({
        decidedOn: day(e['decided_on'])!,
        expelledOn: day(e['expelled_on']),
        banYears: e['ban_years'] as number | null,
        reason: e['reason'] as string | null,
      })),
    };
    return timeline;
  });
}

function read(scope: KeyScope = {}, stats?: ReadStats, targetChars?: number): PersonTimeline[] {
  const options: ReadOptions = {};
  if (stats) options.stats = stats;
  if (targetChars !== undefined) options.targetChars = targetChars;
  db.exec('BEGIN');
  try {
    return [...iterateTimelines(db, scope, options)];
  } finally {
    db.exec('COMMIT');
  }
}

describe('iterateTimelines', () => {
  it('reads what one query per person and table reads, in SQLite key order', () => {
    const want = expected();
    expect(want.map((t) => t.personKey).indexOf(HIGH_BMP)).toBeLessThan(want.map((t) => t.personKey).indexOf(ASTRAL));
    const stats: ReadStats = { chunks: 0, rowByRow: 0 };
    expect(read({}, stats)).toEqual(want);
    // Two chunks (256 persons, then the rest); RUS:SEP's crossings, registrations and
    // expulsions hold separators.
    expect(stats).toEqual({ chunks: 2, rowByRow: 3 });
  });

  it('the same over slices of any size, in chunks of any size, and over key ranges', () => {
    const want = expected();
    for (const size of [1, 2, 3, 7, 50]) {
      const cuts = chunkCuts(db, size);
      expect(cuts.length).toBe(Math.ceil(want.length / size) - 1);
      for (const target of [1, 200, 64 * 1024]) {
        const stats: ReadStats = { chunks: 0, rowByRow: 0 };
        expect(read({ cuts }, stats, target), `slices of ${size}, target ${target}`).toEqual(want);
        // A tiny target reads slice by slice; a large one takes several at once.
        if (target === 1) expect(stats.chunks).toBe(Math.max(1, cuts.length)); // two slices first, then one

        if (target > 1000 && cuts.length > 4) expect(stats.chunks).toBeLessThan(cuts.length + 1);
        // Only the chunk holding RUS:SEP goes row by row (three of its tables).
        expect(stats.rowByRow).toBe(3);
      }
      // Over a range: [cuts[1], cuts[4]), by cuts and found as reading goes.
      if (cuts.length > 4) {
        const from = cuts[1]!;
        const to = cuts[4]!;
        const inRange = want.filter((t) => compareKeys(t.personKey, from) >= 0 && compareKeys(t.personKey, to) < 0);
        for (const target of [1, 64 * 1024]) {
          expect(read({ from, to }, undefined, target), `range, slices of ${size}`).toEqual(inRange);
          expect(read({ from, to, cuts: cuts.slice(2, 4) }, undefined, target)).toEqual(inRange);
        }
      }
    }
  });

  it('chunks found as reading goes adapt to what the last one held', () => {
    const want = expected();
    const small: ReadStats = { chunks: 0, rowByRow: 0 };
    expect(read({}, small, 1)).toEqual(want);
    const large: ReadStats = { chunks: 0, rowByRow: 0 };
    expect(read({}, large)).toEqual(want);
    // 256 persons first, then as many as fit the target: 16 at least, 8192 at most.
    expect(small.chunks).toBe(1 + Math.ceil((want.length - 256) / 16));
    expect(large.chunks).toBe(2);
  });

  it('ordinary values travel joined, not row by row', () => {
    const stats: ReadStats = { chunks: 0, rowByRow: 0 };
    const from = '100000000000';
    const to = '100000000640';
    expect(read({ from, to }, stats)).toHaveLength(640);
    expect(stats.rowByRow).toBe(0);
  });

  it('loads one person, also one with separators in their values', () => {
    const want = expected();
    for (const key of ['RUS:SEP', 'RUS:EQ', ASTRAL, HIGH_BMP, 'ZZZ:ONLY']) {
      expect(loadTimeline(db, key)).toEqual(want.find((t) => t.personKey === key));
    }
    expect(loadTimeline(db, 'NOBODY')).toBeUndefined();
    const eq = loadTimeline(db, 'RUS:EQ')!;
    expect(eq.crossings.map((c) => c.checkpoint)).toEqual(['=', '', '==x']);
    // Each crossing carries its own citizenship; the timeline's is the permit's (a fallback).
    expect(eq.crossings.map((c) => c.citizenship)).toEqual(['KAZ', 'RUS', 'UZB']);
    expect(eq.citizenship).toBe('RUS');
    const ordinary = loadTimeline(db, '100000000004')!;
    expect(ordinary.crossings.map((c) => [c.citizenship, c.importedOn])).toEqual([['KGZ', dayFromIso('2024-01-10')], ['RUS', dayFromIso('2024-03-02')]]);
    expect(loadTimeline(db, '100000000000')!.crossings.map((c) => c.importedOn)).toEqual([dayFromIso('2024-03-02'), dayFromIso('2024-03-02')]);
    expect(loadTimeline(db, '100000000002')!.crossings[0]!.importedOn).toBeNull();
    expect(eq.permits.map((p) => [p.permitNo, p.ground, p.hostId])).toEqual([['=1', '', '='], ['P2', null, null]]);
  });
});

describe('compareKeys', () => {
  it("orders as SQLite's BINARY collation (code points), not as UTF-16", () => {
    const keys = ['b', 'a', '\uFF21', '\u{1F600}', 'ab', '', '\uE000x', '\uD7FF'];
    const sqlite = db.prepare(`SELECT value FROM json_each(?) ORDER BY value`).pluck().all(JSON.stringify(keys)) as string[];
    expect([...keys].sort(compareKeys)).toEqual(sqlite);
    expect([...keys].sort()).not.toEqual(sqlite);
  });
});
