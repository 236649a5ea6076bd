import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { measureDeltaFloor, deltaFloorText, type DeltaFloor } from './delta-floor.js';
import { removeDb, runExternal, runOurs, type Measurement } from './measure.js';

/**
 * The findings-heavy year and the nightly sequence (issue 18): a year generated with low
 * registration compliance (many `unregistered` findings), imported; the audit timed
 * against the one-rule window query in pairs, each from a fresh copy of the imported
 * database; then N nights of one day's crossings imported, audited and pruned to the
 * nightly job's retention, with the database size (file + WAL) after each night.
 */

export interface HeavyOptions {
  persons: number;
  seed: number;
  year: number;
  registrationRate: number;
  nights: number;
  keepRuns: number;
  pairs: number;
  dir: string;
  keep: boolean;
  log: (message: string) => void;
  sqlite3: string | null;
  windowQuery: (asOf: string) => string;
}

export interface NightFigures {
  night: number;
  day: string;
  rows: number;
  importSeconds: number;
  /** The import's CPU seconds and the MB it wrote (log and checkpoint): what the delta costs, whatever the load. */
  importCpuSeconds: number | null;
  importWrittenMB: number | null;
  /** Inside the import: main() (start-up excluded), and the ledger's started_at to finished_at (the rows' own work). */
  importMainSeconds?: number | null;
  importLedgerSeconds?: number | null;
  auditSeconds: number;
  pruneSeconds: number;
  findings: number;
  bytes: number;
}

export interface HeavyResult {
  persons: number;
  registrationRate: number;
  crossingRows: number;
  registrationRows: number;
  findings: number;
  findingsByRule: Record<string, number>;
  bytesAfterImport: number;
  bytesAfterFirstRun: number;
  /** What the first run added to the database (file + WAL after the audit's checkpoint). */
  firstRunBytes: number;
  /** Where those bytes went: tables and indexes that grew, with what each added (pages × page size), largest first. */
  firstRunTables: { name: string; bytes: number }[];
  pairs: { auditSeconds: number; querySeconds: number | null; ratio: number | null; auditCpuSeconds?: number | null; queryCpuSeconds?: number | null }[];
  medianRatio: number | null;
  medianAuditSeconds: number;
  nights: NightFigures[];
  /** Night 1's file by a bare insert process and into an empty store (delta-floor.ts). */
  deltaFloor?: DeltaFloor;
  keepRuns: number;
  bytesAfterNights: number;
  /** bytesAfterNights / bytesAfterFirstRun; the target is at most 2. */
  growth: number;
  tenthVsFirstAudit: number | null;
  /**
   * The same comparison without the machine's drift over the nights: the audits of night
   * 1 and night 10 again, each from a copy of its database as it was just before, in
   * alternation (`pairs` times), as [first, tenth] seconds.
   */
  tenthVsFirstPairs?: [number, number][];
  tenthVsFirstMedian?: number | null;
  /** The same audits' CPU seconds (all threads), [first, tenth]: less at the mercy of other jobs than wall time. */
  tenthVsFirstCpuPairs?: [number | null, number | null][];
  tenthVsFirstCpuMedian?: number | null;
  /** The persons night 1's and night 10's audits judged: the tenth's store holds more (its deltas' new persons). */
  tenthVsFirstPersons?: [number, number] | null;
  /**
   * The issue's own measure, with the data held still: the imported year audited ten
   * times as of the same day, pruned to the retention after each run, then its first and
   * tenth audits again from copies of their databases, alternating, as [first, tenth]
   * seconds. Only stored runs differ between the two.
   */
  sameDataTenthVsFirstPairs?: [number, number][];
  sameDataTenthVsFirstMedian?: number | null;
  /** Their CPU seconds (all threads), [first, tenth]. */
  sameDataTenthVsFirstCpuPairs?: [number | null, number | null][];
  sameDataTenthVsFirstCpuMedian?: number | null;
  loadAverage: { start: number[]; end: number[] };
}

const DELTA_ROWS = 25_000;
/** The night whose audit is compared with the first's. */
const TENTH = 10;

/** Bytes of each table and index (SQLite's dbstat: pages × page size). */
function bytesByTable(file: string): Map<string, number> {
  const db = new Database(file, { readonly: true });
  try {
    const rows = db.prepare('SELECT name, sum(pgsize) AS bytes FROM dbstat GROUP BY name').all() as { name: string; bytes: number }[];
    return new Map(rows.map((r) => [r.name, r.bytes]));
  } finally {
    db.close();
  }
}

