import { exitMatchPercent, percent, type Figures } from '../../statistics/figures.js';
import { rulesetLabel } from '../runs.js';
import { buildCharts, loadCharts, type Chart } from './charts.js';
import { formatsFor, TEXT, type Formats, type Language, type StatementFigures, type Texts } from './i18n.js';
import type { ReportData } from './report-data.js';

export interface HtmlReportOptions {
  lang: Language;
  /** Named in the footer ("stayaudit 0.1.0"). */
  tool: string;
}

/** Anomalies shown under data quality, in this order. */
const ANOMALIES = ['orphan-exit', 'missing-exit', 'permit-dates-reversed', 'future-crossing', 'unknown-checkpoint'] as const;
/** Nationalities named in the statement. */
const LEADING = 5;

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/**
 * A figure in the text: the locale's spelling, with the exact value machine-readable
 * in <data value> and its name in data-figure (the tests compare these with `stats`).
 */
function figure(name: string, value: number | null, shown: string): string {
  return `<data class="figure" data-figure="${escapeHtml(name)}" value="${value === null ? '' : String(value)}">${escapeHtml(shown)}</data>`;
}

function statementFigures(f: Figures, fmt: Formats, period: string, scope: string): StatementFigures {
  const n = (name: string, v: number): string => figure(`${scope}.${name}`, v, fmt.number(v));
  const p = (name: string, v: number | null): string => figure(`${scope}.${name}`, v, fmt.percent(v));
  return {
    period,
    entries: n('entries', f.entries),
    exits: n('exits', f.exits),
    persons: n('persons_entered', f.persons_entered),
    violators: n('violators', f.violators),
    violatorsCount: f.violators,
    violatorRate: p('violator_rate_pct', percent(f.violators, f.persons_entered)),
    entryRate: p('entry_rate_pct', percent(f.violators, f.entries)),
    expulsions: n('expulsions', f.expulsions),
    expulsionsCount: f.expulsions,
    registrationFindings: n('registration_findings', f.registration_findings),
    expected: n('expected_departures', f.expected_departures),
    overstays: n('overstays', f.overstays),
    overstayRate: p('overstay_rate_pct', percent(f.overstays, f.expected_departures)),
    inCountry: n('overstays_in_country', f.overstays_in_country),
    inCountryCount: f.overstays_in_country,
    departed: n('overstays_departed', f.overstays_departed),
  };
}

function table(columns: string[], rows: (string | number)[][], numericFrom = 1, className = ''): string {
  const head = columns.map((c) => `<th scope="col">${escapeHtml(c)}</th>`).join('');
  const body = rows
    .map((r) => `<tr>${r.map((cell, i) => (i === 0 ? `<th scope="row">${escapeHtml(String(cell))}</th>` : `<td${i >= numericFrom ? ' class="num"' : ''}>${escapeHtml(String(cell))}</td>`)).join('')}</tr>`)
    .join('\n');
  return `<div class="table-wrap"><table class="${className}"><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table></div>`;
}

function chartFigure(chart: Chart, t: Texts): string {
  const svg =
    chart.svg === null
      ? `<p class="empty">${escapeHtml(t.noData)}</p>`
      : // The SVG keeps its own size attributes; CSS scales it to the column (phones included).
        `<div class="chart" role="img" aria-label="${escapeHtml(chart.title)}">${chart.svg}</div>`;
  return `<figure class="chart-figure" id="chart-${chart.id}" data-chart="${chart.id}">
<figcaption><h3>${escapeHtml(chart.title)}</h3>${chart.note ? `<p class="note">${escapeHtml(chart.note)}</p>` : ''}</figcaption>
${svg}
${chart.table.rows.length === 0 ? '' : `<details class="alt" open><summary>${escapeHtml(t.tableAlt)}</summary>${table(chart.table.columns, chart.table.rows)}</details>`}
</figure>`;
}

