import path from 'node:path';
import { expect } from 'vitest';
import { FIXTURES, run, type RunResult } from '../e2e/helpers.js';

export const DATASETS = ['crossings', 'registrations', 'permits', 'expulsions'] as const;

/** Imports the four files of a folder named <dataset>.csv; rejected rows (exit 5) are fine. */
export async function importFolder(db: string, folder: string): Promise<void> {
  for (const dataset of DATASETS) {
    const result = await run(['--db', db, 'import', dataset, path.join(folder, `${dataset}.csv`)]);
    expect([0, 5], result.stderr).toContain(result.code);
  }
}

export const DEMO = path.join(FIXTURES, 'demo');

/** The statement's figures as the page carries them: data-figure name → value (null when empty). */
export function figuresInHtml(html: string): Map<string, number | null> {
  const figures = new Map<string, number | null>();
  for (const m of html.matchAll(/<data class="figure" data-figure="([^"]+)" value="([^"]*)">/g)) {
    figures.set(m[1]!, m[2] === '' ? null : Number(m[2]));
  }
  return figures;
}

type StatsRow = Record<string, string | number | null>;

/** What the statement must say, from `stats --format json` (by citizenship, TOTAL last). */
export function expectedFigures(statsJson: string): Map<string, number | null> {
  const parsed = JSON.parse(statsJson) as { rows: StatsRow[] };
  const total = parsed.rows.find((r) => r['citizenship'] === 'TOTAL')!;
  const expected = new Map<string, number | null>();
  const n = (v: string | number | null | undefined): number | null => (v === null || v === undefined ? null : Number(v));
  for (const column of [
    'entries',
    'exits',
    'persons_entered',
    'violators',
    'violator_rate_pct',
    'entry_rate_pct',
    'expulsions',
    'registration_findings',
    'expected_departures',
    'overstays',
    'overstay_rate_pct',
    'overstays_in_country',
    'overstays_departed',
  ]) {
    expected.set(`total.${column}`, n(total[column]));
  }
  // The statement names the five citizenships with most entries.
  const groups = parsed.rows.filter((r) => r['citizenship'] !== 'TOTAL' && r['citizenship'] !== '(none)' && Number(r['entries']) > 0);
  groups.sort((a, b) => Number(b['entries']) - Number(a['entries']) || (String(a['citizenship']) < String(b['citizenship']) ? -1 : 1));
  for (const row of groups.slice(0, 5)) {
    for (const column of ['violators', 'entries', 'entry_rate_pct']) expected.set(`citizenship.${String(row['citizenship'])}.${column}`, n(row[column]));
  }
  return expected;
}

/** The page's figures are exactly those of `stats` (same names, same values, nothing missing or extra). */
export function expectSameFigures(actual: Map<string, number | null>, statsJson: string): void {
  const expected = expectedFigures(statsJson);
  expect(expected.size).toBeGreaterThan(13);
  expect(Object.fromEntries([...actual].sort())).toEqual(Object.fromEntries([...expected].sort()));
}

export function ok(result: RunResult): RunResult {
  expect(result.code, result.stderr).toBe(0);
  return result;
}
