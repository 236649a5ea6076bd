import { OWN_OFFENCE_RULES } from '../../core/types.js';
import { computeGroupings, type PeriodOptions } from '../../statistics/compute.js';
import type { Figures } from '../../statistics/figures.js';
import type { ReadStore } from '../../storage/read-store.js';
import { maskSecret } from '../../storage/reads/meta.js';
import { ReportStore, type ImportRecord, type OwnOffenceRow, type RejectionRecord } from '../../storage/report-store.js';
import { listViolators } from '../findings.js';
import { collectRows, rowMasker, type Row } from '../render.js';
import { previousRun, type RunRow } from '../runs.js';

export type { ImportRecord, RejectionRecord };

/**
 * Everything the HTML report shows, gathered in one place. Every figure comes from
 * `computeGroupings` (what `stats` computes one grouping of), so the report always
 * says what `stats` says for the same run and period; the rest is the run's provenance.
 */
export interface ReportData {
  run: RunRow;
  period: { from: string; to: string; countedTo: string };
  totals: Figures;
  byCitizenship: Map<string, Figures>;
  byMonth: Map<string, Figures>;
  byCheckpoint: Map<string, Figures>;
  byRule: Map<string, Figures>;
  byHost: Map<string, Figures>;
  /** Receiving parties' labels: names and ids only with noMask, else stable pseudonyms (a host may be a private person). */
  hostLabels: Map<string, string>;
  /** The report names persons (--no-mask). */
  personal: boolean;
  /** Findings per rule over the whole run (counts the audit stored), anomalies included. */
  runCounts: Record<string, number>;
  imports: ImportRecord[];
  /** Why rows were rejected, per import (imports of databases older than this record have none). */
  rejections: RejectionRecord[];
  changes: RunChanges | null;
  /** Top violators (only when asked for), masked unless asked otherwise. */
  violators: { rows: Row[]; masked: boolean } | null;
}

/** Violators since the previous run: persons, not findings. */
export interface RunChanges {
  previous: { id: number; as_of: string };
  newViolators: number;
  resolvedViolators: number;
  changedViolators: number;
  continuingViolators: number;
}

export interface ReportDataOptions {
  from?: string;
  to?: string;
  /** Top N violators to list; 0 or absent = none (aggregates only). */
  violators?: number;
  /** Violators and receiving parties by name (personal data). */
  noMask?: boolean;
}

/**
 * New violators: persons with an own-offence finding now and none in the previous run;
 * resolved: the other way round; changed: in both, with a finding that appeared,
 * disappeared or changed (first day, status, exit, regime: what `diff` calls changed);
 * continuing: in both, nothing changed but days. The two runs' own offences are a few
 * thousand rows (the index on (run_id, rule) finds them); the sets are made here.
 */
export async function runChanges(store: ReadStore, previous: RunRow, run: RunRow): Promise<RunChanges> {
  const reports = new ReportStore(store);
  const read = (r: RunRow): Promise<OwnOffenceRow[]> => reports.ownOffences(r.id, OWN_OFFENCE_RULES);
  // A finding is the same finding when person, rule and entry day agree (as in `diff`).
  const key = (f: OwnOffenceRow): string => `${f.person_key}\u0000${f.rule}\u0000${f.entry_date ?? ''}`;
  const before = new Map((await read(previous)).map((f) => [key(f), f]));
  const now = new Map((await read(run)).map((f) => [key(f), f]));
  const personsBefore = new Set([...before.values()].map((f) => f.person_key));
  const personsNow = new Set([...now.values()].map((f) => f.person_key));
  const touched = new Set<string>();
  for (const [k, b] of now) {
    const a = before.get(k);
    if (!a || a.first_day !== b.first_day || a.status !== b.status || a.exit_date !== b.exit_date || a.regime !== b.regime) touched.add(b.person_key);
  }
  for (const [k, a] of before) if (!now.has(k)) touched.add(a.person_key);
  let newViolators = 0;
  let changedViolators = 0;
  let continuingViolators = 0;
  for (const person of personsNow) {
    if (!personsBefore.has(person)) newViolators++;
    else if (touched.has(person)) changedViolators++;
    else continuingViolators++;
  }
  let resolvedViolators = 0;
  for (const person of personsBefore) if (!personsNow.has(person)) resolvedViolators++;
  return { previous: { id: previous.id, as_of: previous.as_of }, newViolators, resolvedViolators, changedViolators, continuingViolators };
}

export async function collectReportData(store: ReadStore, run: RunRow, options: ReportDataOptions = {}): Promise<ReportData> {
  const period: PeriodOptions = {};
  if (options.from !== undefined) period.from = options.from;
  if (options.to !== undefined) period.to = options.to;
  // Every grouping from one read of the cells and findings (the totals once).
  const all = await computeGroupings(store, run, period);
  const byCitizenship = all.get('citizenship')!;
  const byHost = all.get('host')!;
  const reports = new ReportStore(store);
  const masked = options.noMask !== true;
  // One pseudonym per host and per person across the report: the store's key, read once.
  const mask = rowMasker(masked ? await maskSecret(store) : null);
  const hostLabels = new Map<string, string>();
  if (masked) {
    for (const id of byHost.groups.keys()) if (id !== '') hostLabels.set(id, String(mask({ host_name: id })['host_name']));
  } else {
    for (const [id, label] of await reports.hostLabels()) hostLabels.set(id, label);
  }
  // The imports this run rests on: those finished before it started.
  const imports = await reports.importsBefore(run.started_at);
  const rejections = await reports.rejectionsBefore(run.started_at);
  const previous = await previousRun(store, run);
  let violators: ReportData['violators'] = null;
  if (options.violators !== undefined && options.violators > 0) {
    const filter = options.from !== undefined || options.to !== undefined ? { ...(options.from ? { from: options.from } : {}), ...(options.to ? { to: options.to } : {}) } : {};
    const rows = (await collectRows((await listViolators(store, run, filter, options.violators)).rows)).map((row) => {
      const shown = mask(row);
      // Addresses and hosts are not pseudonymised by the masker: a masked list leaves them out.
      if (masked) {
        delete shown['last_address'];
        delete shown['last_host'];
      }
      return shown;
    });
    violators = { rows, masked };
  }
  return {
    run,
    period: { from: byCitizenship.from, to: byCitizenship.to, countedTo: byCitizenship.countedTo },
    totals: byCitizenship.totals,
    byCitizenship: byCitizenship.groups,
    byMonth: all.get('month')!.groups,
    byCheckpoint: all.get('checkpoint')!.groups,
    byRule: all.get('rule')!.groups,
    byHost: byHost.groups,
    hostLabels,
    personal: !masked,
    runCounts: JSON.parse(run.counts_json) as Record<string, number>,
    imports,
    rejections,
    changes: previous ? await runChanges(store, previous, run) : null,
    violators,
  };
}
