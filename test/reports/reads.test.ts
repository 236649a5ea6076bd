/**
 * The reads that had bugs when they were SQL in src/reports: `diff` pairing two runs
 * (it must find partners through the findings key, not by scanning one run per finding
 * of the other) and the violators' last address and host (only what was known on the
 * run's as-of date, SPEC §2). Run against the real binary on small made-up data.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openConnection } from '../../src/storage/database.js';
import { SqliteReadStore } from '../../src/storage/read-store.js';
import { SQLITE_DIALECT } from '../../src/storage/reads/dialect.js';
import { diffStatement } from '../../src/storage/reads/diff.js';
import { violatorsStatement } from '../../src/storage/reads/findings.js';
import { csvRecords, run, tempDir } from '../e2e/helpers.js';

/** CSV text as objects by header. */
function records(text: string): Record<string, string>[] {
  const [header, ...rows] = csvRecords(text);
  return rows.map((r) => Object.fromEntries(header!.map((h, i) => [h, r[i] ?? ''])));
}

async function ok(args: string[], db: string): Promise<string> {
  const result = await run(['--db', db, ...args]);
  if (result.code !== 0 && result.code !== 5) throw new Error(`${args.join(' ')} exited ${result.code}: ${result.stderr}`);
  return result.stdout;
}

describe('diff pairs findings through the findings key', () => {
  const tmp = tempDir('stayaudit-diff-');
  const db = path.join(tmp.dir, 'diff.db');

  beforeAll(async () => {
    const data = path.join(tmp.dir, 'data');
    // A findings-heavy year: few registrations, so most stays have a registration finding.
    await ok(['generate', '--persons', '1500', '--seed', '5', '--registration-rate', '0.3', '--out', data], db);
    for (const dataset of ['crossings', 'registrations', 'permits', 'expulsions']) await ok(['import', dataset, path.join(data, `${dataset}.csv`)], db);
    await ok(['audit', '--as-of', '2024-06-30'], db);
    await ok(['audit', '--as-of', '2024-12-31'], db);
  }, 120_000);
  afterAll(() => tmp.cleanup());

  it('looks each partner up by (run_id, person_key): no join scans a run', () => {
    const store = new SqliteReadStore(openConnection(db, { readonly: true }), db);
    try {
      for (const filter of [{}, { address: 'almaty', rules: ['unregistered', 'stay-limit'] }]) {
        const { sql, params } = diffStatement(1, 2, filter, { includeUnchanged: true });
        const plan = store.allNow<{ detail: string }>(`EXPLAIN QUERY PLAN ${sql}`, params).map((r) => r.detail);
        // Joins reaching the findings (the persons' identity is joined by its own key).
        const joins = plan.filter((d) => /\b(LEFT|RIGHT)-JOIN\b/.test(d) && !/^SEARCH p(_recent)? USING PRIMARY KEY \(person_key=\?\)/.test(d));
        expect(joins.length).toBeGreaterThan(0);
        // A full outer join planned "SCAN b LEFT-JOIN" and "RIGHT-JOIN b": run B once per finding of run A.
        for (const step of joins) expect(step).toMatch(/^SEARCH \w+ USING PRIMARY KEY \(run_id=\? AND person_key=\?\)/);
      }
    } finally {
      void store.close();
    }
  });

  it('pairs exactly as a full outer join on person, rule and entry day does', async () => {
    const [a, b] = [records(await ok(['findings', '--run', '1', '--format', 'csv'], db)), records(await ok(['findings', '--run', '2', '--format', 'csv'], db))];
    const key = (f: Record<string, string>): string => `${f['person_key']}|${f['rule']}|${f['entry_date']}`;
    const expected: string[] = [];
    const matchedB = new Set<Record<string, string>>();
    for (const fa of a) {
      const partners = b.filter((fb) => key(fb) === key(fa));
      for (const fb of partners) {
        matchedB.add(fb);
        const changed = ['first_day', 'status', 'exit_date', 'regime'].some((c) => fa[c] !== fb[c]);
        const change = changed ? 'changed' : fa['days'] !== fb['days'] ? 'continuing' : 'unchanged';
        expected.push(`${change}|${key(fa)}|${fa['days']}|${fb['days']}`);
      }
      if (partners.length === 0) expected.push(`disappeared|${key(fa)}|${fa['days']}|`);
    }
    for (const fb of b) if (!matchedB.has(fb)) expected.push(`appeared|${key(fb)}||${fb['days']}`);
    const listed = records(await ok(['diff', '1', '2', '--all', '--format', 'csv'], db)).map(
      (d) => `${d['change']}|${d['person_key']}|${d['rule']}|${d['entry_date']}|${d['days_a']}|${d['days_b']}`,
    );
    expect(expected.length).toBeGreaterThan(500);
    expect(new Set(expected.map((e) => e.split('|')[0])).size).toBeGreaterThanOrEqual(4);
    expect(listed.sort()).toEqual(expected.sort());
  }, 60_000);
});