/** The last import's started_at to finished_at, as its ledger row says (seconds). */
function lastImportSeconds(file: string): number | null {
  const db = new Database(file, { readonly: true });
  try {
    const row = db.prepare('SELECT started_at, finished_at FROM imports ORDER BY id DESC LIMIT 1').get() as { started_at: string; finished_at: string } | undefined;
    return row === undefined ? null : (Date.parse(row.finished_at) - Date.parse(row.started_at)) / 1000;
  } finally {
    db.close();
  }
}

const bytesOf = (db: string): number => {
  let n = 0;
  for (const suffix of ['', '-wal']) {
    try {
      n += fs.statSync(db + suffix).size;
    } catch {
      // absent
    }
  }
  return n;
};

/** `to` replaced by a copy of the database `from` and its log, if one is left. */
function copyDb(from: string, to: string): void {
  removeDb(to);
  fs.copyFileSync(from, to);
  if (fs.existsSync(from + '-wal')) fs.copyFileSync(from + '-wal', to + '-wal');
}

function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

function isoDay(year: number, dayOfYear: number): string {
  return new Date(Date.UTC(year, 0, dayOfYear)).toISOString().slice(0, 10);
}

interface AuditJson {
  persons: number;
  findings: number;
  counts: Record<string, number>;
}

