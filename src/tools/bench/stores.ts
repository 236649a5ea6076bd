/**
 * `npm run bench -- --store postgres`: the same generated year imported, audited and
 * summarised on an SQLite file and on a PostgreSQL database, step by step side by side
 * (issue 17: PostgreSQL must be no slower). Each step is the real CLI in a process of
 * its own; the answers are compared too (the audit's counts, the statistics' CSV), so a
 * fast wrong store cannot pass.
 *
 * The server is $STAYAUDIT_BENCH_PG_URL (a superuser's URL: a database is created and
 * dropped on it), else a throwaway cluster from scripts/pg-cluster.sh, started durable
 * (fsync and full-page writes on) with commits as SQLite's WAL at synchronous=NORMAL
 * makes them (synchronous_commit off: a crash loses the last commits, never
 * consistency), and memory sized for the machine. The server's own processes are not
 * in a step's peak RSS; its wall time is what a user waits for.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { removeDb, runOurs, type Measurement } from './measure.js';
import { serverCpuClock } from './server-cpu.js';

export interface StoreComparisonOptions {
  scales: number[];
  seed: number;
  year: number;
  dir: string;
  out: string;
  keep: boolean;
  commit: string | null;
  /** The checkout (for scripts/pg-cluster.sh). */
  root: string;
  log: (message: string) => void;
}

interface StoreFigures {
  wallSeconds: number;
  peakRssMB: number | null;
  /** The stayaudit process's CPU seconds (all threads). */
  cpuSeconds: number | null;
}

interface StoreStep {
  step: string;
  rows: number | null;
  sqlite: StoreFigures;
  postgres: StoreFigures & {
    /** The server's CPU seconds during the step (all its processes), when it runs on this machine. */
    serverCpuSeconds: number | null;
  };
  /** PostgreSQL's wall time over SQLite's. */
  ratio: number;
}

interface StoreScale {
  persons: number;
  crossings: number;
  steps: StoreStep[];
  /** Import + audit + stats, summed. */
  total: StoreStep;
  /** The audit's counts and the statistics' CSV were identical on both stores. */
  sameAnswers: boolean;
  postgresBytes: number;
  sqliteBytes: number;
}

const DATASETS = ['crossings', 'registrations', 'permits', 'expulsions'] as const;

/** Server settings of the throwaway cluster: durable, SQLite-like commits, memory for a 24 GiB machine. */
const BENCH_SERVER_OPTIONS = [
  'fsync=on',
  'full_page_writes=on',
  'synchronous_commit=off',
  `shared_buffers=${Math.max(128, Math.min(4096, Math.round(os.totalmem() / 2 ** 20 / 8)))}MB`,
  'max_wal_size=8GB',
  'work_mem=64MB',
  'maintenance_work_mem=512MB',
]
  .map((setting) => `-c ${setting}`)
  .join(' ');

export async function compareStores(opts: StoreComparisonOptions): Promise<number> {
  const server = await benchServer(path.join(opts.root, 'scripts', 'pg-cluster.sh'), opts.log);
  const results: StoreScale[] = [];
  let failed = false;
  try {
    for (const persons of opts.scales) {
      try {
        results.push(await compareAt(persons, opts, server));
      } catch (error) {
        opts.log(`${persons.toLocaleString('en-US')} persons FAILED: ${error instanceof Error ? error.message : String(error)}`);
        failed = true;
        break;
      }
    }
  } finally {
    await server.stop();
  }
  const result = {
    version: 1,
    date: new Date().toISOString(),
    command: `npm run bench -- ${process.argv.slice(2).join(' ')}`.trim(),
    commit: opts.commit,
    machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? 'unknown', totalMemoryMB: os.totalmem() / 1e6, node: process.version, loadAverage: os.loadavg() },
    server: server.describe,
    scales: results,
  };
  fs.mkdirSync(opts.out, { recursive: true });
  const stamp = result.date.replaceAll(':', '').replace(/\.\d+Z$/, 'Z');
  const json = JSON.stringify(result, null, 2) + '\n';
  fs.writeFileSync(path.join(opts.out, `stores-${stamp}.json`), json);
  fs.writeFileSync(path.join(opts.out, 'stores-latest.json'), json);
  const md = renderStores(results, server.describe, os.cpus().length);
  fs.writeFileSync(path.join(opts.out, 'stores-latest.md'), md);
  process.stdout.write(md);
  opts.log(`results: ${path.join(opts.out, `stores-${stamp}.json`)}, ${path.join(opts.out, 'stores-latest.md')}`);
  return failed || results.some((r) => !r.sameAnswers) ? 1 : 0;
}

