import fs from 'node:fs';
import { performance } from 'node:perf_hooks';

/**
 * One measured step of `npm run bench`, in a process of its own so that its peak
 * memory is its own: `node measure-child.js RESULT.json <stayaudit args...>` runs the
 * CLI's `main()` in this process, then writes the exit code, the time spent loading
 * the CLI, the time spent in `main()` and the process's peak resident set size
 * (`process.resourceUsage().maxRSS`, KiB, worker threads included), its CPU time and the
 * bytes it wrote to RESULT.json.
 */
const [resultFile, ...args] = process.argv.slice(2);
if (resultFile === undefined) {
  process.stderr.write('usage: node measure-child.js RESULT.json <stayaudit args...>\n');
  process.exit(2);
}

const t0 = performance.now();
const { main } = await import('../../cli/main.js');
const t1 = performance.now();
const exitCode = await main(['node', 'stayaudit', ...args]);
const t2 = performance.now();

/** Bytes this process handed to write() and pwrite() (Linux /proc/self/io `wchar`: SQLite's log, checkpoint and temporary files), or null. */
function writtenBytes(): number | null {
  try {
    const line = /^wchar:\s*(\d+)$/m.exec(fs.readFileSync('/proc/self/io', 'utf8'));
    return line ? Number(line[1]) : null;
  } catch {
    return null;
  }
}

const usage = process.resourceUsage();
const result = {
  exitCode,
  loadSeconds: (t1 - t0) / 1000,
  mainSeconds: (t2 - t1) / 1000,
  maxRssKiB: usage.maxRSS,
  // CPU of every thread, start-up included: less at the mercy of other jobs than wall time.
  cpuSeconds: (usage.userCPUTime + usage.systemCPUTime) / 1e6,
  writtenBytes: writtenBytes(),
};
fs.writeFileSync(resultFile, JSON.stringify(result) + '\n');
process.exitCode = exitCode;
