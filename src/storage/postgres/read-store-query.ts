/**
 * `stayaudit query` on PostgreSQL: the user's one statement runs in a
 * `REPEATABLE READ READ ONLY` transaction with `SET LOCAL statement_timeout`, through a
 * server-side cursor (rows stream), by the extended protocol (one statement only). As on
 * SQLite it is refused before it runs when it would write (its plan has a ModifyTable
 * node, or it is not a SELECT / WITH / VALUES / TABLE / EXPLAIN) or read the meta table
 * (the plan, views and CTEs expanded, names a relation `meta`); functions that run SQL
 * text or read files (query_to_xml, dblink, pg_read_file…) are refused by name. The real
 * fence on a shared server is the role's grants (README: a read-only role without meta).
 */
import pg from 'pg';
import { UsageError } from '../../errors.js';
import {
  FORBIDDEN,
  FORBIDDEN_HINT,
  META_REFUSED,
  PARAMS_HINT,
  READING_ONLY,
  SECRET_TABLE,
  TABLES_HINT,
  WRITE_HINT,
  DEFAULT_QUERY_TIMEOUT_SECONDS,
  withoutLeadingTrivia,
  type QueryOptions,
  type QueryResult,
} from '../reads/query.js';
import type { StoredCell } from '../reads/types.js';
import { BATCH_ROWS } from '../read-store.js';
import { pgFailure } from './connection.js';
import type { PostgresReadStore } from './read-store.js';

const READING = /^(SELECT|WITH|VALUES|TABLE|EXPLAIN)\b|^\(/i;
/** Functions that run SQL given as text (so no plan shows what they read) or reach files and other servers. */
const REACHING = /\b(\w*_to_xml\w*|dblink\w*|pg_read_\w+|pg_ls_\w+|pg_stat_file|lo_\w+|pg_file_\w+|current_setting|set_config)\s*\(/i;

const TEXT = (value: string): string => value;
const INT8 = 20;
const NUMERIC = 1700;
const BOOL = 16;
const NUMBERS = new Set([21, 23, 26, 700, 701]);

/** The user's columns as SQLite would give them: integers and numbers as numbers, booleans as 1/0, everything else as its text. */
const QUERY_TYPES: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: string) => {
    if (oid === INT8 || oid === NUMERIC) return (text: string) => Number(text);
    if (oid === BOOL) return (text: string) => (text === 't' ? 1 : 0);
    if (NUMBERS.has(oid)) return pg.types.getTypeParser(oid, format as 'text');
    return TEXT;
  }) as pg.CustomTypesConfig['getTypeParser'],
};

/**
 * The statement with `:name` parameters as $1, $2… (outside quoted text, comments and
 * `::` casts) and their values in that order; a name without a --param is a usage error.
 */
export function bindNamed(sql: string, params: Record<string, string>): { text: string; values: string[] } {
  const order: string[] = [];
  let out = '';
  let i = 0;
  while (i < sql.length) {
    const c = sql[i]!;
    const rest = sql.slice(i);
    let skip = 0;
    if (c === "'" || c === '"') {
      const close = sql.indexOf(c, i + 1);
      skip = (close < 0 ? sql.length : close + 1) - i;
    } else if (rest.startsWith('--')) {
      const newline = sql.indexOf('\n', i);
      skip = (newline < 0 ? sql.length : newline) - i;
    } else if (rest.startsWith('/*')) {
      const close = sql.indexOf('*/', i + 2);
      skip = (close < 0 ? sql.length : close + 2) - i;
    } else if (c === '$') {
      const tag = /^\$([A-Za-z_]\w*)?\$/.exec(rest);
      if (tag !== null) {
        const close = sql.indexOf(tag[0], i + tag[0].length);
        skip = (close < 0 ? sql.length : close + tag[0].length) - i;
      }
    } else if (rest.startsWith('::')) {
      skip = 2;
    } else if (c === ':') {
      const name = /^:([A-Za-z_]\w*)/.exec(rest);
      if (name !== null) {
        const key = name[1]!;
        if (!Object.hasOwn(params, key)) throw new UsageError(`query: missing named parameter ':${key}'`, PARAMS_HINT);
        let n = order.indexOf(key);
        if (n < 0) n = order.push(key) - 1;
        out += `$${n + 1}`;
        i += name[0].length;
        continue;
      }
    }
    if (skip > 0) {
      out += sql.slice(i, i + skip);
      i += skip;
    } else {
      out += c;
      i++;
    }
  }
  return { text: out, values: order.map((k) => params[k]!) };
}

/** A plan node as EXPLAIN (FORMAT JSON) gives it. */
interface PlanNode {
  'Node Type'?: string;
  'Relation Name'?: string;
  Plans?: PlanNode[];
}

function* planNodes(node: PlanNode): Generator<PlanNode> {
  yield node;
  for (const child of node.Plans ?? []) yield* planNodes(child);
}

