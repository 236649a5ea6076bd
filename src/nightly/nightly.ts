/**
 * The nightly job in three phases: import the inbox's new files (the import's own
 * per-file loop, with quarantine), audit, and publish the run's report set with a
 * summary in words. It reaches the store only through NightlyDatabase's operations.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { AuditOptions, AuditSummary } from '../audit/run-audit.js';
import { ownOffenceCount } from '../core/types.js';
import type { Ruleset } from '../core/ruleset.js';
import { InputError } from '../errors.js';
import type { FileImportSummary } from '../import/import-file.js';
import { importFiles, type OpenedFile } from '../import/import-files.js';
import { rejectLine, rejectsHeaderLine } from '../import/rejects-file.js';
import { mapHeaders } from '../import/headers.js';
import type { DatasetName } from '../import/rows.js';
import { countryName } from '../import/citizenship.js';
import { diffCounts } from '../reports/diff.js';
import { listFindings, listViolators } from '../reports/findings.js';
import { mapRows, renderListing, rowMasker, valueMasker, type Listing, type OutputOptions, type Row, type Rows } from '../reports/render.js';
import { DEFAULT_KEEP_RUNS, previousRun, pruneSummary, resolveRun, rulesetLabel, type RunRow } from '../reports/runs.js';
import { computeStats, headline, humanCount, percent, statsListing } from '../reports/stats.js';
import type { PruneOutcome } from '../storage/audit-store.js';
import type { ImportStore } from '../storage/import-store.js';
import type { ReadStore } from '../storage/read-store.js';
import { maskSecret } from '../storage/reads/meta.js';
import { datasetOfInboxFile, DEFAULT_PATTERNS, listInbox, openInboxFile, quarantine, safeName, safeText, type FailedFile, type InboxEntry } from './inbox.js';
import { ReportSet } from './report-set.js';

export interface NightlyOptions {
  inbox: string;
  reports: string;
  asOf: string;
  ruleset: Ruleset;
  /** How many top violators the summary lists. */
  top?: number;
  /** Inbox file names to import (globs); default *.csv and *.csv.gz. */
  patterns?: readonly string[];
  /** Where failed inbox files are moved (default INBOX/quarantine); null keeps them in place. */
  quarantine?: string | null;
  /** Follow symbolic links in the inbox (default: a link is a failed file). */
  followSymlinks?: boolean;
  /** Pseudonymise personal data in every report, the summary and the rejects files. */
  mask?: boolean;
  /** Runs to keep after this one is reported (older ones are pruned); default DEFAULT_KEEP_RUNS. */
  keepRuns?: number;
  log?: (line: string) => void;
}

/** An import whose rejected rows go into this run's report set. */
interface RejectsToWrite {
  importId: number;
  name: string;
  file: string;
  dataset: DatasetName;
  rejected: number;
}

export interface NightlyResult {
  imported: FileImportSummary[];
  skipped: { file: string; reason: string }[];
  failed: FailedFile[];
  ignored: string[];
  audit: AuditSummary;
  reportDir: string;
  reportFiles: string[];
  summaryText: string;
  ownFindings: number;
  rejectedRows: number;
}

/**
 * The store, as the nightly job uses it: named operations, each opening what it needs
 * (the job never holds a connection; the CLI command supplies these).
 */
export interface NightlyDatabase {
  /** The store's location, as messages name it. */
  file: string;
  /** The store the inbox is imported into; closed by the job. */
  importStore: () => Promise<ImportStore>;
  /** Audits the store as of a date and stores the run. */
  audit: (options: AuditOptions) => Promise<AuditSummary>;
  /** The reports' view of the store; closed by the job. */
  readStore: () => Promise<ReadStore>;
  /** Prunes the oldest runs, keeping `keep`. */
  pruneRuns: (keep: number) => Promise<PruneOutcome>;
}

/**
 * The nightly job: import every new inbox file (new = checksum never imported),
 * audit as of the date, and publish the run's reports as one set. One file's trouble
 * (unreadable, a link, not CSV, wrong dataset) fails that file alone: it is listed,
 * moved to the quarantine folder, and the rest goes on.
 */
