import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { childScript, findSqlite3, hasUsrBinTimeCached, removeDb, runExternal, runOurs, useChildFrom, type Measurement } from './measure.js';
import { deltaFloorText, measureDeltaFloor } from './delta-floor.js';
import { runHeavy, type HeavyResult } from './nights.js';
import { renderMarkdown } from './report.js';
import { compareStores } from './stores.js';
import { DEFAULT_KEEP_RUNS } from '../../reports/runs.js';
import type { AuditFigures, BenchResult, DeltaResult, ScaleResult, Step, Target } from './types.js';

/**
 * `npm run bench -- [--persons 1000000[,3400000]] [--seed 1] [--year 2024] [--dir bench-data]
 * [--out bench-results] [--keep]`: generates data at each scale, measures every step in a
 * process of its own (wall time, peak RSS), compares with the sqlite3 shell when it is
 * installed, and writes bench-results/bench-<timestamp>.json, latest.json and latest.md.
 */

const USAGE = `usage: npm run bench -- [--persons N[,N...]] [--seed S] [--year YYYY] [--dir DIR] [--out DIR] [--keep]
       [--heavy-persons N] [--registration-rate R] [--nights N] [--keep-runs N] [--pairs N] [--only-heavy]
       [--store postgres]

  --persons  scales, comma-separated; 1000000, 1e6, 1m, 3.4m, 250k all work (default 1000000)
  --seed     generator seed (default 1)
  --year     year of the generated data; audits run as of YYYY-12-31 (default 2024)
  --dir      where data and databases go (default ./bench-data; deleted afterwards unless --keep)
  --out      where the results go (default ./bench-results)
  --keep     keep the generated data and databases (generated files are reused by the next run)
  --heavy-persons      persons of the findings-heavy year (default: the smallest scale; 0 skips it)
  --registration-rate  its share of stays registered (default 0.5: many unregistered findings)
  --nights             nights of the nightly sequence on it: import a day, audit, prune (default 30)
  --keep-runs          the retention of that sequence (default 7, the nightly job's)
  --pairs              audit / window-query pairs on it, each from a fresh copy (default 3)
  --only-heavy         run only the findings-heavy year and its nights
  --store postgres     instead: import + audit + stats of each scale on SQLite and on PostgreSQL,
                       side by side ($STAYAUDIT_BENCH_PG_URL, else a throwaway cluster);
                       writes stores-latest.json and stores-latest.md
`;

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const DELTA_ROWS = 25_000;
const DELTA_PERSONS = 11_000; // about 2.5 crossings per person: enough for 25,000 rows

const benchStarted = performance.now();
function log(message: string): void {
  const s = ((performance.now() - benchStarted) / 1000).toFixed(0).padStart(5);
  process.stderr.write(`[bench ${s} s] ${message}\n`);
}

function parseScale(text: string): number {
  const m = /^(\d+(?:\.\d+)?)(?:e(\d+)|([kKmM]))?$/.exec(text.replaceAll('_', '').trim());
  if (!m) throw new Error(`--persons: '${text}' is not a number of persons`);
  let n = Number(m[1]);
  if (m[2] !== undefined) n *= 10 ** Number(m[2]);
  if (m[3] !== undefined) n *= m[3].toLowerCase() === 'k' ? 1e3 : 1e6;
  n = Math.round(n);
  if (n < 1) throw new Error(`--persons: '${text}' must be at least 1`);
  return n;
}