describe("violators' last address and host as of the run", () => {
  const tmp = tempDir('stayaudit-lastplace-');
  const db = path.join(tmp.dir, 'v.db');
  const file = (name: string, text: string): string => {
    const target = path.join(tmp.dir, name);
    fs.writeFileSync(target, text);
    return target;
  };

  beforeAll(async () => {
    // Two Russians who entered in January and stayed (over the 90-day cap by April).
    const crossings = file(
      'crossings.csv',
      'person_id,document_no,citizenship,surname,given_names,birth_date,sex,direction,crossed_at,checkpoint\n' +
        '800000000001,880000001,RUS,ORLOV,OLEG,1980-01-01,M,IN,2024-01-10 10:00,ALA-AIRPORT\n' +
        '800000000002,880000002,RUS,GROMOVA,OLGA,1985-02-02,F,IN,2024-01-05 10:00,ALA-AIRPORT\n',
    );
    // Orlov: one registration known on 2024-06-30, one notified after it, one starting after it.
    const registrations = file(
      'registrations.csv',
      'person_id,document_no,citizenship,registered_from,registered_until,notified_on,address,host_id,host_name\n' +
        '800000000001,880000001,RUS,2024-01-11,2024-12-31,2024-01-12,"ALMATY, ABAY 1",H-KNOWN,KNOWN LLP\n' +
        '800000000001,880000001,RUS,2024-06-20,2024-12-31,2024-07-05,"ASTANA, LATE NOTICE 2",H-LATE,LATE LLP\n' +
        '800000000001,880000001,RUS,2024-08-01,2024-12-31,2024-08-01,"SHYMKENT, FUTURE 3",H-FUTURE,FUTURE LLP\n',
    );
    // Gromova: only a permit that starts after 2024-06-30.
    const permits = file(
      'permits.csv',
      'permit_no,person_id,document_no,citizenship,kind,ground,valid_from,valid_until,status,revoked_on,address,host_id\n' +
        'RVP-LATE-1,800000000002,880000002,RUS,trp,employment,2024-09-01,2025-08-31,active,,"KARAGANDA, PERMIT 4",H-PERMIT\n',
    );
    await ok(['import', 'crossings', crossings], db);
    await ok(['import', 'registrations', registrations], db);
    await ok(['import', 'permits', permits], db);
    await ok(['audit', '--as-of', '2024-06-30'], db);
    await ok(['audit', '--as-of', '2024-12-31'], db);
  }, 60_000);
  afterAll(() => tmp.cleanup());

  const lastPlaces = async (runId: number): Promise<Record<string, [string, string]>> =>
    Object.fromEntries(
      records(await ok(['violators', '--run', String(runId), '--format', 'csv'], db)).map((v) => [v['surname']!, [v['last_address']!, v['last_host']!]]),
    );

  it('as of 2024-06-30, only the registration notified by then counts; a later permit does not', async () => {
    expect(await lastPlaces(1)).toEqual({ ORLOV: ['ALMATY, ABAY 1', 'H-KNOWN'], GROMOVA: ['', ''] });
  });

  it('as of 2024-12-31, the latest of them counts', async () => {
    expect(await lastPlaces(2)).toEqual({ ORLOV: ['SHYMKENT, FUTURE 3', 'H-FUTURE'], GROMOVA: ['KARAGANDA, PERMIT 4', 'H-PERMIT'] });
  });

  it("looks each violator's registrations and permits up by person key, not in a list of every violator's", () => {
    // Such a list, built once and searched per violator, was scanned whole for each one
    // (the national year: 11.3 s for 8,942 violators, 0.6 s now).
    const store = new SqliteReadStore(openConnection(db, { readonly: true }), db);
    try {
      for (const filter of [{}, { rules: ['stay-limit'], citizenships: ['RUS'] }]) {
        const { sql, params } = violatorsStatement({ id: 2, as_of: '2024-12-31' }, filter, { sort: [{ column: 'surname', descending: false }], limit: 10 }, SQLITE_DIALECT);
        const plan = store.allNow<{ detail: string }>(`EXPLAIN QUERY PLAN ${sql}`, params).map((r) => r.detail);
        const places = plan.filter((d) => /\b(registrations|permits|r|m)\b/.test(d) && !/^(COMPOUND|LEFT-MOST|UNION)/.test(d));
        // Last address and last host: each a registration and a permit search, by the violator's key.
        expect(places).toEqual(Array(2).fill(['SEARCH r USING PRIMARY KEY (person_key=?)', 'SEARCH m USING PRIMARY KEY (person_key=?)']).flat());
        expect(plan.filter((d) => /^(MATERIALIZE|LIST SUBQUERY)/.test(d) && d !== 'MATERIALIZE v')).toEqual([]);
      }
    } finally {
      void store.close();
    }
  });
});
