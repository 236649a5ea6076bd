/**
 * A store's state as the crash and trouble checks compare it: SQLite's integrity and
 * foreign-key checks, row counts, a checksum of every data row, the import ledger and
 * each run's contents (without ids and clock times, so the same data audited twice
 * sums the same). Read-only; for tests and the crash sweep, not for the commands.
 */
import { createHash } from 'node:crypto';
import { openConnection, type Connection } from './database.js';
import { sqliteRowsOf } from './reads/dialect.js';


export interface LedgerRow {
  dataset: string;
  file: string;
  rows_read: number;
  added: number;
  duplicate: number;
  rejected: number;
}

export interface RunSummaryRow {
  id: number;
  findings: number;
  storedFindings: number;
  departures: number;
  checksum: string;
}

export interface DatabaseState {
  integrity: string;
  foreignKeyViolations: number;
  crossings: number;
  persons: number;
  /** sha256 over every row of the data tables (crossings, persons, registrations, permits, expulsions). */
  dataChecksum: string;
  ledger: LedgerRow[];
  runs: RunSummaryRow[];
}

function hashRows(hash: ReturnType<typeof createHash>, rows: Iterable<unknown>): void {
  for (const row of rows) hash.update(JSON.stringify(row) + '\n');
}

/** Everything the checks compare, read through a read-only connection. */
export function inspectDatabase(file: string): DatabaseState {
  const db = openConnection(file, { readonly: true, busyTimeoutMs: 10_000 });
  try {
    const integrity = (db.pragma('integrity_check') as { integrity_check: string }[]).map((r) => r.integrity_check).join('; ');
    const foreignKeyViolations = (db.pragma('foreign_key_check') as unknown[]).length;
    const data = createHash('sha256');
    for (const table of ['crossings', 'persons', 'registrations', 'permits', 'expulsions']) {
      // Every column, in a fixed order: independent of keys and row ids.
      const columns = (db.pragma(`table_info(${table})`) as { name: string }[]).map((c) => c.name).sort();
      data.update(`-- ${table}: ${columns.join(',')}\n`);
      hashRows(data, db.prepare(`SELECT ${columns.join(', ')} FROM ${sqliteRowsOf(table)} ORDER BY ${columns.join(', ')}`).raw().iterate());
    }
    const count = (table: string): number => (db.prepare(`SELECT count(*) AS n FROM ${sqliteRowsOf(table)}`).get() as { n: number }).n;
    const ledger = db.prepare(`SELECT dataset, file, rows_read, added, duplicate, rejected FROM imports ORDER BY id`).all() as LedgerRow[];
    const runs = (db.prepare(`SELECT id, findings FROM runs ORDER BY id`).all() as { id: number; findings: number }[]).map((r) => ({
      id: r.id,
      findings: r.findings,
      storedFindings: (db.prepare(`SELECT count(*) AS n FROM findings WHERE run_id = ?`).get(r.id) as { n: number }).n,
      departures: (db.prepare(`SELECT count(*) AS n FROM run_departures WHERE run_id = ?`).get(r.id) as { n: number }).n,
      checksum: runChecksum(db, r.id),
    }));
    return { integrity, foreignKeyViolations, crossings: count('crossings'), persons: count('persons'), dataChecksum: data.digest('hex'), ledger, runs };
  } finally {
    db.close();
  }
}

/**
 * The contents of one run (findings, expected departures, totals), without its id, the
 * findings' numbering and clock times: the same data audited twice gives the same sum.
 */
function runChecksum(db: Connection, runId: number): string {
  const hash = createHash('sha256');
  hashRows(hash, db.prepare(`SELECT as_of, ruleset_checksum, persons, stays, findings, counts_json FROM runs WHERE id = ?`).raw().iterate(runId));
  for (const table of ['findings', 'run_departures']) {
    const columns = (db.pragma(`table_info(${table})`) as { name: string }[])
      .map((c) => c.name)
      .filter((c) => c !== 'run_id' && c !== 'id')
      .sort();
    hashRows(hash, db.prepare(`SELECT ${columns.join(', ')} FROM ${table} WHERE run_id = ? ORDER BY ${columns.join(', ')}`).raw().iterate(runId));
  }
  return hash.digest('hex');
}