/** The user's mistake (bad SQL, unknown table, bad value, a write, the timeout) as a UsageError; the rest as storage trouble. */
function userOrStorage(error: unknown, store: PostgresReadStore, hint: string, timeoutSeconds: number): Error {
  const code = String((error as { code?: unknown }).code ?? '');
  const message = (error as Error).message;
  if (code === '25006') return new UsageError(READING_ONLY, WRITE_HINT);
  if (code === '57014') return new UsageError(`query: the statement ran longer than ${timeoutSeconds} s (--timeout) and was cancelled`, 'narrow it (WHERE, LIMIT), or give it more time with --timeout SECONDS');
  // Syntax and access rules (42), data exceptions (22), cardinality (21), features (0A), invalid parameters (08P01: a bind mismatch).
  if (/^(42|22|21|0A|2F|38|39)/.test(code) || code === '08P01') return new UsageError(`query: ${message}`, hint);
  return pgFailure(error, store.location);
}

export async function runPostgresQuery(store: PostgresReadStore, sql: string, params: Record<string, string>, options: QueryOptions): Promise<QueryResult> {
  const text = withoutLeadingTrivia(sql).replace(/[\s;]+$/, '');
  if (FORBIDDEN.test(text)) throw new UsageError(READING_ONLY, FORBIDDEN_HINT);
  if (!READING.test(text)) throw new UsageError(READING_ONLY, WRITE_HINT);
  if (REACHING.test(text.replace(/"/g, ''))) {
    throw new UsageError('query cannot call functions that run SQL text or reach files or other servers (query_to_xml, dblink, pg_read_file…)', TABLES_HINT);
  }
  const bound = bindNamed(text, params);
  const timeoutMs = options.timeoutMs ?? DEFAULT_QUERY_TIMEOUT_SECONDS * 1000;
  const seconds = timeoutMs / 1000;
  const client = store.client;
  const run = <R extends pg.QueryResultRow>(config: pg.QueryConfig): Promise<pg.QueryResult<R>> => client.query<R>({ ...config, queryMode: 'extended' } as pg.QueryConfig);
  let open = true;
  const end = async (commit: boolean): Promise<void> => {
    if (!open) return;
    open = false;
    await client.query(commit ? 'COMMIT' : 'ROLLBACK').catch(() => {});
  };
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    await client.query(`SET LOCAL statement_timeout = ${Math.max(1, Math.round(timeoutMs))}`);
  } catch (error) {
    await end(false);
    throw pgFailure(error, store.location);
  }
  try {
    if (/^EXPLAIN\b/i.test(text)) {
      // An EXPLAIN lists a plan; ANALYZE runs it, and then the read-only transaction still holds.
      let listed: pg.QueryArrayResult<StoredCell[]>;
      try {
        listed = await client.query({ text: bound.text, values: bound.values, rowMode: 'array', types: QUERY_TYPES, queryMode: 'extended' } as pg.QueryArrayConfig);
      } catch (error) {
        throw userOrStorage(error, store, TABLES_HINT, seconds);
      }
      await end(true);
      const rows = listed.rows;
      return { columns: listed.fields.map((f) => f.name), rows: (async function* () { if (rows.length > 0) yield rows; })() };
    }
    let plan: PlanNode;
    try {
      const explained = await run<{ 'QUERY PLAN': [{ Plan: PlanNode }] }>({ text: `EXPLAIN (FORMAT JSON) ${bound.text}`, values: bound.values });
      plan = explained.rows[0]!['QUERY PLAN'][0].Plan;
    } catch (error) {
      throw userOrStorage(error, store, 'the tables and views are documented in the README ("Tables for query")', seconds);
    }
    for (const node of planNodes(plan)) {
      if (node['Node Type'] === 'ModifyTable') throw new UsageError(READING_ONLY, WRITE_HINT);
      if (node['Relation Name'] === SECRET_TABLE) throw new UsageError(META_REFUSED, TABLES_HINT);
    }
    try {
      await run({ text: `DECLARE stayaudit_query NO SCROLL CURSOR FOR ${bound.text}`, values: bound.values });
    } catch (error) {
      throw userOrStorage(error, store, PARAMS_HINT, seconds);
    }
    const fetch = async (): Promise<pg.QueryArrayResult<StoredCell[]>> => {
      try {
        return await client.query({ text: `FETCH ${BATCH_ROWS} FROM stayaudit_query`, rowMode: 'array', types: QUERY_TYPES } as pg.QueryArrayConfig);
      } catch (error) {
        throw userOrStorage(error, store, 'query reads the documented tables and views', seconds);
      }
    };
    const first = await fetch();
    const columns = first.fields.map((f) => f.name);
    async function* rows(): AsyncGenerator<StoredCell[][]> {
      let failed = false;
      try {
        let batch = first;
        for (;;) {
          if (batch.rows.length > 0) yield batch.rows;
          if (batch.rows.length < BATCH_ROWS) break;
          batch = await fetch();
        }
      } catch (error) {
        failed = true;
        throw error;
      } finally {
        await end(!failed);
      }
    }
    return { columns, rows: rows() };
  } catch (error) {
    await end(false);
    throw error;
  }
}
