/**
 * CSV output, before and after csv-stringify: N findings-shaped rows (default
 * 1,000,000) rendered to a file, each path in a child process of its own so that
 * peak RSS is its own, alternating, three rounds. Writes
 * bench-results/csv-output.json and prints it.
 *
 *   npm run build && node dist/tools/bench/csv-output.js [--rows N]
 *
 * "hand" is the renderer as it was (RFC 4180 quoting by hand, one join per row);
 * "csv-stringify" is renderListing's CSV path now (batches of rows through
 * csv-stringify/sync). Both neutralise formulas and stream through the same Sink.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { csvCell, renderListing, Sink, type Listing, type Row } from '../../reports/render.js';

const COLUMNS = ['person_key', 'citizenship', 'rule', 'regime', 'entry_date', 'exit_date', 'first_day', 'days', 'status', 'last_lawful_day', 'person_id', 'document_no', 'surname', 'given_names', 'birth_date', 'entry_checkpoint', 'host_id', 'detail'];
const RULES = ['stay-limit', 'unregistered', 'late-registration', 'rolling-limit'];

function* rows(n: number): Generator<Row> {
  for (let i = 0; i < n; i++) {
    yield {
      person_key: `P${100000000 + i}`, citizenship: i % 3 === 0 ? 'RUS' : 'UZB', rule: RULES[i % 4]!, regime: 'EAEU',
      entry_date: '2024-01-01', exit_date: i % 2 ? null : '2024-04-05', first_day: '2024-03-31', days: i % 97, status: i % 2 ? 'in-country' : 'departed',
      last_lawful_day: '2024-03-30', person_id: `P${100000000 + i}`, document_no: `N${1000000 + i}`, surname: i % 5 === 0 ? 'ИВАНОВ' : 'IVANOV', given_names: 'IVAN',
      birth_date: '1980-05-01', entry_checkpoint: i % 7 === 0 ? 'ZHIBEK ZHOLY' : 'ALA-AIRPORT', host_id: null, detail: '{"cap":90,"capEnd":"2024-03-30"}',
    };
  }
}

async function child(mode: string, n: number, file: string): Promise<void> {
  const out = fs.createWriteStream(file);
  const started = process.hrtime.bigint();
  if (mode === 'hand') {
    const sink = new Sink(out);
    await sink.write(COLUMNS.map((c) => csvCell(c, true)).join(',') + '\n');
    for (const row of rows(n)) await sink.write(COLUMNS.map((c) => csvCell(row[c], false)).join(',') + '\n');
    await sink.flush();
  } else {
    const listing: Listing = { columns: COLUMNS, rows: rows(n), meta: {} };
    await renderListing(listing, { format: 'csv', noHeaders: false, raw: false, color: false, maskKey: null }, out);
  }
  await new Promise<void>((resolve) => out.end(resolve));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const cpu = process.cpuUsage();
  process.stdout.write(JSON.stringify({ seconds, cpu_seconds: (cpu.user + cpu.system) / 1e6, max_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024), bytes: fs.statSync(file).size }) + '\n');
}

function main(): void {
  const args = process.argv.slice(2);
  const value = (flag: string): string | undefined => {
    const i = args.indexOf(flag);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const n = Number(value('--rows') ?? 1_000_000);
  const mode = value('--child');
  if (mode !== undefined) {
    void child(mode, n, value('--file')!);
    return;
  }
  const self = fileURLToPath(import.meta.url);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'csv-output-'));
  const results: Record<string, { seconds: number; cpu_seconds: number; max_rss_mb: number; bytes: number }[]> = { hand: [], 'csv-stringify': [] };
  try {
    for (let round = 0; round < 3; round++) {
      for (const m of ['hand', 'csv-stringify']) {
        const file = path.join(dir, `${m}.csv`);
        const r = spawnSync(process.execPath, [self, '--child', m, '--rows', String(n), '--file', file], { encoding: 'utf8' });
        if (r.status !== 0) throw new Error(`${m}: ${r.stderr}`);
        results[m]!.push(JSON.parse(r.stdout) as { seconds: number; cpu_seconds: number; max_rss_mb: number; bytes: number });
      }
    }
    const same = fs.readFileSync(path.join(dir, 'hand.csv')).equals(fs.readFileSync(path.join(dir, 'csv-stringify.csv')));
    const best = (m: string): number => Math.min(...results[m]!.map((r) => r.seconds));
    const bestCpu = (m: string): number => Math.min(...results[m]!.map((r) => r.cpu_seconds));
    const report = {
      rows: n,
      node: process.version,
      load: os.loadavg().map((l) => Number(l.toFixed(2))),
      identical_output: same,
      best_seconds: { hand: best('hand'), 'csv-stringify': best('csv-stringify') },
      ratio: Number((best('csv-stringify') / best('hand')).toFixed(2)),
      best_cpu_seconds: { hand: bestCpu('hand'), 'csv-stringify': bestCpu('csv-stringify') },
      cpu_ratio: Number((bestCpu('csv-stringify') / bestCpu('hand')).toFixed(2)),
      runs: results,
    };
    fs.mkdirSync('bench-results', { recursive: true });
    fs.writeFileSync(path.join('bench-results', 'csv-output.json'), JSON.stringify(report, null, 2) + '\n');
    process.stdout.write(JSON.stringify(report, null, 2) + '\n');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main();
