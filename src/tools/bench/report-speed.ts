import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runOurs, type Measurement } from './measure.js';

/**
 * The HTML report's speed and size (issue 15: the national year's report in under
 * 3 s and under 2 MB). Generates N persons (unless DIR already has them), imports
 * them and audits as of the year's end (unless DIR/stayaudit.db exists), then writes
 * the report RUNS times in each language, each in a child process of its own, next
 * to `stats` on the same run. Figures go to bench-results/report-speed.json and .md.
 *
 *   npm run build && node dist/tools/bench/report-speed.js --persons 1000000 --dir bench-data/report-1m
 */
interface Args {
  persons: number;
  dir: string;
  runs: number;
  year: number;
}

function parseArgs(argv: string[]): Args {
  const get = (name: string): string | undefined => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const persons = Number(get('--persons') ?? '1000000');
  return {
    persons,
    dir: path.resolve(get('--dir') ?? path.join('bench-data', `report-${persons}`)),
    runs: Number(get('--runs') ?? '3'),
    year: Number(get('--year') ?? '2024'),
  };
}

const DATASETS = ['crossings', 'registrations', 'permits', 'expulsions'] as const;

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  fs.mkdirSync(args.dir, { recursive: true });
  const db = path.join(args.dir, 'stayaudit.db');
  const log = (line: string): void => void process.stderr.write(line + '\n');
  const setup: Measurement[] = [];
  if (!fs.existsSync(path.join(args.dir, 'crossings.csv'))) {
    log(`generating ${args.persons} persons into ${args.dir}`);
    setup.push(await runOurs(['generate', '--persons', String(args.persons), '--seed', '1', '--year', String(args.year), '--out', args.dir]));
  }
  if (!fs.existsSync(db)) {
    for (const dataset of DATASETS) {
      log(`importing ${dataset}`);
      setup.push(await runOurs(['--db', db, 'import', dataset, path.join(args.dir, `${dataset}.csv`)], { expectCodes: [0, 5] }));
    }
    log('auditing');
    setup.push(await runOurs(['--db', db, 'audit', '--as-of', `${args.year}-12-31`]));
  }

  const stats: Measurement[] = [];
  const reports: (Measurement & { lang: string; bytes: number })[] = [];
  for (let i = 0; i < args.runs; i++) {
    stats.push(await runOurs(['--db', db, 'stats', '--format', 'csv'], {}));
    for (const lang of ['ru', 'en', 'kk']) {
      const file = path.join(args.dir, `report-${lang}.html`);
      const m = await runOurs(['--db', db, 'report', '--lang', lang, '--output', file]);
      reports.push({ ...m, lang, bytes: fs.statSync(file).size });
      log(`report ${lang}: ${m.wallSeconds.toFixed(2)} s wall, ${(fs.statSync(file).size / 1024).toFixed(0)} KiB`);
    }
  }

  const persons = JSON.parse(
    (await runOurs(['--db', db, 'query', 'SELECT (SELECT count(*) FROM persons) AS persons, (SELECT count(*) FROM crossings) AS crossings', '--format', 'json'], { captureStdout: true })).stdout,
  ) as { rows: { persons: number; crossings: number }[] };
  const best = (ms: Measurement[]): Measurement => ms.reduce((a, b) => (b.wallSeconds < a.wallSeconds ? b : a));
  const result = {
    when: new Date().toISOString(),
    machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model ?? '', loadavg: os.loadavg(), node: process.version },
    data: { dir: args.dir, persons: persons.rows[0]?.persons, crossings: persons.rows[0]?.crossings },
    setup: setup.map((m) => ({ command: m.command, wallSeconds: m.wallSeconds, peakRssMB: m.peakRssMB })),
    stats: stats.map((m) => ({ wallSeconds: m.wallSeconds, inProcessSeconds: m.inProcessSeconds, peakRssMB: m.peakRssMB })),
    reports: reports.map((m) => ({ lang: m.lang, wallSeconds: m.wallSeconds, inProcessSeconds: m.inProcessSeconds, loadSeconds: m.loadSeconds, peakRssMB: m.peakRssMB, bytes: m.bytes })),
    best: { report: best(reports).wallSeconds, stats: best(stats).wallSeconds, maxBytes: Math.max(...reports.map((r) => r.bytes)) },
  };
  fs.mkdirSync('bench-results', { recursive: true });
  fs.writeFileSync(path.join('bench-results', 'report-speed.json'), JSON.stringify(result, null, 2) + '\n');
  const md = [
    `# stayaudit report: speed and size (${result.when})`,
    '',
    `${result.data.persons} persons, ${result.data.crossings} crossings; ${result.machine.cpus} cores (${result.machine.model}), load ${result.machine.loadavg.map((l) => l.toFixed(1)).join(' ')}, Node ${result.machine.node}`,
    '',
    '| step | wall s | in main() s | peak RSS MB | size KiB |',
    '|---|---:|---:|---:|---:|',
    ...stats.map((m) => `| stats | ${m.wallSeconds.toFixed(2)} | ${m.inProcessSeconds?.toFixed(2) ?? ''} | ${m.peakRssMB?.toFixed(0) ?? ''} | |`),
    ...reports.map((m) => `| report --lang ${m.lang} | ${m.wallSeconds.toFixed(2)} | ${m.inProcessSeconds?.toFixed(2) ?? ''} | ${m.peakRssMB?.toFixed(0) ?? ''} | ${(m.bytes / 1024).toFixed(0)} |`),
    '',
    `Best report: ${result.best.report.toFixed(2)} s (stats: ${result.best.stats.toFixed(2)} s); largest file ${(result.best.maxBytes / 1024).toFixed(0)} KiB.`,
  ].join('\n');
  fs.writeFileSync(path.join('bench-results', 'report-speed.md'), md + '\n');
  process.stdout.write(md + '\n');
}

await main();