export async function runHeavy(o: HeavyOptions): Promise<HeavyResult> {
  const loadStart = os.loadavg();
  const dir = path.join(o.dir, `heavy-p${o.persons}-s${o.seed}-y${o.year}-r${o.registrationRate}`);
  fs.mkdirSync(dir, { recursive: true });
  const label = `findings-heavy year (${o.persons.toLocaleString('en-US')} persons, registration rate ${o.registrationRate})`;
  try {
    const summaryFile = path.join(dir, 'generate.json');
    if (!fs.existsSync(summaryFile)) {
      o.log(`${label}: generating`);
      const g = await runOurs(
        ['generate', '--persons', String(o.persons), '--seed', String(o.seed), '--year', String(o.year), '--registration-rate', String(o.registrationRate), '--out', dir, '--json'],
        { captureStdout: true },
      );
      fs.writeFileSync(summaryFile, g.stdout);
    }
    const summary = JSON.parse(fs.readFileSync(summaryFile, 'utf8')) as { files: { dataset: string; path: string; rows: number }[] };
    const fileOf = (dataset: string): string => summary.files.find((f) => f.dataset === dataset)!.path;
    const rowsOf = (dataset: string): number => summary.files.find((f) => f.dataset === dataset)!.rows;

    const imported = path.join(dir, 'imported.db');
    removeDb(imported);
    for (const dataset of ['crossings', 'registrations', 'permits', 'expulsions']) {
      o.log(`${label}: import ${dataset}`);
      await runOurs(['--db', imported, 'import', dataset, fileOf(dataset), '--json'], { captureStdout: true, expectCodes: [0, 5] });
    }
    const bytesAfterImport = bytesOf(imported);
    const tablesAfterImport = bytesByTable(imported);
    o.log(`  database after the import: ${(bytesAfterImport / 1e6).toFixed(1)} MB`);
    const asOf = `${o.year}-12-31`;

    // Audit against the window query, in pairs, each side from a fresh copy.
    const plain = path.join(dir, 'plain-sqlite3.db');
    if (o.sqlite3) {
      removeDb(plain);
      await runExternal(o.sqlite3, ['-cmd', '.mode csv', plain, `.import '${fileOf('crossings').replaceAll("'", "''")}' crossings`]);
    }
    const pairs: HeavyResult['pairs'] = [];
    let first: AuditJson | null = null;
    const copy = path.join(dir, 'copy.db');
    const plainCopy = path.join(dir, 'plain-copy.db');
    for (let i = 0; i < o.pairs; i++) {
      copyDb(imported, copy);
      const a = await runOurs(['--db', copy, 'audit', '--as-of', asOf, '--json'], { captureStdout: true });
      first ??= JSON.parse(a.stdout) as AuditJson;
      let q: Measurement | null = null;
      if (o.sqlite3) {
        copyDb(plain, plainCopy);
        q = await runExternal(o.sqlite3, [plainCopy, o.windowQuery(asOf)], { captureStdout: true });
      }
      const ratio = q === null ? null : a.wallSeconds / q.wallSeconds;
      pairs.push({ auditSeconds: a.wallSeconds, querySeconds: q?.wallSeconds ?? null, ratio, auditCpuSeconds: a.cpuSeconds ?? null, queryCpuSeconds: q?.cpuSeconds ?? null });
      o.log(`  pair ${i + 1}: audit ${a.wallSeconds.toFixed(2)} s, window query ${q?.wallSeconds.toFixed(2) ?? '–'} s${ratio === null ? '' : `, ${ratio.toFixed(2)} ×`}`);
    }
    removeDb(copy);
    removeDb(plainCopy);
    removeDb(plain);

    const sameData = await sameDataTenthVsFirst(imported, dir, asOf, o);

    // The nightly sequence on one database: the first audit, then N nights.
    const db = path.join(dir, 'nightly.db');
    const beforeAudit = (night: number): string => path.join(dir, `before-audit-${night}.db`);
    copyDb(imported, db);
    const firstRun = await runOurs(['--db', db, 'audit', '--as-of', asOf, '--json'], { captureStdout: true });
    const bytesAfterFirstRun = bytesOf(db);
    const firstRunTables = [...bytesByTable(db)]
      .map(([name, bytes]) => ({ name, bytes: bytes - (tablesAfterImport.get(name) ?? 0) }))
      .filter((t) => t.bytes !== 0)
      .sort((a, b) => b.bytes - a.bytes);
    o.log(`${label}: first run ${firstRun.wallSeconds.toFixed(2)} s; database ${(bytesAfterFirstRun / 1e6).toFixed(1)} MB (the run added ${((bytesAfterFirstRun - bytesAfterImport) / 1e6).toFixed(1)} MB)`);

    const deltaSource = path.join(dir, 'delta-source');
    const deltaRows = await deltaLines(deltaSource, o, DELTA_ROWS * o.nights);
    const nights: NightFigures[] = [];
    let deltaFloor: DeltaFloor | undefined;
    for (let n = 1; n <= o.nights; n++) {
      const day = isoDay(o.year + 1, n);
      const file = path.join(dir, `crossings-${day}.csv`);
      const body = deltaRows.body.slice((n - 1) * DELTA_ROWS, n * DELTA_ROWS);
      fs.writeFileSync(file, [deltaRows.header, ...moveToDay(body, day)].join('\n') + '\n');
      if (n === 1) {
        deltaFloor = await measureDeltaFloor(file, dir, Math.max(3, o.pairs));
        o.log(`  ${deltaFloorText(deltaFloor, "night 1's file")}`);
      }
      const imp = await runOurs(['--db', db, 'import', 'crossings', file, '--json'], { captureStdout: true, expectCodes: [0, 5] });
      const importLedgerSeconds = lastImportSeconds(db);
      if (n === 1 || n === TENTH) copyDb(db, beforeAudit(n));
      const aud = await runOurs(['--db', db, 'audit', '--as-of', day, '--json'], { captureStdout: true });
      const pru = await runOurs(['--db', db, 'runs', 'prune', '--keep', String(o.keepRuns)], { captureStdout: true });
      fs.rmSync(file, { force: true });
      const a = JSON.parse(aud.stdout) as AuditJson;
      const figures: NightFigures = {
        night: n,
        day,
        rows: body.length,
        importSeconds: imp.wallSeconds,
        importCpuSeconds: imp.cpuSeconds ?? null,
        importWrittenMB: imp.writtenMB ?? null,
        importMainSeconds: imp.inProcessSeconds,
        importLedgerSeconds,
        auditSeconds: aud.wallSeconds,
        pruneSeconds: pru.wallSeconds,
        findings: a.findings,
        bytes: bytesOf(db),
      };
      nights.push(figures);
      o.log(`  night ${n} (${day}): import ${imp.wallSeconds.toFixed(2)} s (in main() ${imp.inProcessSeconds?.toFixed(2) ?? '–'} s, ledger ${importLedgerSeconds?.toFixed(2) ?? '–'} s, CPU ${imp.cpuSeconds?.toFixed(2) ?? '–'} s, ${imp.writtenMB?.toFixed(1) ?? '–'} MB written), audit ${aud.wallSeconds.toFixed(2)} s, prune ${pru.wallSeconds.toFixed(2)} s, ${(figures.bytes / 1e6).toFixed(1)} MB`);
    }
    const bytesAfterNights = bytesOf(db);
    const tenth = nights[TENTH - 1];
    // Night 1's and night 10's audits again, alternating, each from a copy of its database.
    const tenthVsFirst = emptyComparison();
    let tenthVsFirstPersons: [number, number] | null = null;
    if (tenth !== undefined) {
      const again = path.join(dir, 'again.db');
      const persons: number[] = [];
      const auditAgain = async (night: number): Promise<Measurement> => {
        const m = await auditFromCopy(beforeAudit(night), again, nights[night - 1]!.day);
        persons[night === 1 ? 0 : 1] = (JSON.parse(m.stdout) as AuditJson).persons;
        return m;
      };
      for (let i = 0; i < againPairs(o); i++) {
        const first = await auditAgain(1);
        const line = addPair(tenthVsFirst, first, await auditAgain(TENTH));
        tenthVsFirstPersons = [persons[0]!, persons[1]!];
        o.log(`  audit again of night 1 / night ${TENTH}: ${line}`);
      }
      removeDb(again);
    }
    for (const night of [1, TENTH]) removeDb(beforeAudit(night));
    return {
      persons: o.persons,
      registrationRate: o.registrationRate,
      crossingRows: rowsOf('crossings'),
      registrationRows: rowsOf('registrations'),
      findings: first?.findings ?? 0,
      findingsByRule: first?.counts ?? {},
      bytesAfterImport,
      bytesAfterFirstRun,
      firstRunBytes: bytesAfterFirstRun - bytesAfterImport,
      firstRunTables,
      pairs,
      medianRatio: pairs.every((p) => p.ratio !== null) && pairs.length > 0 ? median(pairs.map((p) => p.ratio!)) : null,
      medianAuditSeconds: median(pairs.map((p) => p.auditSeconds)),
      nights,
      ...(deltaFloor ? { deltaFloor } : {}),
      keepRuns: o.keepRuns,
      bytesAfterNights,
      growth: bytesAfterNights / bytesAfterFirstRun,
      tenthVsFirstAudit: tenth === undefined ? null : tenth.auditSeconds / nights[0]!.auditSeconds,
      tenthVsFirstPairs: tenthVsFirst.wall,
      tenthVsFirstMedian: medianRatio(tenthVsFirst.wall),
      tenthVsFirstCpuPairs: tenthVsFirst.cpu,
      tenthVsFirstCpuMedian: medianRatio(tenthVsFirst.cpu),
      tenthVsFirstPersons,
      sameDataTenthVsFirstPairs: sameData.wall,
      sameDataTenthVsFirstMedian: medianRatio(sameData.wall),
      sameDataTenthVsFirstCpuPairs: sameData.cpu,
      sameDataTenthVsFirstCpuMedian: medianRatio(sameData.cpu),
      loadAverage: { start: loadStart, end: os.loadavg() },
    };
  } finally {
    if (!o.keep) fs.rmSync(dir, { recursive: true, force: true });
    else for (const name of ['imported.db', 'nightly.db', 'copy.db', 'plain-copy.db', 'plain-sqlite3.db', 'again.db', 'before-audit-1.db', `before-audit-${TENTH}.db`, ...SAME_DATA_FILES]) removeDb(path.join(dir, name));
  }
}