async function compareAt(persons: number, opts: StoreComparisonOptions, server: BenchServer): Promise<StoreScale> {
  const serverUrl = server.url;
  const label = `${persons.toLocaleString('en-US')} persons`;
  const scaleDir = path.join(opts.dir, `p${persons}-s${opts.seed}-y${opts.year}`);
  const files = await generated(scaleDir, persons, opts);
  const sqlite = path.join(scaleDir, 'stores-sqlite.db');
  removeDb(sqlite);
  const database = `stayaudit_bench_${process.pid}_${persons}`;
  await adminSql(serverUrl, `DROP DATABASE IF EXISTS ${database}`);
  await adminSql(serverUrl, `CREATE DATABASE ${database} TEMPLATE template0 LOCALE 'C' ENCODING 'UTF8'`);
  const postgres = withDatabase(serverUrl, database);
  try {
    const steps: StoreStep[] = [];
    const outputs: Record<'sqlite' | 'postgres', { audit: unknown; stats: string }> = { sqlite: { audit: null, stats: '' }, postgres: { audit: null, stats: '' } };
    const measure = async (step: string, args: (db: string) => string[], codes: number[], rows: (m: Measurement) => number | null): Promise<Record<'sqlite' | 'postgres', Measurement>> => {
      const pair = {} as Record<'sqlite' | 'postgres', Measurement>;
      let serverCpuSeconds: number | null = null;
      for (const [store, db] of [
        ['sqlite', sqlite],
        ['postgres', postgres],
      ] as const) {
        opts.log(`${label}: ${step} on ${store}`);
        const cpuBefore = store === 'postgres' ? (server.cpu?.() ?? null) : null;
        pair[store] = await runOurs(['--db', db, ...args(db)], { captureStdout: true, expectCodes: codes });
        if (cpuBefore !== null) {
          // The step's backends end when its process does; give the postmaster a moment to reap them.
          await new Promise((resolve) => setTimeout(resolve, 200));
          const cpuAfter = server.cpu?.() ?? null;
          serverCpuSeconds = cpuAfter === null ? null : cpuAfter - cpuBefore;
        }
        const m = pair[store];
        opts.log(`  ${m.wallSeconds.toFixed(1)} s${m.cpuSeconds == null ? '' : `, CPU ${m.cpuSeconds.toFixed(1)} s`}${store === 'postgres' && serverCpuSeconds !== null ? ` + server ${serverCpuSeconds.toFixed(1)} s` : ''}`);
      }
      steps.push({
        step,
        rows: rows(pair.sqlite),
        sqlite: figures(pair.sqlite),
        postgres: { ...figures(pair.postgres), serverCpuSeconds },
        ratio: pair.postgres.wallSeconds / pair.sqlite.wallSeconds,
      });
      return pair;
    };
    let crossings = 0;
    for (const dataset of DATASETS) {
      const pair = await measure(`import ${dataset}`, () => ['import', dataset, files[dataset]!, '--json'], [0, 5], (m) =>
        (JSON.parse(m.stdout) as { files: { read: number }[] }).files.reduce((n, f) => n + f.read, 0),
      );
      if (dataset === 'crossings') crossings = steps.at(-1)!.rows ?? 0;
      if (pair.sqlite.stdout.replace(/"file":[^\n]*\n/g, '') !== pair.postgres.stdout.replace(/"file":[^\n]*\n/g, '')) opts.log(`  the ${dataset} import summaries differ`);
    }
    const audit = await measure('audit', () => ['audit', '--as-of', `${opts.year}-12-31`, '--json'], [0], (m) => (JSON.parse(m.stdout) as { persons: number }).persons);
    for (const store of ['sqlite', 'postgres'] as const) {
      const { persons: p, stays, findings, violators } = JSON.parse(audit[store].stdout) as Record<string, unknown>;
      outputs[store].audit = { persons: p, stays, findings, violators };
    }
    const stats = await measure('stats', () => ['stats', '--format', 'csv'], [0], () => null);
    outputs.sqlite.stats = stats.sqlite.stdout;
    outputs.postgres.stats = stats.postgres.stdout;
    const sameAnswers = JSON.stringify(outputs.sqlite.audit) === JSON.stringify(outputs.postgres.audit) && outputs.sqlite.stats === outputs.postgres.stats;
    if (!sameAnswers) opts.log(`${label}: the two stores gave DIFFERENT answers: ${JSON.stringify(outputs.sqlite.audit)} against ${JSON.stringify(outputs.postgres.audit)}`);
    const total: StoreStep = {
      step: 'import + audit + stats',
      rows: null,
      sqlite: sumFigures(steps.map((s) => s.sqlite)),
      postgres: { ...sumFigures(steps.map((s) => s.postgres)), serverCpuSeconds: sumOrNull(steps.map((s) => s.postgres.serverCpuSeconds)) },
      ratio: 0,
    };
    total.ratio = total.postgres.wallSeconds / total.sqlite.wallSeconds;
    const size = await adminSql(postgres, 'SELECT pg_database_size(current_database())::float8 AS bytes');
    return {
      persons,
      crossings,
      steps,
      total,
      sameAnswers,
      postgresBytes: Number((size[0] as { bytes: number }).bytes),
      sqliteBytes: ['', '-wal'].reduce((n, suffix) => n + (fs.existsSync(sqlite + suffix) ? fs.statSync(sqlite + suffix).size : 0), 0),
    };
  } finally {
    removeDb(sqlite);
    await adminSql(serverUrl, `DROP DATABASE IF EXISTS ${database}`).catch(() => {});
    if (!opts.keep) fs.rmSync(scaleDir, { recursive: true, force: true });
  }
}

