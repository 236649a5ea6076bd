/**
 * Crash safety, shown with real processes: an import and an audit are killed with
 * SIGKILL at many points, and each time the database must pass `PRAGMA
 * integrity_check`, hold all or none of the interrupted file (or run), and, once the
 * same command is run again, hold exactly what an uninterrupted run gives (compared
 * by a checksum of the contents).
 *
 * The normal test suite runs a few kill points on a small file
 * (test/reliability/crash.test.ts); the full sweep is this script:
 *
 *   npm run build && node dist/tools/reliability/crash-check.js [--rows 200000]
 *     [--import-kills 30] [--audit-kills 20] [--race-rounds 30] [--seed 1]
 *     [--dir DIR] [--keep]
 *
 * It prints one line per kill point, then runs `--race-rounds` rounds of four
 * imports creating one new database at the same moment, and exits 1 when anything
 * failed. About 10 minutes on two idle cores with the defaults.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Random } from '../../generate/random.js';
import { inspectDatabase } from '../../storage/store-digest.js';

export const BIN = fileURLToPath(new URL('../../../bin/stayaudit.js', import.meta.url));

// ---------------------------------------------------------------- data

/** A small deterministic PRNG (mulberry32), so every run sees the same files. */
export function prng(seed: number): () => number {
  const random = new Random(seed);
  return () => random.next();
}

const CITIZENSHIPS = ['RUS', 'KGZ', 'UZB', 'CHN', 'DEU', 'TJK', 'IND', 'USA', 'BLR', 'TUR', 'AFG'];
export const CROSSINGS_HEADER = 'person_id,document_no,citizenship,surname,given_names,birth_date,sex,direction,crossed_at,checkpoint';

/**
 * Writes `rows` crossings in the reference format: persons with alternating IN/OUT
 * crossings on increasing days of 2023–2024, some left open, so an audit finds
 * overstays, missing registrations and orphan exits. `prefix` keeps the person ids of
 * two files apart. Returns the number of data rows written.
 */
export function writeCrossingsCsv(file: string, rows: number, seed: number, prefix = 'P'): number {
  const random = prng(seed);
  const fd = fs.openSync(file, 'w');
  try {
    let text = CROSSINGS_HEADER + '\n';
    let written = 0;
    let person = 0;
    while (written < rows) {
      const id = `${prefix}${person}`;
      const citizenship = CITIZENSHIPS[person % CITIZENSHIPS.length]!;
      const crossings = Math.min(rows - written, 1 + Math.floor(random() * 4));
      // Day offsets from 2023-01-01, increasing.
      let day = Math.floor(random() * 600);
      const startWithOut = random() < 0.05;
      for (let k = 0; k < crossings; k++) {
        const direction = (k % 2 === 0) !== startWithOut ? 'IN' : 'OUT';
        const date = new Date(Date.UTC(2023, 0, 1 + day));
        const iso = date.toISOString().slice(0, 10);
        const hh = String(Math.floor(random() * 24)).padStart(2, '0');
        const mm = String(Math.floor(random() * 60)).padStart(2, '0');
        text += `${id},N${String(1_000_000 + person)},${citizenship},SURNAME${person},NAME${person},19${50 + (person % 50)}-0${1 + (person % 9)}-1${person % 10},${person % 2 ? 'M' : 'F'},${direction},${iso} ${hh}:${mm}:00,CP${person % 7}\n`;
        day += 1 + Math.floor(random() * 120);
        written++;
      }
      person++;
      if (text.length > 1 << 20) {
        fs.writeSync(fd, text);
        text = '';
      }
    }
    fs.writeSync(fd, text);
    return written;
  } finally {
    fs.closeSync(fd);
  }
}

// ---------------------------------------------------------------- processes

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
  timedOut: boolean;
}

export interface RunningCli {
  child: ReturnType<typeof spawn>;
  done: Promise<CliResult>;
}

/** Starts bin/stayaudit.js as a cron job would (no TTY, no colour). */
export function startCli(args: readonly string[], options: { timeoutMs?: number; env?: NodeJS.ProcessEnv } = {}): RunningCli {
  const started = Date.now();
  const child = spawn(process.execPath, [BIN, ...args], {
    env: { ...process.env, NO_COLOR: '1', STAYAUDIT_DB: '', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  child.stdout!.on('data', (c: Buffer) => out.push(c));
  child.stderr!.on('data', (c: Buffer) => err.push(c));
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill('SIGKILL');
  }, options.timeoutMs ?? 120_000);
  const done = new Promise<CliResult>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8'), ms: Date.now() - started, timedOut });
    });
  });
  return { child, done };
}

