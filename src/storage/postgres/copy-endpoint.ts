/**
 * PostgreSQL's side of `stayaudit copy`: tables described from the catalogue, rows
 * read and written with COPY (pg-copy-streams) in PostgreSQL's text format, the read
 * in one repeatable-read snapshot, the write in one transaction.
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import { StorageError } from '../../errors.js';
import type { Cell, CopyEndpoint, TableShape } from '../copy.js';
import { closePostgres, connectPostgres, pgFailure, type PgClient, type PostgresLocation } from './connection.js';
import { checkPostgresReadable, migratePostgres } from './store.js';
import { PG_VERSION_TABLE } from './schema.js';

const INTEGER_TYPES = new Set(['bigint', 'integer', 'smallint']);
/** Text sent to COPY in pieces of about this many characters. */
const CHUNK_CHARS = 256 * 1024;

export async function postgresEndpoint(location: PostgresLocation, role: 'source' | 'target'): Promise<CopyEndpoint> {
  const client = await connectPostgres(location);
  try {
    if (role === 'source') await checkPostgresReadable(client, location);
    else await migratePostgres(client, location);
  } catch (error) {
    await closePostgres(client);
    throw error;
  }
  let open = false;
  let shapes: TableShape[] = [];
  const run = async <T>(fn: () => Promise<T>): Promise<T> => {
    try {
      return await fn();
    } catch (error) {
      throw pgFailure(error, location);
    }
  };
  return {
    label: location.label,
    async tables() {
      shapes = await run(() => postgresTables(client));
      return shapes;
    },
    async beginRead() {
      await run(() => client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY'));
      open = true;
    },
    async count(table) {
      return run(async () => Number((await client.query<{ n: string }>(`SELECT count(*) AS n FROM ${quoteIdent(table.name)}`)).rows[0]!.n));
    },
    async *rows(table) {
      const columns = table.columns.map(quoteIdent).join(', ');
      const order = table.order.map((c) => (table.integer[table.columns.indexOf(c)] ? quoteIdent(c) : `${quoteIdent(c)} COLLATE "C"`)).join(', ');
      const stream = client.query(copyTo(`COPY (SELECT ${columns} FROM ${quoteIdent(table.name)} ORDER BY ${order}) TO STDOUT`));
      try {
        yield* decodeCopyText(stream, table.integer);
      } catch (error) {
        throw pgFailure(error, location);
      }
    },
    async beginWrite() {
      await run(async () => {
        await client.query('BEGIN');
        open = true;
        await client.query(`SET LOCAL lock_timeout = '60s'`);
        if (shapes.length > 0) await client.query(`LOCK TABLE ${shapes.map((t) => quoteIdent(t.name)).join(', ')} IN EXCLUSIVE MODE`);
      });
    },
    async clear(tables) {
      if (tables.length === 0) return;
      await run(() => client.query(`TRUNCATE ${tables.map((t) => quoteIdent(t.name)).join(', ')}`));
    },
    async write(table, rows) {
      let written = 0;
      async function* text(): AsyncGenerator<string> {
        let chunk = '';
        for await (const row of rows) {
          chunk += encodeCopyRow(row, table);
          written++;
          if (chunk.length >= CHUNK_CHARS) {
            yield chunk;
            chunk = '';
          }
        }
        if (chunk.length > 0) yield chunk;
      }
      const columns = table.columns.map(quoteIdent).join(', ');
      await run(() => pipeline(Readable.from(text()), client.query(copyFrom(`COPY ${quoteIdent(table.name)} (${columns}) FROM STDIN`))));
      return written;
    },
    async commit(tables) {
      await run(async () => {
        for (const table of tables) await resetIdentities(client, table.name);
        await client.query('COMMIT');
        open = false;
      });
    },
    async rollback() {
      if (!open) return;
      open = false;
      await client.query('ROLLBACK').catch(() => {});
    },
    async close() {
      if (open) {
        open = false;
        await client.query('ROLLBACK').catch(() => {});
      }
      await closePostgres(client);
    },
  };
}

function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** The tables of the store (the first schema of search_path), as copy sees them. */
export async function postgresTables(client: PgClient): Promise<TableShape[]> {
  const tables = await client.query<{ oid: number; name: string }>(
    `SELECT c.oid::integer AS oid, c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') AND c.relname <> $1 ORDER BY c.relname`,
    [PG_VERSION_TABLE],
  );
  const shapes: TableShape[] = [];
  for (const { oid, name } of tables.rows) {
    const columns = await client.query<{ name: string; type: string }>(
      `SELECT attname AS name, format_type(atttypid, atttypmod) AS type FROM pg_attribute
       WHERE attrelid = $1 AND attnum > 0 AND NOT attisdropped ORDER BY attnum`,
      [oid],
    );
    const keys = await client.query<{ name: string }>(
      `SELECT a.attname AS name FROM pg_index i
       CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord)
       JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
       WHERE i.indrelid = $1 AND i.indisprimary ORDER BY k.ord`,
      [oid],
    );
    const parents = await client.query<{ name: string }>(
      `SELECT DISTINCT p.relname AS name FROM pg_constraint f JOIN pg_class p ON p.oid = f.confrelid
       WHERE f.conrelid = $1 AND f.contype = 'f' ORDER BY 1`,
      [oid],
    );
    const names = columns.rows.map((c) => c.name);
    shapes.push({
      name,
      columns: names,
      integer: columns.rows.map((c) => INTEGER_TYPES.has(c.type)),
      order: keys.rows.length > 0 ? keys.rows.map((k) => k.name) : names,
      parents: parents.rows.map((p) => p.name),
    });
  }
  return shapes;
}

/** Identity counters continue after the copied ids, as SQLite's rowids would. */
async function resetIdentities(client: PgClient, table: string): Promise<void> {
  const identities = await client.query<{ name: string }>(
    `SELECT attname AS name FROM pg_attribute WHERE attrelid = to_regclass($1) AND attidentity <> '' AND NOT attisdropped`,
    [quoteIdent(table)],
  );
  for (const { name } of identities.rows) {
    await client.query(
      `SELECT setval(pg_get_serial_sequence($1, $2), coalesce((SELECT max(${quoteIdent(name)}) FROM ${quoteIdent(table)}), 0) + 1, false)`,
      [quoteIdent(table), name],
    );
  }
}

// ---------------------------------------------------------------------------------
// COPY text format (PostgreSQL documentation, "COPY", File Formats: Text Format)

const ESCAPES: Record<string, string> = { '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t' };
const UNESCAPES: Record<string, string> = { b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v' };

/** One row as a line of COPY text: tab-separated, \N for null, backslash escapes. */
export function encodeCopyRow(row: readonly Cell[], table: TableShape): string {
  let line = '';
  for (let i = 0; i < row.length; i++) {
    const value = row[i];
    if (i > 0) line += '\t';
    if (value === null || value === undefined) {
      line += '\\N';
    } else if (typeof value === 'bigint') {
      line += value.toString();
    } else {
      if (value.includes('\u0000')) {
        throw new StorageError(`table ${table.name}, column ${table.columns[i]}: a value holds a NUL character, which PostgreSQL cannot store (${JSON.stringify(value.slice(0, 40))})`, 'remove the character from the source row (stayaudit query can find it), then copy again');
      }
      line += value.replace(/[\\\n\r\t]/g, (ch) => ESCAPES[ch]!);
    }
  }
  return line + '\n';
}

/** Decodes one field of COPY text (never null here). */
export function decodeCopyField(field: string): string {
  if (!field.includes('\\')) return field;
  return field.replace(/\\(.)/gs, (_, ch: string) => UNESCAPES[ch] ?? ch);
}

/** Rows of a COPY … TO STDOUT stream; integer columns as BigInt. */
export async function* decodeCopyText(stream: AsyncIterable<Buffer>, integer: readonly boolean[]): AsyncGenerator<Cell[]> {
  let rest: Buffer = Buffer.alloc(0);
  for await (const chunk of stream) {
    const data = rest.length > 0 ? Buffer.concat([rest, chunk]) : chunk;
    let start = 0;
    let end: number;
    // Newlines inside values are escaped: a raw 0x0A always ends a row, and never
    // falls inside a UTF-8 sequence.
    while ((end = data.indexOf(0x0a, start)) !== -1) {
      yield decodeLine(data.toString('utf8', start, end), integer);
      start = end + 1;
    }
    rest = data.subarray(start);
  }
  if (rest.length > 0) yield decodeLine(rest.toString('utf8'), integer);
}

function decodeLine(line: string, integer: readonly boolean[]): Cell[] {
  return line.split('\t').map((field, i) => {
    if (field === '\\N') return null;
    const text = decodeCopyField(field);
    return integer[i] ? BigInt(text) : text;
  });
}
