/**
 * The PostgreSQL read store: one client, the reads' `?` placeholders numbered, int8 and
 * numeric values as numbers (a type parser on this client's queries only, never
 * global), a snapshot as one REPEATABLE READ READ ONLY transaction, and big listings
 * streamed through a server-side cursor (FETCH 1000 at a time) so that no listing sits
 * in memory.
 */
import { loadPostgresTimeline } from './timelines.js';
import pg from 'pg';
import type { PersonTimeline } from '../../core/types.js';
import { BATCH_ROWS, type Params, type ReadStore } from '../read-store.js';
import { POSTGRES_DIALECT, type Dialect } from '../reads/dialect.js';
import type { QueryOptions, QueryResult } from '../reads/query.js';
import { closePostgres, connectPostgres, pgFailure, type PgClient, type PostgresLocation } from './connection.js';
import { runPostgresQuery } from './read-store-query.js';
import { checkPostgresReadable } from './store.js';

/** How every read begins its transaction: one consistent snapshot, writing nothing. */
export const READ_SNAPSHOT = 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY';

const INT8 = 20;
const NUMERIC = 1700;

/** int8 (counts, ids, days) and numeric (sums) as numbers, as SQLite gives them. */
export const NUMBER_TYPES: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: string) => {
    if (oid === INT8 || oid === NUMERIC) return (text: string) => Number(text);
    return pg.types.getTypeParser(oid, format as 'text');
  }) as pg.CustomTypesConfig['getTypeParser'],
};

/** A statement's `?` placeholders as $1, $2…, outside quoted text and identifiers (the reads' own texts). */
export function numberPlaceholders(sql: string): string {
  let out = '';
  let n = 0;
  let quote: string | null = null;
  for (const c of sql) {
    if (quote !== null) {
      if (c === quote) quote = null;
      out += c;
    } else if (c === "'" || c === '"') {
      quote = c;
      out += c;
    } else if (c === '?') {
      out += `$${++n}`;
    } else {
      out += c;
    }
  }
  return out;
}

function values(params: Params): unknown[] {
  if (!Array.isArray(params)) throw new Error('the PostgreSQL read store binds positional parameters only');
  return [...params];
}

export class PostgresReadStore implements ReadStore {
  readonly dialect: Dialect = POSTGRES_DIALECT;
  /** Open transactions of this client (snapshots and cursors); the outermost begins and ends it. */
  private depth = 0;
  private cursors = 0;

  constructor(
    readonly client: PgClient,
    readonly location: PostgresLocation,
  ) {}

  get label(): string {
    return this.location.label;
  }

  async all<T extends object>(sql: string, params: Params = []): Promise<T[]> {
    try {
      return (await this.client.query<T & pg.QueryResultRow>({ text: numberPlaceholders(sql), values: values(params), types: NUMBER_TYPES })).rows as T[];
    } catch (error) {
      throw pgFailure(error, this.location);
    }
  }

  async one<T extends object>(sql: string, params: Params = []): Promise<T | undefined> {
    return (await this.all<T>(sql, params))[0];
  }

  /** Runs `fn` inside one transaction (joining the open one, if any). */
  async inTransaction<T>(fn: () => Promise<T>, begin = READ_SNAPSHOT): Promise<T> {
    if (this.depth === 0) {
      try {
        await this.client.query(begin);
      } catch (error) {
        throw pgFailure(error, this.location);
      }
    }
    this.depth++;
    let result: T;
    try {
      result = await fn();
    } catch (error) {
      if (--this.depth === 0) await this.client.query('ROLLBACK').catch(() => {});
      throw pgFailure(error, this.location);
    }
    if (--this.depth === 0) {
      try {
        // Read only: ending it rolls nothing back that was written.
        await this.client.query('COMMIT');
      } catch (error) {
        throw pgFailure(error, this.location);
      }
    }
    return result;
  }

  snapshot<T>(fn: () => Promise<T>): Promise<T> {
    return this.inTransaction(fn);
  }

  /** Rows through a server-side cursor, 1000 at a time, inside the snapshot (its own when none is open). */
  async *batches<T extends object>(sql: string, params: Params = []): AsyncGenerator<T[]> {
    const cursor = `stayaudit_rows_${++this.cursors}`;
    let open = false;
    if (this.depth === 0) {
      try {
        await this.client.query(READ_SNAPSHOT);
      } catch (error) {
        throw pgFailure(error, this.location);
      }
    }
    this.depth++;
    let failed = false;
    try {
      await this.client.query({ text: `DECLARE ${cursor} NO SCROLL CURSOR FOR ${numberPlaceholders(sql)}`, values: values(params) });
      open = true;
      for (;;) {
        const fetched = await this.client.query<T & pg.QueryResultRow>({ text: `FETCH ${BATCH_ROWS} FROM ${cursor}`, types: NUMBER_TYPES });
        if (fetched.rows.length > 0) yield fetched.rows as T[];
        if (fetched.rows.length < BATCH_ROWS) break;
      }
    } catch (error) {
      failed = true;
      throw pgFailure(error, this.location);
    } finally {
      // Also when the reader stops early (a closed pipe, --limit).
      if (--this.depth === 0) {
        await this.client.query(failed ? 'ROLLBACK' : 'COMMIT').catch(() => {});
      } else if (open && !failed) {
        await this.client.query(`CLOSE ${cursor}`).catch(() => {});
      }
    }
  }

  /** The person's timeline, read as the audit reads it (inside the caller's snapshot). */
  async timeline(personKey: string): Promise<PersonTimeline | undefined> {
    try {
      return await loadPostgresTimeline(this.client, personKey);
    } catch (error) {
      throw pgFailure(error, this.location);
    }
  }

  userQuery(sql: string, params: Record<string, string>, options: QueryOptions): Promise<QueryResult> {
    return runPostgresQuery(this, sql, params, options);
  }

  async close(): Promise<void> {
    await closePostgres(this.client);
  }
}

/** A read store on a PostgreSQL database holding a stayaudit store of this version. */
export async function openPostgresReadStore(location: PostgresLocation): Promise<PostgresReadStore> {
  const client = await connectPostgres(location);
  try {
    await checkPostgresReadable(client, location);
  } catch (error) {
    await closePostgres(client);
    throw error;
  }
  return new PostgresReadStore(client, location);
}
