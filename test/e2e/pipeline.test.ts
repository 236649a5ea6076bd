import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES, importScenario, parseCsv, run, tempDir } from './helpers.js';

/**
 * The scenario of fixtures/e2e, audited as of 2024-04-14, with every verdict worked
 * out by hand (default Kazakhstan ruleset):
 * - P1 RUS in 2024-01-01, open: cap 90 ends 2024-03-30 → stay-limit from 03-31, 15 days.
 * - P2 RUS SPEC example C → rolling-limit first unlawful 2024-04-13, 2 days.
 * - P3 DEU in 03-01 out 04-05: cap 30 ends 03-30 → stay-limit 03-31..04-05 = 6 days, departed.
 * - P4 KGZ with a TRP from 03-01: lawful (51 uncovered days, registered).
 * - P5 TJK expelled 2021-05-20 (ban to 2026-05-20), in 04-01 → ban-breach 04-01..04-14 = 14 days.
 * - UZB:FA600006 (no person_id) in Mon 04-01, never registered: deadline Wed 04-03 →
 *   unregistered from 04-04, 11 days.
 * - P7 UZB in 04-01, notified 04-05 → late-registration, 2 days.
 * - P8 RUS: an OUT with no entry → orphan-exit.
 * - P9 CHN 04-10..04-12: lawful; left by the registration deadline.
 */
const EXPECTED = [
  { person_key: 'P1', rule: 'stay-limit', regime: 'EAEU', entry_date: '2024-01-01', exit_date: '', first_day: '2024-03-31', days: '15', status: 'in-country' },
  { person_key: 'P2', rule: 'rolling-limit', regime: 'EAEU', entry_date: '2024-03-15', exit_date: '', first_day: '2024-04-13', days: '2', status: 'in-country' },
  { person_key: 'P3', rule: 'stay-limit', regime: 'VF-30', entry_date: '2024-03-01', exit_date: '2024-04-05', first_day: '2024-03-31', days: '6', status: 'departed' },
  { person_key: 'P5', rule: 'ban-breach', regime: 'CIS-90', entry_date: '2024-04-01', exit_date: '', first_day: '2024-04-01', days: '14', status: 'in-country' },
  { person_key: 'P7', rule: 'late-registration', regime: 'VF-30', entry_date: '2024-04-01', exit_date: '', first_day: '2024-04-05', days: '2', status: 'in-country' },
  { person_key: 'P8', rule: 'orphan-exit' },
  { person_key: 'UZB:FA600006', rule: 'unregistered', regime: 'VF-30', entry_date: '2024-04-01', exit_date: '', first_day: '2024-04-04', days: '11', status: 'in-country' },
];

