/**
 * The reads of the HTML report besides its figures (those are stats-store.ts'): the
 * imports a run rests on, why their rows were rejected, receiving parties' names, and
 * two runs' own offences to compare.
 */
import type { ReadStore } from './read-store.js';

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

/** An own-offence finding as `diff` compares them. */
export interface OwnOffenceRow {
  person_key: string;
  rule: string;
  entry_date: string | null;
  first_day: string | null;
  status: string | null;
  exit_date: string | null;
  regime: string | null;
}

/** Distinct reasons kept per import: a pathological file keeps its first thousand. */
const REASONS_PER_IMPORT = 1000;

/** A reject's reason without the values it quotes ("citizenship: unknown country 'ZZZ'" → "… '…'"), so that reasons group. */
export function reasonKind(reason: string): string {
  return reason.replace(/'[^']*'/g, "'…'").slice(0, 300);
}

export class ReportStore {
  constructor(private readonly store: ReadStore) {}

  /** The imports finished by `before` (a run's start: what it rests on), in order. */
  importsBefore(before: string): Promise<ImportRecord[]> {
    return this.store.all<ImportRecord>(
      `SELECT id, dataset, file, checksum, finished_at, rows_read, added, updated, duplicate, rejected FROM imports WHERE finished_at <= ? ORDER BY id`,
      [before],
    );
  }

  /**
   * Why rows were rejected, per import finished by `before`: the rejected rows kept
   * with each import (import_rejects), counted per kind of reason, with the first line
   * of each; per import the most frequent first.
   */
  async rejectionsBefore(before: string): Promise<RejectionRecord[]> {
    const kinds = new Map<string, RejectionRecord>();
    const perImport = new Map<number, number>();
    for await (const batch of this.store.batches<{ import_id: number; file: string; line: number; reason: string }>(
      `SELECT r.import_id, i.file, r.line, r.reason FROM import_rejects r JOIN imports i ON i.id = r.import_id
       WHERE i.finished_at <= ? ORDER BY r.import_id, r.line`,
      [before],
    )) {
      for (const r of batch) {
        const reason = reasonKind(r.reason);
        const key = `${r.import_id}\u0000${reason}`;
        const known = kinds.get(key);
        if (known !== undefined) {
          known.rows++;
          continue;
        }
        const n = perImport.get(r.import_id) ?? 0;
        if (n >= REASONS_PER_IMPORT) continue;
        perImport.set(r.import_id, n + 1);
        kinds.set(key, { import_id: r.import_id, file: r.file, reason, rows: 1, first_line: r.line });
      }
    }
    return [...kinds.values()].sort((a, b) => a.import_id - b.import_id || b.rows - a.rows || (a.reason < b.reason ? -1 : a.reason > b.reason ? 1 : 0));
  }

  /** Receiving parties as the report names them with --no-mask: "name (id)", or the id. */
  async hostLabels(): Promise<Map<string, string>> {
    const labels = new Map<string, string>();
    for (const r of await this.store.all<{ host_id: string; host_name: string | null }>(
      `SELECT host_id, max(host_name) AS host_name FROM registrations WHERE host_id IS NOT NULL GROUP BY host_id`,
    )) {
      labels.set(r.host_id, r.host_name === null ? r.host_id : `${r.host_name} (${r.host_id})`);
    }
    return labels;
  }

  /** A run's own-offence findings (`rules`), as `diff` compares them. */
  ownOffences(runId: number, rules: readonly string[]): Promise<OwnOffenceRow[]> {
    const own = rules.map(() => '?').join(', ');
    return this.store.all<OwnOffenceRow>(
      `SELECT person_key, rule, entry_date, first_day, status, exit_date, regime FROM findings WHERE run_id = ? AND rule IN (${own}) ORDER BY rule, person_key, id`,
      [runId, ...rules],
    );
  }
}
