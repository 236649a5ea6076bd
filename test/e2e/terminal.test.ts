import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, FIXTURES, importScenario, parseCsv, ROOT, run, tempDir, writeCsv } from './helpers.js';

/** The analyst's terminal (issue 14): filters, shape flags, fitting tables, spreadsheets, dates. */
describe('listings on the e2e scenario', () => {
  let dir: string;
  let cleanup: () => void;
  let db: string;
  const cli = (...args: string[]) => run(['--db', db, ...args]);
  const keys = async (...args: string[]): Promise<string[]> => {
    const result = await cli(...args, '--format', 'csv');
    expect(result.code, result.stderr).toBe(0);
    return parseCsv(result.stdout).map((r) => r['person_key']!);
  };

  beforeAll(async () => {
    ({ dir, cleanup } = tempDir());
    db = path.join(dir, 'audit.db');
    for (const result of await importScenario(db)) expect(result.code, result.stderr).toBe(0);
    expect((await cli('audit', '--as-of', '2024-04-14')).code).toBe(0);
  });
  afterAll(() => cleanup());

  it('--address matches registration and permit addresses, in any case', async () => {
    expect(await keys('violators', '--address', 'almaty')).toEqual(['P1', 'P2']);
    expect(await keys('violators', '--address', 'KENESARY')).toEqual(['P3']);
    expect(await keys('findings', '--address', 'tauke')).toEqual(['P5', 'P7']);
    expect(await keys('violators', '--address', 'nowhere')).toEqual([]);
  });

  it('--region matches the address up to its first comma', async () => {
    expect(await keys('violators', '--region', 'Almaty')).toEqual(['P1', 'P2']);
    expect(await keys('violators', '--region', 'astana,shymkent')).toEqual(['P5', 'P3']);
    // "Bishkek st 3, Almaty" is in Bishkek st 3, not in Almaty.
    expect(await keys('findings', '--region', 'Bishkek st 3')).toEqual([]);
  });

  it('--host, --checkpoint, --entry-from/--entry-to, --status and --citizenship filter findings', async () => {
    expect(await keys('findings', '--host', 'HOST-A')).toEqual(['P1', 'P2']);
    expect(await keys('findings', '--host', 'HOST-D', '--rule', 'late-registration')).toEqual(['P7']);
    expect(await keys('findings', '--checkpoint', 'zhibek zholy')).toEqual(['P5', 'P7', 'UZB:FA600006']);
    expect(await keys('findings', '--entry-from', '2024-03-01', '--entry-to', '15.03.2024')).toEqual(['P2', 'P3']);
    expect(await keys('violators', '--status', 'departed')).toEqual(['P3']);
    expect(await keys('findings', '--citizenship', 'Germany')).toEqual(['P3']);
  });

  it('--columns picks and orders columns in every format; an unknown column is a usage error', async () => {
    const csv = await cli('violators', '--columns', 'days_over,person_key', '--format', 'csv');
    expect(csv.stdout.split('\n').slice(0, 2)).toEqual(['days_over,person_key', '15,P1']);
    const json = JSON.parse((await cli('findings', '--columns', 'rule', '--format', 'json', '--limit', '1')).stdout) as { columns: string[]; rows: object[] };
    expect(json.columns).toEqual(['rule']);
    expect(json.rows).toEqual([{ rule: 'stay-limit' }]);
    const table = await cli('runs', '--columns', 'run,as_of', '--format', 'table');
    expect(table.stdout).toContain('│ run │ as_of      │');
    const bad = await cli('findings', '--columns', 'person_key,nope');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("unknown column 'nope'");
  });

  it('--sort orders by columns (numbers as numbers, :desc), --limit cuts, on every listing', async () => {
    expect(await keys('findings', '--sort', 'days')).toEqual(['P8', 'P2', 'P7', 'P3', 'UZB:FA600006', 'P5', 'P1']);
    expect(await keys('findings', '--sort', 'days:desc', '--limit', '2')).toEqual(['P1', 'P5']);
    expect(await keys('violators', '--sort', 'citizenship,days_over:desc')).toEqual(['P3', 'P1', 'P2', 'P5']);
    expect(await keys('violators', '--limit', '1')).toEqual(['P1']);
    const stats = parseCsv((await cli('stats', '--sort', 'entries', '--limit', '2', '--format', 'csv')).stdout).map((r) => r['citizenship']);
    // The TOTAL row stays last and does not count against the limit.
    expect(stats).toEqual(['DEU', 'TJK', 'TOTAL']);
    const bad = await cli('violators', '--sort', 'shoe_size');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--sort');
  });

  it('tables fit the terminal width, say which columns were left out, and --wide draws all', async () => {
    for (const [command, width] of [['violators', 80], ['findings', 80], ['findings', 60], ['diff', 100]] as const) {
      const args = command === 'diff' ? ['diff', '1', '1', '--all'] : [command];
      const result = await run(['--db', db, ...args, '--format', 'table'], { env: { COLUMNS: String(width) } });
      expect(result.code, result.stderr).toBe(0);
      const lines = result.stdout.split('\n').filter((l) => /^[┌│├└]/.test(l));
      expect(lines.length).toBeGreaterThan(0);
      for (const line of lines) expect([...line].length, `${command} at ${width}: ${line}`).toBeLessThanOrEqual(width);
      expect(result.stdout).toMatch(/columns? left out to fit \d+ characters: .*--wide/);
    }
    const narrow = await run(['--db', db, 'violators', '--format', 'table'], { env: { COLUMNS: '80' } });
    // The important columns stay.
    for (const column of ['person_key', 'surname', 'citizenship', 'days_over', 'status']) expect(narrow.stdout).toContain(column);
    const wide = await run(['--db', db, 'violators', '--format', 'table', '--wide'], { env: { COLUMNS: '80' } });
    expect(wide.stdout).toContain('last_address');
    expect(wide.stdout).not.toContain('left out');
    expect(Math.max(...wide.stdout.split('\n').map((l) => [...l].length))).toBeGreaterThan(80);
  });

  it('a column wider than the terminal is wrapped, not cut', async () => {
    const result = await run(['--db', db, 'findings', '--columns', 'detail', '--format', 'table'], { env: { COLUMNS: '30' } });
    const lines = result.stdout.split('\n').filter((l) => /^[┌│├└]/.test(l));
    for (const line of lines) expect([...line].length).toBeLessThanOrEqual(30);
    expect(lines.map((l) => l.slice(2, -2).trim()).join('')).toContain('"banEnd":"2026-05-20"');
  });

  it('--excel writes UTF-8 with BOM, semicolons and CRLF; --delimiter changes the delimiter', async () => {
    const file = path.join(dir, 'excel.csv');
    const result = await cli('violators', '--excel', '-o', file);
    expect(result.code, result.stderr).toBe(0);
    const bytes = fs.readFileSync(file);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.subarray(3).toString('utf8');
    expect(text.startsWith('person_key;document_no;surname;')).toBe(true);
    expect(text.split('\r\n')).toHaveLength(6);
    expect(text.replace(/\r\n/g, '')).not.toContain('\n');
    // An address with a comma is quoted whatever the delimiter.
    expect(text).toContain(';"Almaty, Abay 1";HOST-A\r\n');
    const tab = await cli('findings', '--delimiter', 'tab', '--columns', 'person_key,rule', '--limit', '1');
    expect(tab.stdout).toBe('person_key\trule\nP1\tstay-limit\n');
    const semicolon = await cli('stats', '--delimiter', ';', '--columns', 'citizenship,entries', '--limit', '1');
    expect(semicolon.stdout).toBe('citizenship;entries\nRUS;3\nTOTAL;9\n');
    const json = await cli('violators', '--excel', '--format', 'json');
    expect(json.code).toBe(2);
  });

  it('stats --citizenship keeps those citizenships; a period past the as-of date is warned about', async () => {
    const rows = parseCsv((await cli('stats', '--citizenship', 'Russia', '--format', 'csv')).stdout);
    expect(rows.map((r) => [r['citizenship'], r['entries'], r['violators']])).toEqual([['RUS', '3', '2']]);
    const two = await cli('stats', '--citizenship', 'RUS,UZ', '--format', 'csv');
    expect(parseCsv(two.stdout).map((r) => r['citizenship'])).toEqual(['RUS', 'UZB']);
    expect((await cli('stats', '--citizenship', 'RUS', '--by', 'month')).code).toBe(2);
    const past = await cli('stats', '--from', '2024-05-01', '--to', '2024-12-31', '--format', 'csv');
    expect(past.code).toBe(0);
    expect(past.stderr).toContain("lies after run 1's as-of date 2024-04-14");
    const reaching = await cli('stats', '--from', '2024-01-01', '--to', '2024-06-30', '--format', 'csv');
    expect(reaching.stderr).toContain("reaches past run 1's as-of date 2024-04-14");
    const within = await cli('stats', '--from', '2024-01-01', '--to', '2024-04-14', '--format', 'csv');
    expect(within.stderr).toBe('');
  });
});

