import { tryExclusiveLock, type ExclusiveLock } from '../../src/storage/exclusive-lock.js';
import fs from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFile, type FileImportSummary } from '../../src/import/import-file.js';
import type { DatasetName } from '../../src/import/rows.js';
import { openImportStore } from '../../src/storage/import-store.js';
import { run, tempDir, writeCsv, type RunResult } from '../e2e/helpers.js';
import { peek, pool } from './support.js';

/**
 * Holes a mutation sweep found (issue 19): each test below failed on a small planted
 * mistake that the rest of the suite let through.
 * - item 2: every field of a row's content key tells rows apart (registrations above
 *   all: a corrected re-export must not be a duplicate), and the audit judges a
 *   registration by its earliest notification;
 * - item 3: statistics never count crossings or expulsions after the as-of date;
 * - item 4: nightly's exit code is the worst outcome met, for every pair of outcomes;
 * - item 6: --fail-on-findings counts the foreigner's own offences in audit and
 *   nightly, and the rows listed in the listings.
 * (Items 1 and 7 are in test/e2e/query-guard.test.ts, item 5 in
 * test/audit/parallel-order.test.ts.)
 */

let dir: string;
let cleanup: () => void;

beforeAll(() => {
  ({ dir, cleanup } = tempDir('stayaudit-holes-'));
});
afterAll(() => cleanup());

const CROSSINGS = 'person_id,document_no,citizenship,surname,given_names,birth_date,sex,direction,crossed_at,checkpoint';
const REGISTRATIONS = 'person_id,document_no,citizenship,registered_from,registered_until,notified_on,address,host_id,host_name';
const EXPULSIONS = 'person_id,document_no,citizenship,decided_on,expelled_on,ban_years,reason';
const PERMITS = 'permit_no,person_id,document_no,citizenship,kind,ground,valid_from,valid_until,status,revoked_on,address,host_id';

let fileNumber = 0;
/** Writes rows (objects keyed by the header's columns) under a header as a CSV file. */
function csvFile(header: string, rows: readonly Record<string, string>[]): string {
  const columns = header.split(',');
  const quote = (v: string): string => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  return writeCsv(dir, `rows-${++fileNumber}.csv`, [header, ...rows.map((r) => columns.map((c) => quote(r[c] ?? '')).join(','))]);
}

