/**
 * The values that cross the read boundary: rows of plain cells, runs, filters and sort
 * keys. No SQL text and no driver object crosses it, so another store can implement
 * the same reads.
 */

export type StoredCell = string | number | null;
export type StoredRow = Record<string, StoredCell>;

export interface SortKey {
  column: string;
  descending: boolean;
}

/** A stored audit run. */
export interface RunRow {
  id: number;
  as_of: string;
  ruleset_name: string;
  ruleset_checksum: string;
  ruleset_json: string;
  started_at: string;
  finished_at: string;
  persons: number;
  stays: number;
  findings: number;
  counts_json: string;
}

/** Filters shared by `findings`, `violators` and `diff` (checked by the reports before they arrive). */
export interface FindingFilter {
  rules?: readonly string[];
  citizenships?: readonly string[];
  statuses?: readonly string[];
  minDays?: number;
  /** First day (first unlawful day, entry, …) on or after. */
  from?: string;
  /** First day on or before. */
  to?: string;
  /** Entry day of the stay on or after / on or before. */
  entryFrom?: string;
  entryTo?: string;
  /** Text in the address of any of the person's registrations or permits (case-insensitive). */
  address?: string;
  /** Region: the address up to its first comma (the city or oblast), any of the person's registrations or permits. */
  regions?: readonly string[];
  /** Receiving party: the finding's host, or the host of any of the person's registrations or permits. */
  hosts?: readonly string[];
  /** Checkpoint of the stay's entry (case-insensitive). */
  checkpoints?: readonly string[];
}
