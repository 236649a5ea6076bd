import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dayFromIso } from '../../src/core/dates.js';
import { encodeDetail, SqliteRunWriter as RunWriter, type FindingRow } from '../../src/storage/audit-store.js';
import { openConnection, type Connection } from '../../src/storage/database.js';
import { FINDING_DETAIL_KEYS, MIGRATIONS, SCHEMA_VERSION } from '../../src/storage/schema.js';

// Schema 7 stores three days as differences, the citizenship as a word id and the key
// names of detail texts as one character each: the findings view must show exactly what
// was written, whatever the days (missing, before their base, far apart) and texts hold.

const day = (iso: string | null): number | null => (iso === null ? null : dayFromIso(iso));

interface Shown {
  person_key: string;
  citizenship: string;
  rule: string;
  regime: string | null;
  entry_date: string | null;
  exit_date: string | null;
  first_day: string | null;
  last_lawful_day: string | null;
  days: number;
  status: string | null;
  entry_checkpoint: string | null;
  host_id: string | null;
  detail: string;
}

const rowOf = (f: Shown): FindingRow => [
  f.person_key, f.citizenship, f.rule, f.regime, day(f.entry_date), day(f.exit_date), day(f.first_day), day(f.last_lawful_day),
  f.days, f.status, f.entry_checkpoint, f.host_id, f.detail,
];

const base: Shown = {
  person_key: 'P1', citizenship: 'RUS', rule: 'unregistered', regime: 'EAEU', entry_date: '2024-01-01', exit_date: '2024-03-09',
  first_day: '2024-01-04', last_lawful_day: '2024-01-03', days: 66, status: 'departed', entry_checkpoint: 'ALA', host_id: 'H1',
  detail: JSON.stringify({ deadline: '2024-01-03', workingDays: 3 }),
};

const CASES: Shown[] = [
  base,
  // Every key of the codec, and key names inside values (escaped quotes), control characters as JSON escapes.
  {
    ...base, person_key: 'P2', rule: 'late-registration',
    detail: JSON.stringify({ deadline: '2024-01-03', workingDays: 3, notifiedOn: '2024-01-09', registeredFrom: '2024-01-02', hostId: '"hostId":', hostName: 'A\u0001"deadline":\n\u0006' }),
  },
  { ...base, person_key: 'P3', detail: JSON.stringify({ nested: { hostName: 'x', deadline: null }, list: ['"workingDays":'] }) },
  // Days without their base, before it, far from it, and across 1970.
  { ...base, person_key: 'P4', entry_date: null, first_day: '2024-05-05', last_lawful_day: null, exit_date: '2024-05-05', days: 0 },
  { ...base, person_key: 'P5', first_day: null, last_lawful_day: '2023-02-01', exit_date: '2030-12-31', days: 4000 },
  { ...base, person_key: 'P6', entry_date: '1969-12-25', first_day: '1969-12-01', last_lawful_day: '1970-01-02', exit_date: null, days: 1 },
  { ...base, person_key: 'P7', entry_date: null, first_day: null, last_lawful_day: null, exit_date: null, days: 0, citizenship: 'XXA', host_id: null },
  { ...base, person_key: 'P8', first_day: '2024-01-02', last_lawful_day: '2024-01-01', exit_date: '2024-01-01', days: 0, regime: null, status: null, entry_checkpoint: null },
];