function statement(data: ReportData, t: Texts, fmt: Formats): string {
  const period = `${fmt.date(data.period.from)} – ${fmt.date(data.period.to)}`;
  const f = statementFigures(data.totals, fmt, escapeHtml(period), 'total');
  const leading = [...data.byCitizenship.entries()]
    .filter(([k, g]) => k !== '' && g.entries > 0)
    .sort(([ka, a], [kb, b]) => b.entries - a.entries || (ka < kb ? -1 : 1))
    .slice(0, LEADING);
  const items = leading.map(([code, g]) => {
    const scope = `citizenship.${code}`;
    const violators = figure(`${scope}.violators`, g.violators, fmt.rounded(g.violators));
    const rate = figure(`${scope}.entry_rate_pct`, percent(g.violators, g.entries), fmt.percent(percent(g.violators, g.entries)));
    const entries = figure(`${scope}.entries`, g.entries, fmt.rounded(g.entries));
    return `<li data-citizenship="${escapeHtml(code)}">${t.statementNationality(escapeHtml(fmt.country(code)), violators, g.violators, rate, entries)}</li>`;
  });
  return `<section id="statement" class="statement">
<h2>${escapeHtml(t.statementTitle)}</h2>
<p>${t.statementTotals(f)}</p>
<p>${t.statementViolators(f)}</p>
<p>${t.statementOverstays(f)}</p>
${items.length === 0 ? '' : `<p>${escapeHtml(t.statementLeading)}</p>\n<ul class="leading">\n${items.join('\n')}\n</ul>`}
<p class="note">${escapeHtml(t.statementBasis).replace(/`([^`]+)`/g, '<code>$1</code>')}</p>
</section>`;
}

function quality(data: ReportData, t: Texts, fmt: Formats): string {
  const run = data.run;
  const basis: [string, string][] = [
    [t.asOf, `${fmt.date(run.as_of)} (${run.as_of})`],
    [t.period, `${data.period.from} – ${data.period.to} (${t.countedTo} ${data.period.countedTo})`],
    [t.run, `${run.id} · ${run.started_at}`],
    [t.ruleset, rulesetLabel(run)],
  ];
  const basisList = `<dl class="basis">${basis.map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v)}</dd>`).join('')}</dl>`;
  const imports =
    data.imports.length === 0
      ? `<p>${escapeHtml(t.qualityNoImports)}</p>`
      : table(
          [t.col['file']!, t.col['dataset']!, t.col['read']!, t.col['added']!, t.col['updated']!, t.col['duplicate']!, t.col['rejected']!, t.col['imported_at']!, t.col['checksum']!],
          data.imports.map((i) => [
            i.file,
            i.dataset,
            fmt.number(i.rows_read),
            fmt.number(i.added),
            fmt.number(i.updated),
            fmt.number(i.duplicate),
            fmt.number(i.rejected),
            i.finished_at,
            i.checksum,
          ]),
          2,
          'imports',
        );
  const anomalies = table(
    [t.col['anomaly']!, t.col['code']!, t.col['count']!],
    ANOMALIES.map((a) => [t.rules[a] ?? a, a, fmt.number(data.runCounts[a] ?? 0)]),
    2,
  );
  const totals = data.totals;
  const exitShare = totals.entries === 0 ? t.notApplicable : new Intl.NumberFormat(fmt.lang === 'en' ? 'en-GB' : fmt.lang === 'ru' ? 'ru-RU' : 'kk-KZ', { maximumFractionDigits: 3 }).format(totals.exits / totals.entries);
  return `<section id="quality">
<h2>${escapeHtml(t.qualityTitle)}</h2>
<p class="note">${escapeHtml(t.qualityIntro)}</p>
<h3>${escapeHtml(t.qualityBasis)}</h3>
${basisList}
<h3>${escapeHtml(t.qualityImports)}</h3>
${imports}
${
  data.rejections.length === 0
    ? ''
    : `<h3>${escapeHtml(t.qualityRejections)}</h3>\n${table(
        [t.col['file']!, t.col['reason']!, t.col['rejected']!, t.col['first_line']!],
        data.rejections.map((r) => [r.file, r.reason, fmt.number(r.rows), String(r.first_line)]),
        2,
        'rejections',
      )}`
}
<p class="note">${escapeHtml(t.qualityRejectsWhy)}</p>
<h3>${escapeHtml(t.qualityAnomalies)}</h3>
${anomalies}
<p>${escapeHtml(t.qualityExitShare(fmt.number(totals.exits), fmt.number(totals.entries), exitShare))}</p>
${matchedExits(data, t, fmt)}
</section>`;
}

/** Entries whose stay has a recorded exit (UK exit checks' "matched"), in total and for the leading nationalities. */
function matchedExits(data: ReportData, t: Texts, fmt: Formats): string {
  const totals = data.totals;
  if (totals.entries_with_exit === null) return `<p id="matched-exits">${escapeHtml(t.qualityMatchedUnknown)}</p>`;
  const sentence = `<p id="matched-exits">${escapeHtml(t.qualityMatchedExits(fmt.percent(exitMatchPercent(totals)), fmt.number(totals.entries_with_exit), fmt.number(totals.entries)))}</p>`;
  const leading = [...data.byCitizenship.entries()]
    .filter(([k, f]) => k !== '' && f.entries > 0)
    .sort(([ka, a], [kb, b]) => b.entries - a.entries || (ka < kb ? -1 : 1))
    .slice(0, 10);
  if (leading.length === 0) return sentence;
  return `${sentence}
<h3>${escapeHtml(t.qualityMatchedByCountry)}</h3>
${table(
  [t.col['country']!, t.col['entries']!, t.col['entries_with_exit']!, t.col['exit_match']!],
  leading.map(([k, f]) => [`${fmt.country(k)} (${k})`, fmt.number(f.entries), fmt.number(f.entries_with_exit ?? 0), fmt.percent(exitMatchPercent(f))]),
  1,
  'matched-exits',
)}`;
}