function figures(m: Measurement): StoreFigures {
  return { wallSeconds: m.wallSeconds, peakRssMB: m.peakRssMB, cpuSeconds: m.cpuSeconds ?? null };
}

function sumOrNull(values: readonly (number | null)[]): number | null {
  return values.every((v) => v !== null) ? values.reduce<number>((n, v) => n + v!, 0) : null;
}

function sumFigures(steps: readonly StoreFigures[]): StoreFigures {
  return {
    wallSeconds: steps.reduce((n, s) => n + s.wallSeconds, 0),
    peakRssMB: Math.max(...steps.map((s) => s.peakRssMB ?? 0)),
    cpuSeconds: sumOrNull(steps.map((s) => s.cpuSeconds)),
  };
}

/** The generated files of a scale (reused when a kept earlier run left them complete). */
async function generated(scaleDir: string, persons: number, opts: StoreComparisonOptions): Promise<Record<string, string>> {
  const summaryFile = path.join(scaleDir, 'generate.json');
  type Summary = { files: { dataset: string; path: string; bytes: number }[] };
  if (fs.existsSync(summaryFile)) {
    const summary = JSON.parse(fs.readFileSync(summaryFile, 'utf8')) as Summary;
    if (summary.files.every((f) => fs.existsSync(f.path) && fs.statSync(f.path).size === f.bytes)) {
      return Object.fromEntries(summary.files.map((f) => [f.dataset, f.path]));
    }
  }
  fs.rmSync(scaleDir, { recursive: true, force: true });
  fs.mkdirSync(scaleDir, { recursive: true });
  opts.log(`${persons.toLocaleString('en-US')} persons: generating into ${scaleDir}`);
  const m = await runOurs(['generate', '--persons', String(persons), '--seed', String(opts.seed), '--year', String(opts.year), '--out', scaleDir, '--json'], { captureStdout: true });
  fs.writeFileSync(summaryFile, m.stdout);
  return Object.fromEntries((JSON.parse(m.stdout) as Summary).files.map((f) => [f.dataset, f.path]));
}

interface BenchServer {
  url: string;
  describe: string;
  /** The server's CPU seconds so far, when it runs on this machine and its processes can be read. */
  cpu: (() => number | null) | null;
  stop(): Promise<void>;
}

