import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES, importScenario, parseCsv, run, tempDir, writeCsv } from './helpers.js';

const CROSSINGS_HEADER = 'person_id,document_no,citizenship,surname,given_names,birth_date,sex,direction,crossed_at,checkpoint';

describe('reports on the e2e scenario', () => {
  let dir: string;
  let cleanup: () => void;
  let db: string;
  const cli = (...args: string[]) => run(['--db', db, ...args]);

  beforeAll(async () => {
    ({ dir, cleanup } = tempDir());
    db = path.join(dir, 'audit.db');
    for (const result of await importScenario(db)) expect(result.code, result.stderr).toBe(0);
    expect((await cli('audit', '--as-of', '2024-04-14')).code).toBe(0);
  });
  afterAll(() => cleanup());

  // The golden files were checked by hand against the verdicts listed in pipeline.test.ts.
  for (const [name, args] of [
    ['expected-findings.csv', ['findings']],
    ['expected-violators.csv', ['violators']],
    ['expected-stats.csv', ['stats']],
  ] as const) {
    it(`${args[0]} --format csv matches the golden ${name}`, async () => {
      const result = await cli(...args, '--format', 'csv');
      expect(result.code).toBe(0);
      expect(result.stdout).toBe(fs.readFileSync(path.join(FIXTURES, 'e2e', name), 'utf8'));
    });
  }

  it('json carries a version, the run stamp and the rows; ndjson is one object per line', async () => {
    const json = JSON.parse((await cli('violators', '--format', 'json')).stdout) as { version: number; meta: Record<string, unknown>; rows: unknown[] };
    expect(json.version).toBe(1);
    expect(json.meta).toMatchObject({ run: 1, as_of: '2024-04-14' });
    expect(json.rows).toHaveLength(4);
    const ndjson = (await cli('findings', '--format', 'ndjson')).stdout.trim().split('\n');
    expect(ndjson).toHaveLength(7);
    expect(JSON.parse(ndjson[0]!)).toHaveProperty('person_key');
  });

  it('--no-headers drops the CSV header; a table is drawn on request', async () => {
    const csv = await cli('violators', '--format', 'csv', '--no-headers');
    expect(csv.stdout.split('\n')[0]).toMatch(/^P1,/);
    const table = await cli('violators', '--format', 'table');
    expect(table.stdout).toContain('│ P1');
    expect(table.stdout).toContain('4 rows · run: 1 · as_of: 2024-04-14');
  });

  it('stats by month, checkpoint, rule and host end with a TOTAL row', async () => {
    for (const by of ['month', 'checkpoint', 'rule', 'host']) {
      const rows = parseCsv((await cli('stats', '--by', by, '--format', 'csv')).stdout);
      expect(rows[rows.length - 1]![by]).toBe('TOTAL');
      expect(rows[rows.length - 1]!['entries']).toBe('9');
    }
    const host = parseCsv((await cli('stats', '--by', 'host', '--format', 'csv')).stdout);
    expect(host.find((r) => r['host'] === 'HOST-D')).toMatchObject({ host_name: 'Shymkent Market', registration_findings: '1', entries: '' });
  });

  it('person --format json --output writes the same JSON to the file', async () => {
    const out = path.join(dir, 'p2.json');
    expect((await cli('person', 'P2', '--format', 'json', '--output', out)).code).toBe(0);
    const stdout = (await cli('person', 'P2', '--format', 'json')).stdout;
    expect(fs.readFileSync(out, 'utf8')).toBe(stdout);
  });

  it('stats over any period: stored calendar counts and a scan of the crossings agree', async () => {
    const stats = async (...args: string[]) => parseCsv((await cli('stats', '--format', 'csv', ...args)).stdout);
    // 2024 is a calendar year (stored counts); starting a day earlier forces the scan.
    const stored = await stats('--from', '2024-01-01', '--to', '2024-12-31');
    const scanned = await stats('--from', '2023-12-31', '--to', '2024-12-31');
    const pick = (rows: Record<string, string>[]) => rows.map((r) => [r['citizenship'], r['entries'], r['exits'], r['persons_entered']]);
    expect(pick(scanned)).toEqual(pick(stored));
    // Entries from 2024-03-15 to 2024-04-14: P2, P5, UZB:FA600006, P7, P9.
    const spring = await stats('--from', '2024-03-15', '--to', '2024-04-14');
    expect(spring[spring.length - 1]).toMatchObject({ citizenship: 'TOTAL', entries: '5', persons_entered: '5' });
    const months = await stats('--by', 'month');
    expect(months.find((r) => r['month'] === '2024-04')).toMatchObject({ entries: '4', persons_entered: '4' });
  });

  it('query binds parameters and refuses writes, ATTACH and extensions', async () => {
    const rows = parseCsv((await cli('query', 'SELECT person_key FROM findings WHERE rule = :rule ORDER BY 1', '--param', 'rule=stay-limit', '--format', 'csv')).stdout);
    expect(rows.map((r) => r['person_key'])).toEqual(['P1', 'P3']);
    // A hostile value is data, not SQL.
    const hostile = await cli('query', 'SELECT count(*) AS n FROM findings WHERE rule = :rule', '--param', "rule=x' OR '1'='1", '--format', 'csv');
    expect(parseCsv(hostile.stdout)[0]!['n']).toBe('0');
    for (const sql of ['DELETE FROM findings', "ATTACH 'x.db' AS x", "SELECT load_extension('x')", "VACUUM INTO 'copy.db'", 'PRAGMA journal_mode=DELETE']) {
      const result = await cli('query', sql);
      expect(result.code, sql).toBe(2);
      expect(result.stderr).toMatch(/^error: /);
    }
    const still = parseCsv((await cli('query', 'SELECT count(*) AS n FROM findings', '--format', 'csv')).stdout);
    expect(still[0]!['n']).toBe('7');
  });

  it('CSV cells that a spreadsheet would run as formulas are neutralised unless --raw', async () => {
    const sql = "SELECT '=HYPERLINK(\"http://x\")' AS a, '+1' AS b, '-2+3' AS c, '@SUM(A1)' AS d, 'plain' AS e, -5 AS n";
    const safe = await cli('query', sql, '--format', 'csv');
    expect(safe.stdout.split('\n')[1]).toBe(`"'=HYPERLINK(""http://x"")",'+1,'-2+3,'@SUM(A1),plain,-5`);
    const raw = await cli('query', sql, '--format', 'csv', '--raw');
    expect(raw.stdout.split('\n')[1]).toBe('"=HYPERLINK(""http://x"")",+1,-2+3,@SUM(A1),plain,-5');
  });

  it('a closed pipe (| head) is not an error', async () => {
    const piped = spawnSync('bash', ['-c', `set -o pipefail; node bin/stayaudit.js --db '${db}' query "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 300000) SELECT i FROM n" --format csv | head -2; echo "status \${PIPESTATUS[0]}"`], {
      cwd: path.join(FIXTURES, '..'),
      encoding: 'utf8',
    });
    expect(piped.stdout).toContain('i\n1\n');
    expect(piped.stdout).toContain('status 0');
    expect(piped.stderr).toBe('');
  });
});