export function runCli(args: readonly string[], options: { timeoutMs?: number; env?: NodeJS.ProcessEnv } = {}): Promise<CliResult> {
  return startCli(args, options).done;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function fileSize(file: string): number {
  try {
    return fs.statSync(file).size;
  } catch {
    return 0;
  }
}

/**
 * When to kill: after a delay, or as soon as the write-ahead log holds so many bytes
 * (a commit being written, or written and being checkpointed); `never` only watches.
 */
export type KillTrigger = { kind: 'delay'; ms: number } | { kind: 'wal'; bytes: number } | { kind: 'never' };

export interface KilledRun {
  /** False when the process ended on its own before the trigger fired. */
  killed: boolean;
  /** Milliseconds from spawn to the kill (or to the end). */
  atMs: number;
  walBytesAtKill: number;
  /** The largest WAL size seen while it ran. */
  maxWalBytes: number;
  result: CliResult;
}

/** Runs the CLI and kills it (SIGKILL unless told otherwise) when the trigger fires. */
export async function runAndKill(args: readonly string[], db: string, trigger: KillTrigger, signal: NodeJS.Signals = 'SIGKILL'): Promise<KilledRun> {
  const started = Date.now();
  const { child, done } = startCli(args);
  let exited = false;
  void done.then(() => {
    exited = true;
  });
  const wal = `${db}-wal`;
  let killed = false;
  let walBytesAtKill = 0;
  let maxWalBytes = 0;
  let atMs = 0;
  const deadline = started + 120_000;
  while (!exited && Date.now() < deadline) {
    const walBytes = fileSize(wal);
    maxWalBytes = Math.max(maxWalBytes, walBytes);
    const fire = trigger.kind === 'delay' ? Date.now() - started >= trigger.ms : trigger.kind === 'wal' ? walBytes >= trigger.bytes : false;
    if (fire) {
      walBytesAtKill = walBytes;
      atMs = Date.now() - started;
      killed = child.kill(signal);
      break;
    }
    await sleep(trigger.kind === 'delay' ? Math.min(5, Math.max(1, trigger.ms - (Date.now() - started))) : 1);
  }
  const result = await done;
  if (!killed || (result.signal !== signal && result.code === 0)) {
    killed = false;
    atMs = result.ms;
  }
  return { killed, atMs, walBytesAtKill, maxWalBytes, result };
}

// ---------------------------------------------------------------- inspection

export { inspectDatabase, type DatabaseState, type LedgerRow, type RunSummaryRow } from '../../storage/store-digest.js';

/** Copies a closed database (no -wal left behind) to a new name. */
function copyDatabase(from: string, to: string): void {
  for (const suffix of ['', '-wal', '-shm']) fs.rmSync(to + suffix, { force: true });
  fs.copyFileSync(from, to);
  for (const suffix of ['-wal', '-shm']) if (fs.existsSync(from + suffix)) fs.copyFileSync(from + suffix, to + suffix);
}

// ---------------------------------------------------------------- the sweep

export interface CrashSweepOptions {
  /** Rows of the interrupted crossings file. */
  rows: number;
  importKills: number;
  auditKills: number;
  seed?: number;
  /** Working directory (created; files are left there). */
  dir: string;
  asOf?: string;
  log?: (line: string) => void;
}

export interface KillOutcome {
  phase: 'import' | 'audit';
  trigger: string;
  killed: boolean;
  atMs: number;
  walBytesAtKill: number;
  /** What the interrupted command left: none or all of the file (run). */
  left: 'none' | 'all' | 'partial';
  integrity: string;
  rerunMatches: boolean;
  problems: string[];
}

export interface CrashSweepReport {
  importMs: number;
  auditMs: number;
  outcomes: KillOutcome[];
  problems: string[];
}

/**
 * Kill points: half spread over the reference run's duration (jittered), half when
 * the WAL reaches a share of the size it reached in the reference run, from its first
 * byte (a commit starting) to its full size (the commit written, the checkpoint or
 * the exit under way).
 */
function triggers(count: number, durationMs: number, maxWalBytes: number, random: () => number): KillTrigger[] {
  const list: KillTrigger[] = [];
  const walPoints = maxWalBytes > 0 ? Math.floor(count / 2) : 0;
  const delays = count - walPoints;
  for (let i = 0; i < delays; i++) {
    const jitter = (random() - 0.5) * (durationMs / delays) * 0.5;
    list.push({ kind: 'delay', ms: Math.max(20, Math.round(((i + 0.5) / delays) * durationMs + jitter)) });
  }
  for (let i = 0; i < walPoints; i++) {
    list.push({ kind: 'wal', bytes: walPoints === 1 ? maxWalBytes : Math.max(1, Math.round((i / (walPoints - 1)) * maxWalBytes)) });
  }
  return list;
}

const describe = (t: KillTrigger): string => (t.kind === 'delay' ? `after ${t.ms} ms` : t.kind === 'wal' ? `when WAL >= ${t.bytes} B` : 'never');

export async function crashSweep(options: CrashSweepOptions): Promise<CrashSweepReport> {
  const log = options.log ?? (() => undefined);
  const seed = options.seed ?? 1;
  const asOf = options.asOf ?? '2024-12-31';
  const dir = options.dir;
  fs.mkdirSync(dir, { recursive: true });
  const problems: string[] = [];
  const outcomes: KillOutcome[] = [];
  const must = (ok: boolean, problem: string): void => {
    if (!ok) problems.push(problem);
  };

  // Base: a small file already imported, so "none" is told apart from an empty store.
  const baseCsv = path.join(dir, 'base.csv');
  const bigCsv = path.join(dir, 'crossings.csv');
  writeCrossingsCsv(baseCsv, 500, seed + 1, 'B');
  const rows = writeCrossingsCsv(bigCsv, options.rows, seed, 'P');
  const baseDb = path.join(dir, 'base.db');
  for (const suffix of ['', '-wal', '-shm']) fs.rmSync(baseDb + suffix, { force: true });
  const baseImport = await runCli(['--db', baseDb, 'import', 'crossings', baseCsv]);
  if (baseImport.code !== 0) throw new Error(`base import failed (${baseImport.code}): ${baseImport.stderr}`);
  const base = inspectDatabase(baseDb);

  // Reference: the uninterrupted import, then an uninterrupted audit.
  const refDb = path.join(dir, 'reference.db');
  copyDatabase(baseDb, refDb);
  const watchedImport = await runAndKill(['--db', refDb, 'import', 'crossings', bigCsv], refDb, { kind: 'never' });
  const refImport = watchedImport.result;
  if (refImport.code !== 0) throw new Error(`reference import failed (${refImport.code}): ${refImport.stderr}`);
  const imported = inspectDatabase(refDb);
  const importedDb = path.join(dir, 'imported.db');
  copyDatabase(refDb, importedDb);
  const watchedAudit = await runAndKill(['--db', refDb, 'audit', '--as-of', asOf], refDb, { kind: 'never' });
  const refAudit = watchedAudit.result;
  if (refAudit.code !== 0) throw new Error(`reference audit failed (${refAudit.code}): ${refAudit.stderr}`);
  // The killed audits run on top of this one: a second run of the same data must equal it.
  const auditedDb = path.join(dir, 'audited.db');
  copyDatabase(refDb, auditedDb);
  const audited = inspectDatabase(refDb);
  const runReference = audited.runs[0]!.checksum;
  must(imported.ledger.at(-1)?.added === rows, `reference import added ${imported.ledger.at(-1)?.added}, not ${rows}`);
  log(
    `reference: ${rows} rows imported in ${refImport.ms} ms (WAL up to ${watchedImport.maxWalBytes} B); ` +
      `audit in ${refAudit.ms} ms (${audited.runs[0]!.findings} findings, WAL up to ${watchedAudit.maxWalBytes} B)`,
  );

  const random = prng(seed + 2);
  const work = path.join(dir, 'killed.db');

  // Imports killed at many points.
  for (const trigger of triggers(options.importKills, refImport.ms, watchedImport.maxWalBytes, random)) {
    copyDatabase(baseDb, work);
    const args = ['--db', work, 'import', 'crossings', bigCsv];
    const run = await runAndKill(args, work, trigger);
    const local: string[] = [];
    const state = inspectDatabase(work);
    if (state.integrity !== 'ok') local.push(`integrity_check: ${state.integrity}`);
    let left: KillOutcome['left'] = 'partial';
    if (state.dataChecksum === base.dataChecksum && state.ledger.length === base.ledger.length) left = 'none';
    else if (state.dataChecksum === imported.dataChecksum && state.ledger.length === base.ledger.length + 1 && state.ledger.at(-1)!.added === rows) left = 'all';
    if (left === 'partial') local.push(`half-applied import: ${state.crossings} crossings, ledger ${JSON.stringify(state.ledger.slice(base.ledger.length))}`);
    if (!run.killed && run.result.code !== 0) local.push(`the import ended by itself with code ${run.result.code}: ${run.result.stderr.trim()}`);
    const again = await runCli(args);
    if (again.code !== 0) local.push(`re-run exited ${again.code}: ${again.stderr.trim()}`);
    const after = inspectDatabase(work);
    const rerunMatches = after.integrity === 'ok' && after.dataChecksum === imported.dataChecksum;
    if (!rerunMatches) local.push(`after the re-run the contents differ from an uninterrupted import (${after.crossings} crossings, integrity ${after.integrity})`);
    const addedTotal = after.ledger.reduce((n, l) => n + l.added, 0);
    if (addedTotal !== after.crossings) local.push(`ledger says ${addedTotal} crossings were added, the table holds ${after.crossings}`);
    outcomes.push({ phase: 'import', trigger: describe(trigger), killed: run.killed, atMs: run.atMs, walBytesAtKill: run.walBytesAtKill, left, integrity: state.integrity, rerunMatches, problems: local });
    log(`import ${describe(trigger).padEnd(22)} ${run.killed ? `killed at ${run.atMs} ms` : `finished (${run.atMs} ms)`}, WAL ${run.walBytesAtKill} B: left ${left}, re-run ${rerunMatches ? 'matches' : 'DIFFERS'}${local.length ? ' — ' + local.join('; ') : ''}`);
    problems.push(...local.map((p) => `import ${describe(trigger)}: ${p}`));
  }

  // Audits killed at many points (on top of one finished run).
  const audited1 = inspectDatabase(auditedDb);
  for (const trigger of triggers(options.auditKills, refAudit.ms, watchedAudit.maxWalBytes, random)) {
    copyDatabase(auditedDb, work);
    const args = ['--db', work, 'audit', '--as-of', asOf];
    const run = await runAndKill(args, work, trigger);
    const local: string[] = [];
    const state = inspectDatabase(work);
    if (state.integrity !== 'ok') local.push(`integrity_check: ${state.integrity}`);
    if (state.foreignKeyViolations > 0) local.push(`${state.foreignKeyViolations} foreign key violations`);
    if (state.dataChecksum !== audited1.dataChecksum) local.push('the audit changed the imported data');
    let left: KillOutcome['left'] = 'partial';
    if (state.runs.length === 1 && state.runs[0]!.checksum === audited1.runs[0]!.checksum) left = 'none';
    else if (state.runs.length === 2 && state.runs[1]!.checksum === runReference) left = 'all';
    for (const r of state.runs) {
      if (r.storedFindings !== r.findings) local.push(`run ${r.id} says ${r.findings} findings but holds ${r.storedFindings}`);
    }
    if (left === 'partial') local.push(`half-written run: ${JSON.stringify(state.runs.map((r) => ({ id: r.id, findings: r.findings, stored: r.storedFindings })))}`);
    if (!run.killed && run.result.code !== 0) local.push(`the audit ended by itself with code ${run.result.code}: ${run.result.stderr.trim()}`);
    const again = await runCli(args);
    if (again.code !== 0) local.push(`re-run exited ${again.code}: ${again.stderr.trim()}`);
    const after = inspectDatabase(work);
    const latest = after.runs.at(-1);
    const rerunMatches = after.integrity === 'ok' && latest !== undefined && latest.checksum === runReference && after.runs.every((r) => r.id === 1 || r.checksum === runReference);
    if (!rerunMatches) local.push('after the re-run the latest run differs from an uninterrupted audit');
    outcomes.push({ phase: 'audit', trigger: describe(trigger), killed: run.killed, atMs: run.atMs, walBytesAtKill: run.walBytesAtKill, left, integrity: state.integrity, rerunMatches, problems: local });
    log(`audit  ${describe(trigger).padEnd(22)} ${run.killed ? `killed at ${run.atMs} ms` : `finished (${run.atMs} ms)`}, WAL ${run.walBytesAtKill} B: left ${left}, re-run ${rerunMatches ? 'matches' : 'DIFFERS'}${local.length ? ' — ' + local.join('; ') : ''}`);
    problems.push(...local.map((p) => `audit ${describe(trigger)}: ${p}`));
  }

  return { importMs: refImport.ms, auditMs: refAudit.ms, outcomes, problems };
}

// ---------------------------------------------------------------- creating a database at once

/**
 * Several imports started at the same moment on a database that does not exist yet:
 * every one must succeed (or wait), and the rows go in once. A race in creating and
 * migrating the file shows only now and then, hence many rounds. Returns the problems.
 */
async function creationRace(options: { rounds: number; processes: number; dir: string; log?: (line: string) => void }): Promise<string[]> {
  fs.mkdirSync(options.dir, { recursive: true });
  const csv = path.join(options.dir, 'race.csv');
  const rows = writeCrossingsCsv(csv, 300, 5, 'R');
  const problems: string[] = [];
  for (let round = 0; round < options.rounds; round++) {
    const db = path.join(options.dir, `race-${round}.db`);
    const results = await Promise.all(Array.from({ length: options.processes }, () => runCli(['--db', db, 'import', 'crossings', csv])));
    for (const r of results) {
      if (r.code !== 0) problems.push(`round ${round}: exit ${r.code}: ${r.stderr.trim()}`);
    }
    if (fs.existsSync(db)) {
      const state = inspectDatabase(db);
      if (state.integrity !== 'ok') problems.push(`round ${round}: integrity_check ${state.integrity}`);
      if (state.crossings !== rows) problems.push(`round ${round}: ${state.crossings} crossings, not ${rows}`);
    }
    for (const suffix of ['', '-wal', '-shm']) fs.rmSync(db + suffix, { force: true });
  }
  options.log?.(`creating one database with ${options.processes} imports at once, ${options.rounds} times: ${problems.length === 0 ? 'all succeeded' : `${problems.length} failures`}`);
  return problems;
}

// ---------------------------------------------------------------- script

function flag(args: string[], name: string, fallback: number): number {
  const i = args.indexOf(name);
  if (i < 0) return fallback;
  const value = Number(args[i + 1]);
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name} needs a whole number`);
  return value;
}

async function main(args: string[]): Promise<number> {
  if (!fs.existsSync(fileURLToPath(new URL('../../../dist/cli/main.js', import.meta.url)))) {
    process.stderr.write('error: build first (npm run build)\n');
    return 2;
  }
  const dirIndex = args.indexOf('--dir');
  const dir = dirIndex >= 0 ? path.resolve(args[dirIndex + 1]!) : fs.mkdtempSync(path.join(os.tmpdir(), 'stayaudit-crash-'));
  const keep = args.includes('--keep') || dirIndex >= 0;
  try {
    const report = await crashSweep({
      rows: flag(args, '--rows', 200_000),
      importKills: flag(args, '--import-kills', 30),
      auditKills: flag(args, '--audit-kills', 20),
      seed: flag(args, '--seed', 1),
      dir,
      log: (line) => process.stdout.write(line + '\n'),
    });
    const killed = report.outcomes.filter((o) => o.killed);
    const count = (phase: string, left: string): number => killed.filter((o) => o.phase === phase && o.left === left).length;
    process.stdout.write(
      `\n${report.outcomes.length} kill points, ${killed.length} killed before the end: ` +
        `imports left none ${count('import', 'none')} / all ${count('import', 'all')}, ` +
        `audits left none ${count('audit', 'none')} / all ${count('audit', 'all')}\n`,
    );
    const race = await creationRace({ rounds: flag(args, '--race-rounds', 30), processes: 4, dir: path.join(dir, 'race'), log: (line) => process.stdout.write(line + '\n') });
    const problems = [...report.problems, ...race];
    if (problems.length > 0) {
      process.stdout.write(`\nFAILED (${problems.length}):\n${problems.map((p) => `  ${p}`).join('\n')}\n`);
      return 1;
    }
    process.stdout.write('OK: every kill left an intact database holding all or none, every re-run matched the reference, and every simultaneous creation succeeded\n');
    return 0;
  } finally {
    if (!keep) fs.rmSync(dir, { recursive: true, force: true });
    else process.stdout.write(`files kept in ${dir}\n`);
  }
}

if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = await main(process.argv.slice(2));
}
