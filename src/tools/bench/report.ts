import { deltaFloorText } from './delta-floor.js';
import { heavyMarkdown } from './nights.js';
import type { BenchResult, ScaleResult, Step } from './types.js';

/** The short Markdown report: one table per scale, the nightly delta, growth, the targets. */

const int = (n: number): string => Math.round(n).toLocaleString('en-US');
const sec = (n: number | null): string => (n === null ? '–' : n < 10 ? n.toFixed(2) : n.toFixed(1));
const mb = (n: number | null): string => (n === null ? '–' : n.toFixed(0));
const load = (l: number[]): string => l.map((x) => x.toFixed(2)).join(' / ');

function stepRow(s: Step, suffix = ''): string {
  const runs = s.runsWallSeconds.length > 1 ? s.runsWallSeconds.map((x) => sec(x)).join(', ') : '';
  return `| ${s.name}${suffix} | ${s.rows === null ? '' : int(s.rows)} | ${sec(s.wallSeconds)} | ${sec(s.inProcessSeconds)} | ${
    s.rowsPerSecond === null ? '' : int(s.rowsPerSecond)
  } | ${mb(s.peakRssMB)} | ${runs} |`;
}

function scaleSection(s: ScaleResult): string[] {
  const lines: string[] = [];
  const byName = (name: string): Step => s.steps.find((x) => x.name === name)!;
  lines.push(
    `### ${int(s.persons)} persons — ${int(s.crossingRows)} crossing rows (seed ${s.seed}, as of ${s.asOf})`,
    '',
    '| step | rows | wall s | in-process s | rows/s | peak RSS MB | runs (wall s) |',
    '|---|---:|---:|---:|---:|---:|---|',
    stepRow(s.generated, s.generated.reused ? ' (reused, earlier run)' : ''),
    stepRow(byName('import crossings')),
  );
  if (s.baseline) lines.push(stepRow(s.baseline.sqliteImport, ' — baseline'));
  lines.push(stepRow(s.floors.insertLoop, ' — reference'), stepRow(s.floors.readerOnly, ' — reference'));
  for (const d of ['registrations', 'permits', 'expulsions']) lines.push(stepRow(byName(`import ${d}`)));
  lines.push(stepRow(byName('audit'), ` (${Math.max(1, s.audit.workers)} threads; rows = persons)`));
  if (s.baseline) lines.push(stepRow(s.baseline.windowQuery, ' — baseline'));
  lines.push(stepRow(byName('stats --format csv')), stepRow(byName('violators --format csv --output FILE')));
  lines.push('');
  const ratio = (r: number | null): string => (r === null ? 'n/a (no sqlite3 shell)' : `${r.toFixed(2)} ×`);
  lines.push(
    `- import crossings vs sqlite3 .import: ${ratio(s.ratios.importVsSqlite)}; audit vs window query: ${ratio(s.ratios.auditVsQuery)}` +
      (s.baseline?.queryOverstays != null ? ` (query found ${int(s.baseline.queryOverstays)} 90-day overstays; audit stay-limit findings ${int(s.audit.counts['stay-limit'] ?? 0)})` : ''),
    `- floor: the bare better-sqlite3 inserts alone (no parsing, no index, no checks) take ${ratio(s.ratios.bareInsertsVsSqlite)} sqlite3 .import; ` +
      `our reader alone (decode, parse, normalise) ${sec(s.floors.readerOnly.inProcessSeconds)} s`,
    `- import (all four) ${sec(s.totals.importSeconds)} s; import + audit + stats ${sec(s.totals.importAuditStatsSeconds)} s; peak RSS of any step ${mb(s.totals.peakRssMB)} MB`,
    `- database ${mb(s.database.bytes / 1e6)} MB (+ WAL ${mb(s.database.walBytes / 1e6)} MB)` +
      (s.baseline?.plainDbBytes ? `; sqlite3 plain table ${mb(s.baseline.plainDbBytes / 1e6)} MB` : ''),
    `- audit: ${int(s.audit.persons)} persons, ${int(s.audit.stays)} stays, ${int(s.audit.findings)} findings, ${int(s.audit.violators)} violators; ` +
      `generator expected ${int(s.correctness.expectedViolators)} violators: ${s.correctness.ok ? 'equal' : 'DIFFERENT'}` +
      ` (rules: ${Object.entries(s.correctness.findingsByRule)
        .map(([r, v]) => `${r} ${v.actual}${v.actual === v.expected ? '' : `≠${v.expected}`}`)
        .join(', ')})`,
    `- rejected rows (malformed on purpose): ${Object.entries(s.imports)
      .map(([d, f]) => `${d} ${f.rejected}`)
      .join(', ')}`,
    `- load average (1/5/15 min) at start ${load(s.loadAverage.start)}, at end ${load(s.loadAverage.end)}`,
    '',
  );
  if (s.deltaError !== null) lines.push(`#### Nightly delta: FAILED`, '', '```', s.deltaError.trim(), '```', '');
  if (s.delta) {
    const d = s.delta;
    lines.push(
      `#### Nightly delta into the ${int(s.persons)}-person database: ${int(d.rows)} crossings of ${d.day}`,
      '',
      '| step | rows | wall s | in-process s | rows/s | peak RSS MB | runs (wall s) |',
      '|---|---:|---:|---:|---:|---:|---|',
      stepRow(d.importStep),
      stepRow(d.auditStep, ' (rows = persons)'),
      '',
      `- total ${sec(d.totalSeconds)} s; imported ${int(d.imported.added)} added, ${int(d.imported.duplicate)} duplicate, ${int(d.imported.rejected)} rejected; ` +
        `audit: ${int(d.audit.findings)} findings, ${int(d.audit.violators)} violators ` +
        `(the delta's persons are new to the database and their permits are not imported, so those of visa regimes count as no-basis)`,
      ...(d.floor ? [`- floor (target ≤ 0.5 s): ${deltaFloorText(d.floor)}`] : []),
      '',
    );
  }
  return lines;
}

