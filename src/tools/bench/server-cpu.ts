/**
 * CPU time of a PostgreSQL server on this machine, for the store comparison: with the
 * client's own CPU it tells how much of two cores a step used, and so how far it could
 * shrink by overlapping work. Read from /proc (Linux): the postmaster's own time and its
 * reaped children's (cutime, cstime), plus every live child's (backends, parallel
 * workers, checkpointer, WAL writer, autovacuum). The difference of two readings is the
 * server's CPU between them.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

interface StatTimes {
  ppid: number;
  /** utime + stime + cutime + cstime, in clock ticks. */
  ticks: number;
}

/** A /proc/PID/stat line's parent and CPU ticks (own and reaped children's); null when it does not parse. */
export function parseStat(line: string): StatTimes | null {
  // `pid (comm) state ppid …`: comm may hold spaces and parentheses, so fields start after the last ')'.
  const close = line.lastIndexOf(')');
  if (close < 0) return null;
  const fields = line.slice(close + 2).trim().split(/\s+/);
  // After comm: state(0) ppid(1) … utime(11) stime(12) cutime(13) cstime(14).
  const numbers = [fields[1], fields[11], fields[12], fields[13], fields[14]].map(Number);
  if (fields.length < 15 || numbers.some((n) => !Number.isFinite(n))) return null;
  const [ppid, utime, stime, cutime, cstime] = numbers as [number, number, number, number, number];
  return { ppid, ticks: utime + stime + cutime + cstime };
}

function readStat(procRoot: string, pid: string): StatTimes | null {
  try {
    return parseStat(fs.readFileSync(path.join(procRoot, pid, 'stat'), 'utf8'));
  } catch {
    return null; // gone meanwhile
  }
}

/**
 * Clock ticks used so far by process `pid` and its children (own and reaped), or null
 * when `pid` is not running. Children are read before the parent: a child that ends in
 * between is then counted twice rather than missed (a few ticks at most).
 */
export function treeTicks(pid: number, procRoot = '/proc'): number | null {
  let children = 0;
  for (const entry of fs.readdirSync(procRoot)) {
    if (!/^\d+$/.test(entry) || entry === String(pid)) continue;
    const stat = readStat(procRoot, entry);
    if (stat !== null && stat.ppid === pid) children += stat.ticks;
  }
  const own = readStat(procRoot, String(pid));
  return own === null ? null : own.ticks + children;
}

let ticksPerSecond: number | undefined;
function clockTicks(): number {
  if (ticksPerSecond === undefined) {
    try {
      ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      ticksPerSecond = 100;
    }
  }
  return ticksPerSecond;
}

/** The postmaster's PID from a data directory's postmaster.pid, or null when it cannot be read here. */
export function postmasterPid(dataDirectory: string): number | null {
  try {
    const pid = Number(fs.readFileSync(path.join(dataDirectory, 'postmaster.pid'), 'utf8').split('\n')[0]);
    return Number.isInteger(pid) && pid > 0 && fs.existsSync(path.join('/proc', String(pid))) ? pid : null;
  } catch {
    return null;
  }
}

/** A reader of the server's CPU seconds so far, or null when the server is not on this machine (or /proc is missing). */
export function serverCpuClock(dataDirectory: string): (() => number | null) | null {
  const pid = postmasterPid(dataDirectory);
  if (pid === null) return null;
  return () => {
    const ticks = treeTicks(pid);
    return ticks === null ? null : ticks / clockTicks();
  };
}
