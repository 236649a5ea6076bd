/**
 * What must hold now that as-of is a snapshot and citizenship is the document's
 * (issue 12), on generated data in which some persons travel on a second passport:
 *
 * - Replay invariance: for several dates D, auditing the full database as of D gives
 *   the same findings (every column but ids) and the same statistics as auditing a
 *   copy that holds only what was known on D (crossings on or before D, registrations
 *   notified by D, expulsions decided by D, permits as they stood on D). No finding
 *   has a day after D.
 * - One answer per question: for random periods and groupings, the statistics from
 *   the counts the audit stored equal those re-counted from the tables.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAudit } from '../../src/audit/run-audit.js';
import { auditStores } from '../../src/storage/audit-source.js';
import { dayFromIso, isoFromDay } from '../../src/core/dates.js';
import { defaultRuleset } from '../../src/core/ruleset.js';
import { Random } from '../../src/generate/random.js';
import { computeStats, GROUPINGS, type StatsOptions } from '../../src/reports/stats.js';
import type { RunRow } from '../../src/reports/runs.js';
import { openConnection, type Connection } from '../../src/storage/database.js';
import { SqliteReadStore } from '../../src/storage/read-store.js';
import { csvRecords, run, tempDir } from '../e2e/helpers.js';

const DATES = ['2024-02-29', '2024-06-30', '2024-09-15', '2024-12-31'];

let dir: string;
let cleanup: () => void;
let full: string;

/** Another passport for every 6th person: trips in 2024 on it, some still open. */
function secondPassports(crossingsCsv: string): string[] {
  const [header, ...records] = csvRecords(fs.readFileSync(crossingsCsv, 'utf8'));
  const at = (name: string) => header!.indexOf(name);
  const [id, cit] = [at('person_id'), at('citizenship')];
  const persons = [...new Set(records.filter((r) => r[id] !== '' && r[id] !== undefined).map((r) => `${r[id]}|${r[cit]}`))].filter((_, i) => i % 6 === 0);
  const random = new Random(12);
  const int = (lo: number, hi: number) => lo + Math.floor(random.next() * (hi - lo + 1));
  const OTHERS = ['RUS', 'UZB', 'KGZ', 'DEU', 'CHN', 'TJK', 'NGA'];
  const lines = ['person_id,document_no,citizenship,direction,crossed_at,checkpoint'];
  for (const p of persons) {
    const [personId, own] = p.split('|') as [string, string];
    const other = OTHERS.filter((c) => c !== own)[int(0, OTHERS.length - 2)]!;
    let day = dayFromIso('2024-01-01') + int(0, 200);
    for (let trip = int(1, 3); trip > 0; trip--) {
      lines.push(`${personId},X${personId},${other},IN,${isoFromDay(day)} 07:30,ALA`);
      const length = int(1, 120);
      if (trip > 1 || random.next() < 0.7) lines.push(`${personId},X${personId},${other},OUT,${isoFromDay(day + length - 1)} 19:45,ALA`);
      day += length + int(0, 60);
    }
  }
  return lines;
}

async function cli(db: string, ...args: string[]): Promise<void> {
  const result = await run(['--db', db, ...args]);
  expect(result.code, result.stderr).toBe(0);
}

async function audit(file: string, asOf: string): Promise<RunRow> {
  const writer = openConnection(file);
  const reader = openConnection(file, { readonly: true });
  try {
    const summary = await runAudit(auditStores(reader, writer, file), { asOf, ruleset: defaultRuleset(), workers: 1 });
    return writer.prepare('SELECT * FROM runs WHERE id = ?').get(summary.runId) as RunRow;
  } finally {
    reader.close();
    writer.close();
  }
}

/** A copy of the full database holding only what was known on `asOf`. */
function knownOn(asOf: string): string {
  const copy = path.join(dir, `known-${asOf}.db`);
  const db = openConnection(full, { readonly: true });
  db.prepare('VACUUM INTO ?').run(copy);
  db.close();
  const known = openConnection(copy);
  known.exec('BEGIN');
  known.prepare('DELETE FROM crossings WHERE substr(crossed_at, 1, 10) > ?').run(asOf);
  known.prepare('DELETE FROM registrations WHERE coalesce(notified_on, registered_from) > ?').run(asOf);
  known.prepare('DELETE FROM expulsions WHERE decided_on > ?').run(asOf);
  known.prepare("UPDATE permits SET status = 'active', revoked_on = NULL WHERE status = 'revoked' AND revoked_on > ?").run(asOf);
  known.prepare('DELETE FROM runs').run();
  known.exec('COMMIT');
  known.close();
  return copy;
}

function findings(file: string, runId: number): unknown[][] {
  const db: Connection = openConnection(file, { readonly: true });
  try {
    return db
      .prepare(`SELECT person_key, citizenship, rule, regime, entry_date, exit_date, first_day, last_lawful_day, days, status, entry_checkpoint, host_id, detail
                FROM findings WHERE run_id = ? ORDER BY person_key, rule, entry_date, first_day, detail`)
      .raw()
      .all(runId) as unknown[][];
  } finally {
    db.close();
  }
}