describe('item 2: rows differing in one field of their content key are both kept', () => {
  /** Imports each file in turn into a fresh database (in-process: the same code the CLI runs). */
  async function importAll(dataset: DatasetName, files: readonly string[]): Promise<{ db: string; summaries: FileImportSummary[] }> {
    const db = path.join(dir, `keys-${dataset}-${++fileNumber}.db`);
    const summaries: FileImportSummary[] = [];
    const store = openImportStore(db);
    try {
      for (const file of files) summaries.push(await importFile(store, file, new PassThrough(), { dataset }, null));
    } finally {
      store.close();
    }
    return { db, summaries };
  }

  /**
   * For each field: a database holding the base row, then a file with the row changed
   * in that field alone. Returns, per field, how the second file's row was counted.
   */
  async function outcomePerField(dataset: DatasetName, header: string, base: Record<string, string>, changes: Record<string, string>): Promise<Record<string, string>> {
    const outcome: Record<string, string> = {};
    for (const [field, value] of Object.entries(changes)) {
      const { summaries } = await importAll(dataset, [csvFile(header, [base]), csvFile(header, [{ ...base, [field]: value }])]);
      const s = summaries[1]!;
      outcome[field] = s.added === 1 ? 'added' : s.updated === 1 ? 'updated' : s.duplicate === 1 ? 'duplicate' : `read ${s.read}, rejected ${s.rejected}`;
    }
    return outcome;
  }

  const every = (fields: Record<string, string>, outcome: string): Record<string, string> => Object.fromEntries(Object.keys(fields).map((f) => [f, outcome]));

  it('registrations: person, registered from/until, notified on, address, host id and host name', async () => {
    const base = { person_id: 'U1', document_no: 'UA100001', citizenship: 'UZB', registered_from: '2024-03-01', registered_until: '2024-03-20', notified_on: '2024-03-15', address: 'Almaty, Abay 1', host_id: 'H1', host_name: 'Hotel' };
    const changes = { person_id: 'U2', registered_from: '2024-03-02', registered_until: '2024-03-21', notified_on: '2024-03-05', address: 'Almaty, Abay 2', host_id: 'H2', host_name: 'Hostel' };
    expect(await outcomePerField('registrations', REGISTRATIONS, base, changes)).toEqual(every(changes, 'added'));
    // An empty value is a value too; an exact copy is a duplicate.
    expect(await outcomePerField('registrations', REGISTRATIONS, base, { notified_on: '', registered_until: '', host_name: '' })).toEqual(every({ notified_on: '', registered_until: '', host_name: '' }, 'added'));
    const copy = await importAll('registrations', [csvFile(REGISTRATIONS, [base]), csvFile(REGISTRATIONS, [base, { ...base }])]);
    expect(copy.summaries[1]).toMatchObject({ read: 2, added: 0, duplicate: 2 });
  });

  it('registrations: within one file too, and both rows are stored', async () => {
    const base = { person_id: 'U1', document_no: 'UA100001', citizenship: 'UZB', registered_from: '2024-03-01', notified_on: '2024-03-15' };
    const { db, summaries } = await importAll('registrations', [csvFile(REGISTRATIONS, [base, { ...base, notified_on: '2024-03-05' }, base])]);
    expect(summaries[0]).toMatchObject({ read: 3, added: 2, duplicate: 1 });
    const stored = peek(db, (d) => d.prepare(`SELECT notified_on FROM registrations ORDER BY notified_on`).pluck().all());
    expect(stored).toEqual(['2024-03-05', '2024-03-15']);
  });

  it('expulsions: person, decided on, expelled on, ban years and reason', async () => {
    const base = { person_id: 'T1', document_no: 'TA100001', citizenship: 'TJK', decided_on: '2021-05-10', expelled_on: '2021-05-20', ban_years: '5', reason: 'overstay' };
    const changes = { person_id: 'T2', decided_on: '2021-05-11', expelled_on: '2021-05-21', ban_years: '3', reason: 'work' };
    expect(await outcomePerField('expulsions', EXPULSIONS, base, changes)).toEqual(every(changes, 'added'));
    expect(await outcomePerField('expulsions', EXPULSIONS, base, { expelled_on: '', ban_years: '' })).toEqual(every({ expelled_on: '', ban_years: '' }, 'added'));
  });

  it('crossings: person, time and direction (SPEC: same person, direction and time count once, whatever the checkpoint)', async () => {
    const base = { person_id: 'R1', document_no: 'RA100001', citizenship: 'RUS', surname: 'IVANOV', given_names: 'IVAN', birth_date: '1980-01-01', sex: 'M', direction: 'IN', crossed_at: '2024-03-01 10:00', checkpoint: 'ALA' };
    const changes = { person_id: 'R2', crossed_at: '2024-03-01 10:01', direction: 'OUT' };
    expect(await outcomePerField('crossings', CROSSINGS, base, changes)).toEqual(every(changes, 'added'));
    expect(await outcomePerField('crossings', CROSSINGS, base, { checkpoint: 'NQZ', surname: 'PETROV' })).toEqual({ checkpoint: 'duplicate', surname: 'duplicate' });
  });

  it('permits: a new permit number or person is a permit of its own; any other field replaces the stored version', async () => {
    const base = { permit_no: 'TRP-1', person_id: 'K1', document_no: 'KA100001', citizenship: 'KGZ', kind: 'trp', ground: 'work', valid_from: '2024-03-01', valid_until: '2024-12-31', status: 'active', revoked_on: '', address: 'Bishkek st 3', host_id: 'H1' };
    const keys = { permit_no: 'TRP-2', person_id: 'K2' };
    expect(await outcomePerField('permits', PERMITS, base, keys)).toEqual(every(keys, 'added'));
    const others = { kind: 'visa', ground: 'study', valid_from: '2024-03-02', valid_until: '2024-12-30', status: 'revoked', revoked_on: '2024-06-01', address: 'Bishkek st 4', host_id: 'H2' };
    expect(await outcomePerField('permits', PERMITS, base, others)).toEqual(every(others, 'updated'));
  });

  it('a corrected re-export (notified earlier) is kept, and the audit judges by the earliest notification, whatever the import order', async () => {
    // Arrival Fri 2024-03-01: the 3 working days are Mar 1, 4 and 5, so the deadline is Tue 2024-03-05.
    const db = path.join(dir, 'corrected.db');
    const cli = (...args: string[]): Promise<RunResult> => run(['--db', db, ...args]);
    const crossings = csvFile(CROSSINGS, ['U1', 'U2'].map((id) => ({ person_id: id, document_no: `${id}X`, citizenship: 'UZB', direction: 'IN', crossed_at: '2024-03-01 10:00' })));
    const registration = (id: string, notified: string) => ({ person_id: id, document_no: `${id}X`, citizenship: 'UZB', registered_from: '2024-03-01', notified_on: notified, host_id: 'H1' });
    // U1: late first, corrected later; U2: corrected first, the late version later.
    const first = csvFile(REGISTRATIONS, [registration('U1', '2024-03-15'), registration('U2', '2024-03-05')]);
    const second = csvFile(REGISTRATIONS, [registration('U1', '2024-03-05'), registration('U2', '2024-03-15')]);
    const registrationFindings = async (): Promise<Record<string, unknown>[]> => {
      const audit = await cli('audit', '--as-of', '2024-03-31');
      expect(audit.code, audit.stderr).toBe(0);
      const runId = (audit.stdout.match(/^run (\d+):/) ?? [])[1];
      return peek(db, (d) =>
        d.prepare(`SELECT person_key, rule, first_day, days FROM findings WHERE run_id = ? AND rule IN ('late-registration', 'unregistered') ORDER BY id`).all(Number(runId)),
      ) as Record<string, unknown>[];
    };

    expect((await cli('import', 'crossings', crossings)).code).toBe(0);
    expect((await cli('import', 'registrations', first)).code).toBe(0);
    // Not vacuous: with the late notification alone, U1 is late by 10 days.
    expect(await registrationFindings()).toEqual([{ person_key: 'U1', rule: 'late-registration', first_day: '2024-03-15', days: 10 }]);

    const again = await cli('import', 'registrations', second, '--json');
    expect(again.code, again.stderr).toBe(0);
    expect(await registrationFindings()).toEqual([]);
    expect((JSON.parse(again.stdout) as { files: FileImportSummary[] }).files[0]).toMatchObject({ read: 2, added: 2, duplicate: 0 });
  });
});