export function renderMarkdown(r: BenchResult): string {
  const m = r.machine;
  const lines: string[] = [
    `## stayaudit benchmark — ${r.date}`,
    '',
    `\`${r.command}\` · commit ${r.commit ?? 'unknown'} · ${m.cpuCount} × ${m.cpuModel} · ${int(m.totalMemoryMB)} MB RAM · ${m.os} · Node ${m.node} · ` +
      `SQLite ${m.sqlite} (better-sqlite3) · sqlite3 shell ${m.sqlite3Shell ?? 'not installed'}`,
    '',
    `CLI start-up (\`stayaudit --version\`, best of 3, included in every wall time of ours): ${sec(r.startup.wallSeconds)} s.`,
    '',
    `Load average (1/5/15 min): at start ${load(m.loadAverage.start)}, at end ${load(m.loadAverage.end)} — other processes may share the machine.`,
    '',
    ...r.method.map((x) => `- ${x}`),
    '',
  ];
  for (const s of r.scales) lines.push(...scaleSection(s));
  for (const f of r.failures) lines.push(`### ${int(f.persons)} persons: FAILED`, '', '```', f.error.trim(), '```', '');

  if (r.scales.length > 1) {
    const first = r.scales[0]!;
    const last = r.scales[r.scales.length - 1]!;
    const size = last.persons / first.persons;
    lines.push(
      `### Growth ${int(first.persons)} → ${int(last.persons)} persons (size × ${size.toFixed(2)}; ≤ 1.10 means at most linear)`,
      '',
      '| step | time × | time ratio / size ratio |',
      '|---|---:|---:|',
    );
    const pairs: [string, number, number][] = first.steps.map((s, i) => [s.name, s.wallSeconds, last.steps[i]!.wallSeconds]);
    pairs.push(['import + audit + stats', first.totals.importAuditStatsSeconds, last.totals.importAuditStatsSeconds]);
    for (const [name, a, b] of pairs) lines.push(`| ${name} | ${(b / a).toFixed(2)} | ${(b / a / size).toFixed(2)} |`);
    lines.push('');
  }

  if (r.heavy) lines.push(...heavyMarkdown(r.heavy));

  lines.push('### Targets', '', '| target | persons | measured | limit | status |', '|---|---:|---|---|---|');
  for (const t of r.targets) {
    lines.push(`| ${t.target} | ${t.persons === null ? '' : int(t.persons)} | ${t.measured} | ${t.limit} | ${t.status === 'met' ? 'met' : t.status === 'not met' ? '**not met**' : t.status} |`);
  }
  lines.push('');
  return lines.join('\n');
}
