/**
 * `stayaudit copy`: moves a whole store between SQLite and PostgreSQL (either way, or
 * like to like). Every table is read in key order inside one snapshot of the source
 * and written in one transaction on the target (PostgreSQL through COPY), parents
 * before children; the row counts of every table are checked before the commit, so
 * the target ends as an exact copy or as it was.
 *
 * Values travel as text, bigint or null: integers stay exact (SQLite is read with
 * safe integers, PostgreSQL's bigint columns are parsed to BigInt).
 */
import fs from 'node:fs';
import { StorageError, UsageError } from '../errors.js';
import { BatchedInsert, openConnection, storageFailure, type Connection } from './database.js';
import { SCHEMA_VERSION } from './schema.js';
import { RECENT_TWINNED, sqliteRowsOf } from './reads/dialect.js';
import type { StoreLocation } from './postgres/location.js';

export type Cell = string | bigint | null;

export interface TableShape {
  name: string;
  columns: string[];
  /** Per column: an integer column (SQLite INTEGER, PostgreSQL bigint/integer). */
  integer: boolean[];
  /** Columns that order the rows: the primary key, else every column. */
  order: string[];
  /** Tables this one refers to by foreign key. */
  parents: string[];
}

/** One side of a copy. A source reads; a target writes inside its transaction. */
export interface CopyEndpoint {
  readonly label: string;
  tables(): Promise<TableShape[]>;
  /** Source: starts the snapshot every later read sees. */
  beginRead(): Promise<void>;
  count(table: TableShape): Promise<number>;
  rows(table: TableShape): AsyncIterable<Cell[]>;
  /** Target: starts the one write transaction. */
  beginWrite(): Promise<void>;
  clear(tablesChildFirst: readonly TableShape[]): Promise<void>;
  /** Writes the rows; returns how many. */
  write(table: TableShape, rows: AsyncIterable<Cell[]>): Promise<number>;
  /** Target: after the rows (e.g. identity counters), then commit. */
  commit(tables: readonly TableShape[]): Promise<void>;
  rollback(): Promise<void>;
  /** `failed`: the copy did not complete (a target file this copy created is removed). */
  close(failed: boolean): Promise<void>;
}

export interface CopyOptions {
  replace: boolean;
}

export interface CopiedTable {
  table: string;
  rows: number;
}

export interface CopyOutcome {
  from: string;
  to: string;
  tables: CopiedTable[];
  seconds: number;
}

/** Tables copied even into a "non-empty" target: a new store already holds its mask key. */
const SETUP_TABLES = new Set(['meta']);

export async function copyStore(from: StoreLocation, to: StoreLocation, options: CopyOptions): Promise<CopyOutcome> {
  if (sameLocation(from, to)) throw new UsageError(`--from and --to name the same store (${from.label})`, 'copy to another file or database');
  const started = process.hrtime.bigint();
  const source = await openEndpoint(from, 'source');
  let target: CopyEndpoint | undefined;
  let failed = true;
  try {
    target = await openEndpoint(to, 'target');
    const tables = orderByParents(withoutRecent(await source.tables()));
    checkSameShape(tables, withoutRecent(await target.tables()), source.label, target.label);

    await source.beginRead();
    await target.beginWrite();
    try {
      const expected = new Map<string, number>();
      for (const table of tables) expected.set(table.name, await source.count(table));
      if (options.replace) {
        await target.clear([...tables].reverse());
      } else {
        const filled: string[] = [];
        for (const table of tables) {
          if (!SETUP_TABLES.has(table.name) && (await target.count(table)) > 0) filled.push(table.name);
        }
        if (filled.length > 0) {
          throw new UsageError(
            `the target ${target.label} is not empty (${filled.slice(0, 5).join(', ')}${filled.length > 5 ? ', …' : ''} hold rows); nothing was copied`,
            'copy into a new file or an empty database, or add --replace to overwrite everything in the target',
          );
        }
        await target.clear(tables.filter((table) => SETUP_TABLES.has(table.name)).reverse());
      }
      const copied: CopiedTable[] = [];
      for (const table of tables) {
        const written = await target.write(table, source.rows(table));
        const want = expected.get(table.name)!;
        const stored = await target.count(table);
        if (written !== want || stored !== want) {
          throw new StorageError(`copy of table ${table.name} is incomplete: the source has ${want} rows, ${written} were written and the target holds ${stored}; nothing was kept`, 'run the same copy again; if it fails again, report it with --debug');
        }
        copied.push({ table: table.name, rows: stored });
      }
      await target.commit(tables);
      failed = false;
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      return { from: source.label, to: target.label, tables: copied, seconds };
    } catch (error) {
      await target.rollback();
      throw error;
    }
  } finally {
    await target?.close(failed);
    await source.close(false);
  }
}