function violatorsSection(data: ReportData, t: Texts, fmt: Formats): string {
  if (!data.violators) return '';
  const { rows, masked } = data.violators;
  const columns = rows.length > 0 ? Object.keys(rows[0]!) : [];
  const body =
    rows.length === 0
      ? `<p>${escapeHtml(t.violatorsNone)}</p>`
      : table(
          columns.map((c) => t.col[c] ?? c),
          rows.map((r) => columns.map((c) => (c === 'citizenship' && typeof r[c] === 'string' ? `${fmt.country(r[c])} (${r[c]})` : String(r[c] ?? '')))),
          99,
          'violators',
        );
  return `<section id="violators" class="${masked ? 'masked' : 'personal'}">
<h2>${escapeHtml(t.violatorsTitle(rows.length))}</h2>
<p class="${masked ? 'note' : 'warning'}">${escapeHtml(masked ? t.violatorsMasked : t.violatorsUnmasked)}</p>
${body}
</section>`;
}

const CSS = `
:root { color-scheme: light; --ink: #1b1f24; --muted: #57606a; --line: #d0d7de; --accent: #1f5fa8; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0 auto; max-width: 820px; padding: 16px; font: 15px/1.5 "DejaVu Sans", Arial, Helvetica, sans-serif; color: var(--ink); background: #fff; }
h1 { font-size: 1.6em; margin: 0.2em 0; }
h2 { font-size: 1.3em; margin: 1.4em 0 0.4em; border-bottom: 2px solid var(--accent); padding-bottom: 2px; }
h3 { font-size: 1.05em; margin: 1em 0 0.3em; }
.subtitle, .note { color: var(--muted); font-size: 0.9em; }
.warning { color: #8a1c1c; font-weight: bold; }
.statement p, .statement li { font-size: 1.05em; }
.figure { font-weight: bold; white-space: nowrap; }
.chart { width: 100%; overflow: hidden; }
.chart svg { display: block; width: 100%; height: auto; }
figure { margin: 1.2em 0; }
figcaption h3 { margin-bottom: 0; }
.table-wrap { width: 100%; overflow-x: auto; }
table { border-collapse: collapse; font-size: 0.85em; margin: 0.4em 0; min-width: 50%; }
th, td { border-bottom: 1px solid var(--line); padding: 2px 8px; text-align: left; vertical-align: top; }
thead th { border-bottom: 2px solid var(--ink); }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
table.imports td:last-child { font-family: "DejaVu Sans Mono", monospace; font-size: 0.8em; word-break: break-all; min-width: 12em; }
details.alt summary { cursor: pointer; color: var(--muted); font-size: 0.9em; }
dl.basis { display: grid; grid-template-columns: max-content 1fr; gap: 2px 12px; margin: 0; }
dl.basis dt { color: var(--muted); }
dl.basis dd { margin: 0; word-break: break-word; }
footer { margin-top: 2em; border-top: 1px solid var(--line); color: var(--muted); font-size: 0.85em; }
@media (max-width: 600px) { body { padding: 10px; font-size: 14px; } h1 { font-size: 1.35em; } }
@page { size: A4; margin: 14mm 12mm; }
@media print {
  body { max-width: none; padding: 0; font-size: 10.5pt; }
  h2 { break-after: avoid; }
  figure, table, .statement, dl.basis { break-inside: avoid; }
  details.alt summary { display: none; }
  a { color: inherit; text-decoration: none; }
}
`;

/** The whole report: one self-contained HTML document (inline CSS and SVG, no script). */
export async function renderHtmlReport(data: ReportData, options: HtmlReportOptions): Promise<string> {
  await loadCharts();
  return renderLoaded(data, options);
}

function renderLoaded(data: ReportData, options: HtmlReportOptions): string {
  const t = TEXT[options.lang];
  const fmt = formatsFor(options.lang);
  const charts = buildCharts(data, t, fmt);
  const changesChart = charts.find((c) => c.id === 'changes');
  const run = data.run;
  return `<!DOCTYPE html>
<html lang="${options.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="generator" content="${escapeHtml(options.tool)}">
<meta name="stayaudit:run" content="${run.id}">
<meta name="stayaudit:as-of" content="${run.as_of}">
<meta name="stayaudit:period" content="${data.period.from}..${data.period.to}">
<title>${escapeHtml(`${t.title} — ${run.as_of}`)}</title>
<style>${CSS}</style>
</head>
<body>
<header>
<h1>${escapeHtml(t.title)}</h1>
<p class="subtitle">${escapeHtml(t.subtitle(fmt.date(run.as_of), run.id))} · ${escapeHtml(t.ruleset)}: ${escapeHtml(rulesetLabel(run))}</p>
<p class="${data.personal ? 'warning' : 'note'}">${escapeHtml(data.personal ? t.violatorsUnmasked : data.violators ? t.violatorsMasked : t.personalDataNone)}</p>
</header>
<main>
${statement(data, t, fmt)}
<section id="charts">
<h2>${escapeHtml(t.chartsTitle)}</h2>
${charts.filter((c) => c.id !== 'changes').map((c) => chartFigure(c, t)).join('\n')}
</section>
${quality(data, t, fmt)}
<section id="changes">
<h2>${escapeHtml(t.changesTitle)}</h2>
${changesChart ? chartFigure(changesChart, t) : `<p>${escapeHtml(t.changesFirst)}</p>`}
</section>
${violatorsSection(data, t, fmt)}
</main>
<footer><p>${escapeHtml(t.footer(options.tool))}</p></footer>
</body>
</html>
`;
}