describe('item 3: statistics of a mid-year run count nothing after the as-of date', () => {
  let db: string;
  const stats = async (...args: string[]): Promise<{ meta: Record<string, unknown>; total: Record<string, unknown> }> => {
    const r = await run(['--db', db, 'stats', '--format', 'json', ...args]);
    expect(r.code, r.stderr).toBe(0);
    const body = JSON.parse(r.stdout) as { meta: Record<string, unknown>; rows: Record<string, unknown>[] };
    return { meta: body.meta, total: body.rows.find((row) => row['citizenship'] === 'TOTAL')! };
  };

  beforeAll(async () => {
    db = path.join(dir, 'midyear.db');
    const crossing = (id: string, citizenship: string, direction: string, at: string) => ({ person_id: id, document_no: `${id}X`, citizenship, direction, crossed_at: `${at} 10:00` });
    const crossings = csvFile(CROSSINGS, [
      crossing('A', 'RUS', 'IN', '2024-01-10'),
      crossing('A', 'RUS', 'OUT', '2024-01-20'),
      crossing('A', 'RUS', 'IN', '2024-08-01'), // after as-of
      crossing('B', 'UZB', 'IN', '2024-03-05'),
      crossing('B', 'UZB', 'OUT', '2024-03-15'),
      crossing('C', 'KGZ', 'IN', '2024-07-15'), // after as-of
      crossing('C', 'KGZ', 'OUT', '2024-07-20'), // after as-of
      crossing('D', 'DEU', 'IN', '2024-09-01'), // after as-of
      crossing('E', 'TJK', 'IN', '2024-02-10'),
      crossing('E', 'TJK', 'OUT', '2024-02-20'),
    ]);
    const expulsion = (id: string, citizenship: string, decided: string) => ({ person_id: id, document_no: `${id}X`, citizenship, decided_on: decided, ban_years: '5' });
    const expulsions = csvFile(EXPULSIONS, [
      expulsion('E', 'TJK', '2024-02-25'),
      expulsion('B', 'UZB', '2024-06-30'), // the as-of day itself counts
      expulsion('C', 'KGZ', '2024-07-01'), // after as-of
      expulsion('D', 'DEU', '2024-09-10'), // after as-of
    ]);
    for (const [dataset, file] of [['crossings', crossings], ['expulsions', expulsions]] as const) expect((await run(['--db', db, 'import', dataset, file])).code).toBe(0);
    const audit = await run(['--db', db, 'audit', '--as-of', '2024-06-30']);
    expect(audit.code, audit.stderr).toBe(0);
  });

  it('the default period (the as-of year): entries, persons and expulsions up to the as-of date; the meta says so', async () => {
    const { meta, total } = await stats();
    expect(meta).toMatchObject({ as_of: '2024-06-30', period: '2024-01-01..2024-12-31', crossings_counted_to: '2024-06-30' });
    expect(total).toMatchObject({ entries: 3, exits: 3, persons_entered: 3, expulsions: 2 });
  });

  it('a period that is no calendar year (counted from the crossings): the same cut', async () => {
    const { meta, total } = await stats('--from', '2024-02-01', '--to', '2024-11-30');
    expect(meta).toMatchObject({ period: '2024-02-01..2024-11-30', crossings_counted_to: '2024-06-30' });
    expect(total).toMatchObject({ entries: 2, exits: 2, persons_entered: 2, expulsions: 2 });
  });

  it('a period ending before the as-of date is counted to its own end', async () => {
    const { meta, total } = await stats('--from', '2024-01-01', '--to', '2024-03-10');
    expect(meta).toMatchObject({ crossings_counted_to: '2024-03-10' });
    expect(total).toMatchObject({ entries: 3, exits: 2, persons_entered: 3, expulsions: 1 });
  });
});

