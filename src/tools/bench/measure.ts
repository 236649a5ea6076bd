import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

/** One measured process: wall time from spawn to exit as the parent saw it, peak RSS. */
export interface Measurement {
  /** What ran, for the record (`stayaudit import crossings …`, `sqlite3 … .import …`). */
  command: string;
  /** Spawn to exit, seen from the bench process: what a user waits for, start-up included. */
  wallSeconds: number;
  /** Ours only: time inside `main()` (start-up and module loading excluded). */
  inProcessSeconds: number | null;
  /** Ours only: time to load the CLI's modules. */
  loadSeconds: number | null;
  /** Peak resident set size of the process in MB (10^6 bytes); null when it could not be measured. */
  peakRssMB: number | null;
  /** CPU seconds (user + system, all threads), when measured. */
  cpuSeconds?: number | null;
  /** Ours only: MB (10^6 bytes) the process wrote (write-ahead log, checkpoint, temporary files), when measured. */
  writtenMB?: number | null;
  exitCode: number;
  stdoutBytes: number;
  /** Captured stdout when asked for (small outputs: JSON summaries), else ''. */
  stdout: string;
  /** The last lines of stderr (kept for diagnostics). */
  stderrTail: string;
  /** Number of stderr lines (sqlite3 prints one per malformed row). */
  stderrLines: number;
}

let CHILD = fileURLToPath(new URL('./measure-child.js', import.meta.url));

/** Removes an SQLite database file and its log, shared memory and journal, where present. */
export function removeDb(file: string): void {
  for (const suffix of ['', '-wal', '-shm', '-journal']) fs.rmSync(file + suffix, { force: true });
}

/** The measure-child script in use (the floors script sits beside it). */
export function childScript(): string {
  return CHILD;
}

/** Runs the steps from another copy of dist/ (a snapshot taken when the bench starts). */
export function useChildFrom(distDir: string): void {
  CHILD = path.join(distDir, 'tools', 'bench', 'measure-child.js');
}
const TIME = '/usr/bin/time';

const hasUsrBinTime = (): boolean => {
  try {
    fs.accessSync(TIME, fs.constants.X_OK);
    return spawnSync(TIME, ['-f', '%M', 'true'], { stdio: 'ignore' }).status === 0;
  } catch {
    return false;
  }
};

/** The `sqlite3` shell on PATH, with its version, or null. */
export function findSqlite3(): { path: string; version: string } | null {
  const r = spawnSync('sqlite3', ['--version'], { encoding: 'utf8' });
  if (r.error || r.status !== 0) return null;
  const which = spawnSync('sh', ['-c', 'command -v sqlite3'], { encoding: 'utf8' });
  return { path: which.stdout.trim() || 'sqlite3', version: r.stdout.trim().split(/\s+/)[0] ?? r.stdout.trim() };
}

interface RunOptions {
  captureStdout?: boolean;
  expectCodes?: readonly number[];
}

interface Raw {
  wallSeconds: number;
  exitCode: number;
  stdout: string;
  stdoutBytes: number;
  stderrTail: string;
  stderrLines: number;
}

function runProcess(file: string, args: readonly string[], captureStdout: boolean): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(file, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
    const out: Buffer[] = [];
    let stdoutBytes = 0;
    let stderrTail = '';
    let stderrLines = 0;
    child.stdout.on('data', (chunk: Buffer) => {
      stdoutBytes += chunk.length;
      if (captureStdout) out.push(chunk);
    });
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      for (const ch of chunk) if (ch === '\n') stderrLines++;
      stderrTail = (stderrTail + chunk).slice(-4000);
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      resolve({
        wallSeconds: (performance.now() - started) / 1000,
        exitCode: code ?? (signal ? 128 + (os.constants.signals[signal] ?? 0) : 1),
        stdout: Buffer.concat(out).toString('utf8'),
        stdoutBytes,
        stderrTail,
        stderrLines,
      });
    });
  });
}

function check(m: Measurement, expectCodes: readonly number[]): Measurement {
  if (!expectCodes.includes(m.exitCode)) {
    throw new Error(`'${m.command}' exited with code ${m.exitCode} (expected ${expectCodes.join(' or ')}):\n${m.stderrTail}`);
  }
  return m;
}

interface ChildFigures {
  exitCode: number;
  loadSeconds: number;
  mainSeconds: number;
  maxRssKiB: number;
  cpuSeconds?: number;
  writtenBytes?: number | null;
}

let counter = 0;
const tmpResult = (): string => path.join(os.tmpdir(), `stayaudit-bench-${process.pid}-${++counter}.json`);

/** Runs `stayaudit ARGS` in a child process (measure-child.js) and returns its figures. */
export async function runOurs(args: readonly string[], options: RunOptions = {}): Promise<Measurement> {
  const resultFile = tmpResult();
  try {
    const raw = await runProcess(process.execPath, [CHILD, resultFile, ...args], options.captureStdout === true);
    let child: ChildFigures | null = null;
    try {
      child = JSON.parse(fs.readFileSync(resultFile, 'utf8')) as ChildFigures;
    } catch {
      child = null; // the child died before writing its figures
    }
    return check(
      {
        command: `stayaudit ${args.join(' ')}`,
        wallSeconds: raw.wallSeconds,
        inProcessSeconds: child?.mainSeconds ?? null,
        loadSeconds: child?.loadSeconds ?? null,
        peakRssMB: child ? (child.maxRssKiB * 1024) / 1e6 : null,
        cpuSeconds: child?.cpuSeconds ?? null,
        writtenMB: child?.writtenBytes == null ? null : child.writtenBytes / 1e6,
        exitCode: raw.exitCode,
        stdoutBytes: raw.stdoutBytes,
        stdout: raw.stdout,
        stderrTail: raw.stderrTail,
        stderrLines: raw.stderrLines,
      },
      options.expectCodes ?? [0],
    );
  } finally {
    fs.rmSync(resultFile, { force: true });
  }
}

/** Runs an outside program; peak RSS through `/usr/bin/time -f %M` when available, else null. */
export async function runExternal(file: string, args: readonly string[], options: RunOptions = {}): Promise<Measurement> {
  const display = `${path.basename(file)} ${args.map((a) => (/[\s'"();*|]/.test(a) ? JSON.stringify(a) : a)).join(' ')}`;
  if (hasUsrBinTimeCached()) {
    const rssFile = tmpResult();
    try {
      const raw = await runProcess(TIME, ['-f', '%M %U %S', '-o', rssFile, file, ...args], options.captureStdout === true);
      const [kib, user, system] = (fs.readFileSync(rssFile, 'utf8').trim().split('\n').pop() ?? '').split(' ').map(Number);
      const cpu = (user ?? NaN) + (system ?? NaN);
      return check(
        { command: display, ...raw, inProcessSeconds: null, loadSeconds: null, peakRssMB: Number.isFinite(kib) ? (kib! * 1024) / 1e6 : null, cpuSeconds: Number.isFinite(cpu) ? cpu : null },
        options.expectCodes ?? [0],
      );
    } finally {
      fs.rmSync(rssFile, { force: true });
    }
  }
  const raw = await runProcess(file, args, options.captureStdout === true);
  return check({ command: display, ...raw, inProcessSeconds: null, loadSeconds: null, peakRssMB: null }, options.expectCodes ?? [0]);
}

let timeAvailable: boolean | undefined;
export function hasUsrBinTimeCached(): boolean {
  timeAvailable ??= hasUsrBinTime();
  return timeAvailable;
}