describe('import → audit → reports on the e2e scenario', () => {
  let dir: string;
  let cleanup: () => void;
  let db: string;
  const cli = (...args: string[]) => run(['--db', db, ...args]);

  beforeAll(async () => {
    ({ dir, cleanup } = tempDir());
    db = path.join(dir, 'audit.db');
    for (const result of await importScenario(db)) expect(result.code, result.stderr).toBe(0);
    const audit = await cli('audit', '--as-of', '2024-04-14', '--json');
    expect(audit.code, audit.stderr).toBe(0);
  });
  afterAll(() => cleanup());

  it('finds exactly the hand-worked findings, with the SPEC §5 CSV columns', async () => {
    const result = await cli('findings', '--format', 'csv');
    expect(result.code).toBe(0);
    const header = result.stdout.split('\n')[0]!.split(',');
    expect(header.slice(0, 9)).toEqual(['person_key', 'citizenship', 'rule', 'regime', 'entry_date', 'exit_date', 'first_day', 'days', 'status']);
    const rows = parseCsv(result.stdout).sort((a, b) => a['person_key']!.localeCompare(b['person_key']!));
    expect(rows.map((r) => ({ person_key: r['person_key'], rule: r['rule'] }))).toEqual(EXPECTED.map((e) => ({ person_key: e.person_key, rule: e.rule })));
    for (const expected of EXPECTED) {
      const row = rows.find((r) => r['person_key'] === expected.person_key && r['rule'] === expected.rule)!;
      expect(row).toMatchObject(expected);
    }
  });

  it('stores the run: audit --json reports counts per rule', async () => {
    const result = await cli('runs', '--format', 'json');
    const body = JSON.parse(result.stdout) as { version: number; rows: Record<string, unknown>[] };
    expect(body.version).toBe(1);
    expect(body.rows).toHaveLength(1);
    expect(body.rows[0]).toMatchObject({ run: 1, as_of: '2024-04-14', findings: 7, overstays: 3, ban_breaches: 1, registration: 2, anomalies: 1 });
  });

  it('lists violators, most days over first, with the last address and host', async () => {
    const result = await cli('violators', '--format', 'csv');
    const rows = parseCsv(result.stdout);
    expect(rows.map((r) => r['person_key'])).toEqual(['P1', 'P5', 'P3', 'P2']);
    expect(rows[0]).toMatchObject({ citizenship: 'RUS', days_over: '15', status: 'in-country', last_address: 'Almaty, Abay 1', last_host: 'HOST-A' });
    expect(rows[2]).toMatchObject({ status: 'departed', rules: 'stay-limit' });
  });

  it('filters findings by rule, citizenship name, status and minimum days', async () => {
    const result = await cli('findings', '--rule', 'stay-limit', '--citizenship', 'Россия', '--min-days', '10', '--format', 'ndjson');
    const rows = result.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(rows.map((r) => r['person_key'])).toEqual(['P1']);
    const departed = await cli('findings', '--status', 'departed', '--format', 'csv');
    expect(parseCsv(departed.stdout).map((r) => r['person_key'])).toEqual(['P3']);
  });

  it('computes the statistics of SPEC §4 by hand', async () => {
    const result = await cli('stats', '--format', 'csv');
    const rows = parseCsv(result.stdout);
    const rus = rows.find((r) => r['citizenship'] === 'RUS')!;
    // RUS: 3 entries (P1, P2 twice), 2 persons, violators P1 and P2.
    expect(rus).toMatchObject({ entries: '3', exits: '2', persons_entered: '2', violators: '2', violator_rate_pct: '100', entry_rate_pct: '66.667' });
    const total = rows.find((r) => r['citizenship'] === 'TOTAL')!;
    // 9 entries, 8 persons entered, 4 violators (P1 P2 P3 P5) → 50% of persons, 44.444% of entries.
    expect(total).toMatchObject({ entries: '9', persons_entered: '8', violators: '4', violator_rate_pct: '50', entry_rate_pct: '44.444', registration_findings: '2' });
    expect(rows[rows.length - 1]!['citizenship']).toBe('TOTAL');
  });

  it('explains a finding in the person view', async () => {
    const result = await cli('person', 'P2', '--format', 'json');
    expect(result.code).toBe(0);
    const body = JSON.parse(result.stdout) as { findings: { rule: string; why: string }[]; now: Record<string, unknown> };
    expect(body.findings[0]!.rule).toBe('rolling-limit');
    expect(body.findings[0]!.why).toContain('91 counted days');
    expect(body.now).toMatchObject({ present: 'yes', days_used_in_window: 92, days_remaining: 0 });
  });

  it('resolves a person by CITIZENSHIP:DOCUMENT in any spelling', async () => {
    const result = await cli('person', 'uz:fa 600-006', '--format', 'csv');
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('unregistered');
  });

  it('masks identities in exports', async () => {
    const result = await cli('violators', '--format', 'csv', '--mask');
    expect(result.stdout).not.toMatch(/IVANOV|N1000001|PETROVA|N1000002/);
    const again = await cli('violators', '--format', 'csv', '--mask');
    expect(again.stdout).toBe(result.stdout);
  });

  it('re-importing the same files adds nothing', async () => {
    const result = await cli('import', 'crossings', path.join(FIXTURES, 'e2e', 'crossings.csv'), '--json');
    const body = JSON.parse(result.stdout) as { files: { read: number; added: number; duplicate: number }[] };
    expect(body.files[0]).toMatchObject({ read: 13, added: 0, duplicate: 13 });
  });

  it('writes --output files whole, and --fail-on-findings exits 6', async () => {
    const out = path.join(dir, 'violators.csv');
    const result = await cli('violators', '--output', out, '--fail-on-findings');
    expect(result.code).toBe(6);
    expect(parseCsv(fs.readFileSync(out, 'utf8'))).toHaveLength(4);
    const none = await cli('violators', '--citizenship', 'CHN', '--fail-on-findings', '--format', 'csv');
    expect(none.code).toBe(0);
  });
});

