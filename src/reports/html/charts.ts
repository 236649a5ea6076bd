import type * as Echarts from 'echarts';
import { percent, type Figures } from '../../statistics/figures.js';
import type { Formats, Texts } from './i18n.js';
import type { ReportData } from './report-data.js';

/** A chart as the page shows it: a title, the SVG, and the same figures as a table. */
export interface Chart {
  id: string;
  title: string;
  note?: string;
  /** Server-rendered SVG; null when there is nothing to draw (the page says so). */
  svg: string | null;
  table: { columns: string[]; rows: (string | number)[][] };
}

/** Fewer persons entered than this and a rate is marked: it rests on few cases. */
export const SMALL_BASE = 100;
/** Bars per chart: more would not read on a phone. */
const TOP = 15;
const WIDTH = 640;
const FONT = 'DejaVu Sans, Arial, Helvetica, sans-serif';
const COLORS = ['#1f5fa8', '#9bb8da', '#c0392b', '#e69f00', '#2e7d32', '#6a3d9a'];

type Option = Echarts.EChartsCoreOption;
/** Loaded on first use: every command of the CLI would otherwise pay for loading ECharts. */
let echarts: typeof Echarts | undefined;

/** ECharts' server-side SVG renderer: no DOM, no JavaScript in the page. */
function renderSvg(option: Option, height: number): string {
  if (!echarts) throw new Error('ECharts is not loaded: call loadCharts() first');
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width: WIDTH, height });
  try {
    chart.setOption({ animation: false, color: COLORS, textStyle: { fontFamily: FONT, fontSize: 13 }, ...option });
    return chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
}

function barHeight(bars: number): number {
  return Math.max(160, 74 + bars * 28);
}

function sortedGroups(groups: Map<string, Figures>, by: (f: Figures) => number, keep: (key: string, f: Figures) => boolean = () => true): [string, Figures][] {
  return [...groups.entries()].filter(([k, f]) => keep(k, f)).sort(([ka, a], [kb, b]) => by(b) - by(a) || (ka < kb ? -1 : 1));
}

const numberOrZero = (v: number | null): number => v ?? 0;

interface BarSeries {
  name: string;
  data: number[];
  stack?: string;
  labels?: string[];
}

interface BarOptions {
  categories: string[];
  series: BarSeries[];
  axisName: string;
  categoryName: string;
  legend?: boolean;
}

/** A series of counts labelled with their numbers. */
function counts(name: string, data: number[], fmt: Formats): BarSeries {
  return { name, data, labels: data.map((n) => fmt.number(n)) };
}

/** Horizontal bars sized to their number (a legend takes a line more); null when there are none. */
function barChart(options: BarOptions): string | null {
  const bars = options.categories.length;
  return bars === 0 ? null : renderSvg(horizontalBars(options), barHeight(bars) + (options.legend ? 20 : 0));
}

function horizontalBars(options: BarOptions): Option {
  return {
    legend: options.legend ? { top: 0, textStyle: { fontFamily: FONT } } : undefined,
    grid: { left: 8, right: 120, top: options.legend ? 48 : 28, bottom: 40, containLabel: true },
    xAxis: { type: 'value', name: options.axisName, nameLocation: 'middle', nameGap: 26, minInterval: 0 },
    yAxis: { type: 'category', inverse: true, name: options.categoryName, nameLocation: 'start', data: options.categories, axisLabel: { width: 175, overflow: 'truncate' } },
    series: options.series.map((s) => ({
      type: 'bar',
      name: s.name,
      stack: s.stack,
      data: s.data,
      barMaxWidth: 18,
      label: s.labels ? { show: true, position: 'right', formatter: (p: { dataIndex: number }) => s.labels![p.dataIndex] ?? '' } : undefined,
    })),
  };
}

/** Loads the charting library (once). */
export async function loadCharts(): Promise<void> {
  // The one-file ESM build: the package's default entry is hundreds of modules, which
  // took 4 to 5 times as long to load (1.7 s against 0.35 s on a loaded machine).
  echarts ??= (await import(ECHARTS_BUNDLE)) as typeof Echarts;
}
const ECHARTS_BUNDLE = 'echarts/dist/echarts.esm.min.mjs';

