/**
 * The import side on PostgreSQL (issue 17): the same files imported into an SQLite file
 * and a PostgreSQL store give the same output, exit code and stored rows (ledger,
 * data, persons, kept rejects); a file failing half-way leaves the server store as
 * before; the nightly job's import phase skips what it imported; the nightly lock is
 * one advisory lock across connections and processes.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import Database from 'better-sqlite3';
import { SCHEMA_VERSION } from '../../src/storage/schema.js';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BusyError } from '../../src/errors.js';
import { acquireNightlyLock } from '../../src/nightly/lock.js';
import { runNightly, type NightlyDatabase } from '../../src/nightly/nightly.js';
import { loadRuleset } from '../../src/audit/load-ruleset.js';
import { connectImportStore } from '../../src/storage/import-store.js';
import { IMPORT_ADVISORY_KEY } from '../../src/storage/postgres/import-store.js';
import { storeAddress, type StoreAddress } from '../../src/storage/open-store.js';
import { FIXTURES, ROOT, run, tempDir, writeCsv } from '../e2e/helpers.js';
import { SKIP_PG, usePgServer, type PgServer } from './server.js';

const DATASETS = ['crossings', 'registrations', 'permits', 'expulsions'] as const;

/** Columns that hold the time of day an import or publication ran, or a per-store secret. */
const VOLATILE: Record<string, readonly string[]> = {
  imports: ['started_at', 'finished_at'],
  nightly_rejects_published: ['published_at'],
};
const TABLES = ['imports', 'persons', 'crossings', 'registrations', 'permits', 'expulsions', 'import_rejects', 'import_reject_headers', 'nightly_rejects_published'];

/** Every row of the import's tables as JSON text, sorted (the stores' insertion orders need not agree). */
function sqliteTables(file: string): Record<string, string[]> {
  const db = new Database(file, { readonly: true });
  try {
    const out: Record<string, string[]> = {};
    for (const table of TABLES) {
      const columns = (db.prepare('SELECT name FROM pragma_table_info(?)').pluck().all(table) as string[]).filter((c) => !VOLATILE[table]?.includes(c));
      // A small SQLite import appends to the recent twins of crossings and persons (schema 8).
      const from = table === 'crossings' || table === 'persons' ? `(SELECT * FROM ${table} UNION ALL SELECT * FROM ${table}_recent)` : table;
      const rows = db.prepare(`SELECT ${columns.join(', ')} FROM ${from}`).raw(true).all() as unknown[][];
      out[table] = rows.map((row) => JSON.stringify(row.map((v) => (v === null ? null : String(v))))).sort();
    }
    return out;
  } finally {
    db.close();
  }
}

async function pgTables(server: PgServer, url: string): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const table of TABLES) {
    const columns = (
      await server.sql<{ name: string }>(url, `SELECT attname AS name FROM pg_attribute WHERE attrelid = $1::regclass AND attnum > 0 AND NOT attisdropped ORDER BY attnum`, [table])
    )
      .map((c) => c.name)
      .filter((c) => !VOLATILE[table]?.includes(c));
    const rows = await server.sql(url, `SELECT ${columns.map((c) => `${c}::text AS ${c}`).join(', ')} FROM ${table}`);
    out[table] = rows.map((row) => JSON.stringify(columns.map((c) => row[c] ?? null))).sort();
  }
  return out;
}

/** Runs the same import on both stores; the two results must agree (the store's name aside). */
async function importBoth(sqlite: string, url: string, args: readonly string[], rejects?: { sqlite: string; pg: string }): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const a = await run(['--db', sqlite, 'import', ...args, ...(rejects ? ['--rejects', rejects.sqlite] : [])]);
  const b = await run(['--db', url, 'import', ...args, ...(rejects ? ['--rejects', rejects.pg] : [])]);
  const same = (text: string, from: string, to: string): string => text.split(from).join(to);
  expect(b.code, b.stderr).toBe(a.code);
  expect(b.stdout).toBe(rejects ? same(a.stdout, rejects.sqlite, rejects.pg) : a.stdout);
  expect(b.stderr).toBe(rejects ? same(a.stderr, rejects.sqlite, rejects.pg) : a.stderr);
  if (rejects && fs.existsSync(rejects.sqlite)) expect(fs.readFileSync(rejects.pg, 'utf8')).toBe(fs.readFileSync(rejects.sqlite, 'utf8'));
  return a;
}

