/**
 * `runs prune` on PostgreSQL: the runs the criteria select are deleted with their
 * findings, statistics cells (ON DELETE CASCADE) and the detail texts no kept run uses,
 * in one transaction, as SQLite's RunPruner does; readers see all of them or none gone.
 * Then, outside it, a plain VACUUM of those tables makes the freed space reusable by
 * later runs (it gives the server's disk nothing back but trailing pages); with
 * `--vacuum`, VACUUM FULL rewrites them and gives the space back (it locks each table
 * while it rewrites it). Imported data is never touched.
 */
import type { PrunedRun } from '../audit-store.js';
import type { PruneOptions, PruneReport } from '../reads/runs.js';
import { closePostgres, connectPostgres, inTransaction, pgFailure, type PgClient, type PostgresLocation } from './connection.js';
import { NUMBER_TYPES } from './read-store.js';
import { checkPostgresReadable } from './store.js';

/** The tables a prune deletes from (runs' cells go with them by cascade). */
const RUN_TABLES = ['finding_rows', 'finding_details', 'run_departures', 'run_crossing_days', 'run_persons_entered', 'runs'] as const;

async function databaseBytes(client: PgClient): Promise<number> {
  const r = await client.query<{ bytes: number }>({ text: 'SELECT pg_database_size(current_database()) AS bytes', types: NUMBER_TYPES });
  return r.rows[0]!.bytes;
}

function selection(criteria: PruneOptions): { sql: string; params: (string | number)[] } | null {
  const where: string[] = [];
  const params: (string | number)[] = [];
  if (criteria.keep !== undefined) {
    params.push(criteria.keep);
    where.push(`id NOT IN (SELECT id FROM runs ORDER BY id DESC LIMIT $${params.length})`);
  }
  if (criteria.before !== undefined) {
    params.push(criteria.before);
    where.push(`as_of < $${params.length}`);
  }
  if (where.length === 0) return null;
  return { sql: `SELECT id, as_of AS "asOf", findings FROM runs WHERE ${where.join(' AND ')} ORDER BY id`, params };
}

/** Deletes the selected runs of the PostgreSQL store at `location` (see the header). */
export async function prunePostgresRuns(location: PostgresLocation, options: PruneOptions): Promise<PruneReport> {
  const client = await connectPostgres(location);
  try {
    await checkPostgresReadable(client, location);
    const bytesBefore = await databaseBytes(client).catch((error: unknown) => {
      throw pgFailure(error, location);
    });
    const query = selection(options);
    const pruned = await inTransaction(client, location, 'BEGIN', async () => {
      // One prune at a time, and no run committed between choosing and deleting.
      await client.query('LOCK TABLE runs IN SHARE ROW EXCLUSIVE MODE');
      const doomed = query === null ? [] : (await client.query<PrunedRun>({ text: query.sql, values: query.params, types: NUMBER_TYPES })).rows;
      if (options.dryRun || doomed.length === 0) return doomed;
      const ids = doomed.map((r) => r.id);
      await client.query('DELETE FROM finding_rows WHERE run_id = ANY($1::bigint[])', [ids]);
      await client.query('DELETE FROM runs WHERE id = ANY($1::bigint[])', [ids]);
      await client.query('DELETE FROM finding_details WHERE NOT EXISTS (SELECT 1 FROM runs r WHERE r.id BETWEEN first_run AND last_run)');
      return doomed;
    });
    let space: string | undefined;
    const full = options.vacuum === true;
    if (pruned.length > 0 && !options.dryRun) {
      try {
        // VACUUM cannot run inside a transaction: each table on its own, after the commit.
        for (const table of RUN_TABLES) await client.query(`VACUUM ${full ? '(FULL) ' : ''}${table}`);
        space = full
          ? 'VACUUM FULL rewrote the run tables and gave the freed space back'
          : 'VACUUM made the freed space reusable by later runs (runs prune --vacuum runs VACUUM FULL to give it back to the server)';
      } catch (error) {
        // The runs are gone (committed); only the space is not yet reusable.
        space = `the runs are deleted, but VACUUM failed (${pgFailure(error, location).message}); the server's autovacuum will reclaim the space`;
      }
    }
    const kept = (await client.query<{ n: number }>({ text: 'SELECT count(*) AS n FROM runs', types: NUMBER_TYPES })).rows[0]!.n;
    const bytesAfter = await databaseBytes(client);
    return { pruned, kept, bytesBefore, bytesAfter, givesSpaceBack: full, ...(space === undefined ? {} : { space }) };
  } catch (error) {
    throw pgFailure(error, location);
  } finally {
    await closePostgres(client);
  }
}