/** The report's charts; loadCharts() must have been awaited. */
export function buildCharts(data: ReportData, t: Texts, fmt: Formats): Chart[] {
  const charts: Chart[] = [];
  const countryLabel = (code: string): string => `${fmt.country(code)} (${code || '—'})`;

  // 1. Violator rate per nationality, with its entries.
  {
    const leading = sortedGroups(data.byCitizenship, (f) => f.entries, (k, f) => k !== '' && f.persons_entered > 0).slice(0, TOP);
    const rows = leading
      .map(([k, f]) => ({ k, f, rate: numberOrZero(percent(f.violators, f.persons_entered)), small: f.persons_entered < SMALL_BASE }))
      .sort((a, b) => b.rate - a.rate || b.f.entries - a.f.entries);
    charts.push({
      id: 'violator-rate',
      title: t.chartRate,
      note: t.chartRateNote(fmt.number(SMALL_BASE)),
      svg: barChart({
        categories: rows.map((r) => `${r.small ? '† ' : ''}${countryLabel(r.k)}`),
        series: [{ name: t.col['violator_rate']!, data: rows.map((r) => r.rate), labels: rows.map((r) => `${fmt.percent(r.rate)} · ${t.col['entries']!}: ${fmt.number(r.f.entries)}`) }],
        axisName: t.axisRatePct,
        categoryName: t.axisCountry,
      }),
      table: {
        columns: [t.col['country']!, t.col['entries']!, t.col['persons_entered']!, t.col['violators']!, t.col['violator_rate']!, t.col['entry_rate']!],
        rows: rows.map((r) => [
          `${r.small ? '† ' : ''}${countryLabel(r.k)}`,
          fmt.number(r.f.entries),
          fmt.number(r.f.persons_entered),
          fmt.number(r.f.violators),
          fmt.percent(percent(r.f.violators, r.f.persons_entered)),
          fmt.percent(percent(r.f.violators, r.f.entries)),
        ]),
      },
    });
  }

  // 2. Entries, exits and new violators per month.
  {
    const months = [...data.byMonth.entries()].filter(([k]) => k !== '').sort(([a], [b]) => (a < b ? -1 : 1));
    charts.push({
      id: 'months',
      title: t.chartMonths,
      svg:
        months.length === 0
          ? null
          : renderSvg(
              {
                legend: { top: 0 },
                grid: { left: 8, right: 8, top: 48, bottom: 40, containLabel: true },
                xAxis: { type: 'category', name: t.axisMonth, nameLocation: 'middle', nameGap: 28, data: months.map(([k]) => fmt.month(k)) },
                yAxis: [
                  { type: 'value', name: t.axisCount, position: 'left' },
                  { type: 'value', name: t.col['violators'], position: 'right', minInterval: 1, splitLine: { show: false } },
                ],
                series: [
                  { type: 'bar', name: t.col['entries'], data: months.map(([, f]) => f.entries), barMaxWidth: 16 },
                  { type: 'bar', name: t.col['exits'], data: months.map(([, f]) => f.exits), barMaxWidth: 16 },
                  { type: 'line', name: t.col['violators'], yAxisIndex: 1, data: months.map(([, f]) => f.violators), color: COLORS[2], symbolSize: 6 },
                ],
              },
              320,
            ),
      table: {
        columns: [t.col['month']!, t.col['entries']!, t.col['exits']!, t.col['persons_entered']!, t.col['violators']!],
        rows: months.map(([k, f]) => [fmt.month(k), fmt.number(f.entries), fmt.number(f.exits), fmt.number(f.persons_entered), fmt.number(f.violators)]),
      },
    });
  }

  // 3. Overstay rate (DHS) per nationality.
  {
    const rows = sortedGroups(data.byCitizenship, (f) => f.expected_departures, (k, f) => k !== '' && f.expected_departures > 0)
      .slice(0, TOP)
      .map(([k, f]) => ({ k, f, rate: numberOrZero(percent(f.overstays, f.expected_departures)) }))
      .sort((a, b) => b.rate - a.rate || b.f.expected_departures - a.f.expected_departures);
    charts.push({
      id: 'overstay-rate',
      title: t.chartOverstayRate,
      svg: barChart({
        categories: rows.map((r) => countryLabel(r.k)),
        series: [{ name: t.col['overstay_rate']!, data: rows.map((r) => r.rate), labels: rows.map((r) => `${fmt.percent(r.rate)} · ${fmt.number(r.f.overstays)} / ${fmt.number(r.f.expected_departures)}`) }],
        axisName: t.axisRatePct,
        categoryName: t.axisCountry,
      }),
      table: {
        columns: [t.col['country']!, t.col['expected_departures']!, t.col['overstays']!, t.col['overstay_rate']!],
        rows: rows.map((r) => [countryLabel(r.k), fmt.number(r.f.expected_departures), fmt.number(r.f.overstays), fmt.percent(percent(r.f.overstays, r.f.expected_departures))]),
      },
    });
  }

  // 4. Overstays in country vs departed per nationality.
  {
    const rows = sortedGroups(data.byCitizenship, (f) => f.overstays, (k, f) => k !== '' && f.overstays > 0).slice(0, TOP);
    charts.push({
      id: 'overstay-status',
      title: t.chartOverstayStatus,
      svg: barChart({
        categories: rows.map(([k]) => countryLabel(k)),
        series: [
          { name: t.col['in_country']!, data: rows.map(([, f]) => f.overstays_in_country), stack: 'o' },
          { name: t.col['departed']!, data: rows.map(([, f]) => f.overstays_departed), stack: 'o' },
        ],
        axisName: t.col['overstays']!,
        categoryName: t.axisCountry,
        legend: true,
      }),
      table: {
        columns: [t.col['country']!, t.col['overstays']!, t.col['in_country']!, t.col['departed']!],
        rows: rows.map(([k, f]) => [countryLabel(k), fmt.number(f.overstays), fmt.number(f.overstays_in_country), fmt.number(f.overstays_departed)]),
      },
    });
  }

  // 5. Findings by rule (the foreigner's own and the receiving party's).
  {
    const rows = sortedGroups(data.byRule, (f) => f.findings + f.registration_findings, (k, f) => k !== '' && f.findings + f.registration_findings > 0);
    const label = (rule: string): string => t.rules[rule] ?? rule;
    charts.push({
      id: 'rules',
      title: t.chartRules,
      svg: barChart({
        categories: rows.map(([k]) => label(k)),
        series: [counts(t.col['findings']!, rows.map(([, f]) => f.findings + f.registration_findings), fmt)],
        axisName: t.col['findings']!,
        categoryName: t.axisRule,
      }),
      table: {
        columns: [t.col['rule']!, t.col['code']!, t.col['findings']!],
        rows: rows.map(([k, f]) => [label(k), k, fmt.number(f.findings + f.registration_findings)]),
      },
    });
  }

  // 6. Top checkpoints.
  {
    const rows = sortedGroups(data.byCheckpoint, (f) => f.entries, (_k, f) => f.entries > 0).slice(0, TOP);
    const name = (k: string): string => (k === '' ? t.none : k);
    charts.push({
      id: 'checkpoints',
      title: t.chartCheckpoints,
      svg: barChart({
        categories: rows.map(([k]) => name(k)),
        series: [
          {
            name: t.col['entries']!,
            data: rows.map(([, f]) => f.entries),
            labels: rows.map(([, f]) => `${fmt.number(f.entries)} · ${t.col['violators']!.toLowerCase()}: ${fmt.number(f.violators)}`),
          },
        ],
        axisName: t.col['entries']!,
        categoryName: t.axisCheckpoint,
      }),
      table: {
        columns: [t.col['checkpoint']!, t.col['entries']!, t.col['exits']!, t.col['violators']!],
        rows: rows.map(([k, f]) => [name(k), fmt.number(f.entries), fmt.number(f.exits), fmt.number(f.violators)]),
      },
    });
  }

  // 7. Registration compliance by receiving party.
  {
    const rows = sortedGroups(data.byHost, (f) => f.registration_findings, (_k, f) => f.registration_findings > 0).slice(0, TOP);
    const name = (k: string): string => (k === '' ? t.noHost : (data.hostLabels.get(k) ?? k));
    charts.push({
      id: 'hosts',
      title: t.chartHosts,
      note: t.chartHostsNote,
      svg: barChart({
        categories: rows.map(([k]) => name(k)),
        series: [counts(t.col['registration_findings']!, rows.map(([, f]) => f.registration_findings), fmt)],
        axisName: t.col['registration_findings']!,
        categoryName: t.axisHost,
      }),
      table: {
        columns: [t.col['host']!, t.col['registration_findings']!],
        rows: rows.map(([k, f]) => [name(k), fmt.number(f.registration_findings)]),
      },
    });
  }

  // 8. Violators since the previous run.
  if (data.changes) {
    const c = data.changes;
    const kinds: [string, number][] = [
      [t.changeKinds.new, c.newViolators],
      [t.changeKinds.resolved, c.resolvedViolators],
      [t.changeKinds.changed, c.changedViolators],
      [t.changeKinds.continuing, c.continuingViolators],
    ];
    charts.push({
      id: 'changes',
      title: t.chartChanges,
      note: t.changesSince(c.previous.id, fmt.date(c.previous.as_of)),
      svg: barChart({
        categories: kinds.map(([k]) => k),
        series: [counts(t.col['persons']!, kinds.map(([, n]) => n), fmt)],
        axisName: t.col['persons']!,
        categoryName: t.col['change']!,
      }),
      table: { columns: [t.col['change']!, t.col['persons']!], rows: kinds.map(([k, n]) => [k, fmt.number(n)]) },
    });
  }
  return charts;
}