describe.skipIf(SKIP_PG)('import into PostgreSQL', () => {
  const pgServer = usePgServer();
  let tmp: ReturnType<typeof tempDir>;
  let year: string;
  beforeAll(async () => {
    tmp = tempDir('stayaudit-pg-import-');
    // A generated year with a good share of malformed rows.
    year = path.join(tmp.dir, 'year');
    const generated = await run(['generate', '--persons', '3000', '--seed', '17', '--malformed', '0.02', '--out', year]);
    expect(generated.code, generated.stderr).toBe(0);
  });
  afterAll(() => tmp?.cleanup());

  it('the demo year and a generated year with bad rows: same output, exit codes, rejects files and stored rows', async () => {
    const server = pgServer();
    const url = await server.database('imp');
    const sqlite = path.join(tmp.dir, 'same.db');
    let n = 0;
    for (const folder of [path.join(FIXTURES, 'demo'), year]) {
      for (const dataset of DATASETS) {
        const rejects = { sqlite: path.join(tmp.dir, `r-sqlite-${++n}.csv`), pg: path.join(tmp.dir, `r-pg-${n}.csv`) };
        const result = await importBoth(sqlite, url, [dataset, path.join(folder, `${dataset}.csv`)], rejects);
        expect([0, 5], result.stderr).toContain(result.code);
      }
    }
    // Everything again, two files at once (a new ledger row each, every row a duplicate),
    // with --json (the summary on stdout).
    const again = await importBoth(sqlite, url, ['crossings', path.join(year, 'crossings.csv'), path.join(FIXTURES, 'demo', 'crossings.csv'), '--json']);
    expect(again.stdout).toContain('"duplicate"');
    expect(again.stderr).toMatch(/crossings: \d+ read, 0 added, \d+ duplicate/);

    const stored = await pgTables(server, url);
    expect(stored['crossings']!.length).toBeGreaterThan(10_000);
    expect(stored['import_rejects']!.length).toBeGreaterThan(50);
    expect(stored['imports']).toHaveLength(10);
    expect(stored).toEqual(sqliteTables(sqlite));
    // The first import into each empty table built its key (and the persons' key and document
    // index) after the rows instead of while inserting them: all are back, unique where they were.
    const indexes = await server.sql<{ indexname: string; indexdef: string }>(url, `SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema()`);
    const defs = new Map(indexes.map((i) => [i.indexname, i.indexdef]));
    for (const key of ['crossings_pkey', 'registrations_pkey', 'expulsions_pkey', 'persons_pkey']) expect(defs.get(key), key).toMatch(/^CREATE UNIQUE INDEX/);
    expect(defs.get('persons_document')).toMatch(/^CREATE INDEX persons_document ON \S*persons USING btree \(document_no\)$/);
    const keys = await server.sql<{ conname: string }>(url, `SELECT conname FROM pg_constraint WHERE contype = 'p' AND conrelid IN ('crossings'::regclass, 'registrations'::regclass, 'expulsions'::regclass, 'persons'::regclass)`);
    expect(keys.map((k) => k.conname).sort()).toEqual(['crossings_pkey', 'expulsions_pkey', 'persons_pkey', 'registrations_pkey']);
  });

  it('merges as SQLite does: persons completed, permits replaced line after line, duplicates counted', async () => {
    const server = pgServer();
    const url = await server.database('merge');
    const sqlite = path.join(tmp.dir, 'merge.db');
    const dir = tmp.dir;
    const CROSSINGS = 'person_id,document_no,citizenship,surname,given_names,birth_date,sex,direction,crossed_at,checkpoint';
    const PERMITS = 'permit_no,person_id,document_no,citizenship,kind,ground,valid_from,valid_until,status,revoked_on,address,host_id';
    const files = [
      ['crossings', writeCsv(dir, 'm-c1.csv', [CROSSINGS, 'P1,D1,UZB,,,,,IN,2024-01-05,ALA', 'P1,D1,UZB,,,,,IN,2024-01-05,NQZ', 'P2,D2,KGZ,Ivanov,,1990-01-01,M,IN,2024-01-06,ALA', 'P3,D3,TJK,"Tab\there",Back\\slash,,F,OUT,2024-02-01,ALA'])],
      // Names given later fill the stored blanks and replace a changed value; blanks keep what is stored.
      ['crossings', writeCsv(dir, 'm-c2.csv', [CROSSINGS, 'P1,D1,UZB,Karimov,Aziz,1985-03-03,M,OUT,2024-02-05,ALA', 'P2,D2,KGZ,Ivanova,,,,OUT,2024-02-06,ALA', 'P2,D2,KGZ,,,,,OUT,2024-02-06,ALA'])],
      ['permits', writeCsv(dir, 'm-p1.csv', [PERMITS, 'K1,P1,D1,UZB,trp,work,2024-01-01,2024-12-31,active,,Almaty,H1', 'K2,P2,D2,KGZ,visa,,2024-01-01,2024-03-31,active,,,'])],
      // K1 twice, changed then back (two updates, the last line stays); K2 identical twice
      // (duplicates); K3 new and then changed within the file (one added, one updated).
      ['permits', writeCsv(dir, 'm-p2.csv', [
        PERMITS,
        'K3,P3,D3,TJK,trp,study,2024-02-01,2025-01-31,active,,,',
        'K1,P1,D1,UZB,trp,work,2024-01-01,2024-12-31,revoked,2024-06-01,Almaty,H1',
        'K2,P2,D2,KGZ,visa,,2024-01-01,2024-03-31,active,,,',
        'K1,P1,D1,UZB,trp,work,2024-01-01,2024-12-31,active,,Almaty,H1',
        'K3,P3,D3,TJK,trp,study,2024-02-01,2025-01-31,annulled,,,',
        'K2,P2,D2,KGZ,visa,,2024-01-01,2024-03-31,active,,,',
      ])],
    ] as const;
    const outputs: string[] = [];
    for (const [dataset, file] of files) outputs.push((await importBoth(sqlite, url, [dataset, file])).stderr);
    expect(outputs[1]).toContain('3 read, 2 added, 1 duplicate');
    expect(outputs[3]).toContain('6 read, 1 added, 3 updated, 2 duplicate');
    expect(await pgTables(server, url)).toEqual(sqliteTables(sqlite));
    expect(await server.sql(url, `SELECT surname, given_names, birth_date, sex FROM persons WHERE person_key = 'P2'`)).toEqual([{ surname: 'Ivanova', given_names: null, birth_date: '1990-01-01', sex: 'M' }]);
    expect(await server.sql(url, `SELECT status, person_id, line::integer AS line FROM permits WHERE permit_no = 'K1'`)).toEqual([{ status: 'active', person_id: 'P1', line: 5 }]);
  });

  it('a first import merged in segments while the file is read stores and counts as SQLite, duplicates across segments included', async () => {
    const server = pgServer();
    const url = await server.database('segments');
    const sqlite = path.join(tmp.dir, 'segments.db');
    const clean = path.join(tmp.dir, 'clean-year');
    // Over 10,000 crossings: the import stages them in batches of 5,000, a segment at least each.
    const generated = await run(['generate', '--persons', '6000', '--seed', '5', '--out', clean]);
    expect(generated.code, generated.stderr).toBe(0);
    // The year's crossings with one line repeated at once (a duplicate within a segment)
    // and the first five again at the end (duplicates in the last segment of keys the
    // first holds), each repeat at another checkpoint: the first line of a key wins.
    const [header, ...data] = fs.readFileSync(path.join(clean, 'crossings.csv'), 'utf8').trimEnd().split('\n');
    const later = (line: string): string => line.replace(/,[^,]*$/, ',LATER-CHECKPOINT');
    const crossings = writeCsv(tmp.dir, 'segments.csv', [header!, ...data.slice(0, 10), later(data[9]!), ...data.slice(10), ...data.slice(0, 5).map(later)]);
    const env = { STAYAUDIT_PG_SEGMENT_ROWS: '1000' };
    for (const [dataset, file] of [
      ['crossings', crossings],
      ['registrations', path.join(clean, 'registrations.csv')],
    ] as const) {
      const a = await run(['--db', sqlite, 'import', dataset, file]);
      const b = await run(['--db', url, 'import', dataset, file], { env });
      expect([0, 5], a.stderr).toContain(a.code);
      expect(b.code, b.stderr).toBe(a.code);
      expect(b.stdout).toBe(a.stdout);
      expect(b.stderr).toBe(a.stderr);
      if (dataset === 'crossings') expect(b.stderr).toMatch(/crossings: [\d,]+ read, [\d,]+ added, 6 duplicate/);
    }
    expect(await pgTables(server, url)).toEqual(sqliteTables(sqlite));
    // Merged in segments indeed: the first batch's rows (lines up to 5,001) were stored
    // first, as a run of their own (merged whole, a third of the first 4,000 would be).
    const first = await server.sql<{ n: number }>(url, `SELECT count(*)::integer AS n FROM (SELECT line FROM crossings ORDER BY ctid LIMIT 4000) t WHERE line <= 5001`);
    expect(first[0]!.n).toBeGreaterThan(3500);
    const keys = await server.sql<{ conname: string }>(url, `SELECT conname FROM pg_constraint WHERE contype = 'p' AND conrelid IN ('crossings'::regclass, 'registrations'::regclass)`);
    expect(keys.map((k) => k.conname).sort()).toEqual(['crossings_pkey', 'registrations_pkey']);
    const bad = await run(['--db', url, 'import', 'crossings', crossings], { env: { STAYAUDIT_PG_SEGMENT_ROWS: 'many' } });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('STAYAUDIT_PG_SEGMENT_ROWS must be a whole number');
  });

  it('a file failing half-way leaves the store as before; the next import gets the id SQLite gives', async () => {
    const server = pgServer();
    const url = await server.database('fail');
    const sqlite = path.join(tmp.dir, 'fail.db');
    await importBoth(sqlite, url, ['crossings', path.join(FIXTURES, 'demo', 'crossings.csv')]);
    // A constraint of this server store only: the 12,000th row breaks it, after more
    // than a megabyte of rows went to the server (one staging COPY at least).
    await server.sql(url, `ALTER TABLE crossings ADD CONSTRAINT no_boom CHECK (checkpoint <> 'BOOM')`);
    const before = await pgTables(server, url);
    const header = 'person_id,document_no,citizenship,surname,given_names,birth_date,sex,direction,crossed_at,checkpoint';
    const rows = Array.from({ length: 12_000 }, (_, i) => `F${i},DOC${i},UZB,Surname${i},Given,1990-01-01,M,IN,2024-03-01,${i === 11_999 ? 'BOOM' : 'ALA'}`);
    const big = writeCsv(tmp.dir, 'boom.csv', [header, ...rows]);
    const failed = await run(['--db', url, 'import', 'crossings', big, writeCsv(tmp.dir, 'after.csv', [header, 'Z1,Z1,UZB,,,,,IN,2024-01-01,ALA'])]);
    expect(failed.code).toBe(4);
    expect(failed.stderr).toContain('no_boom');
    expect(failed.stderr).not.toContain('after.csv'); // a storage error stops the files after it
    expect(await pgTables(server, url)).toEqual(before);
    expect(await server.sql(url, `SELECT count(*)::integer AS n FROM pg_locks WHERE locktype = 'advisory'`)).toEqual([{ n: 0 }]);

    // An input that breaks after about 29,000 good rows (a truncated gzip; megabytes of
    // rows went to the server): the same input error on both stores (exit code 3), and
    // nothing of it kept.
    const gz = path.join(tmp.dir, 'truncated.csv.gz');
    const good = rows.map((r) => r.replace('BOOM', 'ALA'));
    const whole = zlib.gzipSync(Buffer.from([header, ...good, ...good.map((r) => r.replace(/^F/, 'G')), ...good.map((r) => r.replace(/^F/, 'H'))].join('\n') + '\n'));
    fs.writeFileSync(gz, whole.subarray(0, Math.floor(whole.length * 0.8)));
    const truncated = await importBoth(sqlite, url, ['crossings', gz]);
    expect(truncated.code).toBe(3);
    expect(await pgTables(server, url)).toEqual(before);

    // The same store takes the next file, under the ledger id SQLite gives it.
    await server.sql(url, 'ALTER TABLE crossings DROP CONSTRAINT no_boom');
    await importBoth(sqlite, url, ['registrations', path.join(FIXTURES, 'demo', 'registrations.csv')]);
    expect(await pgTables(server, url)).toEqual(sqliteTables(sqlite));
  });

  it('a connection killed during the import: exit code 4, and readers saw the store as before throughout', async () => {
    const server = pgServer();
    const url = await server.database('kill');
    expect((await run(['--db', url, 'import', 'permits', path.join(FIXTURES, 'demo', 'permits.csv')])).code).toBe(5);
    const before = await pgTables(server, url);
    const header = 'person_id,document_no,citizenship,surname,given_names,birth_date,sex,direction,crossed_at,checkpoint';
    const rows = Array.from({ length: 300_000 }, (_, i) => `K${i},DOC${i},UZB,Surname${i},Given,1990-01-01,M,IN,2024-03-01,ALA`);
    const big = writeCsv(tmp.dir, 'kill.csv', [header, ...rows]);
    const importing = run(['--db', url, 'import', 'crossings', big]);
    // Wait until rows are going to the server (a COPY in the import's transaction), then kill its session.
    let killed = false;
    for (let i = 0; i < 600 && !killed; i++) {
      const copying = await server.sql<{ pid: number }>(url, `SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'stayaudit' AND query LIKE 'COPY %stage_crossings%'`);
      if (copying.length > 0) {
        // A reader meanwhile sees none of the rows staged or merged so far.
        expect(await server.sql(url, 'SELECT count(*)::integer AS n FROM imports')).toEqual([{ n: 1 }]);
        await server.sql(url, 'SELECT pg_terminate_backend($1)', [copying[0]!.pid]);
        killed = true;
      } else await new Promise((resolve) => setTimeout(resolve, 25));
    }
    expect(killed).toBe(true);
    const result = await importing;
    expect(result.code).toBe(4);
    expect(result.stderr).toContain(`error: lost the connection to the PostgreSQL store while importing ${big}; nothing of the file was kept`);
    expect(await pgTables(server, url)).toEqual(before);
  });

  it('one import writes at a time: the second waits up to --busy-timeout, then fails as on SQLite (exit code 4), changing nothing', async () => {
    const server = pgServer();
    const url = await server.database('busy');
    const file = path.join(FIXTURES, 'demo', 'expulsions.csv');
    expect((await run(['--db', url, 'import', 'expulsions', file])).code).toBe(5);
    const before = await pgTables(server, url);
    // Another writer's session holds the import lock (as an import in progress does).
    const holder = new pg.Client({ connectionString: url });
    await holder.connect();
    try {
      await holder.query('BEGIN');
      await holder.query('SELECT pg_advisory_xact_lock($1)', [IMPORT_ADVISORY_KEY]);
      const blocked = await run(['--db', url, '--busy-timeout', '0.3', 'import', 'expulsions', file]);
      expect(blocked.code).toBe(4);
      expect(blocked.stderr).toBe(`error: database ${url} is locked by another process\nhint: wait for the other import or audit to finish, or raise --busy-timeout\n`);
      expect(await pgTables(server, url)).toEqual(before);
      // With time to wait, it goes in once the other writer commits.
      const waiting = run(['--db', url, '--busy-timeout', '30', 'import', 'expulsions', file]);
      await new Promise((resolve) => setTimeout(resolve, 1500));
      await holder.query('COMMIT');
      const waited = await waiting;
      expect(waited.code, waited.stderr).toBe(5);
      expect(waited.stderr).toContain('5 read, 0 added, 4 duplicate, 1 rejected');
    } finally {
      await holder.end();
    }
  });

  it('a missing schema is created on first import (as SQLite creates the file); a foreign database is refused untouched', async () => {
    const server = pgServer();
    const url = await server.database('fresh');
    const first = await run(['--db', url, 'import', 'expulsions', path.join(FIXTURES, 'demo', 'expulsions.csv')]);
    expect(first.code, first.stderr).toBe(5);
    expect(await server.sql(url, 'SELECT max(version)::integer AS v FROM stayaudit_schema')).toEqual([{ v: SCHEMA_VERSION }]);

    const foreign = await server.database('foreign');
    await server.sql(foreign, 'CREATE TABLE orders (id integer)');
    const refused = await run(['--db', foreign, 'import', 'expulsions', path.join(FIXTURES, 'demo', 'expulsions.csv')]);
    expect(refused.code).toBe(4);
    expect(refused.stderr).toContain('already holds tables of another application');
    expect(await server.sql(foreign, `SELECT count(*)::integer AS n FROM pg_tables WHERE schemaname = 'public'`)).toEqual([{ n: 1 }]);
  });

  it("nightly's import phase: the inbox imported as into SQLite, its rejects kept and marked, a second night skips every file", async () => {
    const server = pgServer();
    const url = await server.database('night');
    const inbox = path.join(tmp.dir, 'inbox');
    fs.mkdirSync(inbox);
    for (const dataset of DATASETS) fs.copyFileSync(path.join(FIXTURES, 'demo', `${dataset}.csv`), path.join(inbox, `${dataset}.csv`));
    fs.writeFileSync(path.join(inbox, 'crossings-broken.csv'), 'not,a,crossings,header\n1,2,3,4\n');

    /** The nightly job up to its audit, which stops it (the audit side is another helper's). */
    async function importPhase(address: StoreAddress): Promise<string[]> {
      const log: string[] = [];
      const stop = new Error('stop after the import phase');
      const db: NightlyDatabase = {
        file: address.location.label,
        importStore: () => connectImportStore(address),
        audit: () => Promise.reject(stop),
        readStore: () => {
          throw stop;
        },
        pruneRuns: () => {
          throw stop;
        },
      };
      await expect(
        runNightly(db, { inbox, reports: path.join(tmp.dir, 'reports'), asOf: '2022-12-31', ruleset: loadRuleset(undefined), quarantine: null, log: (line) => log.push(line) }),
      ).rejects.toBe(stop);
      return log;
    }
    const sqlite = path.join(tmp.dir, 'night.db');
    const sqliteAddress = storeAddress(sqlite, {}, ROOT);
    const pgAddress = storeAddress(url, {}, ROOT);
    const logged = await importPhase(pgAddress);
    expect(logged.filter((l) => l.startsWith('imported '))).toHaveLength(4);
    expect(logged.some((l) => l.startsWith('failed crossings-broken.csv'))).toBe(true);
    expect(logged).toEqual(await importPhase(sqliteAddress));
    // A second night imports nothing new on either store.
    expect(await importPhase(pgAddress)).toEqual(logged.filter((l) => l.startsWith('failed ')));
    expect(await importPhase(sqliteAddress)).toEqual(logged.filter((l) => l.startsWith('failed ')));

    // The kept rejects read back (line order) and the published marks, through the store.
    for (const address of [pgAddress, sqliteAddress]) {
      const store = await connectImportStore(address);
      try {
        const previous = await store.findImportByChecksum((await server.sql<{ checksum: string }>(url, `SELECT checksum FROM imports WHERE dataset = 'crossings'`))[0]!.checksum);
        expect(previous).toMatchObject({ id: 1, dataset: 'crossings', rejected: 4 });
        expect(await store.rejectHeader(1)).toEqual(fs.readFileSync(path.join(inbox, 'crossings.csv'), 'utf8').split('\n')[0]!.split(','));
        const lines: number[] = [];
        for await (const reject of store.storedRejects(1)) lines.push(reject.line);
        expect(lines).toHaveLength(4);
        expect([...lines].sort((a, b) => a - b)).toEqual(lines);
        expect(await store.rejectsPublished(1)).toBe(false);
        await store.markRejectsPublished([1, 2], '2022-12-31T00:00:00Z');
        await store.markRejectsPublished([1], '2023-01-01T00:00:00Z');
        expect(await store.rejectsPublished(1)).toBe(true);
        expect(await store.rejectsPublished(3)).toBe(false);
      } finally {
        await store.close();
      }
    }
    expect(await pgTables(server, url)).toEqual(sqliteTables(sqlite));
    expect(await server.sql(url, `SELECT published_at FROM nightly_rejects_published WHERE import_id = 1`)).toEqual([{ published_at: '2022-12-31T00:00:00Z' }]);
  });
});

