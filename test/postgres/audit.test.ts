/**
 * The audit on PostgreSQL against the audit on SQLite of the same store: a generated
 * findings-heavy year plus the demo year (every rule family) imported into SQLite,
 * copied to PostgreSQL before any audit, then audited on both with the same flags (on
 * PostgreSQL also with two threads over many small units). The PostgreSQL store, copied
 * back to SQLite, must hold the same runs row for row (timestamps aside): findings,
 * words and detail texts with the same ids, statistics cells, totals. Timelines read
 * from PostgreSQL equal SQLite's for every person, and a failed audit leaves no run.
 */
import path from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES, run, tempDir } from '../e2e/helpers.js';
import { openConnection } from '../../src/storage/database.js';
import { chunkCuts, iterateTimelines, loadTimeline } from '../../src/storage/timelines.js';
import { closePostgres, connectPostgres } from '../../src/storage/postgres/connection.js';
import { storeLocation } from '../../src/storage/postgres/location.js';
import { forEachPostgresTimeline, loadPostgresTimeline, openPostgresWorkerSource, PostgresTimelineSource } from '../../src/storage/postgres/timelines.js';
import type { PersonTimeline } from '../../src/core/types.js';
import { SKIP_PG, usePgServer } from './server.js';

const DATASETS = ['crossings', 'registrations', 'permits', 'expulsions'] as const;
/** Two runs: the second finds many of the first's detail texts again (and marks them used). */
const AUDITS = [
  ['audit', '--as-of', '2024-06-30'],
  ['audit', '--as-of', '2024-12-31', '--json', '--fail-on-findings'],
];

/** Rows of a query on an SQLite file, every value as text. */
function rows(file: string, sql: string): (string | null)[][] {
  const db = new Database(file, { readonly: true });
  try {
    return (db.prepare(sql).raw(true).all() as unknown[][]).map((row) => row.map((v) => (v === null ? null : String(v))));
  } finally {
    db.close();
  }
}

/** What a store holds of its audit runs, timestamps aside. */
function runContents(file: string): Record<string, (string | null)[][]> {
  return {
    runs: rows(file, 'SELECT id, as_of, ruleset_name, ruleset_checksum, ruleset_json, persons, stays, findings, counts_json FROM runs ORDER BY id'),
    findings_detail: rows(file, 'SELECT * FROM findings_detail ORDER BY run_id, id'),
    finding_rows: rows(file, 'SELECT * FROM finding_rows ORDER BY run_id, id'),
    finding_words: rows(file, 'SELECT * FROM finding_words ORDER BY id'),
    finding_details: rows(file, 'SELECT * FROM finding_details ORDER BY id'),
    run_departures: rows(file, 'SELECT * FROM run_departures ORDER BY run_id, citizenship, checkpoint, authorised_until'),
    run_crossing_days: rows(file, 'SELECT * FROM run_crossing_days ORDER BY run_id, citizenship, checkpoint, day'),
    run_persons_entered: rows(file, 'SELECT * FROM run_persons_entered ORDER BY run_id, period, grouping, key'),
  };
}

/** A run's printed summary without its duration (and the threads, which the flags choose). */
const timeless = (text: string): string =>
  text.replace(/\(\d+\.\d s\)/g, '(… s)').replace(/"seconds": [\d.]+/g, '"seconds": …').replace(/"workers": \d+/g, '"workers": …');

