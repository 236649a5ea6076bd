import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run, tempDir, writeCsv } from '../e2e/helpers.js';
import { DEMO, expectSameFigures, figuresInHtml, importFolder, ok } from './helpers.js';

const CHART_IDS = ['violator-rate', 'months', 'overstay-rate', 'overstay-status', 'rules', 'checkpoints', 'hosts'];

describe('stayaudit report on the demo year (two runs)', () => {
  let dir: string;
  let cleanup: () => void;
  let db: string;
  const cli = (...args: string[]) => run(['--db', db, ...args], { cwd: dir });
  const report = async (...args: string[]): Promise<string> => {
    const file = path.join(dir, `r-${Math.random().toString(36).slice(2)}.html`);
    ok(await cli('report', '--output', file, ...args));
    return fs.readFileSync(file, 'utf8');
  };

  // The latest run's report in each language, and stats, made once.
  const reports: Record<string, string> = {};
  let statsJson: string;

  beforeAll(async () => {
    ({ dir, cleanup } = tempDir('stayaudit-report-'));
    db = path.join(dir, 'audit.db');
    await importFolder(db, DEMO);
    ok(await cli('audit', '--as-of', '2022-06-30'));
    ok(await cli('audit', '--as-of', '2022-12-31'));
    const made = await Promise.all(['ru', 'kk', 'en'].map((lang) => report('--lang', lang)));
    for (const [i, lang] of ['ru', 'kk', 'en'].entries()) reports[lang] = made[i]!;
    statsJson = ok(await cli('stats', '--format', 'json')).stdout;
  });
  afterAll(() => cleanup());

  for (const lang of ['ru', 'kk', 'en'] as const) {
    it(`the statement in ${lang} says what stats --format json says for the latest run`, async () => {
      const html = reports[lang]!;
      expectSameFigures(figuresInHtml(html), statsJson);
      expect(html).toContain(`<html lang="${lang}">`);
      // Country names and number spelling of the language.
      const russia = { ru: 'Россия', kk: 'Ресей', en: 'Russia' }[lang];
      expect(html).toMatch(new RegExp(`<li data-citizenship="RUS">[^\\n]*${russia}`));
      const entries = /data-figure="total.entries" value="(\d+)">([^<]+)</.exec(html)!;
      expect(entries[2]).toBe(new Intl.NumberFormat({ ru: 'ru-RU', kk: 'kk-KZ', en: 'en-GB' }[lang]).format(Number(entries[1])));
      const date = { ru: '31 декабря 2022 г.', kk: '2022 ж. 31 желтоқсан', en: '31 December 2022' }[lang];
      expect(html).toContain(date);
    });
  }

  it('takes --run and --from/--to as stats does', async () => {
    const html = await report('--run', '1', '--from', '2022-03-01', '--to', '2022-08-31', '--lang', 'en');
    const stats = ok(await cli('stats', '--run', '1', '--from', '2022-03-01', '--to', '2022-08-31', '--format', 'json')).stdout;
    expectSameFigures(figuresInHtml(html), stats);
    expect(html).toContain('<meta name="stayaudit:run" content="1">');
    expect(html).toContain('<meta name="stayaudit:period" content="2022-03-01..2022-08-31">');
  });

  it('draws every chart as inline SVG with a table alternative, and is self-contained', async () => {
    const html = reports['en']!;
    for (const id of [...CHART_IDS, 'changes']) {
      const figure = new RegExp(`<figure class="chart-figure" id="chart-${id}"[\\s\\S]*?</figure>`).exec(html);
      expect(figure, id).not.toBeNull();
      expect(figure![0], id).toMatch(/<svg [^>]*width="\d+" height="\d+"/);
      expect(figure![0], id).toMatch(/<h3>[^<]+<\/h3>/);
      expect(figure![0], id).toContain('<table');
    }
    // Axis names are drawn in the SVG.
    const rate = /id="chart-violator-rate"[\s\S]*?<\/svg>/.exec(html)![0];
    expect(rate).toMatch(/>Rate, %<\/text>/);
    expect(rate).toMatch(/>Nationality<\/text>/);
    // Nothing that could load anything: no script, no link, no src/href, no CSS url().
    // (url(#id) is a reference inside the same SVG.)
    expect([...html.matchAll(/<script|<link|<iframe|<img|<object|<embed|\ssrc=|\shref=|url\((?!#)|@import|@font-face/gi)].map((m) => m[0])).toEqual([]);
    expect(html).toContain(`Content-Security-Policy" content="default-src 'none'`);
    expect(Buffer.byteLength(html)).toBeLessThan(2 * 1024 * 1024);
    // A4 print CSS.
    expect(html).toMatch(/@page \{ size: A4;/);
  });

  it('counts new, resolved and changed violators against the previous run', async () => {
    const html = reports['en']!;
    const keys = async (runId: number): Promise<Set<string>> =>
      new Set((JSON.parse(ok(await cli('violators', '--run', String(runId), '--format', 'json')).stdout) as { rows: { person_key: string }[] }).rows.map((r) => r.person_key));
    const [before, now] = [await keys(1), await keys(2)];
    const fresh = [...now].filter((k) => !before.has(k)).length;
    const resolved = [...before].filter((k) => !now.has(k)).length;
    expect(fresh).toBeGreaterThan(0);
    const section = /<section id="changes">[\s\S]*?<\/section>/.exec(html)![0];
    const cell = (label: string): number => Number(new RegExp(`<th scope="row">${label}</th><td class="num">([\\d,]+)</td>`).exec(section)![1]!.replace(/,/g, ''));
    expect(cell('New violators')).toBe(fresh);
    expect(cell('No longer violators')).toBe(resolved);
    // Changed: a violator in both runs with a finding that `diff` lists (appeared, changed, disappeared).
    const diff = JSON.parse(ok(await cli('diff', '1', '2', '--rule', 'stay-limit,rolling-limit,no-basis,permit-expired,ban-breach', '--format', 'json')).stdout) as { rows: { person_key: string }[] };
    const touched = new Set(diff.rows.map((r) => r.person_key));
    const changed = [...now].filter((k) => before.has(k) && touched.has(k)).length;
    expect(cell('Changed')).toBe(changed);
    expect(cell('Unchanged')).toBe(now.size - fresh - changed);
    expect(section).toContain('Compared with run 1');
  });

  it('shows the data it rests on: imports with checksums, anomalies, ruleset checksum', async () => {
    const html = reports['en']!;
    const imports = JSON.parse(ok(await cli('query', 'SELECT file, checksum, rows_read, rejected FROM imports', '--format', 'json')).stdout) as {
      rows: { file: string; checksum: string; rows_read: number; rejected: number }[];
    };
    expect(imports.rows).toHaveLength(4);
    for (const i of imports.rows) {
      expect(html).toContain(i.checksum);
      expect(html).toContain(i.file);
    }
    const runRow = JSON.parse(ok(await cli('runs', '--format', 'json')).stdout) as { rows: { run: number; ruleset_checksum: string; anomalies: number }[] };
    expect(html).toContain(runRow.rows[1]!.ruleset_checksum);
    const quality = /<section id="quality">[\s\S]*?<\/section>/.exec(html)![0];
    const anomalies = [...quality.matchAll(/<td>(orphan-exit|missing-exit|permit-dates-reversed|future-crossing|unknown-checkpoint)<\/td><td class="num">(\d+)<\/td>/g)];
    expect(anomalies).toHaveLength(5);
    expect(anomalies.reduce((n, m) => n + Number(m[2]), 0)).toBe(runRow.rows[1]!.anomalies);
    // The demo inbox has rejected crossings rows on purpose: each reason is listed, and they add up.
    expect(imports.rows.some((i) => i.rejected > 0)).toBe(true);
    // Every rejected row is kept with its import (import_rejects); the report counts them per reason, the quoted values left out.
    const rejected = JSON.parse(ok(await cli('query', 'SELECT i.file, r.reason FROM import_rejects r JOIN imports i ON i.id = r.import_id', '--format', 'json')).stdout) as {
      rows: { file: string; reason: string }[];
    };
    const kinds = new Map<string, { file: string; reason: string; rows: number }>();
    for (const r of rejected.rows) {
      const reason = r.reason.replace(/'[^']*'/g, "'…'");
      const kind = kinds.get(`${r.file}|${reason}`) ?? { file: r.file, reason, rows: 0 };
      kind.rows++;
      kinds.set(`${r.file}|${reason}`, kind);
    }
    const reasons = { rows: [...kinds.values()] };
    for (const i of imports.rows) expect(reasons.rows.filter((r) => r.file === i.file).reduce((n, r) => n + r.rows, 0), i.file).toBe(i.rejected);
    const listed = /<table class="rejections">[\s\S]*?<\/table>/.exec(quality)![0];
    for (const r of reasons.rows) expect(listed).toContain(`<td>${r.reason.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;')}</td><td class="num">${r.rows}</td>`);
    expect(reasons.rows.map((r) => r.reason)).toContain("citizenship: unknown country '…'");
  });

  it('holds no personal data by default; --violators N adds them masked; --no-mask names them', async () => {
    const violators = JSON.parse(ok(await cli('violators', '--format', 'json', '--limit', '3')).stdout) as { rows: Record<string, string>[] };
    const names = violators.rows.map((r) => r['surname']!).filter(Boolean);
    const documents = violators.rows.map((r) => r['document_no']!);
    const hostName = JSON.parse(ok(await cli('query', 'SELECT host_name FROM registrations WHERE host_name IS NOT NULL LIMIT 1', '--format', 'json')).stdout).rows[0].host_name as string;
    expect(names.length).toBeGreaterThan(0);
    const plain = reports['en']!;
    const [masked, named] = await Promise.all([report('--lang', 'en', '--violators', '3'), report('--lang', 'en', '--violators', '3', '--no-mask')]);
    for (const html of [plain, masked]) {
      for (const secret of [...names, ...documents, hostName]) expect(html).not.toContain(secret);
    }
    expect(plain).not.toContain('id="violators"');
    expect(masked).toMatch(/<section id="violators" class="masked">/);
    expect([...masked.matchAll(/P-[0-9A-F]{12}/g)].length).toBeGreaterThanOrEqual(3);
    for (const secret of [...names, ...documents]) expect(named).toContain(secret);
    expect(named).toContain('PERSONAL DATA');
  });

  it('writes report-<as-of>.html by default and - writes to stdout', async () => {
    ok(await cli('report', '--lang', 'en'));
    expect(fs.existsSync(path.join(dir, 'report-2022-12-31.html'))).toBe(true);
    const out = ok(await cli('report', '--run', '1', '--output', '-'));
    expect(out.stdout.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(out.stdout).toContain('<meta name="stayaudit:as-of" content="2022-06-30">');
  });

  it('an empty period still renders, saying there is no data', async () => {
    const html = await report('--from', '2030-01-01', '--to', '2030-12-31', '--lang', 'en');
    expect(figuresInHtml(html).get('total.entries')).toBe(0);
    expect(html).toContain('No data in this period.');
  });

  it('refuses bad flags with exit 2 and a hint, and an unwritable target with exit 2 (README: an --output that cannot be used)', async () => {
    const argsList = [['--lang', 'de'], ['--violators', 'many'], ['--run', '9'], ['--from', '2022-02-30']];
    const results = await Promise.all(argsList.map((args) => cli('report', ...args)));
    for (const [i, args] of argsList.entries()) {
      const result = results[i]!;
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr).toMatch(/^error: /);
      expect(result.stdout).toBe('');
    }
    const result = await cli('report', '--output', path.join(dir, 'no', 'such', 'dir', 'r.html'));
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('hint:');
  });
});

describe('stayaudit report on small runs', () => {
  let dir: string;
  let cleanup: () => void;
  beforeAll(() => ({ dir, cleanup } = tempDir('stayaudit-report-small-')));
  afterAll(() => cleanup());

  const HEADER = 'person_id,document_no,citizenship,surname,given_names,birth_date,sex,direction,crossed_at,checkpoint';

  it('a run with no violators and a single nationality renders', async () => {
    const db = path.join(dir, 'lawful.db');
    const crossings = writeCsv(dir, 'crossings.csv', [
      HEADER,
      'A1,D1,RUS,ONE,A,1980-01-01,M,IN,2024-01-01 08:00,ALA-AIRPORT',
      'A1,D1,RUS,ONE,A,1980-01-01,M,OUT,2024-01-20 08:00,ALA-AIRPORT',
      'A2,D2,RUS,TWO,B,1981-01-01,F,IN,2024-02-01 08:00,KORDAI',
    ]);
    ok(await run(['--db', db, 'import', 'crossings', crossings]));
    ok(await run(['--db', db, 'audit', '--as-of', '2024-03-01']));
    const stats = ok(await run(['--db', db, 'stats', '--format', 'json'])).stdout;
    const files = await Promise.all(
      ['ru', 'kk', 'en'].map(async (lang) => {
        const file = path.join(dir, `lawful-${lang}.html`);
        ok(await run(['--db', db, 'report', '--lang', lang, '--output', file, '--violators', '5']));
        return file;
      }),
    );
    for (const file of files) {
      const html = fs.readFileSync(file, 'utf8');
      expectSameFigures(figuresInHtml(html), stats);
      expect(figuresInHtml(html).get('total.violators')).toBe(0);
      expect([...html.matchAll(/<li data-citizenship="/g)]).toHaveLength(1);
      expect(html).toMatch(/id="chart-violator-rate"[\s\S]*?<svg/);
      expect(html).toMatch(/id="chart-months"[\s\S]*?<svg/);
    }
    const file = files[2]!;
    expect(fs.readFileSync(file, 'utf8')).toContain('No violators.');
  });

  it('groups rejected rows by reason, the values left out, with the first line', async () => {
    const db = path.join(dir, 'rejects.db');
    const crossings = writeCsv(dir, 'bad.csv', [
      HEADER,
      'B1,D1,ZZZ,ONE,A,1980-01-01,M,IN,2024-01-01 08:00,ALA-AIRPORT',
      'B2,D2,RUS,TWO,B,1981-01-01,F,IN,2024-02-01 08:00,KORDAI',
      'B3,D3,QQQ,THREE,C,1982-01-01,F,IN,2024-02-01 08:00,KORDAI',
      'B4,D4,RUS,FOUR,D,1983-01-01,F,SIDEWAYS,2024-02-01 08:00,KORDAI',
    ]);
    expect((await run(['--db', db, 'import', 'crossings', crossings])).code).toBe(5);
    ok(await run(['--db', db, 'audit', '--as-of', '2024-03-01']));
    const file = path.join(dir, 'rejects.html');
    ok(await run(['--db', db, 'report', '--lang', 'en', '--output', file]));
    const listed = /<table class="rejections">[\s\S]*?<\/table>/.exec(fs.readFileSync(file, 'utf8'))![0];
    const rows = [...listed.matchAll(/<tr><th scope="row">([^<]*)<\/th><td>([^<]*)<\/td><td class="num">(\d+)<\/td><td class="num">(\d+)<\/td><\/tr>/g)].map((m) => ({
      file: m[1],
      reason: m[2]!.replace(/&#39;/g, "'"),
      rows: Number(m[3]),
      first_line: Number(m[4]),
    }));
    expect(rows).toEqual([
      { file: crossings, reason: "citizenship: unknown country '…'", rows: 2, first_line: 2 },
      { file: crossings, reason: expect.stringMatching(/^direction: unknown direction '…'/), rows: 1, first_line: 5 },
    ]);
  });

  it('a database without a run is a usage error', async () => {
    const db = path.join(dir, 'empty.db');
    const crossings = writeCsv(dir, 'c2.csv', [HEADER, 'A1,D1,RUS,ONE,A,1980-01-01,M,IN,2024-01-01 08:00,ALA-AIRPORT']);
    ok(await run(['--db', db, 'import', 'crossings', crossings]));
    const result = await run(['--db', db, 'report'], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('there is no audit run yet');
  });
});
