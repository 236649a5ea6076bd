import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { runAudit, type AuditSummary } from '../audit/run-audit.js';
import { ownOffenceCount } from '../core/types.js';
import type { Ruleset } from '../core/ruleset.js';
import { InputError, StayauditError } from '../errors.js';
import { importFile, RejectsWriter, type FileImportSummary } from '../import/import-file.js';
import { detectFileDataset } from '../import/detect-file.js';
import { DATASETS, type DatasetName } from '../import/rows.js';
import { countryName } from '../import/citizenship.js';
import { writeFileAtomically } from '../reports/atomic-file.js';
import { diffCounts } from '../reports/diff.js';
import { defaultReportName, htmlReport, writeHtml } from '../reports/html/write-report.js';
import { listFindings, listViolators } from '../reports/findings.js';
import { renderListing, type OutputOptions, type Row } from '../reports/render.js';
import { previousRun, resolveRun, rulesetLabel } from '../reports/runs.js';
import { computeStats, headline, humanCount, percent, statsListing } from '../reports/stats.js';
import type { Connection } from '../storage/database.js';
import { findImportByChecksum } from '../storage/import-store.js';
import type { ReadStore } from '../storage/read-store.js';

export interface NightlyOptions {
  inbox: string;
  reports: string;
  asOf: string;
  ruleset: Ruleset;
  /** How many top violators the summary lists. */
  top?: number;
  log?: (line: string) => void;
}

export interface NightlyResult {
  imported: FileImportSummary[];
  skipped: { file: string; reason: string }[];
  failed: { file: string; error: StayauditError }[];
  audit: AuditSummary;
  reportDir: string;
  reportFiles: string[];
  summaryText: string;
  ownFindings: number;
  rejectedRows: number;
}

export interface NightlyDatabase {
  writer: () => Connection;
  reader: () => Connection;
  readStore: () => ReadStore;
  file: string;
}

