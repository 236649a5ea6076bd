import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dayFromIso } from '../../src/core/dates.js';
import { RunPruner, SqliteRunWriter as RunWriter, type FindingRow } from '../../src/storage/audit-store.js';
import { openConnection, type Connection } from '../../src/storage/database.js';
import { MIGRATIONS, SCHEMA_VERSION } from '../../src/storage/schema.js';
import { pruneRunsOn as pruneRuns } from '../../src/storage/reads/index.js';

const day = (iso: string | null): number | null => (iso === null ? null : dayFromIso(iso));

/** A finding as the findings view must show it, and the row the writer takes for it. */
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
  f.person_key,
  f.citizenship,
  f.rule,
  f.regime,
  day(f.entry_date),
  day(f.exit_date),
  day(f.first_day),
  day(f.last_lawful_day),
  f.days,
  f.status,
  f.entry_checkpoint,
  f.host_id,
  f.detail,
];

const SAMPLE: Shown[] = [
  {
    person_key: 'A1', citizenship: 'RUS', rule: 'stay-limit', regime: 'EAEU', entry_date: '2024-01-01', exit_date: null,
    first_day: '2024-03-31', last_lawful_day: '2024-03-30', days: 3, status: 'in-country', entry_checkpoint: 'ALA', host_id: null,
    detail: '{"cap":90,"capEnd":"2024-03-30"}',
  },
  {
    person_key: 'A1', citizenship: 'RUS', rule: 'unregistered', regime: 'EAEU', entry_date: '2024-01-01', exit_date: null,
    first_day: '2024-01-04', last_lawful_day: '2024-01-03', days: 88, status: 'in-country', entry_checkpoint: 'ALA', host_id: 'H-1',
    detail: '{"deadline":"2024-01-03","workingDays":3}',
  },
  {
    person_key: 'B2', citizenship: 'UZB', rule: 'late-registration', regime: 'VF-30', entry_date: '1999-12-31', exit_date: '2000-02-29',
    first_day: '2000-01-10', last_lawful_day: '2000-01-05', days: 5, status: 'departed', entry_checkpoint: 'ЖИБЕК ЖОЛЫ', host_id: 'H "2"',
    detail: '{"hostName":"ООО \\"Ромашка\\", 1\\n2","notifiedOn":"2000-01-10"}',
  },
  {
    person_key: 'C3', citizenship: 'KGZ', rule: 'orphan-exit', regime: null, entry_date: null, exit_date: '2024-05-05',
    first_day: '2024-05-05', last_lawful_day: null, days: 0, status: null, entry_checkpoint: null, host_id: null,
    detail: '{}',
  },
  {
    person_key: 'D4', citizenship: 'RUS', rule: 'unregistered', regime: 'EAEU', entry_date: '2024-02-01', exit_date: '2024-02-20',
    first_day: '2024-01-04', last_lawful_day: '2024-01-03', days: 16, status: 'departed', entry_checkpoint: 'NQZ', host_id: null,
    detail: '{"deadline":"2024-01-03","workingDays":3}',
  },
];

