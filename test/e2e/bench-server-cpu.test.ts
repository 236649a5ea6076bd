import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseStat, serverCpuClock, treeTicks } from '../../src/tools/bench/server-cpu.js';
import { tempDir } from './helpers.js';

/** A /proc/PID/stat line with the given parent and utime, stime, cutime, cstime. */
function statLine(pid: number, comm: string, ppid: number, [utime, stime, cutime, cstime]: number[]): string {
  const after = ['S', ppid, pid, pid, 0, -1, 4194560, 100, 0, 0, 0, utime, stime, cutime, cstime, 20, 0, 1, 0, 5000];
  return `${pid} (${comm}) ${after.join(' ')}\n`;
}

/** The store comparison's server CPU: the postmaster's tree of processes, read from /proc. */
describe('bench server CPU', () => {
  let dir: string;
  let cleanup: () => void;
  beforeEach(() => ({ dir, cleanup } = tempDir()));
  afterEach(() => cleanup());

  const fakeProcess = (pid: number, comm: string, ppid: number, times: number[]): void => {
    fs.mkdirSync(path.join(dir, String(pid)), { recursive: true });
    fs.writeFileSync(path.join(dir, String(pid), 'stat'), statLine(pid, comm, ppid, times));
  };

  it('reads a stat line whose command holds spaces and parentheses', () => {
    expect(parseStat(statLine(42, 'postgres: stayaudit db [local] (idle) SELECT', 7, [300, 20, 4000, 500]))).toEqual({ ppid: 7, ticks: 4820 });
    expect(parseStat('42 (short) S 1 2')).toBeNull();
    expect(parseStat('no parenthesis at all')).toBeNull();
  });

  it('sums the parent with its reaped children and every live child, and nothing else', () => {
    fakeProcess(100, 'postgres', 1, [10, 5, 1000, 200]); // the postmaster: 1,215 ticks
    fakeProcess(101, 'postgres: checkpointer', 100, [40, 60, 0, 0]); // its child: 100
    fakeProcess(102, 'postgres: stayaudit bench [local] COPY', 100, [700, 300, 0, 0]); // its child: 1,000
    fakeProcess(103, 'node', 1, [9000, 9000, 0, 0]); // not its child
    fakeProcess(104, 'postgres: parallel worker', 102, [50, 0, 0, 0]); // a grandchild: counted by its parent once reaped
    fs.mkdirSync(path.join(dir, 'self'));
    expect(treeTicks(100, dir)).toBe(2315);
    expect(treeTicks(999, dir)).toBeNull();
  });

  it('reads the postmaster from a data directory and counts the CPU it spends', () => {
    expect(serverCpuClock(dir)).toBeNull(); // no postmaster.pid
    fs.writeFileSync(path.join(dir, 'postmaster.pid'), `${process.pid}\n${dir}\n`);
    const clock = serverCpuClock(dir)!;
    const before = clock()!;
    const until = Date.now() + 300;
    let spin = 0;
    while (Date.now() < until) spin++;
    expect(spin).toBeGreaterThan(0);
    expect(clock()! - before).toBeGreaterThanOrEqual(0.1);
  });
});