async function fileChecksum(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of fs.createReadStream(file, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** Which dataset an inbox file holds: its name first (crossings*.csv …), else its header. */
async function datasetOf(file: string): Promise<DatasetName | null> {
  const base = path.basename(file).toLowerCase();
  for (const dataset of DATASETS) if (base.startsWith(dataset)) return dataset;
  return detectFileDataset(file);
}

/**
 * The nightly job: import every new inbox file (new = checksum never imported),
 * audit as of the date, and write dated reports — each written then renamed, so the
 * reports directory never holds half a file.
 */
export async function runNightly(db: NightlyDatabase, options: NightlyOptions): Promise<NightlyResult> {
  const log = options.log ?? (() => {});
  if (!fs.existsSync(options.inbox) || !fs.statSync(options.inbox).isDirectory()) {
    throw new InputError(`inbox ${options.inbox} is not a directory`, { hint: 'create it, or point --inbox at the folder the exports arrive in' });
  }
  const reportDir = path.join(options.reports, options.asOf);
  fs.mkdirSync(reportDir, { recursive: true });

  const imported: FileImportSummary[] = [];
  const skipped: { file: string; reason: string }[] = [];
  const failed: { file: string; error: StayauditError }[] = [];
  const files = fs
    .readdirSync(options.inbox)
    .filter((name) => !name.startsWith('.') && !name.includes('.tmp'))
    .sort()
    .map((name) => path.join(options.inbox, name))
    .filter((file) => fs.statSync(file).isFile());

  const writer = db.writer();
  try {
    for (const file of files) {
      const checksum = await fileChecksum(file);
      const previous = findImportByChecksum(writer, checksum);
      if (previous) {
        skipped.push({ file, reason: `already imported (import ${previous.id}, ${previous.dataset})` });
        continue;
      }
      const dataset = await datasetOf(file);
      if (dataset === null) {
        failed.push({ file, error: new InputError(`${file}: cannot tell which dataset this is`, { file, hint: 'name it crossings*, registrations*, permits* or expulsions*, or give it the reference header' }) });
        continue;
      }
      const rejectsName = `rejects-${path.basename(file).replace(/\.[^.]*$/, '')}.csv`;
      const rejects = new RejectsWriter(path.join(reportDir, rejectsName));
      try {
        const summary = await importFile(writer, file, new PassThrough(), { dataset }, rejects);
        rejects.close(summary.rejected > 0);
        imported.push(summary);
        log(`imported ${file}: ${summary.dataset}: ${summary.read} read, ${summary.added} added, ${summary.duplicate} duplicate, ${summary.rejected} rejected`);
      } catch (error) {
        rejects.close(false);
        if (!(error instanceof InputError)) throw error;
        failed.push({ file, error });
        log(`failed ${file}: ${error.message}`);
      }
    }
  } finally {
    writer.close();
  }

  const auditWriter = db.writer();
  const auditReader = db.reader();
  let audit: AuditSummary;
  try {
    audit = await runAudit(auditReader, auditWriter, db.file, { asOf: options.asOf, ruleset: options.ruleset });
  } finally {
    auditReader.close();
    auditWriter.close();
  }
  log(`audit run ${audit.runId}: ${audit.persons} persons, ${audit.findings} findings`);

  const store = db.readStore();
  const reportFiles: string[] = [];
  let summaryText: string;
  try {
    const run = resolveRun(store, audit.runId);
    const csv: OutputOptions = { format: 'csv', noHeaders: false, raw: false, color: false, maskKey: null };
    const write = async (name: string, render: (out: fs.WriteStream) => Promise<unknown>): Promise<void> => {
      const target = path.join(reportDir, name);
      await writeFileAtomically(target, render);
      reportFiles.push(target);
    };
    // The summary's top violators are the first rows of the violators file (same order).
    const top: Row[] = [];
    const topCount = options.top ?? 10;
    const violators = listViolators(store, run, {});
    const keepTop = function* (rows: Iterable<Row>): Iterable<Row> {
      for (const row of rows) {
        if (top.length < topCount) top.push(row);
        yield row;
      }
    };
    await write('violators.csv', (out) => renderListing({ ...violators, rows: keepTop(violators.rows) }, csv, out));
    await write('findings.csv', (out) => renderListing(listFindings(store, run, {}), csv, out));
    const stats = computeStats(store, run, { by: 'citizenship' });
    await write('stats.csv', (out) => renderListing(statsListing(stats, run), csv, out));

    const previous = previousRun(store, run);
    const changes = previous ? diffCounts(store, previous, run) : null;
    const lines: string[] = [];
    lines.push(`stayaudit nightly — as of ${run.as_of}, run ${run.id}, ruleset ${rulesetLabel(run)}`);
    lines.push(`period ${stats.from}..${stats.to} (crossings counted to ${stats.countedTo})`);
    lines.push('');
    const t = stats.totals;
    lines.push(`entries ${t.entries}, exits ${t.exits}, persons entered ${t.persons_entered}`);
    lines.push(`violators ${t.violators} (${fmtPct(percent(t.violators, t.persons_entered))} of persons entered, ${fmtPct(percent(t.violators, t.entries))} of entries), findings ${t.findings}`);
    lines.push(`expected departures ${t.expected_departures}, overstays ${t.overstays} (departed ${t.overstays_departed}, in country ${t.overstays_in_country}), overstay rate ${fmtPct(percent(t.overstays, t.expected_departures))}`);
    lines.push(`registration findings ${t.registration_findings}, expulsions ${t.expulsions}`);
    lines.push('');
    const byEntries = [...stats.groups.entries()].sort(([, a], [, b]) => b.entries - a.entries).slice(0, 5);
    for (const [citizenship, figures] of byEntries) lines.push(`  ${headline(`${countryName(citizenship, 'en')} (${citizenship})`, figures)}`);
    lines.push('');
    if (changes) {
      lines.push(`since run ${previous!.id}: ${changes['appeared']} findings appeared, ${changes['changed']} changed, ${changes['disappeared']} disappeared`);
    } else {
      lines.push('first run: nothing to compare with');
    }
    lines.push(`imports: ${imported.length} file(s) imported, ${skipped.length} already imported, ${failed.length} failed`);
    for (const s of imported) lines.push(`  ${path.basename(s.file)}: ${s.dataset}, ${s.read} read, ${s.added} added, ${s.duplicate} duplicate, ${s.rejected} rejected`);
    for (const f of failed) lines.push(`  FAILED ${path.basename(f.file)}: ${f.error.message}`);
    lines.push('');
    lines.push(`top violators (of ${humanCount(audit.violators)}):`);
    for (const v of top) {
      lines.push(`  ${String(v['person_key'])} ${String(v['citizenship'])} ${String(v['rules'])} ${String(v['days_over'])} days, ${String(v['status'])}`);
    }
    summaryText = lines.join('\n') + '\n';
    await write('summary.txt', async (out) => {
      out.write(summaryText);
    });
    // Issue 15: the HTML report (aggregates only, in Russian) beside the CSV reports.
    const html = await htmlReport(store, run, { lang: 'ru', tool: 'stayaudit nightly' });
    await write(defaultReportName(run), (out) => writeHtml(out, html));
  } finally {
    store.close();
  }

  const ownFindings = ownOffenceCount(audit.counts);
  return {
    imported,
    skipped,
    failed,
    audit,
    reportDir,
    reportFiles,
    summaryText,
    ownFindings,
    rejectedRows: imported.reduce((n, s) => n + s.rejected, 0),
  };
}

function fmtPct(p: number | null): string {
  return p === null ? 'n/a' : `${p}%`;
}
