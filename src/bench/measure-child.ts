import fs from 'node:fs';
import { performance } from 'node:perf_hooks';

/**
 * One measured step of `npm run bench`, in a process of its own so that its peak
 * memory is its own: `node measure-child.js RESULT.json <stayaudit args...>` runs the
 * CLI's `main()` in this process, then writes the exit code, the time spent loading
 * the CLI, the time spent in `main()` and the process's peak resident set size
 * (`process.resourceUsage().maxRSS`, KiB, worker threads included) to RESULT.json.
 */
const [resultFile, ...args] = process.argv.slice(2);
if (resultFile === undefined) {
  process.stderr.write('usage: node measure-child.js RESULT.json <stayaudit args...>\n');
  process.exit(2);
}

const t0 = performance.now();
const { main } = await import('../cli/main.js');
const t1 = performance.now();
const exitCode = await main(['node', 'stayaudit', ...args]);
const t2 = performance.now();

const result = {
  exitCode,
  loadSeconds: (t1 - t0) / 1000,
  mainSeconds: (t2 - t1) / 1000,
  maxRssKiB: process.resourceUsage().maxRSS,
};
fs.writeFileSync(resultFile, JSON.stringify(result) + '\n');
process.exitCode = exitCode;