describe('parallel audit', () => {
  it('worker threads over key ranges find exactly what one thread finds, in the same order', async () => {
    const { dir, cleanup } = tempDir();
    try {
      const db = path.join(dir, 'p.db');
      for (const result of await importScenario(db)) expect(result.code).toBe(0);
      const one = await run(['--db', db, 'audit', '--as-of', '2024-04-14', '--workers', '1', '--json']);
      // Slices of one person: a unit per person, taken in turn by three threads, so
      // findings of later units often come first and must wait for earlier ones.
      const three = await run(['--db', db, 'audit', '--as-of', '2024-04-14', '--workers', '3', '--json'], { env: { STAYAUDIT_SLICE_PERSONS: '1' } });
      expect(JSON.parse(three.stdout)).toMatchObject({ workers: 3, findings: 7 });
      expect(JSON.parse(one.stdout)).toMatchObject({ workers: 0, findings: 7 });
      const bad = await run(['--db', db, 'audit', '--as-of', '2024-04-14', '--workers', '2'], { env: { STAYAUDIT_SLICE_PERSONS: '0' } });
      expect(bad.code).toBe(2);
      expect(bad.stderr).toContain('STAYAUDIT_SLICE_PERSONS');
      const a = await run(['--db', db, 'findings', '--run', '1', '--format', 'csv']);
      const b = await run(['--db', db, 'findings', '--run', '2', '--format', 'csv']);
      expect(b.stdout).toBe(a.stdout);
      // Numbered alike too: finding ids follow key order, whichever thread was faster.
      const numbered = await run(['--db', db, 'query', 'SELECT id, person_key, rule, first_day, entry_checkpoint FROM findings WHERE run_id = 2 ORDER BY id', '--format', 'csv']);
      const single = await run(['--db', db, 'query', 'SELECT id, person_key, rule, first_day, entry_checkpoint FROM findings WHERE run_id = 1 ORDER BY id', '--format', 'csv']);
      expect(parseCsv(numbered.stdout)).toHaveLength(7);
      expect(numbered.stdout).toBe(single.stdout);
      const diff = await run(['--db', db, 'diff', '1', '2', '--format', 'csv']);
      expect(parseCsv(diff.stdout)).toHaveLength(0);
      // The statistics cells, added range by range and summed where ranges share one,
      // equal those of the single pass.
      const tables: Record<string, string> = {
        run_crossing_days: 'citizenship, checkpoint, day, entries, exits',
        run_departures: 'citizenship, checkpoint, authorised_until, expected, overstays_departed, overstays_in_country',
        run_persons_entered: 'period, grouping, key, persons',
      };
      for (const [table, columns] of Object.entries(tables)) {
        const sql =
          `SELECT (SELECT count(*) FROM ${table} WHERE run_id = 1) AS cells, ` +
          `(SELECT count(*) FROM (SELECT ${columns} FROM ${table} WHERE run_id = 1 EXCEPT SELECT ${columns} FROM ${table} WHERE run_id = 2)) AS only_one, ` +
          `(SELECT count(*) FROM (SELECT ${columns} FROM ${table} WHERE run_id = 2 EXCEPT SELECT ${columns} FROM ${table} WHERE run_id = 1)) AS only_three`;
        const [row] = parseCsv((await run(['--db', db, 'query', sql, '--format', 'csv'])).stdout);
        expect(Number(row!['cells']), table).toBeGreaterThan(0);
        expect([row!['only_one'], row!['only_three']], table).toEqual(['0', '0']);
      }
    } finally {
      cleanup();
    }
  });
});