const SAME_DATA_FILES = ['same-data.db', `same-data-before-${TENTH}.db`, 'same-data-again.db'];

/** How many times the first and tenth audits are run again, alternating: `pairs`, at least 1. */
const againPairs = (o: HeavyOptions): number => Math.max(1, o.pairs);

/** The first and the tenth audit run again, alternating: [first, tenth] wall seconds and CPU seconds (all threads) of each pair. */
interface Comparison {
  wall: [number, number][];
  cpu: [number | null, number | null][];
}

const emptyComparison = (): Comparison => ({ wall: [], cpu: [] });

/** Adds a pair; returns its log text. */
function addPair(c: Comparison, first: Measurement, tenth: Measurement): string {
  c.wall.push([first.wallSeconds, tenth.wallSeconds]);
  c.cpu.push([first.cpuSeconds ?? null, tenth.cpuSeconds ?? null]);
  const cpu = first.cpuSeconds != null && tenth.cpuSeconds != null ? ` (CPU ${first.cpuSeconds.toFixed(2)} / ${tenth.cpuSeconds.toFixed(2)} s, ${(tenth.cpuSeconds / first.cpuSeconds).toFixed(2)} ×)` : '';
  return `${first.wallSeconds.toFixed(2)} / ${tenth.wallSeconds.toFixed(2)} s, ${(tenth.wallSeconds / first.wallSeconds).toFixed(2)} ×${cpu}`;
}