describe('items 4 and 6: nightly exit codes for every pair of outcomes (README "Exit codes"), and --fail-on-findings', () => {
  type Outcome = 'failed' | 'rejected' | 'overstay';
  const AS_OF = '2024-04-14';
  /** One inbox file per outcome; every inbox also has a person whose only finding is `unregistered`. */
  const FILES: Record<Outcome | 'base', [name: string, content: string | Buffer]> = {
    // UZB entering Mon 04-01, never registered: `unregistered` (the receiving party's offence) only.
    base: ['crossings-base.csv', `${CROSSINGS}\nU1,UA1,UZB,,,,,IN,2024-04-01 10:00,ALA\n`],
    // A gzip header: not CSV, the file cannot be used (exit 3).
    failed: ['crossings-broken.csv', Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00])],
    // One good row and one with an unknown direction (exit 5).
    rejected: ['crossings-rejects.csv', `${CROSSINGS}\nK1,KA1,KGZ,,,,,IN,2024-04-10 10:00,ALA\nK2,KA2,KGZ,,,,,SIDEWAYS,2024-04-10 10:00,ALA\n`],
    // RUS in since 01-01, past the 90-day cap: stay-limit, the foreigner's own offence (exit 6 when asked).
    overstay: ['crossings-overstay.csv', `${CROSSINGS}\nR1,RA1,RUS,,,,,IN,2024-01-01 10:00,ALA\n`],
  };
  /** The README's table: the worst outcome met wins, 3 (a file failed) over 5 (rows rejected) over 6 (findings, when asked). */
  const expectedExit = (outcomes: readonly Outcome[], failOnFindings: boolean): number =>
    outcomes.includes('failed') ? 3 : outcomes.includes('rejected') ? 5 : failOnFindings && outcomes.includes('overstay') ? 6 : 0;

  let caseNumber = 0;
  async function nightly(outcomes: readonly Outcome[], flags: readonly string[], prepare?: (db: string) => void): Promise<RunResult & { db: string }> {
    const root = path.join(dir, `nightly-${++caseNumber}`);
    const inbox = path.join(root, 'inbox');
    fs.mkdirSync(inbox, { recursive: true });
    for (const key of ['base', ...outcomes] as const) fs.writeFileSync(path.join(inbox, FILES[key][0]), FILES[key][1]);
    const db = path.join(root, 'audit.db');
    prepare?.(db);
    return { db, ...(await run(['--db', db, 'nightly', '--inbox', inbox, '--reports', path.join(root, 'reports'), '--as-of', AS_OF, ...flags])) };
  }

  it('every combination of a failed file, rejected rows and an overstay, with --fail-on-findings', async () => {
    const all: Outcome[] = ['failed', 'rejected', 'overstay'];
    const combinations = Array.from({ length: 8 }, (_, mask) => all.filter((_, i) => mask & (1 << i)));
    const got = await pool(combinations, 2, async (outcomes) => {
      const r = await nightly(outcomes, ['--fail-on-findings']);
      return { outcomes: outcomes.join('+') || 'none', code: r.code, summary: r.stdout.includes('stayaudit nightly') };
    });
    expect(got).toEqual(combinations.map((outcomes) => ({ outcomes: outcomes.join('+') || 'none', code: expectedExit(outcomes, true), summary: true })));
  });

  it('item 6: with only an unregistered finding, --fail-on-findings exits 0 in nightly, audit and violators, 6 in findings (a row is listed); with an overstay, 6 in all', async () => {
    const [overstay, base] = await Promise.all([nightly(['overstay'], []), nightly([], ['--fail-on-findings'])]);
    expect(overstay.code, overstay.stderr).toBe(0); // an overstay without --fail-on-findings
    expect(base.code, base.stderr).toBe(0);
    expect(base.stdout).toMatch(/registration findings 1\b/);
    // Audit counts the foreigner's own offences; a listing, the rows it lists.
    const codes = async (db: string): Promise<Record<string, number | null>> => {
      const cli = async (...args: string[]): Promise<number | null> => (await run(['--db', db, ...args, '--fail-on-findings'])).code;
      const audit = await cli('audit', '--as-of', AS_OF);
      const [findings, violators, stayLimit] = await Promise.all([cli('findings', '--format', 'csv'), cli('violators', '--format', 'csv'), cli('findings', '--rule', 'stay-limit', '--format', 'csv')]);
      return { audit, findings, violators, 'findings --rule stay-limit': stayLimit };
    };
    expect(await codes(base.db)).toEqual({ audit: 0, findings: 6, violators: 0, 'findings --rule stay-limit': 0 });
    expect(await codes(overstay.db)).toEqual({ audit: 6, findings: 6, violators: 6, 'findings --rule stay-limit': 6 });
  });

  it('another nightly job holding the lock wins over every outcome of the inbox (exit 7, nothing imported)', async () => {
    // Held as a running job holds it: an exclusive SQLite lock on DB.nightly-lock.
    let held: ExclusiveLock | null = null;
    const r = await nightly(['failed', 'rejected', 'overstay'], ['--fail-on-findings'], (db) => {
      held = tryExclusiveLock(`${db}.nightly-lock`);
    });
    (held as ExclusiveLock | null)?.release();
    expect(held).not.toBeNull();
    expect(r.code).toBe(7);
    expect(r.stdout).toBe('');
    expect(fs.existsSync(r.db)).toBe(false);
  });
});
