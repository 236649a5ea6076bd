/**
 * `query`: the user's own read-only SQL as a listing. The store runs and guards the
 * statement (storage/reads/query.ts: read-only, no meta table, one snapshot); here its
 * rows become a listing whose column names can be neutralised like CSV cells.
 */
import { runQuery as runStoredQuery, type ReadStore } from '../storage/reads/index.js';
import { csvCell, streamed, type Listing, type Row } from './render.js';

export interface QueryOptions {
  /** How long the statement may run, in milliseconds (enforced on PostgreSQL). */
  timeoutMs?: number;
  /**
   * Give column names that start like a spreadsheet formula a leading `'`, as CSV
   * cells get one (an alias can be anything: `AS "=cmd|' /C calc'!A0"`).
   */
  neutraliseNames?: boolean;
}

/** Runs one read-only statement with bound named parameters (see storage/reads/query.ts for the guard). */
export async function runQuery(store: ReadStore, sql: string, params: Record<string, string>, options: QueryOptions = {}): Promise<Listing> {
  const result = await runStoredQuery(store, sql, params, options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs });
  const columns = options.neutraliseNames ? result.columns.map(neutralName) : result.columns;
  return { columns, rows: streamed(asRows(result.rows, columns)), meta: {} };
}

/** A column name with the leading `'` a CSV cell of that text would get (csvCell decides). */
function neutralName(name: string): string {
  return csvCell(name, false) === csvCell(name, true) ? name : `'${name}`;
}

/** Rows as objects keyed by the listed column names, batch by batch. */
async function* asRows(batches: AsyncIterable<readonly (readonly Row[string][])[]>, columns: readonly string[]): AsyncGenerator<Row[]> {
  for await (const batch of batches) {
    yield batch.map((values) => {
      const row: Row = {};
      for (let i = 0; i < columns.length; i++) row[columns[i]!] = values[i];
      return row;
    });
  }
}