/**
 * The recent tables (schema 8) travel inside their clustered twins: an SQLite source
 * reads crossings and persons with them, an SQLite target stores every row in the
 * clustered tables (as if folded); PostgreSQL's stay empty.
 */
const RECENT_TABLES = new Set(RECENT_TWINNED.map((table) => `${table}_recent`));

function withoutRecent(tables: TableShape[]): TableShape[] {
  return tables.filter((table) => !RECENT_TABLES.has(table.name));
}

/** A table's rows on SQLite as a FROM item (crossings and persons with their recent twins). */
function sqliteRows(name: string): string {
  return sqliteRowsOf(name, quoteIdent(name));
}

function sameLocation(a: StoreLocation, b: StoreLocation): boolean {
  if (a.kind === 'sqlite' && b.kind === 'sqlite') return a.file === b.file;
  if (a.kind === 'postgres' && b.kind === 'postgres') return a.url === b.url;
  return false;
}

async function openEndpoint(location: StoreLocation, role: 'source' | 'target'): Promise<CopyEndpoint> {
  if (location.kind === 'postgres') {
    const { postgresEndpoint } = await import('./postgres/copy-endpoint.js');
    return postgresEndpoint(location, role);
  }
  return sqliteEndpoint(location.file, role);
}

/** Parents before children, otherwise in name order (deterministic). */
export function orderByParents(tables: readonly TableShape[]): TableShape[] {
  const byName = new Map(tables.map((t) => [t.name, t]));
  const done = new Set<string>();
  const ordered: TableShape[] = [];
  const visit = (table: TableShape, path: Set<string>): void => {
    if (done.has(table.name)) return;
    if (path.has(table.name)) throw new StorageError(`tables refer to each other in a cycle (${[...path, table.name].join(' → ')}); copy cannot order them`);
    path.add(table.name);
    for (const parent of [...table.parents].sort()) {
      const shape = byName.get(parent);
      if (shape !== undefined && parent !== table.name) visit(shape, path);
    }
    path.delete(table.name);
    done.add(table.name);
    ordered.push(table);
  };
  for (const table of [...tables].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) visit(table, new Set());
  return ordered;
}

function checkSameShape(source: readonly TableShape[], target: readonly TableShape[], sourceLabel: string, targetLabel: string): void {
  const targets = new Map(target.map((t) => [t.name, t]));
  const problems: string[] = [];
  for (const table of source) {
    const other = targets.get(table.name);
    if (other === undefined) {
      problems.push(`table ${table.name} is missing`);
      continue;
    }
    const theirs = new Map(other.columns.map((c, i) => [c, other.integer[i]]));
    table.columns.forEach((column, i) => {
      if (!theirs.has(column)) problems.push(`column ${table.name}.${column} is missing`);
      else if (theirs.get(column) !== table.integer[i]) problems.push(`column ${table.name}.${column} has another type`);
    });
    for (const column of other.columns) if (!table.columns.includes(column)) problems.push(`column ${table.name}.${column} is only in the target`);
  }
  for (const table of target) if (!source.some((t) => t.name === table.name)) problems.push(`table ${table.name} is only in the target`);
  if (problems.length > 0) {
    throw new StorageError(
      `the schemas of ${sourceLabel} and ${targetLabel} differ: ${problems.slice(0, 5).join('; ')}${problems.length > 5 ? '; …' : ''}`,
      'both must be at the same stayaudit schema version: run stayaudit init on each with this version of stayaudit',
    );
  }
}

// ---------------------------------------------------------------------------------
// SQLite side

function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

