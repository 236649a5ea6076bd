import type { Writable } from 'node:stream';
import { writeFileAtomically } from '../atomic-file.js';
import type { RunRow } from '../runs.js';
import type { ReadStore } from '../../storage/read-store.js';
import { renderHtmlReport } from './html-report.js';
import type { Language } from './i18n.js';
import { collectReportData, type ReportDataOptions } from './report-data.js';

export interface WriteReportOptions extends ReportDataOptions {
  lang: Language;
  tool: string;
}

/** The report's default file name: report-<as-of>.html. */
export function defaultReportName(run: RunRow): string {
  return `report-${run.as_of}.html`;
}

/** The report as one HTML document. */
export async function htmlReport(store: ReadStore, run: RunRow, options: WriteReportOptions): Promise<string> {
  return renderHtmlReport(await collectReportData(store, run, options), { lang: options.lang, tool: options.tool });
}

/** Writes it to an open stream (the nightly job's atomic writer). */
export async function writeHtml(out: Writable, html: string): Promise<void> {
  await new Promise<void>((resolve, reject) => out.write(html, (error) => (error ? reject(error) : resolve())));
}

/** Gathers the figures, renders the page and writes it (temporary name, then renamed); returns its size. */
export async function writeHtmlReport(store: ReadStore, run: RunRow, target: string, options: WriteReportOptions): Promise<{ bytes: number }> {
  const html = await htmlReport(store, run, options);
  await writeFileAtomically(target, (out) => writeHtml(out, html));
  return { bytes: Buffer.byteLength(html) };
}