describe('diff shows what changed', () => {
  it('a regime change is named in what_changed, with both regimes', async () => {
    const { dir, cleanup } = tempDir();
    try {
      const db = path.join(dir, 'audit.db');
      for (const result of await importScenario(db)) expect(result.code).toBe(0);
      expect((await run(['--db', db, 'audit', '--as-of', '2024-04-14'])).code).toBe(0);
      const rules = path.join(dir, 'rules.json');
      fs.writeFileSync(rules, JSON.stringify({ extends: 'default', regimes: [{ name: 'RU-TEST', countries: ['RUS'], cap: 90 }] }));
      expect((await run(['--db', db, 'audit', '--as-of', '2024-04-14', '--rules', rules])).code).toBe(0);
      const rows = parseCsv((await run(['--db', db, 'diff', '--format', 'csv'])).stdout);
      const p1 = rows.find((r) => r['person_key'] === 'P1')!;
      expect(p1).toMatchObject({ change: 'changed', what_changed: 'regime EAEU → RU-TEST', regime_a: 'EAEU', regime_b: 'RU-TEST' });
      // P2's rolling-limit needs the EAEU window: without it the finding disappears.
      expect(rows.find((r) => r['person_key'] === 'P2')).toMatchObject({ change: 'disappeared', what_changed: '' });
    } finally {
      cleanup();
    }
  });
});