function sqliteEndpoint(file: string, role: 'source' | 'target'): CopyEndpoint {
  const created = role === 'target' && !fs.existsSync(file);
  const db: Connection = role === 'source' ? openConnection(file, { readonly: true }) : openConnection(file, { create: true });
  if (role === 'source') {
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version !== SCHEMA_VERSION) {
      db.close();
      throw new StorageError(`database ${file} has schema version ${version}, not ${SCHEMA_VERSION}`, 'run any writing command (e.g. stayaudit init) on it once to upgrade it');
    }
  }
  let open = false;
  const guard = <T>(fn: () => T): T => {
    try {
      return fn();
    } catch (error) {
      throw storageFailure(error, file);
    }
  };
  return {
    label: file,
    async tables() {
      return guard(() => sqliteTables(db));
    },
    async beginRead() {
      guard(() => db.exec('BEGIN'));
      open = true;
    },
    async count(table) {
      return guard(() => Number((db.prepare(`SELECT count(*) FROM ${sqliteRows(table.name)}`).pluck().get() as number)));
    },
    async *rows(table) {
      const columns = table.columns.map(quoteIdent).join(', ');
      const order = table.order.map(quoteIdent).join(', ');
      const statement = guard(() => db.prepare(`SELECT ${columns} FROM ${sqliteRows(table.name)} ORDER BY ${order}`).safeIntegers(true).raw(true));
      const iterator = (statement.iterate() as IterableIterator<unknown[]>)[Symbol.iterator]();
      try {
        for (;;) {
          const next = guard(() => iterator.next());
          if (next.done === true) return;
          yield next.value.map((value) => (typeof value === 'number' ? String(value) : (value as Cell)));
        }
      } finally {
        iterator.return?.(); // a failed target stops reading: the statement is reset
      }
    },
    async beginWrite() {
      guard(() => db.exec('BEGIN IMMEDIATE'));
      open = true;
    },
    async clear(tables) {
      guard(() => {
        for (const table of tables) {
          db.exec(`DELETE FROM ${quoteIdent(table.name)}`);
          if (RECENT_TWINNED.includes(table.name)) db.exec(`DELETE FROM ${table.name}_recent`);
        }
      });
    },
    async write(table, rows) {
      const placeholders = table.columns.map(() => '?').join(', ');
      const insert = guard(() => new BatchedInsert(db, `INSERT INTO ${quoteIdent(table.name)} (${table.columns.map(quoteIdent).join(', ')})`, `(${placeholders})`));
      let written = 0;
      for await (const row of rows) {
        guard(() => insert.add(row));
        written++;
      }
      guard(() => insert.flush());
      return written;
    },
    async commit() {
      guard(() => db.exec('COMMIT'));
      open = false;
    },
    async rollback() {
      if (!open) return;
      open = false;
      try {
        db.exec('ROLLBACK');
      } catch {
        // Already rolled back by SQLite (e.g. disk full).
      }
    },
    async close(failed) {
      if (open) {
        open = false;
        try {
          db.exec(role === 'source' ? 'COMMIT' : 'ROLLBACK');
        } catch {
          // Nothing left to end.
        }
      }
      db.close();
      if (failed && created) {
        for (const suffix of ['', '-wal', '-shm', '-journal']) fs.rmSync(file + suffix, { force: true });
      }
    },
  };
}

/** The tables of an SQLite store as copy sees them (sqlite_master and pragmas). */
export function sqliteTables(db: Connection): TableShape[] {
  const names = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`).pluck().all() as string[];
  return names.map((name) => {
    const info = db.prepare(`SELECT name, type, pk FROM pragma_table_info(?) ORDER BY cid`).all(name) as { name: string; type: string; pk: number }[];
    const keys = info.filter((c) => c.pk > 0).sort((a, b) => a.pk - b.pk).map((c) => c.name);
    const parents = db.prepare(`SELECT DISTINCT "table" FROM pragma_foreign_key_list(?)`).pluck().all(name) as string[];
    return {
      name,
      columns: info.map((c) => c.name),
      integer: info.map((c) => /INT/i.test(c.type)),
      order: keys.length > 0 ? keys : info.map((c) => c.name),
      parents,
    };
  });
}