describe('statistics checked by hand', () => {
  it('5 entries, 1 violator: entry rate 20%; DHS overstay rate = overstays / expected departures', async () => {
    const { dir, cleanup } = tempDir();
    try {
      const db = path.join(dir, 's.db');
      // Five RUS entries by four persons in 2024; only S1 overstays (in 2024-01-01, out 2024-04-05:
      // cap ends 2024-03-30, 6 days over, departed). S2 enters twice. Registrations keep the
      // receiving parties out of it.
      const file = writeCsv(dir, 'c.csv', [
        CROSSINGS_HEADER,
        'S1,A1,RUS,,,,,IN,2024-01-01 10:00,',
        'S1,A1,RUS,,,,,OUT,2024-04-05 10:00,',
        'S2,A2,RUS,,,,,IN,2024-02-01 10:00,',
        'S2,A2,RUS,,,,,OUT,2024-02-02 10:00,',
        'S2,A2,RUS,,,,,IN,2024-03-01 10:00,',
        'S2,A2,RUS,,,,,OUT,2024-03-02 10:00,',
        'S3,A3,RUS,,,,,IN,2024-05-01 10:00,',
        'S3,A3,RUS,,,,,OUT,2024-05-03 10:00,',
        'S4,A4,RUS,,,,,IN,2024-06-01 10:00,',
        'S4,A4,RUS,,,,,OUT,2024-06-02 10:00,',
      ]);
      const regs = writeCsv(dir, 'r.csv', ['person_id,document_no,citizenship,registered_from,notified_on', 'S1,A1,RUS,2024-01-01,2024-01-01']);
      expect((await run(['--db', db, 'import', 'crossings', file])).code).toBe(0);
      expect((await run(['--db', db, 'import', 'registrations', regs])).code).toBe(0);
      expect((await run(['--db', db, 'audit', '--as-of', '2024-12-31'])).code).toBe(0);
      const rows = parseCsv((await run(['--db', db, 'stats', '--format', 'csv'])).stdout);
      const rus = rows.find((r) => r['citizenship'] === 'RUS')!;
      // Expected departures: 5 stays, each authorised until entry + 89 (all within 2024); 1 overstayed.
      expect(rus).toMatchObject({
        entries: '5',
        exits: '5',
        persons_entered: '4',
        violators: '1',
        violator_rate_pct: '25',
        entry_rate_pct: '20',
        expected_departures: '5',
        overstays: '1',
        overstays_departed: '1',
        overstays_in_country: '0',
        overstay_rate_pct: '20',
      });
    } finally {
      cleanup();
    }
  });
});