export async function runNightly(db: NightlyDatabase, options: NightlyOptions): Promise<NightlyResult> {
  const log = (line: string): void => options.log?.(safeText(line, 1000));
  let inboxStat: fs.Stats | null = null;
  try {
    inboxStat = fs.statSync(options.inbox);
  } catch {
    // Reported below.
  }
  if (inboxStat === null || !inboxStat.isDirectory()) {
    throw new InputError(`inbox ${safeName(options.inbox)} is not a directory`, { hint: 'create it, or point --inbox at the folder the exports arrive in' });
  }
  const set = new ReportSet(options.reports, options.asOf);

  let inbox: InboxImport;
  let audit: AuditSummary;
  try {
    inbox = await importInbox(db, options, log);
    audit = await db.audit({ asOf: options.asOf, ruleset: options.ruleset });
    log(`audit run ${audit.runId}: ${audit.persons} persons, ${audit.findings} findings`);
  } catch (error) {
    set.discard();
    throw error;
  }

  const summaryText = await publishReports(db, set, inbox, audit, options);

  // Retention, once the reports (and the diff with the previous run) are written.
  const pruned = await db.pruneRuns(options.keepRuns ?? DEFAULT_KEEP_RUNS);
  if (pruned.pruned.length > 0) log(pruneSummary(pruned, false));

  const { imported, skipped, failed, ignored } = inbox;
  return {
    imported,
    skipped,
    failed,
    ignored,
    audit,
    reportDir: set.published,
    reportFiles: set.files.map((name) => path.join(set.published, name)),
    summaryText,
    ownFindings: ownOffenceCount(audit.counts),
    rejectedRows: imported.reduce((n, s) => n + s.rejected, 0),
  };
}

/** What became of the inbox's files. */
interface InboxImport {
  patterns: readonly string[];
  imported: FileImportSummary[];
  skipped: { file: string; reason: string }[];
  failed: FailedFile[];
  ignored: string[];
  /** Imports whose rejected rows go into this run's report set, in inbox order. */
  rejectsToWrite: RejectsToWrite[];
}

/**
 * Imports the inbox's matching files, in name order, through the import's per-file
 * loop; a failed file is moved to the quarantine folder (unless that is off).
 */
async function importInbox(db: NightlyDatabase, options: NightlyOptions, log: (line: string) => void): Promise<InboxImport> {
  const patterns = options.patterns ?? DEFAULT_PATTERNS;
  const quarantineDir = options.quarantine === undefined ? path.join(options.inbox, 'quarantine') : options.quarantine;
  const result: InboxImport = { patterns, imported: [], skipped: [], failed: [], ignored: [], rejectsToWrite: [] };
  const { candidates, ignored } = listInbox(options.inbox, patterns);
  result.ignored = ignored;
  if (ignored.length > 0) log(`ignored ${ignored.length} inbox file(s) not matching ${patterns.join(', ')}`);

  const imports = await db.importStore();
  try {
    await importFiles(imports, candidates, {
      open: (entry) => openInbox(entry, options.followSymlinks === true),
      onFile: async (outcome) => {
        const entry = outcome.item;
        if (outcome.kind === 'failed') {
          const moved = quarantineDir === null ? null : quarantine(entry, quarantineDir);
          result.failed.push({ name: entry.name, file: entry.file, error: outcome.error, quarantined: moved });
          log(`failed ${safeName(entry.name)}: ${outcome.error.message}${moved?.to ? `; moved to ${moved.to}` : ''}`);
        } else if (outcome.kind === 'skipped') {
          const previous = outcome.previous;
          result.skipped.push({ file: entry.file, reason: `already imported (import ${previous.id}, ${previous.dataset})` });
          // Killed between an import's commit and its report: the rejects are in the database.
          if (previous.rejected > 0 && !(await imports.rejectsPublished(previous.id))) {
            result.rejectsToWrite.push({ importId: previous.id, name: entry.name, file: entry.file, dataset: previous.dataset, rejected: previous.rejected });
          }
        } else {
          const summary = outcome.summary;
          result.imported.push(summary);
          if (summary.rejected > 0) {
            result.rejectsToWrite.push({ importId: summary.importId, name: entry.name, file: entry.file, dataset: summary.dataset, rejected: summary.rejected });
          }
          log(`imported ${safeName(entry.name)}: ${summary.dataset}: ${summary.read} read, ${summary.added} added, ${summary.duplicate} duplicate, ${summary.rejected} rejected`);
        }
      },
    });
  } finally {
    await imports.close();
  }
  return result;
}