async function benchServer(cluster: string, log: (message: string) => void): Promise<BenchServer> {
  const given = process.env['STAYAUDIT_BENCH_PG_URL'];
  if (given !== undefined && given !== '') {
    const version = await adminSql(given, 'SHOW server_version');
    // Its data directory can be read only by a superuser, and its processes only on this machine.
    const directory = await adminSql(given, 'SHOW data_directory').catch(() => []);
    const dataDirectory = (directory[0] as { data_directory?: string } | undefined)?.data_directory;
    return {
      url: given,
      describe: `PostgreSQL ${(version[0] as { server_version: string }).server_version} at $STAYAUDIT_BENCH_PG_URL`,
      cpu: dataDirectory === undefined ? null : serverCpuClock(dataDirectory),
      stop: async () => {},
    };
  }
  log(`starting a throwaway PostgreSQL cluster (${BENCH_SERVER_OPTIONS})`);
  const out = execFileSync(cluster, ['start'], { encoding: 'utf8', env: { ...process.env, PG_CLUSTER_OPTIONS: BENCH_SERVER_OPTIONS } });
  const [dir, url] = out.trim().split('\n');
  const version = await adminSql(url!, 'SHOW server_version');
  return {
    url: url!,
    describe: `PostgreSQL ${(version[0] as { server_version: string }).server_version}, throwaway cluster on a Unix socket (${BENCH_SERVER_OPTIONS})`,
    cpu: serverCpuClock(path.join(dir!, 'data')),
    stop: async () => {
      execFileSync(cluster, ['stop', dir!]);
    },
  };
}

async function adminSql(url: string, text: string): Promise<unknown[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(text)).rows;
  } finally {
    await client.end();
  }
}

/** The same server URL naming another database (a Unix-socket URL has no host, so no WHATWG URL). */
function withDatabase(url: string, name: string): string {
  const match = /^(postgres(?:ql)?:\/\/[^/?#]*)(\/[^?#]*)?(.*)$/i.exec(url);
  if (match === null) throw new Error(`not a PostgreSQL URL: ${url}`);
  return `${match[1]}/${name}${match[3]}`;
}

function renderStores(scales: readonly StoreScale[], server: string, cores: number): string {
  const lines = ['# stayaudit on SQLite and on PostgreSQL', '', `Server: ${server}.`, ''];
  const seconds = (v: number | null): string => (v === null ? '?' : v.toFixed(1));
  for (const scale of scales) {
    lines.push(
      `## ${scale.persons.toLocaleString('en-US')} persons, ${scale.crossings.toLocaleString('en-US')} crossings`,
      '',
      `Same answers (audit counts, statistics CSV): **${scale.sameAnswers ? 'yes' : 'NO'}**. Store size: SQLite ${(scale.sqliteBytes / 1e6).toFixed(0)} MB, PostgreSQL ${(scale.postgresBytes / 1e6).toFixed(0)} MB.`,
      '',
      `| step | rows | SQLite s | PostgreSQL s | PostgreSQL / SQLite | CPU s: SQLite / PostgreSQL client / server | PostgreSQL's CPU over ${cores} cores, s | peak RSS MB (SQLite / PostgreSQL client) |`,
      '|---|---:|---:|---:|---:|---:|---:|---:|',
    );
    for (const s of [...scale.steps, scale.total]) {
      const pg = s.postgres;
      const bound = pg.cpuSeconds === null || pg.serverCpuSeconds === null ? null : (pg.cpuSeconds + pg.serverCpuSeconds) / cores;
      lines.push(
        `| ${s.step} | ${s.rows?.toLocaleString('en-US') ?? ''} | ${s.sqlite.wallSeconds.toFixed(1)} | ${pg.wallSeconds.toFixed(1)} | ${s.ratio.toFixed(2)} | ${seconds(s.sqlite.cpuSeconds)} / ${seconds(pg.cpuSeconds)} / ${seconds(pg.serverCpuSeconds)} | ${seconds(bound)} | ${s.sqlite.peakRssMB?.toFixed(0) ?? '?'} / ${pg.peakRssMB?.toFixed(0) ?? '?'} |`,
      );
    }
    lines.push('');
  }
  lines.push(
    `PostgreSQL's client and server share this machine's ${cores} cores, so no overlap of the same work can take less wall time than their CPU seconds over ${cores} (a step's server CPU includes what its background processes did meanwhile: checkpoints, autovacuum).`,
    '',
  );
  return lines.join('\n') + '\n';
}
