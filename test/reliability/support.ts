/**
 * Helpers of the reliability suite: real processes with a time limit (a hang fails
 * the test) and, where /usr/bin/time exists, their peak memory; read-only looks into
 * the database with better-sqlite3.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { BIN, type CliResult } from '../../src/tools/reliability/crash-check.js';

export { BIN, inspectDatabase, runCli, startCli, writeCrossingsCsv, CROSSINGS_HEADER, prng } from '../../src/tools/reliability/crash-check.js';

export const GNU_TIME = fs.existsSync('/usr/bin/time') ? '/usr/bin/time' : null;
export const IS_ROOT = typeof process.getuid === 'function' && process.getuid() === 0;

/** Peak resident memory any one CLI process may use on hostile input (with /usr/bin/time). */
export const MEMORY_LIMIT_KB = 600 * 1024;

export interface Measured extends CliResult {
  /** Peak RSS in KiB, when /usr/bin/time is available. */
  maxRssKb: number | null;
}

export interface MeasureOptions {
  timeoutMs?: number;
  env?: NodeJS.ProcessEnv;
  input?: Buffer | string;
  cwd?: string;
  /** Run as this user (root only): for permission tests. */
  uid?: number;
  gid?: number;
}

/**
 * Runs bin/stayaudit.js in its own process group, under /usr/bin/time when present.
 * On timeout the whole group is killed and `timedOut` is set.
 */
export function runMeasured(args: readonly string[], options: MeasureOptions = {}): Promise<Measured> {
  const started = Date.now();
  const rssFile = GNU_TIME ? path.join(os.tmpdir(), `stayaudit-rss-${process.pid}-${Math.random().toString(36).slice(2)}`) : null;
  const command = GNU_TIME ? GNU_TIME : process.execPath;
  const argv = GNU_TIME ? ['-f', '%M', '-o', rssFile!, process.execPath, BIN, ...args] : [BIN, ...args];
  const child = spawn(command, argv, {
    cwd: options.cwd ?? os.tmpdir(),
    env: { ...process.env, NO_COLOR: '1', STAYAUDIT_DB: '', ...options.env },
    stdio: ['pipe', 'pipe', 'pipe'],
    detached: true,
    ...(options.uid !== undefined ? { uid: options.uid, gid: options.gid ?? options.uid } : {}),
  });
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  child.stdout.on('data', (c: Buffer) => out.push(c));
  child.stderr.on('data', (c: Buffer) => err.push(c));
  child.stdin.on('error', () => undefined);
  if (options.input !== undefined) child.stdin.end(options.input);
  else child.stdin.end();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      child.kill('SIGKILL');
    }
  }, options.timeoutMs ?? 60_000);
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      let maxRssKb: number | null = null;
      // GNU time exits with the child's status (128 + N when a signal N killed it).
      const exitCode = code;
      if (rssFile) {
        try {
          const text = fs.readFileSync(rssFile, 'utf8');
          // "Command exited with non-zero status N" / "Command terminated by signal N" precede the figure.
          const figure = text.trim().split('\n').at(-1);
          maxRssKb = figure !== undefined && /^\d+$/.test(figure) ? Number(figure) : null;
        } catch {
          maxRssKb = null;
        }
        fs.rmSync(rssFile, { force: true });
      }
      resolve({
        code: exitCode,
        signal,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
        ms: Date.now() - started,
        timedOut,
        maxRssKb,
      });
    });
  });
}

/** Stack frames or an internal error: what a user must never see without --debug. */
export function looksLikeCrash(stderr: string): boolean {
  return /internal error|^\s+at .+:\d+:\d+\)?$|Uncaught|FATAL ERROR|heap out of memory|Segmentation fault|Aborted/m.test(stderr);
}

export function tempDir(prefix = 'stayaudit-rel-'): { dir: string; cleanup: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  return { dir, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/** A read-only better-sqlite3 connection for looking into a database in a test. */
export function peek<T>(file: string, look: (db: Database.Database) => T): T {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return look(db);
  } finally {
    db.close();
  }
}

/** Runs tasks with at most `limit` at a time, keeping their order in the result. */
export async function pool<T, R>(items: readonly T[], limit: number, task: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await task(items[i]!, i);
    }
  });
  await Promise.all(workers);
  return results;
}

export { csvRecords } from '../e2e/helpers.js';