describe('control characters in tables', () => {
  it('a surname holding terminal escapes is shown escaped, never sent to the terminal', async () => {
    const { dir, cleanup } = tempDir();
    try {
      const db = path.join(dir, 'audit.db');
      const evil = '\u001b]0;PWNED\u0007\u001b[2JEVIL\u202e';
      const file = writeCsv(dir, 'crossings.csv', ['person_id,document_no,citizenship,surname,direction,crossed_at', `P1,N1,RUS,${evil},IN,2024-01-01`]);
      expect((await run(['--db', db, 'import', 'crossings', file])).code).toBe(0);
      expect((await run(['--db', db, 'audit', '--as-of', '2024-04-14'])).code).toBe(0);
      for (const args of [['violators'], ['findings'], ['person', 'P1']]) {
        // Raw bytes, not the helper's output (which strips colour codes).
        const raw = spawnSync(process.execPath, [BIN, '--db', db, ...args, '--format', 'table', '--wide'], { cwd: ROOT, env: { ...process.env, NO_COLOR: '1' }, encoding: 'utf8' });
        expect(raw.status, raw.stderr).toBe(0);
        expect(raw.stdout).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202e]/);
        expect(raw.stdout).toContain('\\e]0;PWNED\\a\\e[2JEVIL\\u202e');
      }
      // CSV keeps the value as it is (a data format, not a terminal).
      const csv = await run(['--db', db, 'violators', '--format', 'csv', '--columns', 'surname']);
      expect(csv.stdout).toContain('EVIL');
    } finally {
      cleanup();
    }
  });
});

describe('getting started and dates', () => {
  it('no arguments: help on stderr, exit 2', async () => {
    const result = await run([]);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('Usage: stayaudit');
    expect(result.stderr).toContain('findings');
    expect((await run(['--help'])).code).toBe(0);
  });

  it('--as-of takes DD.MM.YYYY, today and yesterday; audit --json is snake_case', async () => {
    const { dir, cleanup } = tempDir();
    try {
      const db = path.join(dir, 'audit.db');
      for (const result of await importScenario(db)) expect(result.code).toBe(0);
      const dotted = await run(['--db', db, 'audit', '--as-of', '14.04.2024', '--json']);
      expect(dotted.code, dotted.stderr).toBe(0);
      const body = JSON.parse(dotted.stdout) as Record<string, unknown>;
      expect(body).toMatchObject({ version: 1, run_id: 1, as_of: '2024-04-14', ruleset_name: 'default' });
      expect(Object.keys(body).filter((k) => /[A-Z]/.test(k))).toEqual([]);
      const local = (d: Date): string => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
      const before = new Date();
      for (const [word, days] of [['yesterday', 1], ['today', 0]] as const) {
        const result = await run(['--db', db, 'audit', '--as-of', word, '--json']);
        expect(result.code, result.stderr).toBe(0);
        const expected = new Date(before.getFullYear(), before.getMonth(), before.getDate() - days);
        expect((JSON.parse(result.stdout) as { as_of: string }).as_of).toBe(local(expected));
      }
      for (const [worded, iso] of [['14 апреля 2024', '2024-04-14'], ['14 сәуір 2024', '2024-04-14'], ['1 March 2024', '2024-03-01']]) {
        const result = await run(['--db', db, 'audit', '--as-of', worded, '--json']);
        expect(result.code, result.stderr).toBe(0);
        expect((JSON.parse(result.stdout) as { as_of: string }).as_of, worded).toBe(iso);
      }
      for (const bad of ['31.02.2024', '2024-13-01', '14/04/2024', 'tomorrow', '31 февраля 2024']) {
        const result = await run(['--db', db, 'audit', '--as-of', bad]);
        expect(result.code, bad).toBe(2);
        expect(result.stderr, bad).toContain('--as-of');
      }
      const findings = await run(['--db', db, 'findings', '--run', '1', '--from', '01.04.2024', '--format', 'csv']);
      expect(parseCsv(findings.stdout).map((r) => r['person_key'])).toEqual(['P2', 'P5', 'P7', 'UZB:FA600006']);
    } finally {
      cleanup();
    }
  });

  it('import --json is snake_case too', async () => {
    const { dir, cleanup } = tempDir();
    try {
      const result = await run(['--db', path.join(dir, 'a.db'), 'import', 'expulsions', path.join(FIXTURES, 'e2e', 'expulsions.csv'), '--json']);
      const file = (JSON.parse(result.stdout) as { files: Record<string, unknown>[] }).files[0]!;
      expect(file).toHaveProperty('import_id', 1);
      expect(file).toHaveProperty('ignored_columns', []);
      expect(Object.keys(file).filter((k) => /[A-Z]/.test(k))).toEqual([]);
    } finally {
      cleanup();
    }
  });
});