/** The median of tenth / first over the pairs, or null when a pair lacks a figure (or there is none). */
function medianRatio(pairs: readonly (readonly [number | null, number | null])[]): number | null {
  if (pairs.length === 0 || pairs.some(([a, b]) => a === null || b === null)) return null;
  return median(pairs.map(([a, b]) => b! / a!));
}

/** An audit as of `asOf` of a fresh copy (at `scratch`) of the database `from`. */
async function auditFromCopy(from: string, scratch: string, asOf: string): Promise<Measurement> {
  copyDb(from, scratch);
  return runOurs(['--db', scratch, 'audit', '--as-of', asOf, '--json'], { captureStdout: true });
}

/**
 * The tenth run on one database against the first, the data held still (issue 18's
 * measure): runs 1–9 of the imported year as of `asOf`, each followed by `runs prune
 * --keep`; then the first audit (on a copy of the imported database) and the tenth (on
 * a copy of the database after nine runs), alternating, `pairs` times.
 */
async function sameDataTenthVsFirst(imported: string, dir: string, asOf: string, o: HeavyOptions): Promise<Comparison> {
  const [db, beforeTenth, again] = SAME_DATA_FILES.map((name) => path.join(dir, name)) as [string, string, string];
  copyDb(imported, db);
  for (let run = 1; run < TENTH; run++) {
    await runOurs(['--db', db, 'audit', '--as-of', asOf, '--json'], { captureStdout: true });
    await runOurs(['--db', db, 'runs', 'prune', '--keep', String(o.keepRuns)], { captureStdout: true });
  }
  copyDb(db, beforeTenth);
  removeDb(db);
  const pairs = emptyComparison();
  for (let i = 0; i < againPairs(o); i++) {
    const first = await auditFromCopy(imported, again, asOf);
    o.log(`  same year audited again, run 1 / run ${TENTH}: ${addPair(pairs, first, await auditFromCopy(beforeTenth, again, asOf))}`);
  }
  removeDb(again);
  removeDb(beforeTenth);
  return pairs;
}

/** Crossing rows of persons not in the year (another seed), for the nights' deltas. */
async function deltaLines(dir: string, o: HeavyOptions, rows: number): Promise<{ header: string; body: string[] }> {
  const persons = Math.ceil(rows / 2.2);
  await runOurs(['generate', '--persons', String(persons), '--seed', String(o.seed + 1_000_003), '--year', String(o.year), '--out', dir]);
  const lines = fs.readFileSync(path.join(dir, 'crossings.csv'), 'utf8').split('\n');
  fs.rmSync(dir, { recursive: true, force: true });
  return { header: lines[0]!, body: lines.slice(1).filter((l) => l !== '') };
}

/**
 * Every date-time moved to `day`, one distinct second per row in file order (a person's
 * crossings are written together and in order, so each person's IN/OUT sequence holds).
 */
function moveToDay(body: readonly string[], day: string): string[] {
  const pad = (n: number): string => String(n).padStart(2, '0');
  return body.map((line, i) => {
    const t = Math.floor((i * 86_400) / body.length);
    const time = `${pad(Math.floor(t / 3600))}:${pad(Math.floor(t / 60) % 60)}:${pad(t % 60)}`;
    return line.replace(/,(IN|OUT),\d{4}-\d{2}-\d{2} \d{2}:\d{2},/, (_m, dir: string) => `,${dir},${day} ${time},`);
  });
}

/** A comparison's CPU seconds for the report ('' when not measured). */
function cpuText(pairs: readonly (readonly [number | null, number | null])[] | undefined, medianCpu: number | null | undefined): string {
  if (pairs === undefined || pairs.length === 0 || medianCpu == null) return '';
  return `; CPU (all threads) ${pairs.map(([a, b]) => `${a!.toFixed(2)} / ${b!.toFixed(2)} s`).join('; ')}, median ${medianCpu.toFixed(2)} ×`;
}