describe('compact findings (schema 7)', () => {
  let dir: string;
  let file: string;
  let db: Connection;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stayaudit-compact-'));
    file = path.join(dir, 'audit.db');
    db = openConnection(file, { create: true });
  });
  afterEach(() => {
    db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const writeRun = (asOf: string, findings: readonly Shown[]): number => {
    const writer = new RunWriter(db, file);
    writer.begin({ asOf, rulesetName: 'default', rulesetChecksum: 'c', rulesetJson: '{}', startedAt: 's' });
    writer.addFindings(findings.map(rowOf));
    return writer.commit({ persons: 1, stays: 1, findings: findings.length, counts: {} });
  };
  const shown = (runId: number): Shown[] =>
    db
      .prepare(`SELECT person_key, citizenship, rule, regime, entry_date, exit_date, first_day, last_lawful_day, days, status,
                       entry_checkpoint, host_id, detail FROM findings WHERE run_id = ? ORDER BY id`)
      .all(runId) as Shown[];

  it('the view shows every day and text exactly as written', () => {
    const run = writeRun('2024-12-31', CASES);
    expect(shown(run)).toEqual(CASES);
    // The common shape is stored small: days as 0 / one byte, key names as one character.
    const stored = db.prepare(`SELECT f.first_delta, f.last_lawful_delta, f.exit_delta, d.detail FROM finding_rows f JOIN finding_details d ON d.id = f.detail
                               WHERE f.person_key = 'P1'`).get() as { first_delta: number; last_lawful_delta: number; exit_delta: number; detail: string };
    expect(stored).toEqual({ first_delta: 3, last_lawful_delta: 0, exit_delta: 0, detail: '{\u0001"2024-01-03",\u00023}' });
  });

  it('a text seen again in a later run is found, not stored twice', () => {
    writeRun('2024-12-30', CASES);
    writeRun('2024-12-31', CASES);
    expect((db.prepare('SELECT count(*) AS n FROM finding_details').get() as { n: number }).n).toBe(new Set(CASES.map((f) => f.detail)).size);
    expect((db.prepare('SELECT count(*) AS n FROM finding_details WHERE last_run = 2').get() as { n: number }).n).toBe(new Set(CASES.map((f) => f.detail)).size);
  });

  it('finds again every stored text of a store holding more than a page of them (65,536)', () => {
    const many = Array.from({ length: 70_000 }, (_, i): Shown => ({ ...base, person_key: `P${String(i).padStart(6, '0')}`, detail: JSON.stringify({ n: i }) }));
    writeRun('2024-12-30', many);
    writeRun('2024-12-31', many);
    const texts = db.prepare('SELECT count(*) AS n, sum(last_run = 2) AS again FROM finding_details').get() as { n: number; again: number };
    expect(texts).toEqual({ n: 70_000, again: 70_000 });
  });

  it('refuses a detail text holding a raw control character (it could not be told from a key)', () => {
    expect(encodeDetail('{"a":"b"}')).toBe('{"a":"b"}');
    expect(() => encodeDetail('{"a":"\u0001"}')).toThrow(/control character/);
  });

  it('a schema-5 database keeps every finding as shown before, and later runs find its texts', () => {
    db.close();
    fs.rmSync(file);
    const raw = new Database(file);
    raw.exec('BEGIN');
    for (const sql of MIGRATIONS.slice(0, 5)) raw.exec(sql);
    raw.pragma('user_version = 5');
    raw.exec("INSERT INTO runs VALUES (1, '2024-12-31', 'default', 'c', '{}', 's', 'f', 1, 1, 8, '{}')");
    // Schema 5's writer: absolute day numbers, citizenship as text, texts as they are, hashed.
    const word = (w: string | null): number | null => {
      if (w === null) return null;
      raw.prepare('INSERT OR IGNORE INTO finding_words (word) VALUES (?)').run(w);
      return (raw.prepare('SELECT id FROM finding_words WHERE word = ?').get(w) as { id: number }).id;
    };
    const details = new Map<string, number>();
    CASES.forEach((f, i) => {
      const r = rowOf(f);
      if (!details.has(f.detail)) {
        details.set(f.detail, Number(raw.prepare('INSERT INTO finding_details (hash, first_run, last_run, detail) VALUES (?, 1, 1, ?)').run(hashOf(f.detail), f.detail).lastInsertRowid));
      }
      raw.prepare('INSERT INTO finding_rows VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)')
        .run(i + 1, r[0], r[1], word(r[2]), word(r[3]), r[4], r[5], r[6], r[7], r[8], word(r[9]), word(r[10]), r[11], details.get(f.detail)!);
    });
    raw.exec('COMMIT');
    const before = raw.prepare('SELECT * FROM findings_detail ORDER BY run_id, id').all();
    raw.close();

    db = openConnection(file, { create: true });
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(db.prepare('SELECT * FROM findings_detail ORDER BY run_id, id').all()).toEqual(before);
    expect(shown(1)).toEqual(CASES);
    const encoded = db.prepare("SELECT count(*) AS n FROM finding_details WHERE instr(detail, '\"deadline\":') > 0").get() as { n: number };
    expect(encoded.n).toBe(0);
    // A run after the migration finds the migrated texts by their hash.
    const run = writeRun('2025-01-01', CASES);
    expect(shown(run)).toEqual(CASES);
    expect((db.prepare('SELECT count(*) AS n FROM finding_details').get() as { n: number }).n).toBe(details.size);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(FINDING_DETAIL_KEYS.length).toBeLessThan(32);
  });
});

/** The writer's text hash (cyrb53, never 0), as schema 5 stored it. */
function hashOf(text: string): number {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0) || 1;
}
