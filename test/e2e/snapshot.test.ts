/**
 * The examples of issue 12, through the real binary with hand-made files: as-of is a
 * snapshot, citizenship is the document's, and `stats` gives the same figures however
 * it computes them. Every expected row is worked out by hand in the comments.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCsv, run, tempDir, writeCsv } from './helpers.js';

const CROSSINGS = 'person_id,document_no,citizenship,direction,crossed_at,checkpoint';
const REGISTRATIONS = 'person_id,document_no,citizenship,registered_from,notified_on,host_id';
const FINDING_KEYS = ['person_key', 'citizenship', 'rule', 'regime', 'entry_date', 'exit_date', 'first_day', 'days', 'status'] as const;

let dir: string;
let cleanup: () => void;
beforeAll(() => ({ dir, cleanup } = tempDir('stayaudit-snapshot-')));
afterAll(() => cleanup());

/** A database with these files imported; returns a CLI bound to it. */
async function database(name: string, crossings: string[], registrations: string[] = []) {
  const db = path.join(dir, `${name}.db`);
  const cli = (...args: string[]) => run(['--db', db, ...args]);
  const imported = await cli('import', 'crossings', writeCsv(dir, `${name}-c.csv`, [CROSSINGS, ...crossings]));
  expect(imported.code, imported.stderr).toBe(0);
  if (registrations.length > 0) {
    const r = await cli('import', 'registrations', writeCsv(dir, `${name}-r.csv`, [REGISTRATIONS, ...registrations]));
    expect(r.code, r.stderr).toBe(0);
  }
  return cli;
}

type Cli = Awaited<ReturnType<typeof database>>;

async function audit(cli: Cli, asOf: string): Promise<void> {
  const result = await cli('audit', '--as-of', asOf);
  expect(result.code, result.stderr).toBe(0);
}

async function findings(cli: Cli, ...args: string[]): Promise<Record<string, string>[]> {
  const result = await cli('findings', '--format', 'csv', ...args);
  expect(result.code, result.stderr).toBe(0);
  return parseCsv(result.stdout).map((r) => Object.fromEntries(FINDING_KEYS.map((k) => [k, r[k]])));
}

const STATS_KEYS = ['citizenship', 'entries', 'exits', 'persons_entered', 'violators', 'findings', 'expected_departures', 'overstays'] as const;

async function stats(cli: Cli, ...args: string[]): Promise<string[][]> {
  const result = await cli('stats', '--format', 'csv', ...args);
  expect(result.code, result.stderr).toBe(0);
  return parseCsv(result.stdout).map((r) => STATS_KEYS.map((k) => r[k]!));
}

describe('a late notification does not leak backwards', () => {
  // L (KGZ) enters Mon 2022-12-19; three working days: 19, 20, 21 → deadline 2022-12-21.
  // The host notifies on 2023-01-09.
  let cli: Cli;
  beforeAll(async () => {
    cli = await database('late', ['L,L1,KGZ,IN,2022-12-19 10:00,ALA'], ['L,L1,KGZ,2022-12-19,2023-01-09,H1']);
  });

  it('as of 2022-12-31 the stay is unregistered: 10 days after the deadline, nothing after the audit date', async () => {
    await audit(cli, '2022-12-31');
    expect(await findings(cli)).toEqual([
      { person_key: 'L', citizenship: 'KGZ', rule: 'unregistered', regime: 'EAEU', entry_date: '2022-12-19', exit_date: '', first_day: '2022-12-22', days: '10', status: 'in-country' },
    ]);
  });

  it('as of 2023-01-31 it is a late registration, notified 19 days after the deadline', async () => {
    await audit(cli, '2023-01-31');
    expect(await findings(cli)).toEqual([
      { person_key: 'L', citizenship: 'KGZ', rule: 'late-registration', regime: 'EAEU', entry_date: '2022-12-19', exit_date: '', first_day: '2023-01-09', days: '19', status: 'in-country' },
    ]);
  });
});