/** The report's section. */
export function heavyMarkdown(h: HeavyResult): string[] {
  const mb = (b: number): string => `${(b / 1e6).toFixed(1)} MB`;
  const s = (x: number | null): string => (x === null ? '–' : x.toFixed(2));
  const lines = [
    `## Findings-heavy year and ${h.nights.length} nights`,
    '',
    `${h.persons.toLocaleString('en-US')} persons, registration rate ${h.registrationRate}: ${h.crossingRows.toLocaleString('en-US')} crossings, ` +
      `${h.registrationRows.toLocaleString('en-US')} registrations; a run stores ${h.findings.toLocaleString('en-US')} findings ` +
      `(${(h.findingsByRule['unregistered'] ?? 0).toLocaleString('en-US')} unregistered). Load ${h.loadAverage.start.map((x) => x.toFixed(2)).join(' / ')} → ${h.loadAverage.end.map((x) => x.toFixed(2)).join(' / ')}.`,
    '',
    `- database after the import ${mb(h.bytesAfterImport)}; after the first run ${mb(h.bytesAfterFirstRun)} (the run added ${mb(h.firstRunBytes)}; target ≤ 40 MB at 1 M persons): ` +
      (h.firstRunTables ?? []).map((t) => `${t.name} ${mb(t.bytes)}`).join(', '),
    `- after ${h.nights.length} nights (import a day, audit, runs prune --keep ${h.keepRuns}): ${mb(h.bytesAfterNights)}, ${h.growth.toFixed(2)} × the size after the first run (target ≤ 2)`,
    `- audit vs window query, ${h.pairs.length} pairs from fresh copies: ${h.pairs.map((p) => `${s(p.auditSeconds)} / ${s(p.querySeconds)} s`).join('; ')}; median ratio ${s(h.medianRatio)} × (target ≤ 1.0); ` +
      `CPU (all threads) ${h.pairs.map((p) => `${s(p.auditCpuSeconds ?? null)} / ${s(p.queryCpuSeconds ?? null)} s`).join('; ')}`,
    `- tenth night's audit vs the first night's: ${s(h.tenthVsFirstAudit)} ×` +
      (h.tenthVsFirstPairs?.length
        ? `; again from copies of their databases, alternating: ${h.tenthVsFirstPairs.map(([a, b]) => `${s(a)} / ${s(b)} s`).join('; ')}, median ${s(h.tenthVsFirstMedian ?? null)} × (target ≤ 1.0)` +
          cpuText(h.tenthVsFirstCpuPairs, h.tenthVsFirstCpuMedian) +
          (h.tenthVsFirstPersons && h.tenthVsFirstMedian != null
            ? `; ${h.tenthVsFirstPersons[0].toLocaleString('en-US')} / ${h.tenthVsFirstPersons[1].toLocaleString('en-US')} persons judged, so ${s((h.tenthVsFirstMedian * h.tenthVsFirstPersons[0]) / h.tenthVsFirstPersons[1])} × per person`
            : '')
        : ''),
    ...(h.sameDataTenthVsFirstPairs?.length
      ? [
          `- the same year audited ${TENTH} times as of one day (pruned to ${h.keepRuns} runs after each), run 1 / run ${TENTH} again from copies, alternating: ` +
            `${h.sameDataTenthVsFirstPairs.map(([a, b]) => `${s(a)} / ${s(b)} s`).join('; ')}, median ${s(h.sameDataTenthVsFirstMedian ?? null)} × (target ≤ 1.0)` +
            cpuText(h.sameDataTenthVsFirstCpuPairs, h.sameDataTenthVsFirstCpuMedian),
        ]
      : []),
    ...(h.deltaFloor ? [`- a night's import (target ≤ 0.5 s), its floor: ${deltaFloorText(h.deltaFloor, "night 1's file")}`] : []),
    '',
    '| night | day | rows | import s | in main() s | ledger s | import CPU s | import MB written | audit s | prune s | findings | database MB |',
    '|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...h.nights.map(
      (n) =>
        `| ${n.night} | ${n.day} | ${n.rows.toLocaleString('en-US')} | ${s(n.importSeconds)} | ${s(n.importMainSeconds ?? null)} | ${s(n.importLedgerSeconds ?? null)} | ${s(n.importCpuSeconds ?? null)} | ${n.importWrittenMB == null ? '–' : n.importWrittenMB.toFixed(1)} | ` +
        `${s(n.auditSeconds)} | ${s(n.pruneSeconds)} | ${n.findings.toLocaleString('en-US')} | ${(n.bytes / 1e6).toFixed(1)} |`,
    ),
    '',
  ];
  return lines;
}