/**
 * Writes the run's report set (violators, findings, stats, the rejects files, the
 * summary, the HTML report), publishes it as a whole, then records the rejects as
 * published. Returns the summary's text.
 */
async function publishReports(db: NightlyDatabase, set: ReportSet, inbox: InboxImport, audit: AuditSummary, options: NightlyOptions): Promise<string> {
  const store = await db.readStore();
  let kept: ImportStore;
  try {
    kept = await db.importStore();
  } catch (error) {
    await store.close();
    set.discard();
    throw error;
  }
  let summaryText: string;
  try {
    const run = await resolveRun(store, audit.runId);
    const key = options.mask === true ? await maskSecret(store) : null;
    const csv: OutputOptions = { format: 'csv', noHeaders: false, raw: false, color: false, maskKey: key };
    // Every row of a report carries the run and the as-of date it belongs to.
    const stamped = (listing: Listing): Listing => ({
      ...listing,
      columns: [...listing.columns, ...['run', 'as_of'].filter((c) => !listing.columns.includes(c))],
      rows: mapRows(listing.rows, (row) => ({ ...row, run: run.id, as_of: run.as_of })),
    });
    // The summary's top violators are the first rows of the violators file (same order).
    const top: Row[] = [];
    const topCount = options.top ?? 10;
    const violators = await listViolators(store, run, {});
    const keepTop = (rows: Rows): Rows =>
      mapRows(rows, (row) => {
        if (top.length < topCount) top.push(row);
        return row;
      });
    await set.write('violators.csv', (out) => renderListing(stamped({ ...violators, rows: keepTop(violators.rows) }), csv, out));
    const findings = await listFindings(store, run, {});
    await set.write('findings.csv', (out) => renderListing(stamped(findings), csv, out));
    const stats = await computeStats(store, run, { by: 'citizenship' });
    await set.write('stats.csv', (out) => renderListing(statsListing(stats, run), csv, out));

    const rejectFiles = new Map<number, string>();
    for (const r of inbox.rejectsToWrite) {
      let name = `rejects-${r.name.replace(/\.gz$/i, '').replace(/\.[^.]*$/, '').replace(/[^A-Za-z0-9._-]/g, '_')}.csv`;
      if ([...rejectFiles.values()].includes(name)) name = name.replace(/\.csv$/, `-${r.importId}.csv`);
      rejectFiles.set(r.importId, name);
      await set.write(name, (out) => writeStoredRejects(kept, r, key, out));
    }
    const carried = set.carryOver((name) => name.startsWith('rejects-') && name.endsWith('.csv'));

    const previous = await previousRun(store, run);
    const changes = previous ? await diffCounts(store, previous, run) : null;
    summaryText = summary({ run, stats, audit, inbox, since: previous && changes ? { run: previous.id, changes } : null, rejectFiles, carried, top: top.map(rowMasker(key)) });
    const text = summaryText;
    await set.write('summary.txt', async (out) => void out.write(text));
    // Issue 15: the HTML report (aggregates only, in Russian) beside the CSV reports.
    // Loaded here: the CLI's start-up would otherwise load the report's code for every command.
    const { defaultReportName, htmlReport, writeHtml } = await import('../reports/html/write-report.js');
    const html = await htmlReport(store, run, { lang: 'ru', tool: 'stayaudit nightly' });
    await set.write(defaultReportName(run), (out) => writeHtml(out, html));
    await set.publish({ run: run.id, as_of: run.as_of, ruleset: rulesetLabel(run), masked: key === null ? 'no' : 'yes' });
  } catch (error) {
    set.discard();
    await kept.close();
    throw error;
  } finally {
    await store.close();
  }

  // Published: the rejects need not be written again (a kill before this line writes them twice, never zero times).
  try {
    await kept.markRejectsPublished(inbox.rejectsToWrite.map((r) => r.importId), new Date().toISOString());
  } finally {
    await kept.close();
  }
  return summaryText;
}