function options() {
  const { values } = parseArgs({
    options: {
      persons: { type: 'string', default: '1000000' },
      seed: { type: 'string', default: '1' },
      year: { type: 'string', default: '2024' },
      dir: { type: 'string', default: 'bench-data' },
      out: { type: 'string', default: 'bench-results' },
      keep: { type: 'boolean', default: false },
      'heavy-persons': { type: 'string' },
      'registration-rate': { type: 'string', default: '0.5' },
      nights: { type: 'string', default: '30' },
      'keep-runs': { type: 'string', default: String(DEFAULT_KEEP_RUNS) },
      pairs: { type: 'string', default: '3' },
      'only-heavy': { type: 'boolean', default: false },
      store: { type: 'string', default: 'sqlite' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(USAGE);
    process.exit(0);
  }
  const scales = [...new Set(values.persons.split(',').map(parseScale))].sort((a, b) => a - b);
  if (values.store !== 'sqlite' && values.store !== 'postgres') throw new Error(`--store must be sqlite or postgres, not '${values.store}'`);
  if (!/^\d+$/.test(values.seed)) throw new Error(`--seed must be a whole number, not '${values.seed}'`);
  if (!/^\d{4}$/.test(values.year)) throw new Error(`--year must be a year YYYY, not '${values.year}'`);
  return {
    scales,
    seed: Number(values.seed),
    year: Number(values.year),
    dir: path.resolve(values.dir),
    out: path.resolve(values.out),
    keep: values.keep,
    store: values.store,
    heavy: {
      persons: values['heavy-persons'] === undefined ? Math.min(...scales) : values['heavy-persons'] === '0' ? 0 : parseScale(values['heavy-persons']),
      registrationRate: shareOption('--registration-rate', values['registration-rate']),
      nights: countOption('--nights', values.nights),
      keepRuns: Math.max(1, countOption('--keep-runs', values['keep-runs'])),
      pairs: Math.max(1, countOption('--pairs', values.pairs)),
      only: values['only-heavy'],
    },
  };
}

function shareOption(flag: string, text: string): number {
  const n = Number(text);
  if (text.trim() === '' || !Number.isFinite(n) || n < 0 || n > 1) throw new Error(`${flag} must be a share from 0 to 1, not '${text}'`);
  return n;
}

function countOption(flag: string, text: string): number {
  if (!/^\d+$/.test(text)) throw new Error(`${flag} must be a whole number, not '${text}'`);
  return Number(text);
}

type Options = ReturnType<typeof options>;

// ---------------------------------------------------------------------------------------
// helpers

const fileSize = (file: string): number => {
  try {
    return fs.statSync(file).size;
  } catch {
    return 0;
  }
};

function step(name: string, runs: Measurement[], rows: number | null = null, note?: string): Step {
  // Best of the runs (the fastest); its peak RSS is reported with it.
  const best = runs.reduce((a, b) => (b.wallSeconds < a.wallSeconds ? b : a));
  const s: Step = {
    name,
    command: best.command,
    wallSeconds: best.wallSeconds,
    inProcessSeconds: best.inProcessSeconds,
    loadSeconds: best.loadSeconds,
    peakRssMB: best.peakRssMB,
    exitCode: best.exitCode,
    rows,
    rowsPerSecond: rows === null ? null : rows / best.wallSeconds,
    runsWallSeconds: runs.map((r) => r.wallSeconds),
  };
  if (note !== undefined) s.note = note;
  return s;
}

const fmtS = (s: number): string => `${s.toFixed(1)} s`;

interface ImportJson {
  files: { read: number; added: number; duplicate: number; rejected: number; updated: number }[];
}
type AuditJson = AuditFigures;
interface GenerateJson {
  files: { dataset: string; path: string; rows: number; malformed: number; bytes: number }[];
  persons: number;
  crossings: number;
  expected: { as_of: string; violators: number; findings: Record<string, number> };
}

async function ourImport(db: string, dataset: string, file: string): Promise<{ m: Measurement; summary: ImportJson }> {
  const m = await runOurs(['--db', db, 'import', dataset, file, '--json'], { captureStdout: true, expectCodes: [0, 5] });
  return { m, summary: JSON.parse(m.stdout) as ImportJson };
}

const importRows = (s: ImportJson): number => s.files.reduce((n, f) => n + f.read, 0);

function auditArgs(db: string, asOf: string): string[] {
  return ['--db', db, 'audit', '--as-of', asOf, '--json'];
}

/** The single-rule baseline: 90 days per entry, stays paired by window functions, index included. */
function windowQuery(asOf: string): string {
  return [
    'CREATE INDEX ci ON crossings(person_id, document_no, citizenship, crossed_at);',
    'SELECT count(*) FROM (SELECT direction, crossed_at, lead(crossed_at) OVER w AS nxt, lead(direction) OVER w AS nd FROM crossings',
    "WINDOW w AS (PARTITION BY coalesce(nullif(person_id,''), citizenship||':'||document_no) ORDER BY crossed_at))",
    `WHERE direction='IN' AND julianday(CASE WHEN nd='OUT' THEN substr(nxt,1,10) ELSE '${asOf}' END) - julianday(substr(crossed_at,1,10)) + 1 > 90;`,
  ].join(' ');
}

/** Generated data for a scale, reused from an earlier --keep run when it is complete. */
async function generate(scaleDir: string, persons: number, opts: Options): Promise<{ summary: GenerateJson; step: Step; reused: boolean }> {
  const summaryFile = path.join(scaleDir, 'generate.json');
  if (fs.existsSync(summaryFile)) {
    const summary = JSON.parse(fs.readFileSync(summaryFile, 'utf8')) as GenerateJson;
    if (summary.files.every((f) => fileSize(f.path) === f.bytes)) {
      log(`${persons.toLocaleString('en-US')} persons: reusing the generated files in ${scaleDir}`);
      const s = JSON.parse(fs.readFileSync(path.join(scaleDir, 'generate-step.json'), 'utf8')) as Step;
      return { summary, step: s, reused: true };
    }
  }
  fs.rmSync(scaleDir, { recursive: true, force: true });
  fs.mkdirSync(scaleDir, { recursive: true });
  log(`${persons.toLocaleString('en-US')} persons: generating (seed ${opts.seed}, year ${opts.year}) into ${scaleDir}`);
  const m = await runOurs(['generate', '--persons', String(persons), '--seed', String(opts.seed), '--year', String(opts.year), '--out', scaleDir, '--json'], {
    captureStdout: true,
  });
  const summary = JSON.parse(m.stdout) as GenerateJson;
  const rows = summary.files.reduce((n, f) => n + f.rows, 0);
  const s = step('generate (all four files)', [m], rows);
  fs.writeFileSync(path.join(scaleDir, 'generate-step.json'), JSON.stringify(s));
  fs.writeFileSync(summaryFile, JSON.stringify(summary));
  log(`  generated ${rows.toLocaleString('en-US')} rows in ${fmtS(m.wallSeconds)}`);
  return { summary, step: s, reused: false };
}

function fileOf(summary: GenerateJson, dataset: string): string {
  const f = summary.files.find((x) => x.dataset === dataset);
  if (!f) throw new Error(`the generator wrote no ${dataset} file`);
  return f.path;
}

// ---------------------------------------------------------------------------------------
// one scale

async function runScale(persons: number, opts: Options, sqlite3: string | null, withDelta: boolean): Promise<ScaleResult> {
  const scaleDir = path.join(opts.dir, `p${persons}-s${opts.seed}-y${opts.year}`);
  try {
    return await measureScale(scaleDir, persons, opts, sqlite3, withDelta);
  } finally {
    if (opts.keep) {
      removeDb(path.join(scaleDir, 'scratch.db'));
      removeDb(path.join(scaleDir, 'plain-sqlite3.db'));
    } else {
      fs.rmSync(scaleDir, { recursive: true, force: true });
    }
  }
}

async function measureScale(scaleDir: string, persons: number, opts: Options, sqlite3: string | null, withDelta: boolean): Promise<ScaleResult> {
  const asOf = `${opts.year}-12-31`;
  const loadStart = os.loadavg();
  const gen = await generate(scaleDir, persons, opts);
  const crossingsFile = fileOf(gen.summary, 'crossings');
  const db = path.join(scaleDir, 'stayaudit.db');
  const scratch = path.join(scaleDir, 'scratch.db');
  const plain = path.join(scaleDir, 'plain-sqlite3.db');
  removeDb(db);
  removeDb(scratch);
  removeDb(plain);
  const label = `${persons.toLocaleString('en-US')} persons`;

  // Import of crossings, interleaved with the sqlite3 shell's .import when there is one:
  // ours (into the real database), sqlite3, ours (into a scratch database), sqlite3.
  const oursImport: Measurement[] = [];
  const baseImport: Measurement[] = [];
  let crossingsSummary: ImportJson | null = null;
  let sqliteImportWarnings = 0;
  let plainBytes: number | null = null;
  const reps = sqlite3 ? 2 : 1;
  for (let rep = 0; rep < reps; rep++) {
    const target = rep === 0 ? db : scratch;
    log(`${label}: import crossings (run ${rep + 1} of ${reps})`);
    const { m, summary } = await ourImport(target, 'crossings', crossingsFile);
    oursImport.push(m);
    crossingsSummary ??= summary;
    log(`  ${fmtS(m.wallSeconds)}, ${(importRows(summary) / m.wallSeconds).toFixed(0)} rows/s, peak ${m.peakRssMB?.toFixed(0)} MB`);
    if (rep > 0) removeDb(scratch);
    if (sqlite3) {
      removeDb(plain);
      log(`${label}: sqlite3 .import crossings (run ${rep + 1} of ${reps})`);
      const b = await runExternal(sqlite3, ['-cmd', '.mode csv', plain, `.import '${crossingsFile.replaceAll("'", "''")}' crossings`]);
      baseImport.push(b);
      sqliteImportWarnings = b.stderrLines;
      plainBytes = fileSize(plain);
      log(`  ${fmtS(b.wallSeconds)}, peak ${b.peakRssMB?.toFixed(0) ?? '?'} MB`);
    }
  }

  // What bounds the import here: a bare better-sqlite3 insert loop, and our reader alone.
  const floorsScript = path.join(path.dirname(childScript()), 'floors.js');
  log(`${label}: reference — bare better-sqlite3 insert loop of the crossings file`);
  const bare = path.join(scaleDir, 'bare-insert.db');
  const insertLoop = await runExternal(process.execPath, [floorsScript, 'insert', crossingsFile, bare], { captureStdout: true });
  removeDb(bare);
  log(`  ${fmtS(insertLoop.wallSeconds)}, peak ${insertLoop.peakRssMB?.toFixed(0) ?? '?'} MB`);
  log(`${label}: reference — our reader alone (decode, parse, normalise; nothing stored)`);
  const readerOnly = await runExternal(process.execPath, [floorsScript, 'read', crossingsFile, 'crossings'], { captureStdout: true });
  log(`  ${fmtS(readerOnly.wallSeconds)}, peak ${readerOnly.peakRssMB?.toFixed(0) ?? '?'} MB`);
  // In-process seconds of these two: the timed part only (the insert loop without the splitting).
  const floorStep = (name: string, m: Measurement): Step => {
    const figures = JSON.parse(m.stdout) as { rows: number; seconds: number };
    return step(name, [{ ...m, inProcessSeconds: figures.seconds }], figures.rows);
  };
  const floors = {
    insertLoop: floorStep('bare better-sqlite3 insert loop (raw text cells, no index or checks; in-process = inserts alone)', insertLoop),
    readerOnly: floorStep('our reader alone (decode, parse, normalise; nothing stored)', readerOnly),
  };
  log(`  bare inserts alone ${fmtS(floors.insertLoop.inProcessSeconds ?? 0)}`);

  // The other datasets, once each.
  const others: Step[] = [];
  const importSummaries: Record<string, ImportJson> = { crossings: crossingsSummary! };
  for (const dataset of ['registrations', 'permits', 'expulsions']) {
    log(`${label}: import ${dataset}`);
    const { m, summary } = await ourImport(db, dataset, fileOf(gen.summary, dataset));
    importSummaries[dataset] = summary;
    others.push(step(`import ${dataset}`, [m], importRows(summary)));
    log(`  ${fmtS(m.wallSeconds)}`);
  }

  // Audit, interleaved with the window-function query (index creation included).
  const oursAudit: Measurement[] = [];
  const baseQuery: Measurement[] = [];
  const audits: AuditJson[] = [];
  let queryOverstays: number | null = null;
  for (let rep = 0; rep < reps; rep++) {
    log(`${label}: audit --as-of ${asOf} (run ${rep + 1} of ${reps})`);
    const m = await runOurs(auditArgs(db, asOf), { captureStdout: true });
    oursAudit.push(m);
    const a = JSON.parse(m.stdout) as AuditJson;
    audits.push(a);
    log(`  ${fmtS(m.wallSeconds)}, ${a.persons} persons, ${a.findings} findings, ${a.violators} violators, ${Math.max(1, a.workers)} threads, peak ${m.peakRssMB?.toFixed(0)} MB`);
    if (sqlite3) {
      log(`${label}: window-function query, 90 days per entry (run ${rep + 1} of ${reps})`);
      const b = await runExternal(sqlite3, [plain, windowQuery(asOf)], { captureStdout: true });
      baseQuery.push(b);
      queryOverstays = Number(b.stdout.trim());
      log(`  ${fmtS(b.wallSeconds)}, ${queryOverstays} overstays, peak ${b.peakRssMB?.toFixed(0) ?? '?'} MB`);
      const drop = spawnSync(sqlite3, [plain, 'DROP INDEX ci;'], { encoding: 'utf8' });
      if (drop.status !== 0) throw new Error(`sqlite3 DROP INDEX failed: ${drop.stderr}`);
    }
  }
  removeDb(plain);

  log(`${label}: stats --format csv`);
  const stats = await runOurs(['--db', db, 'stats', '--format', 'csv']);
  log(`  ${fmtS(stats.wallSeconds)}`);
  const violatorsFile = path.join(scaleDir, 'violators.csv');
  log(`${label}: violators --format csv --output ${violatorsFile}`);
  const violators = await runOurs(['--db', db, 'violators', '--format', 'csv', '--output', violatorsFile]);
  const violatorRows = Math.max(0, fs.readFileSync(violatorsFile, 'utf8').split('\n').filter((l) => l !== '').length - 1);
  log(`  ${fmtS(violators.wallSeconds)}, ${violatorRows} rows`);

  const importCrossings = step('import crossings', oursImport, importRows(crossingsSummary!));
  const auditStep = step('audit', oursAudit, audits[0]!.persons);
  const statsStep = step('stats --format csv', [stats], null);
  const violatorsStep = step('violators --format csv --output FILE', [violators], violatorRows);
  const steps = [importCrossings, ...others, auditStep, statsStep, violatorsStep];

  const baseline =
    sqlite3 && baseImport.length > 0 && baseQuery.length > 0
      ? {
          sqliteImport: step('sqlite3 .import crossings', baseImport, importRows(crossingsSummary!), `${sqliteImportWarnings} warning lines from sqlite3 (malformed rows)`),
          windowQuery: step('window-function query (90 days per entry, CREATE INDEX included)', baseQuery, null),
          queryOverstays,
          plainDbBytes: plainBytes,
        }
      : null;

  const importTotal = importCrossings.wallSeconds + others.reduce((n, s) => n + s.wallSeconds, 0);
  const expected = gen.summary.expected;
  const findingsByRule: Record<string, { expected: number; actual: number }> = {};
  for (const [rule, n] of Object.entries(expected.findings)) findingsByRule[rule] = { expected: n, actual: audits[0]!.counts[rule] ?? 0 };

  const result: ScaleResult = {
    persons,
    seed: opts.seed,
    year: opts.year,
    asOf,
    crossingRows: importRows(crossingsSummary!),
    generated: { ...gen.step, reused: gen.reused, files: gen.summary.files.map((f) => ({ dataset: f.dataset, rows: f.rows, malformed: f.malformed, bytes: f.bytes })) },
    imports: Object.fromEntries(Object.entries(importSummaries).map(([k, v]) => [k, v.files[0]!])),
    steps,
    baseline,
    floors,
    ratios: {
      importVsSqlite: baseline ? importCrossings.wallSeconds / baseline.sqliteImport.wallSeconds : null,
      auditVsQuery: baseline ? auditStep.wallSeconds / baseline.windowQuery.wallSeconds : null,
      bareInsertsVsSqlite: baseline && floors.insertLoop.inProcessSeconds !== null ? floors.insertLoop.inProcessSeconds / baseline.sqliteImport.wallSeconds : null,
    },
    totals: {
      importSeconds: importTotal,
      importAuditStatsSeconds: importTotal + auditStep.wallSeconds + statsStep.wallSeconds,
      peakRssMB: Math.max(...steps.map((s) => s.peakRssMB ?? 0)),
    },
    audit: audits[0]!,
    database: { bytes: fileSize(db), walBytes: fileSize(db + '-wal') },
    correctness: {
      expectedViolators: expected.violators,
      auditViolators: audits.map((a) => a.violators),
      ok: audits.every((a) => a.violators === expected.violators),
      findingsByRule,
    },
    loadAverage: { start: loadStart, end: os.loadavg() },
    delta: null,
    deltaError: null,
  };

  if (withDelta) {
    try {
      result.delta = await runDelta(db, scaleDir, opts);
    } catch (error) {
      result.deltaError = error instanceof Error ? error.message : String(error);
      log(`nightly delta FAILED: ${result.deltaError}`);
    }
  }
  return result;
}

// ---------------------------------------------------------------------------------------
// the nightly delta

/**
 * One day of crossings: the first 25,000 rows of a small file generated with another
 * seed, every date-time moved to 1 January of the next year, times spread over the day
 * one distinct second per row in file order (the generator writes a person's crossings together and in order, so
 * each person's IN/OUT sequence survives). Then imported into the big database and the
 * whole database audited as of that day, as the nightly job would.
 */
async function runDelta(db: string, scaleDir: string, opts: Options): Promise<DeltaResult> {
  const day = `${opts.year + 1}-01-01`;
  const genDir = path.join(scaleDir, 'delta-source');
  const deltaSeed = opts.seed + 1_000_003;
  log(`nightly delta: generating ${DELTA_ROWS.toLocaleString('en-US')} crossings for ${day} (seed ${deltaSeed})`);
  await runOurs(['generate', '--persons', String(DELTA_PERSONS), '--seed', String(deltaSeed), '--year', String(opts.year), '--out', genDir]);
  const lines = fs.readFileSync(path.join(genDir, 'crossings.csv'), 'utf8').split('\n');
  const header = lines[0]!;
  const body = lines.slice(1).filter((l) => l !== '').slice(0, DELTA_ROWS);
  const pad = (n: number): string => String(n).padStart(2, '0');
  const moved = body.map((line, i) => {
    // A distinct second per row, so no two crossings of a person collide (same person, time and direction = duplicate).
    const t = Math.floor((i * 86_400) / body.length);
    const time = `${pad(Math.floor(t / 3600))}:${pad(Math.floor(t / 60) % 60)}:${pad(t % 60)}`;
    return line.replace(/,(IN|OUT),\d{4}-\d{2}-\d{2} \d{2}:\d{2},/, (_m, dir: string) => `,${dir},${day} ${time},`);
  });
  const deltaFile = path.join(scaleDir, `crossings-${day}.csv`);
  fs.writeFileSync(deltaFile, [header, ...moved].join('\n') + '\n');
  fs.rmSync(genDir, { recursive: true, force: true });

  log(`nightly delta: import crossings ${path.basename(deltaFile)} into the big database`);
  const { m: imp, summary } = await ourImport(db, 'crossings', deltaFile);
  log(`  ${fmtS(imp.wallSeconds)}`);
  log('nightly delta: what it cannot go below here (3 times each, alternating)');
  const floor = await measureDeltaFloor(deltaFile, scaleDir, 3);
  log(`  ${deltaFloorText(floor)}`);
  log(`nightly delta: audit --as-of ${day}`);
  const aud = await runOurs(auditArgs(db, day), { captureStdout: true });
  const a = JSON.parse(aud.stdout) as AuditJson;
  log(`  ${fmtS(aud.wallSeconds)}`);
  const f = summary.files[0]!;
  return {
    day,
    rows: body.length,
    imported: { read: f.read, added: f.added, duplicate: f.duplicate, rejected: f.rejected },
    importStep: step(`import crossings (one day, ${body.length} rows)`, [imp], f.read),
    auditStep: step(`audit --as-of ${day} (whole database)`, [aud], a.persons),
    totalSeconds: imp.wallSeconds + aud.wallSeconds,
    audit: a,
    floor,
  };
}

// ---------------------------------------------------------------------------------------
// targets

const ONE_M = 1_000_000;
const NATIONAL = 3_400_000;

function targets(scales: ScaleResult[]): Target[] {
  const out: Target[] = [];
  const status = (ok: boolean | null): Target['status'] => (ok === null ? 'not measured' : ok ? 'met' : 'not met');
  for (const s of scales) {
    const where = s.persons === ONE_M ? '' : ' (target defined at 1,000,000)';
    const ri = s.ratios.importVsSqlite;
    const ra = s.ratios.auditVsQuery;
    out.push({
      target: `import crossings ≤ 1.0 × sqlite3 .import${where}`,
      persons: s.persons,
      measured:
        ri === null
          ? 'no sqlite3 shell'
          : `${ri.toFixed(2)} × (${s.steps[0]!.wallSeconds.toFixed(1)} s vs ${s.baseline!.sqliteImport.wallSeconds.toFixed(1)} s); ` +
            `floor: bare better-sqlite3 inserts alone ${s.ratios.bareInsertsVsSqlite?.toFixed(2) ?? '?'} ×`,
      value: ri,
      limit: '≤ 1.00 ×',
      status: status(ri === null ? null : ri <= 1.0),
    });
    const audit = s.steps.find((x) => x.name === 'audit')!;
    out.push({
      target: `full audit ≤ 1.0 × single-rule window query${where}`,
      persons: s.persons,
      measured: ra === null ? 'no sqlite3 shell' : `${ra.toFixed(2)} × (${audit.wallSeconds.toFixed(1)} s vs ${s.baseline!.windowQuery.wallSeconds.toFixed(1)} s)`,
      value: ra,
      limit: '≤ 1.00 ×',
      status: status(ra === null ? null : ra <= 1.0),
    });
    for (const name of ['stats --format csv', 'violators --format csv --output FILE']) {
      const st = s.steps.find((x) => x.name === name)!;
      out.push({
        target: `${name.split(' ')[0]} ≤ 1 s${where}`,
        persons: s.persons,
        measured: `${st.wallSeconds.toFixed(2)} s (in-process ${st.inProcessSeconds?.toFixed(2) ?? '?'} s)`,
        value: st.wallSeconds,
        limit: '≤ 1 s',
        status: status(st.wallSeconds <= 1),
      });
    }
  }
  const national = scales.filter((s) => s.persons >= NATIONAL);
  if (national.length === 0) {
    out.push({ target: 'import + audit + stats < 60 s at 3,400,000', persons: NATIONAL, measured: 'not run (use --persons 1000000,3400000)', value: null, limit: '< 60 s', status: 'not measured' });
    out.push({ target: 'peak memory < 1 GB at 3,400,000', persons: NATIONAL, measured: 'not run', value: null, limit: '< 1000 MB', status: 'not measured' });
  }
  for (const s of national) {
    out.push({
      target: 'import + audit + stats < 60 s',
      persons: s.persons,
      measured: `${s.totals.importAuditStatsSeconds.toFixed(1)} s`,
      value: s.totals.importAuditStatsSeconds,
      limit: '< 60 s',
      status: status(s.totals.importAuditStatsSeconds < 60),
    });
    out.push({
      target: 'peak memory < 1 GB (any step)',
      persons: s.persons,
      measured: `${s.totals.peakRssMB.toFixed(0)} MB`,
      value: s.totals.peakRssMB,
      limit: '< 1000 MB',
      status: status(s.totals.peakRssMB < 1000),
    });
  }
  const first = scales[0]!;
  const last = scales[scales.length - 1]!;
  if (scales.length > 1) {
    const g = growth(first, last);
    out.push({
      target: `time grows at most linearly, ${first.persons.toLocaleString('en-US')} → ${last.persons.toLocaleString('en-US')}`,
      persons: last.persons,
      measured: `time × ${g.timeRatio.toFixed(2)} for size × ${g.sizeRatio.toFixed(2)}: ${g.ratio.toFixed(2)}`,
      value: g.ratio,
      limit: '≤ 1.10',
      status: status(g.ratio <= 1.1),
    });
  } else {
    out.push({ target: 'time grows at most linearly (1M → 3.4M)', persons: null, measured: 'needs two scales', value: null, limit: '≤ 1.10', status: 'not measured' });
  }
  for (const s of scales) {
    if (s.deltaError !== null) {
      out.push({ target: 'nightly delta imported and re-audited', persons: s.persons, measured: `failed: ${s.deltaError.split('\n')[0]}`, value: null, limit: 'report', status: 'not measured' });
    }
  }
  const withDelta = scales.find((s) => s.delta !== null);
  if (withDelta?.delta) {
    const d = withDelta.delta;
    out.push({
      target: `nightly delta (${d.rows.toLocaleString('en-US')} crossings of ${d.day}) imported and re-audited`,
      persons: withDelta.persons,
      measured: `${d.totalSeconds.toFixed(1)} s (import ${d.importStep.wallSeconds.toFixed(1)} s + audit ${d.auditStep.wallSeconds.toFixed(1)} s)`,
      value: d.totalSeconds,
      limit: 'report',
      status: 'reported',
    });
  }
  for (const s of scales) {
    out.push({
      target: 'audit violators = generator expected',
      persons: s.persons,
      measured: `${s.correctness.auditViolators.join(', ')} vs ${s.correctness.expectedViolators}`,
      value: null,
      limit: 'equal',
      status: status(s.correctness.ok),
    });
  }
  return out;
}

function growth(first: ScaleResult, last: ScaleResult): { sizeRatio: number; timeRatio: number; ratio: number } {
  const sizeRatio = last.persons / first.persons;
  const timeRatio = last.totals.importAuditStatsSeconds / first.totals.importAuditStatsSeconds;
  return { sizeRatio, timeRatio, ratio: timeRatio / sizeRatio };
}

// ---------------------------------------------------------------------------------------
// main

function gitCommit(): string | null {
  const r = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' });
  if (r.status !== 0) return null;
  const dirty = spawnSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd: ROOT, encoding: 'utf8' });
  return r.stdout.trim() + (dirty.status === 0 && dirty.stdout.trim() !== '' ? ' (with uncommitted changes)' : '');
}

function sqliteLibraryVersion(): string {
  const db = new Database(':memory:');
  try {
    return (db.prepare('select sqlite_version() as v').get() as { v: string }).v;
  } finally {
    db.close();
  }
}

async function run(): Promise<number> {
  const opts = options();
  const sqlite3 = findSqlite3();
  log(`scales ${opts.scales.map((n) => n.toLocaleString('en-US')).join(', ')}; data in ${opts.dir}; results in ${opts.out}`);
  if (!sqlite3) log('the sqlite3 shell is not on PATH: the baselines and the ratio targets are not measured');
  if (!hasUsrBinTimeCached()) log('/usr/bin/time is missing: the sqlite3 baselines have no peak RSS');
  const dirExisted = fs.existsSync(opts.dir);
  fs.mkdirSync(opts.dir, { recursive: true });
  // Measure one version of the code: dist/ may be rebuilt while a long run goes on.
  const commit = gitCommit();
  const snapshot = snapshotCode(opts.dir);
  try {
    if (opts.store === 'postgres') return await compareStores({ scales: opts.scales, seed: opts.seed, year: opts.year, dir: opts.dir, out: opts.out, keep: opts.keep, commit, root: ROOT, log });
    return await measureAll(opts, sqlite3, commit);
  } finally {
    fs.rmSync(snapshot, { recursive: true, force: true });
    if (!opts.keep && !dirExisted) fs.rmSync(opts.dir, { recursive: true, force: true });
  }
}

/**
 * Copies dist/ (and package.json, with a link to node_modules) to DIR/.code-PID and runs
 * every step from there, so that a rebuild of dist/ during a long run cannot mix versions.
 */
function snapshotCode(dir: string): string {
  const snap = path.join(dir, `.code-${process.pid}`);
  fs.rmSync(snap, { recursive: true, force: true });
  fs.mkdirSync(snap, { recursive: true });
  fs.cpSync(path.join(ROOT, 'dist'), path.join(snap, 'dist'), { recursive: true });
  fs.copyFileSync(path.join(ROOT, 'package.json'), path.join(snap, 'package.json'));
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(snap, 'node_modules'), 'dir');
  useChildFrom(path.join(snap, 'dist'));
  return snap;
}