describe('compact findings and retention', () => {
  let dir: string;
  let file: string;
  let db: Connection;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stayaudit-retention-'));
    file = path.join(dir, 'audit.db');
    db = openConnection(file, { create: true });
  });
  afterEach(() => {
    db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  function writeRun(asOf: string, findings: readonly Shown[], extraCell = true): number {
    const writer = new RunWriter(db, file);
    writer.begin({ asOf, rulesetName: 'default', rulesetChecksum: 'c', rulesetJson: '{}', startedAt: '2024-01-01T00:00:00Z' });
    writer.addFindings(findings.map(rowOf));
    if (extraCell) {
      writer.addAggregates({
        departures: [{ citizenship: 'RUS', checkpoint: 'ALA', authorisedUntil: asOf, expected: 1, overstaysDeparted: 0, overstaysInCountry: 1 }],
        crossingDays: [{ citizenship: 'RUS', checkpoint: 'ALA', day: asOf, entries: 1, exits: 0, matchedExits: 0 }],
        personsEntered: [{ period: asOf.slice(0, 4), grouping: 'total', key: 'TOTAL', persons: 1 }],
      });
    }
    return writer.commit({ persons: 4, stays: 4, findings: findings.length, counts: {} });
  }

  const shown = (runId: number): Shown[] =>
    db
      .prepare(`SELECT person_key, citizenship, rule, regime, entry_date, exit_date, first_day, last_lawful_day, days, status,
                       entry_checkpoint, host_id, detail FROM findings WHERE run_id = ? ORDER BY id`)
      .all(runId) as Shown[];
  const count = (sql: string, ...params: unknown[]): number => (db.prepare(sql).get(...params) as { n: number }).n;

  it('the findings view shows exactly what was written, numbered in the order given', () => {
    const run = writeRun('2024-03-31', SAMPLE);
    expect(shown(run)).toEqual(SAMPLE);
    const ids = db.prepare('SELECT id FROM findings WHERE run_id = ? ORDER BY id').all(run) as { id: number }[];
    expect(ids.map((r) => r.id)).toEqual([1, 2, 3, 4, 5]);
    // The columns the README documents for query, in that order.
    const columns = (db.prepare('SELECT * FROM findings LIMIT 1').columns() as { name: string }[]).map((c) => c.name);
    expect(columns).toEqual(['run_id', 'id', 'person_key', 'citizenship', 'rule', 'regime', 'entry_date', 'exit_date', 'first_day', 'last_lawful_day', 'days', 'status', 'entry_checkpoint', 'host_id', 'detail']);
    // A person's findings are found by the key.
    const plan = (db.prepare("EXPLAIN QUERY PLAN SELECT * FROM findings WHERE run_id = 1 AND person_key = 'A1'").all() as { detail: string }[]).map((r) => r.detail).join('\n');
    expect(plan).toMatch(/SEARCH f USING PRIMARY KEY \(run_id=\? AND person_key=\?\)/);
  });

  it('stores each distinct detail text once, shared by the findings and runs that use it', () => {
    writeRun('2024-03-31', SAMPLE);
    writeRun('2024-04-01', SAMPLE);
    expect(count('SELECT count(*) AS n FROM finding_details')).toBe(new Set(SAMPLE.map((f) => f.detail)).size);
    expect(count('SELECT count(*) AS n FROM finding_details WHERE first_run = 1 AND last_run = 2')).toBe(4);
    expect(shown(2)).toEqual(SAMPLE);
  });

  it('prune --keep deletes the oldest runs with their rows, cells and the texts no kept run uses', () => {
    const only1 = { ...SAMPLE[3]!, detail: '{"only":"run 1"}' };
    writeRun('2024-03-29', [...SAMPLE, only1]);
    writeRun('2024-03-30', SAMPLE);
    writeRun('2024-03-31', SAMPLE.slice(0, 2));
    const outcome = new RunPruner(db, file).prune({ keep: 2 });
    expect(outcome.pruned.map((r) => r.id)).toEqual([1]);
    expect(outcome.kept).toBe(2);
    expect(count('SELECT count(*) AS n FROM runs')).toBe(2);
    expect(count('SELECT count(*) AS n FROM finding_rows WHERE run_id = 1')).toBe(0);
    for (const table of ['run_departures', 'run_crossing_days', 'run_persons_entered']) {
      expect(count(`SELECT count(*) AS n FROM ${table} WHERE run_id = 1`)).toBe(0);
      expect(count(`SELECT count(*) AS n FROM ${table}`)).toBe(2);
    }
    expect(count(`SELECT count(*) AS n FROM finding_details WHERE detail = '{"only":"run 1"}'`)).toBe(0);
    // What the kept runs show is untouched.
    expect(shown(2)).toEqual(SAMPLE);
    expect(shown(3)).toEqual(SAMPLE.slice(0, 2));
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(db.pragma('foreign_key_check')).toEqual([]);
  });

  it('a text still used by a kept run survives even when a newer run that used it goes (--before)', () => {
    writeRun('2024-06-30', SAMPLE); // run 1: the newest as-of, kept
    writeRun('2024-01-31', SAMPLE); // run 2: older as-of, pruned
    const outcome = new RunPruner(db, file).prune({ before: '2024-03-01' });
    expect(outcome.pruned.map((r) => r.id)).toEqual([2]);
    expect(shown(1)).toEqual(SAMPLE);
  });

  it('--keep and --before together delete only runs both select; a dry run deletes nothing', () => {
    writeRun('2024-01-31', SAMPLE);
    writeRun('2024-02-29', SAMPLE);
    writeRun('2024-03-31', SAMPLE);
    writeRun('2024-04-30', SAMPLE);
    const dry = new RunPruner(db, file).prune({ keep: 1, before: '2024-03-01', dryRun: true });
    expect(dry.pruned.map((r) => r.id)).toEqual([1, 2]);
    expect(count('SELECT count(*) AS n FROM runs')).toBe(4);
    expect(count('SELECT count(*) AS n FROM finding_rows')).toBe(4 * SAMPLE.length);
    const real = new RunPruner(db, file).prune({ keep: 1, before: '2024-03-01' });
    expect(real.pruned.map((r) => r.id)).toEqual([1, 2]);
    expect((db.prepare('SELECT id FROM runs ORDER BY id').all() as { id: number }[]).map((r) => r.id)).toEqual([3, 4]);
  });

  it('a new database gives the pages of pruned runs back to the file system', () => {
    expect(db.pragma('auto_vacuum', { simple: true })).toBe(2);
    const many: Shown[] = [];
    for (let i = 0; i < 20_000; i++) many.push({ ...SAMPLE[1]!, person_key: `P${String(i).padStart(7, '0')}`, detail: `{"n":${i}}` });
    writeRun('2024-03-30', many);
    writeRun('2024-03-31', SAMPLE);
    const outcome = new RunPruner(db, file).prune({ keep: 1 });
    expect(outcome.givesSpaceBack).toBe(true);
    // 20,000 rows and texts are well over 1 MB; the file (and its log) shrink by most of it.
    expect(outcome.bytesBefore - outcome.bytesAfter).toBeGreaterThan(1_000_000);
    expect(fs.statSync(file).size + (fs.existsSync(`${file}-wal`) ? fs.statSync(`${file}-wal`).size : 0)).toBe(outcome.bytesAfter);
  });
});