async function stats(file: string, runRow: RunRow, options: StatsOptions): Promise<unknown> {
  const store = new SqliteReadStore(openConnection(file, { readonly: true }), file);
  try {
    const result = await computeStats(store, runRow, options);
    return { groups: Object.fromEntries([...result.groups].sort(([a], [b]) => (a < b ? -1 : 1))), totals: result.totals, countedTo: result.countedTo };
  } finally {
    await store.close();
  }
}

const runs = new Map<string, RunRow>();

beforeAll(async () => {
  ({ dir, cleanup } = tempDir('stayaudit-replay-'));
  const data = path.join(dir, 'data');
  full = path.join(dir, 'full.db');
  const generated = await run(['generate', '--persons', '3000', '--seed', '5', '--year', '2024', '--malformed', '0', '--out', data]);
  expect(generated.code, generated.stderr).toBe(0);
  const extra = path.join(data, 'second-passports.csv');
  fs.writeFileSync(extra, secondPassports(path.join(data, 'crossings.csv')).join('\n') + '\n');
  await cli(full, 'import', 'crossings', path.join(data, 'crossings.csv'), extra);
  for (const dataset of ['registrations', 'permits', 'expulsions']) await cli(full, 'import', dataset, path.join(data, `${dataset}.csv`));
  for (const asOf of DATES) runs.set(asOf, await audit(full, asOf));
});
afterAll(() => cleanup());

describe('replay invariance: the full database as of D = only what was known on D', () => {
  it.each(DATES)('as of %s: the same findings and statistics, nothing after D', async (asOf) => {
    const fullRun = runs.get(asOf)!;
    const copy = knownOn(asOf);
    const knownRun = await audit(copy, asOf);
    const want = findings(copy, knownRun.id);
    const got = findings(full, fullRun.id);
    expect(got.length).toBeGreaterThan(50);
    expect(got).toEqual(want);
    // Persons on a second passport have findings under it.
    const db = openConnection(full, { readonly: true });
    const dual = db.prepare(`SELECT count(*) FROM findings f WHERE run_id = ? AND EXISTS (SELECT 1 FROM crossings c
      WHERE c.person_key = f.person_key AND c.citizenship <> f.citizenship)`).pluck().get(fullRun.id) as number;
    db.close();
    expect(dual).toBeGreaterThan(0);

    const D = dayFromIso(asOf);
    for (const row of got) {
      const [, , rule, , entry, exit, first, lastLawful, days] = row as [string, string, string, string | null, string | null, string | null, string | null, string | null, number];
      for (const day of [entry, exit, first, lastLawful]) if (day !== null) expect(day <= asOf, `${rule} ${String(day)}`).toBe(true);
      // Days counted from the first day on lie on or before D.
      if (first !== null && ['stay-limit', 'rolling-limit', 'no-basis', 'permit-expired', 'ban-breach', 'unregistered'].includes(rule)) {
        expect(days).toBeLessThanOrEqual(D - dayFromIso(first) + 1);
      }
    }

    const year = asOf.slice(0, 4);
    const periods: StatsOptions[] = [];
    for (const by of GROUPINGS) periods.push({ by });
    periods.push({ by: 'citizenship', from: isoFromDay(D - 45), to: asOf }, { by: 'checkpoint', from: `${year}-03-01`, to: `${year}-03-31` });
    for (const options of periods) {
      expect(await stats(full, fullRun, options), JSON.stringify(options)).toEqual(await stats(copy, knownRun, options));
    }
  });
});

describe('one answer per question: the stored tally = a re-count from the tables', () => {
  it('for random periods and groupings, with persons who change citizenship', async () => {
    const random = new Random(99);
    const int = (lo: number, hi: number) => lo + Math.floor(random.next() * (hi - lo + 1));
    let compared = 0;
    for (const asOf of DATES) {
      const runRow = runs.get(asOf)!;
      const periods: [string, string][] = [[`2024-01-01`, '2024-12-31'], ['2024-03-01', '2024-03-31'], ['2024-02-01', '2024-02-29']];
      for (let i = 0; i < 6; i++) {
        const from = dayFromIso('2023-12-01') + int(0, 400);
        periods.push([isoFromDay(from), isoFromDay(from + int(0, 200))]);
      }
      for (const [from, to] of periods) {
        for (const by of ['citizenship', 'month', 'checkpoint'] as const) {
          const tally = await stats(full, runRow, { by, from, to });
          const tables = await stats(full, runRow, { by, from, to, source: 'tables' });
          expect(tally, `${asOf} ${by} ${from}..${to}`).toEqual(tables);
          compared++;
        }
      }
    }
    expect(compared).toBe(DATES.length * 9 * 3);
  });

  it('a crossing imported after the run does not change that run\'s figures', async () => {
    const asOf = '2024-06-30';
    const runRow = runs.get(asOf)!;
    const before = await stats(full, runRow, { by: 'citizenship', from: '2024-01-01', to: '2024-06-29', source: 'tables' });
    const late = path.join(dir, 'late.csv');
    fs.writeFileSync(late, 'person_id,document_no,citizenship,direction,crossed_at,checkpoint\nLATE1,L1,BRA,IN,2024-05-01 10:00,ALA\n');
    await cli(full, 'import', 'crossings', late);
    expect(await stats(full, runRow, { by: 'citizenship', from: '2024-01-01', to: '2024-06-29', source: 'tables' })).toEqual(before);
    expect(await stats(full, runRow, { by: 'citizenship', from: '2024-01-01', to: '2024-06-29' })).toEqual(before);
  });
});