async function measureAll(opts: Options, sqlite3: { path: string; version: string } | null, commit: string | null): Promise<number> {
  const started = new Date();
  const loadStart = os.loadavg();
  const startupRuns: Measurement[] = [];
  for (let i = 0; i < 3; i++) startupRuns.push(await runOurs(['--version'], { captureStdout: true }));
  const startup = step('stayaudit --version (CLI start-up)', startupRuns);
  log(`CLI start-up (stayaudit --version, best of 3): ${startup.wallSeconds.toFixed(2)} s`);

  const scales: ScaleResult[] = [];
  const failures: { persons: number; error: string }[] = [];
  for (const [i, persons] of (opts.heavy.only ? [] : opts.scales).entries()) {
    try {
      scales.push(await runScale(persons, opts, sqlite3?.path ?? null, i === opts.scales.length - 1));
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      log(`${persons.toLocaleString('en-US')} persons FAILED: ${message}`);
      failures.push({ persons, error: message });
      break; // the larger scales would fail the same way
    }
  }

  let heavy: HeavyResult | null = null;
  if (opts.heavy.persons > 0) {
    try {
      heavy = await runHeavy({
        ...opts.heavy,
        seed: opts.seed,
        year: opts.year,
        dir: opts.dir,
        keep: opts.keep,
        log,
        sqlite3: sqlite3?.path ?? null,
        windowQuery,
      });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      log(`findings-heavy year FAILED: ${message}`);
      failures.push({ persons: opts.heavy.persons, error: message });
    }
  }

  const cpus = os.cpus();
  const result: BenchResult = {
    version: 1,
    date: started.toISOString(),
    finished: new Date().toISOString(),
    command: `npm run bench -- ${process.argv.slice(2).join(' ')}`.trim(),
    commit,
    machine: {
      os: `${os.type()} ${os.release()} ${os.arch()}`,
      cpuModel: cpus[0]?.model ?? 'unknown',
      cpuCount: cpus.length,
      availableParallelism: os.availableParallelism(),
      totalMemoryMB: os.totalmem() / 1e6,
      node: process.version,
      sqlite: sqliteLibraryVersion(),
      sqlite3Shell: sqlite3 ? `${sqlite3.version} (${sqlite3.path})` : null,
      usrBinTime: hasUsrBinTimeCached(),
      loadAverage: { start: loadStart, end: os.loadavg() },
    },
    method: [
      "Every step runs in a child process of its own (stayaudit main() in-process, or the sqlite3 shell), from a copy of dist/ taken when the bench started; wall = spawn to exit as seen by the bench (Node start-up included), peak RSS = that process's maxRSS (worker threads included; for sqlite3 via /usr/bin/time -f %M).",
      sqlite3
        ? 'The two ratio pairs ran twice each, interleaved (ours, baseline, ours, baseline); the best (fastest) run of each side is reported and used for the ratio.'
        : 'No sqlite3 shell: every step ran once, no ratios.',
      'Import + audit + stats = all four imports + audit + stats (best run where there were two).',
      'In-process = time inside stayaudit main(), without Node start-up and module loading (see the CLI start-up line).',
    ],
    startup,
    scales,
    failures,
    targets: targets(scales),
    heavy,
  };

  fs.mkdirSync(opts.out, { recursive: true });
  const stamp = started.toISOString().replaceAll(':', '').replace(/\.\d+Z$/, 'Z');
  const jsonFile = path.join(opts.out, `bench-${stamp}.json`);
  const json = JSON.stringify(result, null, 2) + '\n';
  fs.writeFileSync(jsonFile, json);
  fs.writeFileSync(path.join(opts.out, 'latest.json'), json);
  const md = renderMarkdown(result);
  fs.writeFileSync(path.join(opts.out, 'latest.md'), md);
  process.stdout.write(md);
  log(`results: ${jsonFile}, ${path.join(opts.out, 'latest.md')}`);
  return failures.length > 0 ? 1 : 0;
}

try {
  process.exitCode = await run();
} catch (error) {
  process.stderr.write(`bench failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
}