describe.skipIf(SKIP_PG)('the nightly lock on PostgreSQL', () => {
  const pgServer = usePgServer();

  it('one holder at a time across connections: a second gets a BusyError (exit code 7), or waits with --wait', async () => {
    const url = await pgServer().database('lock');
    const address = storeAddress(url, {}, ROOT);
    const first = await acquireNightlyLock(address, 0);
    const refused = await acquireNightlyLock(address, 0).then(
      () => null,
      (error: unknown) => error,
    );
    expect(refused).toBeInstanceOf(BusyError);
    expect((refused as BusyError).exitCode).toBe(7);
    expect((refused as BusyError).message).toMatch(/^another nightly job is running \(lock advisory lock \d+ on .*: server process \d+ since /);
    // Waiting: the first lets go after half a second, the second gets it within its second.
    const started = Date.now();
    setTimeout(() => void first.release(), 500);
    const second = await acquireNightlyLock(address, 5000);
    expect(Date.now() - started).toBeGreaterThanOrEqual(450);
    await second.release();
    // Another database of the same server has a lock of its own.
    const other = await acquireNightlyLock(storeAddress(await pgServer().database('lock'), {}, ROOT), 0);
    const again = await acquireNightlyLock(address, 0);
    await Promise.all([other.release(), again.release()]);
  });

  it('across processes: a nightly job meets the lock another process holds, and takes it once that process dies', async () => {
    const url = await pgServer().database('lockp');
    const lockModule = path.join(ROOT, 'dist', 'nightly', 'lock.js');
    const openStore = path.join(ROOT, 'dist', 'storage', 'open-store.js');
    const holder = spawn(
      process.execPath,
      ['--input-type=module', '-e', `const { acquireNightlyLock } = await import(${JSON.stringify(lockModule)}); const { storeAddress } = await import(${JSON.stringify(openStore)});
       await acquireNightlyLock(storeAddress(${JSON.stringify(url)}, {}, '/'), 0); console.log('held'); setInterval(() => {}, 1000);`],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    try {
      await new Promise<void>((resolve, reject) => {
        holder.stdout!.on('data', (chunk: Buffer) => chunk.toString().includes('held') && resolve());
        holder.on('exit', (code) => reject(new Error(`the holder exited (${code})`)));
      });
      const inbox = tempDir('stayaudit-pg-lock-');
      try {
        const busy = await run(['--db', url, 'nightly', '--inbox', inbox.dir, '--reports', path.join(inbox.dir, 'reports')]);
        expect(busy.code).toBe(7);
        expect(busy.stderr).toContain('another nightly job is running');
        expect(busy.stderr).toContain('--wait SECONDS');
        holder.kill('SIGKILL');
        // The server ends the dead holder's session, and with it the lock.
        const address = storeAddress(url, {}, ROOT);
        const taken = await acquireNightlyLock(address, 10_000);
        await taken.release();
      } finally {
        inbox.cleanup();
      }
    } finally {
      holder.kill('SIGKILL');
    }
  });
});

describe('import and nightly on a PostgreSQL server that cannot be reached', () => {
  const url = 'postgres://analyst:hunter2@127.0.0.1:1/stayaudit';
  it.each([
    ['import', 'crossings', path.join(FIXTURES, 'demo', 'crossings.csv')],
    ['nightly', '--inbox', FIXTURES, '--reports', 'reports'],
  ])('%s exits 4 saying it cannot connect, never showing the password', async (...args: string[]) => {
    const result = await run(['--db', url, ...args]);
    expect(result.code).toBe(4);
    expect(result.stderr).toContain('error: cannot connect to PostgreSQL at postgres://analyst:***@127.0.0.1:1/stayaudit');
    expect(result.stdout + result.stderr).not.toContain('hunter2');
  });
});