interface SummaryFacts {
  run: RunRow;
  stats: Awaited<ReturnType<typeof computeStats>>;
  audit: AuditSummary;
  inbox: InboxImport;
  /** The previous run and the finding changes since it (null on the first run). */
  since: { run: number; changes: Record<string, number> } | null;
  /** The rejects file of each import, by import id. */
  rejectFiles: ReadonlyMap<number, string>;
  /** Rejects files kept from an earlier set of the same day. */
  carried: readonly string[];
  /** The top violators, masked when the reports are. */
  top: readonly Row[];
}

/** The summary, in words: the ministry's figures, what changed, what was imported, the top violators. */
function summary(f: SummaryFacts): string {
  const { run, stats, audit, inbox } = f;
  const lines: string[] = [];
  const t = stats.totals;
  lines.push(`stayaudit nightly — as of ${run.as_of}, run ${run.id}, ruleset ${rulesetLabel(run)}`);
  lines.push(`period ${stats.from}..${stats.to} (crossings counted to ${stats.countedTo})`);
  lines.push('');
  lines.push(`entries ${t.entries}, exits ${t.exits}, persons entered ${t.persons_entered}`);
  lines.push(`violators ${t.violators} (${fmtPct(percent(t.violators, t.persons_entered))} of persons entered, ${fmtPct(percent(t.violators, t.entries))} of entries)`);
  lines.push(
    `overstay and ban-breach findings in the period ${t.findings} (the run has ${plural(audit.findings, 'finding')} of every rule, as \`stayaudit audit\` counts them)`,
  );
  lines.push(`expected departures ${t.expected_departures}, overstays ${t.overstays} (departed ${t.overstays_departed}, in country ${t.overstays_in_country}), overstay rate ${fmtPct(percent(t.overstays, t.expected_departures))}`);
  lines.push(`registration findings ${t.registration_findings}, expulsions ${t.expulsions}`);
  lines.push('');
  const groups = [...stats.groups.entries()].sort(([, a], [, b]) => b.entries - a.entries);
  const shown = groups.slice(0, 5);
  lines.push(groups.length > shown.length ? `the ${shown.length} citizenships with most entries (of ${groups.length}; all in stats.csv):` : `by citizenship:`);
  for (const [citizenship, figures] of shown) lines.push(`  ${headline(`${countryName(citizenship, 'en')} (${citizenship})`, figures)}`);
  lines.push('');
  if (f.since) {
    const changes = f.since.changes;
    lines.push(`since run ${f.since.run}: ${changes['appeared']} findings appeared, ${changes['changed']} changed, ${changes['disappeared']} disappeared`);
  } else {
    lines.push('first run: nothing to compare with');
  }
  const { imported, skipped, failed, ignored } = inbox;
  lines.push(`imports: ${plural(imported.length, 'file')} imported, ${skipped.length} already imported, ${failed.length} failed, ${ignored.length} ignored`);
  for (const s of imported) lines.push(`  ${safeName(path.basename(s.file))}: ${s.dataset}, ${s.read} read, ${s.added} added, ${s.duplicate} duplicate, ${s.rejected} rejected`);
  for (const x of failed) {
    const where = x.quarantined === null ? 'left in the inbox' : x.quarantined.to !== null ? `moved to ${safeText(x.quarantined.to)}` : `could not be moved to quarantine (${x.quarantined.error})`;
    lines.push(`  FAILED ${safeName(x.name)}: ${safeText(x.error.message)} (${where})`);
  }
  if (ignored.length > 0) {
    const names = ignored.slice(0, 10).map(safeName).join(', ');
    lines.push(`  ignored (not matching ${inbox.patterns.join(', ')}): ${names}${ignored.length > 10 ? `, … ${ignored.length - 10} more` : ''}`);
  }
  for (const r of inbox.rejectsToWrite) lines.push(`  ${plural(r.rejected, 'row')} rejected from ${safeName(r.name)}: ${f.rejectFiles.get(r.importId)}`);
  if (f.carried.length > 0) lines.push(`  kept from the earlier report set of ${run.as_of}: ${f.carried.join(', ')}`);
  lines.push('');
  lines.push(`top violators (${f.top.length} of ${humanCount(audit.violators)}):`);
  for (const v of f.top) {
    lines.push(`  ${safeText(String(v['person_key']))} ${String(v['citizenship'])} ${String(v['rules'])} ${String(v['days_over'])} days, ${String(v['status'])}`);
  }
  return lines.join('\n') + '\n';
}

