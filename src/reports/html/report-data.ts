import { OWN_OFFENCE_RULES } from '../../core/types.js';
import type { ReadStore } from '../../storage/read-store.js';
import { maskKey } from '../../storage/read-store.js';
import { listViolators } from '../findings.js';
import { rowMasker, type Row } from '../render.js';
import { previousRun, type RunRow } from '../runs.js';
import { computeStats, type Figures, type Grouping, type StatsOptions, type StatsResult } from '../stats.js';

/**
 * Everything the HTML report shows, gathered in one place. Every figure comes from
 * `computeStats` (the function behind `stats`), so the report always says what
 * `stats` says for the same run and period; the rest is the run's provenance.
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

export interface ImportRecord {
  id: number;
  dataset: string;
  file: string;
  checksum: string;
  finished_at: string;
  rows_read: number;
  added: number;
  updated: number;
  duplicate: number;
  rejected: number;
}

export interface RejectionRecord {
  import_id: number;
  file: string;
  reason: string;
  rows: number;
  first_line: number;
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

function stats(store: ReadStore, run: RunRow, by: Grouping, options: ReportDataOptions): StatsResult {
  const statsOptions: StatsOptions = { by };
  if (options.from !== undefined) statsOptions.from = options.from;
  if (options.to !== undefined) statsOptions.to = options.to;
  return computeStats(store, run, statsOptions);
}

/**
 * New violators: persons with an own-offence finding now and none in the previous run;
 * resolved: the other way round; changed: in both, with a finding that appeared,
 * disappeared or changed (first day, status, exit, regime: what `diff` calls changed);
 * continuing: in both, nothing changed but days. The two runs' own offences are a few
 * thousand rows (the index on (run_id, rule) finds them); the sets are made here.
 */
export function runChanges(store: ReadStore, previous: RunRow, run: RunRow): RunChanges {
  const own = OWN_OFFENCE_RULES.map(() => '?').join(', ');
  interface Own {
    person_key: string;
    rule: string;
    entry_date: string | null;
    first_day: string | null;
    status: string | null;
    exit_date: string | null;
    regime: string | null;
  }
  const read = (r: RunRow): Own[] =>
    store.all<Own>(`SELECT person_key, rule, entry_date, first_day, status, exit_date, regime FROM findings WHERE run_id = ? AND rule IN (${own})`, [r.id, ...OWN_OFFENCE_RULES]);
  // A finding is the same finding when person, rule and entry day agree (as in `diff`).
  const key = (f: Own): string => `${f.person_key}\u0000${f.rule}\u0000${f.entry_date ?? ''}`;
  const before = new Map(read(previous).map((f) => [key(f), f]));
  const now = new Map(read(run).map((f) => [key(f), f]));
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

export function collectReportData(store: ReadStore, run: RunRow, options: ReportDataOptions = {}): ReportData {
  const byCitizenship = stats(store, run, 'citizenship', options);
  const byMonth = stats(store, run, 'month', options);
  const byCheckpoint = stats(store, run, 'checkpoint', options);
  const byRule = stats(store, run, 'rule', options);
  const byHost = stats(store, run, 'host', options);
  const masked = options.noMask !== true;
  const hostLabels = new Map<string, string>();
  if (masked) {
    const mask = rowMasker(maskKey(store));
    for (const id of byHost.groups.keys()) if (id !== '') hostLabels.set(id, String(mask({ host_name: id })['host_name']));
  } else {
    for (const r of store.all<{ host_id: string; host_name: string | null }>(`SELECT host_id, max(host_name) AS host_name FROM registrations WHERE host_id IS NOT NULL GROUP BY host_id`)) {
      hostLabels.set(r.host_id, r.host_name === null ? r.host_id : `${r.host_name} (${r.host_id})`);
    }
  }
  // The imports this run rests on: those finished before it started.
  const imports = store.all<ImportRecord>(
    `SELECT id, dataset, file, checksum, finished_at, rows_read, added, updated, duplicate, rejected FROM imports WHERE finished_at <= ? ORDER BY id`,
    [run.started_at],
  );
  const rejections = store.all<RejectionRecord>(
    `SELECT r.import_id, i.file, r.reason, r.rows, r.first_line FROM import_rejections r JOIN imports i ON i.id = r.import_id
     WHERE i.finished_at <= ? ORDER BY r.import_id, r.rows DESC, r.reason`,
    [run.started_at],
  );
  const previous = previousRun(store, run);
  let violators: ReportData['violators'] = null;
  if (options.violators !== undefined && options.violators > 0) {
    const mask = rowMasker(masked ? maskKey(store) : null);
    const filter = options.from !== undefined || options.to !== undefined ? { ...(options.from ? { from: options.from } : {}), ...(options.to ? { to: options.to } : {}) } : {};
    const rows = [...listViolators(store, run, filter, options.violators).rows].map((row) => {
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
    byMonth: byMonth.groups,
    byCheckpoint: byCheckpoint.groups,
    byRule: byRule.groups,
    byHost: byHost.groups,
    hostLabels,
    personal: !masked,
    runCounts: JSON.parse(run.counts_json) as Record<string, number>,
    imports,
    rejections,
    changes: previous ? runChanges(store, previous, run) : null,
    violators,
  };
}
