import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumPath, launchChromium, type HeadlessBrowser } from '../../src/reports/html/browser.js';
import { run, tempDir } from '../e2e/helpers.js';
import { DEMO, expectSameFigures, importFolder, ok } from './helpers.js';

/**
 * The report opened in a real browser: Debian's chromium driven by playwright-core.
 * Skipped only on a developer machine without /usr/bin/chromium; in CI (CI set) it
 * must run, and .ci/run installs the browser.
 */
const haveBrowser = fs.existsSync(chromiumPath());
const skip = !haveBrowser && !process.env['CI'];
if (skip) console.warn(`browser tests skipped: no Chromium at ${chromiumPath()} (apt-get install chromium), and CI is not set`);

interface PageCheck {
  problems: string[];
  charts: { id: string; width: number; height: number }[];
  figures: Map<string, number | null>;
  lang: string;
  overflowAtPhoneWidth: number;
  pdf: Buffer;
}

describe.skipIf(skip)('the report in headless Chromium', () => {
  let dir: string;
  let cleanup: () => void;
  let browser: HeadlessBrowser;

  /** Opens a report file and collects what the tests look at. */
  async function open(file: string): Promise<PageCheck> {
    const page = await browser.context.newPage();
    const problems: string[] = [];
    const url = pathToFileURL(file).href;
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning') problems.push(`console ${message.type()}: ${message.text()}`);
    });
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('request', (request) => {
      if (request.url() !== url) problems.push(`request: ${request.url()}`);
    });
    try {
      await page.setViewportSize({ width: 1024, height: 800 });
      await page.goto(url, { waitUntil: 'load' });
      const charts = await page.$$eval('figure[data-chart]', (figures) =>
        figures.map((f) => {
          const svg = f.querySelector('svg');
          const box = svg?.getBoundingClientRect();
          return { id: (f as HTMLElement).dataset['chart'] ?? '', width: box?.width ?? 0, height: box?.height ?? 0 };
        }),
      );
      const pairs = await page.$$eval('data.figure', (nodes) => nodes.map((d) => [(d as HTMLDataElement).dataset['figure'] ?? '', (d as HTMLDataElement).value] as [string, string]));
      const lang = await page.evaluate(() => document.documentElement.lang);
      await page.setViewportSize({ width: 390, height: 800 });
      const overflowAtPhoneWidth = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      const pdf = await page.pdf({ format: 'A4', printBackground: true, preferCSSPageSize: true });
      return { problems, charts, figures: new Map(pairs.map(([k, v]) => [k, v === '' ? null : Number(v)])), lang, overflowAtPhoneWidth, pdf };
    } finally {
      await page.close();
    }
  }

  function expectGoodPage(check: PageCheck, statsJson: string, lang: string, minCharts: number): void {
    expect(check.problems).toEqual([]);
    expect(check.lang).toBe(lang);
    expect(check.charts.length).toBeGreaterThanOrEqual(minCharts);
    for (const chart of check.charts) {
      expect(chart.width, chart.id).toBeGreaterThan(100);
      expect(chart.height, chart.id).toBeGreaterThan(50);
    }
    expectSameFigures(check.figures, statsJson);
    // Readable on a phone: nothing wider than the screen but the scrollable tables' insides.
    expect(check.overflowAtPhoneWidth).toBeLessThanOrEqual(0);
    expect(check.pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(check.pdf.length).toBeGreaterThan(20_000);
  }

  beforeAll(async () => {
    ({ dir, cleanup } = tempDir('stayaudit-browser-'));
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    cleanup();
  });

  it('the demo report that nightly writes (Russian) and the English and Kazakh ones', async () => {
    const db = path.join(dir, 'demo.db');
    const nightly = await run(['--db', db, 'nightly', '--inbox', DEMO, '--reports', path.join(dir, 'reports'), '--as-of', '2022-12-31']);
    expect([0, 5], nightly.stderr).toContain(nightly.code);
    const statsJson = ok(await run(['--db', db, 'stats', '--format', 'json'])).stdout;
    expectGoodPage(await open(path.join(dir, 'reports', '2022-12-31', 'report-2022-12-31.html')), statsJson, 'ru', 7);
    for (const lang of ['en', 'kk']) {
      const file = path.join(dir, `demo-${lang}.html`);
      ok(await run(['--db', db, 'report', '--lang', lang, '--output', file]));
      expectGoodPage(await open(file), statsJson, lang, 7);
    }
  });

  it('a generated year, two runs (changes chart), printed to PDF by --pdf', async () => {
    const db = path.join(dir, 'gen.db');
    const data = path.join(dir, 'gen');
    ok(await run(['generate', '--persons', '3000', '--seed', '11', '--year', '2024', '--out', data]));
    await importFolder(db, data);
    ok(await run(['--db', db, 'audit', '--as-of', '2024-09-30']));
    ok(await run(['--db', db, 'audit', '--as-of', '2024-12-31']));
    const file = path.join(dir, 'gen.html');
    const pdf = path.join(dir, 'gen.pdf');
    const result = ok(await run(['--db', db, 'report', '--lang', 'en', '--output', file, '--pdf', pdf, '--violators', '10']));
    expect(result.stderr).toContain(`PDF written to ${pdf}`);
    expect(fs.readFileSync(pdf).subarray(0, 5).toString()).toBe('%PDF-');
    const check = await open(file);
    expectGoodPage(check, ok(await run(['--db', db, 'stats', '--format', 'json'])).stdout, 'en', 8);
    expect(check.charts.map((c) => c.id)).toContain('changes');
  });
});
