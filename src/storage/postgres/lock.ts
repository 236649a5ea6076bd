/**
 * A session-level advisory lock on a PostgreSQL store, on a connection of its own held
 * for as long as the lock is: exclusive across machines (the server grants it to one
 * session), released on `release` or when the session ends (a killed holder's
 * connection closes, so a dead job never has to be taken over).
 */
import { closePostgres, connectPostgres, pgFailure, type PgClient, type PostgresLocation } from './connection.js';

export interface AdvisoryLock {
  /** Takes the lock if it is free (never waits); whether this session holds it now. */
  tryAcquire(): Promise<boolean>;
  /** Who holds it, as the server tells (for messages only). */
  holder(): Promise<string>;
  /** Gives the lock back (when held) and closes the connection. */
  release(): Promise<void>;
}

export async function advisoryLock(location: PostgresLocation, key: number): Promise<AdvisoryLock> {
  const client: PgClient = await connectPostgres(location);
  let held = false;
  let closed = false;
  return {
    async tryAcquire() {
      try {
        const rows = (await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1::bigint) AS locked', [key])).rows;
        held = rows[0]?.locked === true;
        return held;
      } catch (error) {
        throw pgFailure(error, location);
      }
    },
    async holder() {
      try {
        // A bigint key below 2^32 shows as classid 0, objid KEY, objsubid 1.
        const rows = (
          await client.query<{ pid: number; since: string | null; app: string | null; address: string | null }>(
            `SELECT l.pid, to_char(a.backend_start AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS since,
                    a.application_name AS app, host(a.client_addr) AS address
             FROM pg_locks l LEFT JOIN pg_stat_activity a ON a.pid = l.pid
             WHERE l.locktype = 'advisory' AND l.granted AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
               AND l.classid = 0 AND l.objid = $1::bigint::oid AND l.objsubid = 1 LIMIT 1`,
            [key],
          )
        ).rows;
        const row = rows[0];
        if (row === undefined) return 'unknown';
        return `server process ${row.pid}${row.address ? ` from ${row.address}` : ''}${row.since ? ` since ${row.since}` : ''}`;
      } catch {
        return 'unknown';
      }
    },
    async release() {
      if (closed) return;
      closed = true;
      if (held) await client.query('SELECT pg_advisory_unlock($1::bigint)', [key]).catch(() => {});
      held = false;
      await closePostgres(client);
    },
  };
}