describe('migration to compact findings', () => {
  it('a schema-2 database keeps every finding, shown as before, and the view replaces the table', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stayaudit-migrate-'));
    const file = path.join(dir, 'old.db');
    try {
      const old = openConnection(file, { readonly: false, busyTimeoutMs: 1000, create: true });
      old.close();
      // Rebuild the file as schema 2 by hand: the migrations up to 2 and findings in the old table.
      fs.rmSync(file);
      const Database = (old.constructor as unknown) as new (file: string) => Connection;
      const raw = new Database(file);
      raw.exec('BEGIN');
      for (const sql of MIGRATIONS.slice(0, 2)) raw.exec(sql);
      raw.pragma('user_version = 2');
      raw.exec("INSERT INTO runs VALUES (1, '2024-03-31', 'default', 'c', '{}', 's', 'f', 1, 1, 5, '{}'), (2, '2024-04-01', 'default', 'c', '{}', 's', 'f', 1, 1, 5, '{}')");
      const insert = raw.prepare('INSERT INTO findings VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
      for (const run of [1, 2]) {
        SAMPLE.forEach((f, i) =>
          insert.run(run, i + 1, f.person_key, f.citizenship, f.rule, f.regime, f.entry_date, f.exit_date, f.first_day, f.last_lawful_day, f.days, f.status, f.entry_checkpoint, f.host_id, f.detail),
        );
      }
      raw.exec('COMMIT');
      const before = raw.prepare('SELECT * FROM findings ORDER BY run_id, id').all();
      raw.close();

      const db = openConnection(file, { create: true });
      expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
      expect(db.prepare('SELECT * FROM findings ORDER BY run_id, id').all()).toEqual(before);
      expect(db.prepare("SELECT type FROM sqlite_schema WHERE name = 'findings'").get()).toEqual({ type: 'view' });
      // A new run after the migration reads the same way.
      const writer = new RunWriter(db, file);
      writer.begin({ asOf: '2024-04-02', rulesetName: 'default', rulesetChecksum: 'c', rulesetJson: '{}', startedAt: 's' });
      writer.addFindings(SAMPLE.map(rowOf));
      const run = writer.commit({ persons: 1, stays: 1, findings: SAMPLE.length, counts: {} });
      const third = db.prepare('SELECT * FROM findings WHERE run_id = ? ORDER BY id').all(run) as Record<string, unknown>[];
      expect(third.map((r) => ({ ...r, run_id: 1 }))).toEqual(before.slice(0, SAMPLE.length));
      // Made before incremental auto-vacuum: pruning reuses the space; --vacuum converts it once.
      expect(db.pragma('auto_vacuum', { simple: true })).toBe(0);
      const outcome = pruneRuns(db, file, { keep: 1, vacuum: true });
      expect(outcome.pruned.map((r) => r.id)).toEqual([1, 2]);
      expect(db.pragma('auto_vacuum', { simple: true })).toBe(2);
      expect(outcome.bytesAfter).toBeLessThan(outcome.bytesBefore);
      expect(db.prepare('SELECT * FROM findings ORDER BY run_id, id').all()).toEqual(third);
      db.close();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