/**
 * An inbox file, opened once and checksummed through that descriptor; its dataset from
 * its name, else its header.
 */
function openInbox(entry: InboxEntry, followSymlinks: boolean): OpenedFile {
  const opened = openInboxFile(entry, followSymlinks);
  let fd: number | null = opened.fd;
  return {
    checksum: opened.checksum,
    dataset: () => {
      const dataset = datasetOfInboxFile(entry.name, opened.fd);
      if (dataset === null) {
        throw new InputError(`${safeName(entry.name)}: cannot tell which dataset this is`, {
          file: entry.file,
          hint: 'name it crossings*, registrations*, permits* or expulsions*, or give it the reference header',
        });
      }
      return dataset;
    },
    input: () => {
      // The stream owns the descriptor from here (and closes it, whatever happens).
      const stream = fs.createReadStream('', { fd: opened.fd, start: 0, highWaterMark: 1 << 20 });
      fd = null;
      return { stream, size: opened.size, label: entry.file };
    },
    close: () => {
      if (fd !== null) fs.closeSync(fd);
      fd = null;
    },
  };
}

/**
 * An import's rejected rows from the database, as a rejects file (`_file,_line,_reason`
 * then the file's columns). Masked, every cell of a personal or unknown column is a
 * pseudonym and quoted values in the reasons are hidden.
 */
async function writeStoredRejects(store: ImportStore, r: RejectsToWrite, key: string | null, out: fs.WriteStream): Promise<void> {
  const header = (await store.rejectHeader(r.importId)) ?? [];
  const columnOf = maskedColumns(header, r.dataset);
  const masker = key === null ? null : valueMasker(key);
  const label = key === null ? r.file : path.basename(r.file);
  const write = (text: string): Promise<void> =>
    new Promise((resolve, reject) => {
      if (out.write(text)) resolve();
      else {
        out.once('drain', resolve);
        out.once('error', reject);
      }
    });
  await write(rejectsHeaderLine(header));
  let chunk = '';
  for await (const reject of store.storedRejects(r.importId)) {
    const raw = masker === null ? reject.raw : reject.raw.map((cell, i) => (columnOf[i] === null ? cell : masker(columnOf[i]!, cell)));
    const reason = masker === null ? reject.reason : reject.reason.replace(/'[^']*'/g, "'…'");
    chunk += rejectLine(label, { line: reject.line, raw, reason });
    if (chunk.length > 1 << 16) {
      await write(chunk);
      chunk = '';
    }
  }
  if (chunk !== '') await write(chunk);
}

/** Fields that are no personal data: their cells stay readable in a masked rejects file. */
const PLAIN_FIELDS = new Set([
  'citizenship', 'sex', 'direction', 'crossed_at', 'checkpoint', 'registered_from', 'registered_until', 'notified_on',
  'kind', 'ground', 'valid_from', 'valid_until', 'status', 'revoked_on', 'decided_on', 'expelled_on', 'ban_years',
]);

/** Per column of a rejects header: null to keep it, else the column it is masked as. */
function maskedColumns(header: readonly string[], dataset: DatasetName): (string | null)[] {
  const fieldAt = new Map<number, string>();
  try {
    const mapped = mapHeaders(header, dataset);
    for (const [field, index] of Object.entries(mapped.columns)) fieldAt.set(index as number, field);
  } catch {
    // Unmappable: every column is masked.
  }
  return header.map((_, i) => {
    const field = fieldAt.get(i);
    if (field !== undefined && PLAIN_FIELDS.has(field)) return null;
    return field ?? 'other';
  });
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function fmtPct(p: number | null): string {
  return p === null ? 'n/a' : `${p}%`;
}