describe('person Z: a later crossing changes nothing before it; each stay keeps its own citizenship', () => {
  // Z enters as RUS 2024-01-01, leaves 2024-03-15 (74 days, EAEU cap 90: lawful), enters
  // as UZB 2024-08-01 (VF-30: cap ends 2024-08-30). Both stays registered in time.
  let cli: Cli;
  beforeAll(async () => {
    cli = await database(
      'z',
      ['Z,Z100,RUS,IN,2024-01-01 10:00,ALA', 'Z,Z100,RUS,OUT,2024-03-15 10:00,ALA', 'Z,Z200,UZB,IN,2024-08-01 10:00,NQZ'],
      ['Z,Z100,RUS,2024-01-01,2024-01-02,H1', 'Z,Z200,UZB,2024-08-01,2024-08-01,H2'],
    );
    await audit(cli, '2024-06-30'); // run 1
    await audit(cli, '2024-12-31'); // run 2
  });

  it('as of 2024-06-30: no finding (the UZB entry is not yet known)', async () => {
    expect(await findings(cli, '--run', '1')).toEqual([]);
  });

  it('as of 2024-06-30 the statistics count one RUS entry and no UZB row, whichever way they are computed', async () => {
    // The default period (2024) ends after as-of, so persons are re-counted from the crossings;
    // 2024-01-01..2024-06-30 and the first half of the year by month say the same.
    const want = [
      ['RUS', '1', '1', '1', '0', '0', '1', '0'],
      ['TOTAL', '1', '1', '1', '0', '0', '1', '0'],
    ];
    expect(await stats(cli, '--run', '1')).toEqual(want);
    expect(await stats(cli, '--run', '1', '--from', '2024-01-01', '--to', '2024-06-30')).toEqual(want);
  });

  it('as of 2024-12-31: the UZB stay overstays under VF-30 and shows UZB; the RUS stay stays lawful', async () => {
    expect(await findings(cli, '--run', '2')).toEqual([
      { person_key: 'Z', citizenship: 'UZB', rule: 'stay-limit', regime: 'VF-30', entry_date: '2024-08-01', exit_date: '', first_day: '2024-08-31', days: '123', status: 'in-country' },
    ]);
  });

  it('as of 2024-12-31 each entry counts under its own citizenship; the person once in the total', async () => {
    // Expected departures: the RUS stay authorised to 2024-03-30, the UZB one to 2024-08-30 (overstayed).
    // (Rows with as many entries come by findings, most first.)
    const want = [
      ['UZB', '1', '0', '1', '1', '1', '1', '1'],
      ['RUS', '1', '1', '1', '0', '0', '1', '0'],
      ['TOTAL', '2', '1', '1', '1', '1', '2', '1'],
    ];
    // The calendar year comes from the stored tally; 2024-01-01..2024-12-30 and 2023-12-31..2024-12-31 are re-counted.
    expect(await stats(cli, '--run', '2')).toEqual(want);
    expect(await stats(cli, '--run', '2', '--from', '2023-12-31', '--to', '2024-12-31')).toEqual(want);
    // Months from the tally (each month one row) add up to the same entries.
    const months = parseCsv((await cli('stats', '--run', '2', '--by', 'month', '--format', 'csv')).stdout);
    expect(months.map((r) => [r['month'], r['entries'], r['persons_entered']])).toEqual([
      ['2024-01', '1', '1'],
      ['2024-03', '0', '0'],
      ['2024-08', '1', '1'],
      ['TOTAL', '2', '1'],
    ]);
  });

  it('violators and the person view use the same rules', async () => {
    const violators = parseCsv((await cli('violators', '--run', '2', '--format', 'csv')).stdout);
    expect(violators.map((r) => [r['person_key'], r['citizenship'], r['rules'], r['days_over']])).toEqual([['Z', 'UZB', 'stay-limit', '123']]);
    const person = async (runId: string) => JSON.parse((await cli('person', 'Z', '--run', runId, '--format', 'json')).stdout) as {
      identity: Record<string, unknown>;
      stays: Record<string, unknown>[];
      now: Record<string, unknown>;
    };
    const june = await person('1');
    expect(june.identity['citizenship']).toBe('RUS');
    expect(june.now).toMatchObject({ citizenship: 'RUS', present: 'no', regime: 'EAEU' });
    expect(june.stays.map((s) => [s['citizenship'], s['regime'], s['entry_date']])).toEqual([['RUS', 'EAEU', '2024-01-01']]);
    const december = await person('2');
    expect(december.identity['citizenship']).toBe('UZB');
    expect(december.now).toMatchObject({ citizenship: 'UZB', present: 'yes', regime: 'VF-30' });
    expect(december.stays.map((s) => [s['citizenship'], s['regime'], s['entry_date']])).toEqual([
      ['RUS', 'EAEU', '2024-01-01'],
      ['UZB', 'VF-30', '2024-08-01'],
    ]);
  });
});

describe('the nightly summary follows the same rules', () => {
  it('person Z as of 2024-12-31: one UZB violator of one UZB entry, none among the RUS entries', async () => {
    const inbox = path.join(dir, 'inbox');
    const reports = path.join(dir, 'reports');
    fs.mkdirSync(inbox);
    writeCsv(inbox, 'crossings-z.csv', [CROSSINGS, 'Z,Z100,RUS,IN,2024-01-01 10:00,ALA', 'Z,Z100,RUS,OUT,2024-03-15 10:00,ALA', 'Z,Z200,UZB,IN,2024-08-01 10:00,NQZ']);
    writeCsv(inbox, 'registrations-z.csv', [REGISTRATIONS, 'Z,Z100,RUS,2024-01-01,2024-01-02,H1', 'Z,Z200,UZB,2024-08-01,2024-08-01,H2']);
    const result = await run(['--db', path.join(dir, 'nightly.db'), 'nightly', '--inbox', inbox, '--reports', reports, '--as-of', '2024-12-31']);
    expect(result.code, result.stderr).toBe(0);
    const summary = fs.readFileSync(path.join(reports, '2024-12-31', 'summary.txt'), 'utf8');
    expect(summary).toContain('entries 2, exits 1, persons entered 1\n');
    expect(summary).toContain('Uzbekistan (UZB): 1 violator, 100% of the 1 entry');
    expect(summary).toContain('Russia (RUS): 0 violators, 0% of the 1 entry');
    expect(summary).toContain('  Z UZB stay-limit 123 days, in-country');
  });
});

describe('future-crossing: a crossing dated after the day it was imported', () => {
  // F (DEU) 2024-05-01..05-10, registered; a crossing keyed as 2099-01-01 (imported today).
  let cli: Cli;
  beforeAll(async () => {
    cli = await database(
      'future',
      ['F,F1,DEU,IN,2024-05-01 10:00,ALA', 'F,F1,DEU,OUT,2024-05-10 10:00,ALA', 'F,F1,DEU,IN,2099-01-01 10:00,ALA'],
      ['F,F1,DEU,2024-05-01,2024-05-02,H1'],
    );
  });

  it('auditing a past date reports nothing: a crossing after as-of is not yet known', async () => {
    await audit(cli, '2024-06-30');
    expect(await findings(cli)).toEqual([]);
  });

  it('auditing a date that knows it reports the keying error once', async () => {
    await audit(cli, '2099-01-02');
    const rows = await findings(cli);
    expect(rows).toEqual([
      { person_key: 'F', citizenship: 'DEU', rule: 'future-crossing', regime: '', entry_date: '', exit_date: '', first_day: '2099-01-01', days: '0', status: '' },
    ]);
  });
});