describe.skipIf(SKIP_PG)('audit on PostgreSQL', () => {
  const pgServer = usePgServer();
  let tmp: ReturnType<typeof tempDir>;
  /** Imported, never audited. */
  let source: string;
  /** The same, audited on SQLite. */
  let reference: string;
  const referenceOut: { code: number | null; stdout: string }[] = [];

  beforeAll(async () => {
    tmp = tempDir('stayaudit-pg-audit-');
    const generated = path.join(tmp.dir, 'gen');
    const made = await run(['generate', '--persons', '4000', '--seed', '3', '--registration-rate', '0.5', '--out', generated]);
    expect(made.code, made.stderr).toBe(0);
    source = path.join(tmp.dir, 'source.db');
    for (const dir of [generated, path.join(FIXTURES, 'demo')]) {
      for (const dataset of DATASETS) {
        const imported = await run(['--db', source, 'import', dataset, path.join(dir, `${dataset}.csv`)]);
        expect([0, 5], imported.stderr).toContain(imported.code);
      }
    }
    reference = path.join(tmp.dir, 'reference.db');
    const db = openConnection(source);
    db.prepare('VACUUM INTO ?').run(reference);
    db.close();
    for (const audit of AUDITS) {
      const audited = await run(['--db', reference, ...audit]);
      expect([0, 6], audited.stderr).toContain(audited.code);
      referenceOut.push({ code: audited.code, stdout: timeless(audited.stdout) });
    }
  });
  afterAll(() => tmp?.cleanup());

  /** A new PostgreSQL store holding what `source` holds (no runs). */
  async function pgCopyOfSource(): Promise<string> {
    const url = await pgServer().database('audit');
    const copied = await run(['copy', '--from', source, '--to', url]);
    expect(copied.code, copied.stderr).toBe(0);
    return url;
  }

  it('stores the runs SQLite stores, with one thread and with two over interleaved units', async () => {
    const want = runContents(reference);
    // Every rule family, and words and details shared between the two runs.
    const rules = new Set(want.findings_detail.map((row) => row[4]));
    for (const rule of ['stay-limit', 'rolling-limit', 'no-basis', 'permit-expired', 'ban-breach', 'unregistered', 'late-registration']) {
      expect(rules, rule).toContain(rule);
    }
    expect(want.findings_detail.length).toBeGreaterThan(1000);
    expect(want.finding_details.some((row) => row[3] === '2')).toBe(true); // last_run: a text the second run used again
    expect(referenceOut[1]!.code).toBe(6);

    for (const variant of [{ flags: ['--workers', '1'], env: {} }, { flags: ['--workers', '2'], env: { STAYAUDIT_SLICE_PERSONS: '7' } }]) {
      const url = await pgCopyOfSource();
      for (const [i, audit] of AUDITS.entries()) {
        const audited = await run(['--db', url, ...audit, ...variant.flags], { env: variant.env });
        expect(audited.stderr, variant.flags.join(' ')).toBe('');
        expect({ code: audited.code, stdout: timeless(audited.stdout) }).toEqual(referenceOut[i]);
      }
      const back = path.join(tmp.dir, `back-${variant.flags[1]}.db`);
      const copied = await run(['copy', '--from', url, '--to', back]);
      expect(copied.code, copied.stderr).toBe(0);
      const got = runContents(back);
      for (const table of Object.keys(want)) expect(got[table], `${table} (${variant.flags.join(' ')})`).toEqual(want[table]);
    }
  });

  it('reads every timeline as SQLite does: each person alone, and all in chunks over key ranges', async () => {
    // The store with values that hold the joined text's separators (those chunks are read
    // row by row), '=' and empty strings next to nulls, and a crossing of an unknown import.
    const hostile = path.join(tmp.dir, 'hostile.db');
    const setup = openConnection(source);
    setup.prepare('VACUUM INTO ?').run(hostile);
    setup.close();
    const db = openConnection(hostile);
    const base = { citizenship: 'RUS', document_no: 'SEP', import_id: 1, line: 1 };
    const insert = (table: string, row: Record<string, unknown>): void => {
      const all = { ...base, ...row };
      db.prepare(`INSERT INTO ${table} (${Object.keys(all).join(', ')}) VALUES (${Object.keys(all).map(() => '?').join(', ')})`).run(...Object.values(all));
    };
    const person = (key: string): void => void db.prepare(`INSERT INTO persons (person_key, citizenship, document_no) VALUES (?, 'RUS', ?)`).run(key, key.slice(4));
    person('RUS:SEP');
    insert('crossings', { person_key: 'RUS:SEP', crossed_at: '2024-02-01 08:00:00', direction: 'IN', checkpoint: 'A\x1eB' });
    insert('crossings', { person_key: 'RUS:SEP', crossed_at: '2024-02-01 09:00:00', direction: 'OUT', checkpoint: 'C\x1fD', import_id: 99 });
    insert('registrations', { person_key: 'RUS:SEP', registered_from: '2024-02-01', content_hash: 'x', host_id: '', host_name: 'N\x1fO' });
    insert('expulsions', { person_key: 'RUS:SEP', decided_on: '2023-05-01', content_hash: 'e', reason: 'R\x1eS' });
    person('RUS:EQ');
    insert('crossings', { person_key: 'RUS:EQ', crossed_at: '2024-04-01 00:00:00', direction: 'IN', checkpoint: '=', citizenship: 'KAZ' });
    insert('permits', { person_key: 'RUS:EQ', permit_no: '=', kind: 'trp', ground: '', valid_from: '2024-01-01', valid_until: '2024-12-31', status: 'active', host_id: '=x', content_hash: 'p' });
    const url = await pgServer().database('audit');
    const copied = await run(['copy', '--from', hostile, '--to', url]);
    expect(copied.code, copied.stderr).toBe(0);

    const location = storeLocation(url);
    if (location.kind !== 'postgres') throw new Error('not a PostgreSQL URL');
    const client = await connectPostgres(location);
    try {
      const want = [...iterateTimelines(db)];
      expect(want.length).toBeGreaterThan(4000);
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      const all: PersonTimeline[] = [];
      await forEachPostgresTimeline(client, {}, (t) => all.push(t));
      expect(all).toEqual(want);
      // A key range cut into slices, as a parallel audit's unit reads it.
      const cuts = chunkCuts(db, 50);
      const ranged: PersonTimeline[] = [];
      await forEachPostgresTimeline(client, { from: cuts[3]!, to: cuts[40]!, cuts: cuts.slice(4, 40) }, (t) => ranged.push(t));
      expect(ranged).toEqual(want.slice(4 * 50, 41 * 50));
      for (const timeline of want) expect(await loadPostgresTimeline(client, timeline.personKey)).toEqual(loadTimeline(db, timeline.personKey));
      expect((await loadPostgresTimeline(client, 'RUS:SEP'))!.crossings.map((c) => c.checkpoint)).toEqual(['A\x1eB', 'C\x1fD']);
      expect(await loadPostgresTimeline(client, 'NOBODY')).toBeUndefined();
      await client.query('COMMIT');
    } finally {
      db.close();
      await closePostgres(client);
    }
  });

  it("lets a worker read the coordinator's snapshot, not what was committed after it", async () => {
    const server = pgServer();
    const url = await pgCopyOfSource();
    const location = storeLocation(url);
    if (location.kind !== 'postgres') throw new Error('not a PostgreSQL URL');
    const coordinator = new PostgresTimelineSource(await connectPostgres(location), location);
    const persons = async (source: { forEach: PostgresTimelineSource['forEach'] }): Promise<number> => {
      let n = 0;
      await source.forEach({}, () => n++);
      return n;
    };
    let before = 0;
    try {
      await coordinator.readAsync(async () => {
        before = await persons(coordinator);
        expect(before).toBeGreaterThan(4000);
        const spec = await coordinator.workerSpec();
        if (spec.kind !== 'postgres') throw new Error('not a PostgreSQL snapshot');
        // Committed after the snapshot was taken: a new person with one crossing.
        await server.sql(url, `INSERT INTO crossings (person_key, crossed_at, direction, citizenship, document_no, checkpoint, import_id, line)
                               VALUES ('ZZZ:LATE', '2024-05-01 10:00:00', 'IN', 'ZZZ', 'LATE', NULL, 1, 1)`);
        const worker = await openPostgresWorkerSource(location, spec.snapshot);
        try {
          expect(await persons(worker)).toBe(before);
        } finally {
          await worker.close();
        }
        expect(await persons(coordinator)).toBe(before);
      });
      // A new snapshot sees it.
      expect(await coordinator.readAsync(() => persons(coordinator))).toBe(before + 1);
    } finally {
      await coordinator.close();
    }
  });

  it('waits for an import in progress as on SQLite: past the busy timeout it is busy (exit 7) and stores nothing', async () => {
    const server = pgServer();
    const url = await pgCopyOfSource();
    const importer = new pg.Client({ connectionString: url });
    await importer.connect();
    try {
      await importer.query('BEGIN');
      await importer.query(`INSERT INTO crossings (person_key, crossed_at, direction, citizenship, document_no, checkpoint, import_id, line)
                            VALUES ('ZZZ:LATE', '2024-05-01 10:00:00', 'IN', 'ZZZ', 'LATE', NULL, 1, 1)`);
      const busy = await run(['--db', url, '--busy-timeout', '1', 'audit', '--as-of', '2024-12-31']);
      expect(busy.code, busy.stderr).toBe(7);
      expect(busy.stderr).toContain('is locked by another process');
      expect(busy.stdout).toBe('');
      expect(await server.sql(url, 'SELECT id FROM runs')).toEqual([]);
      await importer.query('COMMIT');
    } finally {
      await importer.end();
    }
    const audited = await run(['--db', url, '--busy-timeout', '1', 'audit', '--as-of', '2024-12-31']);
    expect(audited.code, audited.stderr).toBe(0);
    expect(audited.stdout).toMatch(/^run 1: as of 2024-12-31/);
  });

  it('leaves no run when the audit fails: a COPY of findings refused, or the connection killed while storing', async () => {
    const server = pgServer();
    const url = await pgCopyOfSource();
    const count = async (table: string): Promise<number> => Number((await server.sql<{ n: string }>(url, `SELECT count(*) AS n FROM ${table}`))[0]!.n);
    const empty = async (): Promise<void> => {
      for (const table of ['runs', 'finding_rows', 'finding_words', 'finding_details', 'run_departures', 'run_crossing_days', 'run_persons_entered']) {
        expect(await count(table), table).toBe(0);
      }
    };
    await server.sql(url, `CREATE FUNCTION planted_failure() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF NEW.id = 1500 THEN RAISE EXCEPTION 'planted failure'; END IF; RETURN NEW; END $$`);
    await server.sql(url, `CREATE TRIGGER planted BEFORE INSERT ON finding_rows FOR EACH ROW EXECUTE FUNCTION planted_failure()`);
    const refused = await run(['--db', url, 'audit', '--as-of', '2024-12-31', '--workers', '2'], { env: { STAYAUDIT_SLICE_PERSONS: '7' } });
    expect(refused.code).toBe(4);
    expect(refused.stderr).toContain('planted failure');
    expect(refused.stdout).toBe('');
    await empty();
    await server.sql(url, 'DROP TRIGGER planted ON finding_rows');

    // The writer's own connection ends while the statistics cells are being stored.
    await server.sql(url, `CREATE FUNCTION planted_kill() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN PERFORM pg_terminate_backend(pg_backend_pid()); RETURN NEW; END $$`);
    await server.sql(url, `CREATE TRIGGER planted BEFORE INSERT ON run_persons_entered FOR EACH ROW EXECUTE FUNCTION planted_kill()`);
    const killed = await run(['--db', url, 'audit', '--as-of', '2024-12-31', '--workers', '1']);
    expect(killed.code, killed.stderr).toBe(4);
    expect(killed.stderr).toMatch(/PostgreSQL/);
    await empty();
    await server.sql(url, 'DROP TRIGGER planted ON run_persons_entered');

    // Nothing was left behind: the next audit is run 1, as on SQLite.
    const audited = await run(['--db', url, ...AUDITS[1]!]);
    expect(referenceOut[1]!.stdout).toContain('"run_id": 2');
    expect({ code: audited.code, stdout: timeless(audited.stdout) }).toEqual({ code: 6, stdout: referenceOut[1]!.stdout.replace('"run_id": 2', '"run_id": 1') });
  });
});
