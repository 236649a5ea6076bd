import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openConnection } from '../../src/storage/database.js';
import { SCHEMA_VERSION } from '../../src/storage/schema.js';
import { PG_SCHEMA_VERSION, PG_VERSION_TABLE } from '../../src/storage/postgres/schema.js';
import { ROOT, run, tempDir } from '../e2e/helpers.js';
import { SKIP_PG, usePgServer, withDatabase, type PgServer } from './server.js';

/** A schema as both engines can describe it: what must not drift apart. */
interface SchemaShape {
  tables: Record<string, { columns: string[]; primaryKey: string[]; parents: string[] }>;
  views: Record<string, string[]>;
  indexes: string[];
}

function sqliteShape(file: string): SchemaShape {
  const db = new Database(file, { readonly: true });
  try {
    const shape: SchemaShape = { tables: {}, views: {}, indexes: [] };
    const objects = db.prepare(`SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY name`).all() as { type: string; name: string; sql: string | null }[];
    for (const { type, name, sql } of objects) {
      const info = db.prepare('SELECT name, type, "notnull" AS nn, pk FROM pragma_table_info(?) ORDER BY cid').all(name) as { name: string; type: string; nn: number; pk: number }[];
      if (type === 'table') {
        shape.tables[name] = {
          // A key column is never null in either engine, declared so or not.
          columns: info.map((c) => `${c.name} ${/INT/i.test(c.type) ? 'integer' : c.type.toLowerCase()}${c.nn || c.pk ? ' not null' : ''}`),
          primaryKey: info.filter((c) => c.pk > 0).sort((a, b) => a.pk - b.pk).map((c) => c.name),
          parents: (db.prepare('SELECT DISTINCT "table" FROM pragma_foreign_key_list(?) ORDER BY 1').pluck().all(name) as string[]),
        };
      } else if (type === 'view') {
        shape.views[name] = info.map((c) => c.name);
      } else if (type === 'index' && sql !== null) {
        shape.indexes.push(name);
      }
    }
    return shape;
  } finally {
    db.close();
  }
}

async function postgresShape(server: PgServer, url: string): Promise<SchemaShape> {
  const shape: SchemaShape = { tables: {}, views: {}, indexes: [] };
  const tables = await server.sql<{ table_name: string; table_type: string }>(
    url,
    `SELECT table_name, table_type FROM information_schema.tables WHERE table_schema = current_schema() AND table_name <> $1 ORDER BY table_name`,
    [PG_VERSION_TABLE],
  );
  for (const { table_name: name, table_type: kind } of tables) {
    const columns = await server.sql<{ column_name: string; data_type: string; is_nullable: string }>(
      url,
      `SELECT column_name, data_type, is_nullable FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position`,
      [name],
    );
    if (kind === 'VIEW') {
      shape.views[name] = columns.map((c) => c.column_name);
      continue;
    }
    const key = await server.sql<{ column_name: string }>(
      url,
      `SELECT k.column_name FROM information_schema.table_constraints t
       JOIN information_schema.key_column_usage k ON k.constraint_name = t.constraint_name AND k.table_schema = t.table_schema AND k.table_name = t.table_name
       WHERE t.table_schema = current_schema() AND t.table_name = $1 AND t.constraint_type = 'PRIMARY KEY' ORDER BY k.ordinal_position`,
      [name],
    );
    const parents = await server.sql<{ parent: string }>(
      url,
      `SELECT DISTINCT u.table_name AS parent FROM information_schema.table_constraints t
       JOIN information_schema.constraint_column_usage u ON u.constraint_name = t.constraint_name AND u.constraint_schema = t.constraint_schema
       WHERE t.table_schema = current_schema() AND t.table_name = $1 AND t.constraint_type = 'FOREIGN KEY' ORDER BY 1`,
      [name],
    );
    shape.tables[name] = {
      columns: columns.map((c) => `${c.column_name} ${c.data_type === 'bigint' ? 'integer' : c.data_type}${c.is_nullable === 'NO' ? ' not null' : ''}`),
      primaryKey: key.map((k) => k.column_name),
      parents: parents.map((p) => p.parent),
    };
  }
  // Indexes made by CREATE INDEX (not those behind primary keys and UNIQUE constraints).
  const indexes = await server.sql<{ indexname: string }>(
    url,
    `SELECT i.indexname FROM pg_indexes i WHERE i.schemaname = current_schema()
     AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname AND c.contype IN ('p', 'u')) ORDER BY 1`,
  );
  shape.indexes = indexes.map((i) => i.indexname);
  return shape;
}

describe.skipIf(SKIP_PG)('the PostgreSQL schema', () => {
  const pgServer = usePgServer();
  let tmp: ReturnType<typeof tempDir>;
  beforeAll(async () => {
    tmp = tempDir('stayaudit-pg-schema-');
  });
  afterAll(async () => {
    tmp?.cleanup();
  });

  it('has the tables, columns, keys, foreign keys, views and indexes of the latest SQLite schema', async () => {
    const server = pgServer();
    const file = path.join(tmp.dir, 'shape.db');
    openConnection(file, { create: true }).close();
    const url = await server.database();
    const init = await run(['--db', url, 'init']);
    expect(init.code, init.stderr).toBe(0);
    const sqlite = sqliteShape(file);
    const postgres = await postgresShape(server, url);
    expect(Object.keys(sqlite.tables).length).toBeGreaterThan(10);
    expect(postgres).toEqual(sqlite);
    expect(PG_SCHEMA_VERSION).toBe(SCHEMA_VERSION);
  });

  it('init creates the store once, records its version, and then does nothing', async () => {
    const server = pgServer();
    const url = await server.database();
    const first = await run(['--db', url, 'init']);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stderr).toContain(`created a stayaudit store in ${url} (schema version ${SCHEMA_VERSION})`);
    const secret = await server.sql<{ value: string }>(url, `SELECT value FROM meta WHERE key = 'mask_secret'`);
    expect(secret[0]!.value).toMatch(/^[0-9a-f]{32}$/);
    const again = await run(['--db', url, 'init'], { env: {} });
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toContain(`is a stayaudit store at schema version ${SCHEMA_VERSION}`);
    expect(await server.sql(url, `SELECT max(version) AS version FROM ${PG_VERSION_TABLE}`)).toEqual([{ version: SCHEMA_VERSION }]);
    // The mask key is the store's own: init again keeps it.
    expect(await server.sql(url, `SELECT value FROM meta WHERE key = 'mask_secret'`)).toEqual(secret);
    // STAYAUDIT_DB names the store as --db does.
    const viaEnv = await run(['init'], { env: { STAYAUDIT_DB: url } });
    expect(viaEnv.code, viaEnv.stderr).toBe(0);
    expect(viaEnv.stderr).toContain('is a stayaudit store');
  });

  it('init refuses a store of a newer schema with the exit code SQLite gives, and leaves it untouched', async () => {
    const server = pgServer();
    const url = await server.database();
    expect((await run(['--db', url, 'init'])).code).toBe(0);
    await server.sql(url, `INSERT INTO ${PG_VERSION_TABLE} (version) VALUES (${SCHEMA_VERSION + 1})`);
    await server.sql(url, `INSERT INTO persons (person_key, citizenship, document_no) VALUES ('K', 'RUS', 'D1')`);
    const refused = await run(['--db', url, 'init']);
    expect(refused.code).toBe(4);
    expect(refused.stderr).toContain(`has schema version ${SCHEMA_VERSION + 1}, newer than this stayaudit understands (${SCHEMA_VERSION})`);
    expect(await server.sql(url, `SELECT person_key FROM persons`)).toEqual([{ person_key: 'K' }]);

    // The same refusal, same code, for a newer SQLite file.
    const file = path.join(tmp.dir, 'newer.db');
    const db = new Database(file);
    db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    db.close();
    const sqliteRefused = await run(['--db', file, 'init']);
    expect(sqliteRefused.code).toBe(4);
    expect(sqliteRefused.stderr).toContain(`has schema version ${SCHEMA_VERSION + 1}, newer than this stayaudit understands (${SCHEMA_VERSION})`);
  });

  it("init refuses a database whose schema holds another application's tables", async () => {
    const server = pgServer();
    const url = await server.database();
    await server.sql(url, 'CREATE TABLE invoices (id integer PRIMARY KEY)');
    const refused = await run(['--db', url, 'init']);
    expect(refused.code).toBe(4);
    expect(refused.stderr).toContain('already holds tables of another application in schema public');
    expect(await server.sql(url, `SELECT to_regclass('persons') IS NULL AS absent`)).toEqual([{ absent: true }]);
  });

  it('init refuses a database that sorts text by a language (ICU en-US), and accepts one created with the C locale', async () => {
    const server = pgServer();
    const name = `icu_${process.pid}_${Date.now().toString(36)}`;
    await server.sql(server.url, `CREATE DATABASE ${name} TEMPLATE template0 LOCALE 'C' LOCALE_PROVIDER icu ICU_LOCALE 'en-US'`);
    const url = withDatabase(server.url, name);
    const refused = await run(['--db', url, 'init']);
    expect(refused.code).toBe(4);
    expect(refused.stderr).toContain('sorts text by a language');
    expect(refused.stderr).toContain('createdb --locale=C --template=template0');
    expect(await server.sql(url, `SELECT to_regclass('persons') IS NULL AS absent`)).toEqual([{ absent: true }]);
    const plain = await server.database();
    expect((await run(['--db', plain, 'init'])).code).toBe(0);
  });

  it('init on an SQLite path creates an empty store, and again leaves it as it is', async () => {
    const file = path.join(tmp.dir, 'new.db');
    const created = await run(['--db', file, 'init']);
    expect(created.code, created.stderr).toBe(0);
    expect(created.stderr).toContain(`created a stayaudit store in ${file} (schema version ${SCHEMA_VERSION})`);
    const db = new Database(file, { readonly: true });
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(db.prepare('SELECT count(*) FROM persons').pluck().get()).toBe(0);
    db.close();
    const again = await run(['--db', file, 'init']);
    expect(again.code).toBe(0);
    expect(again.stderr).toContain(`${file} is a stayaudit store at schema version ${SCHEMA_VERSION}`);
    expect(fs.existsSync(file)).toBe(true);
  });

  it("the README's read-only role for analysts reads the tables and views, not meta, and cannot write", async () => {
    const server = pgServer();
    const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const block = /\*\*A read-only role for analysts\.\*\*[\s\S]*?```sql\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(block, 'the README shows the grant').toBeDefined();
    const url = await server.database();
    expect((await run(['--db', url, 'init'])).code).toBe(0);
    const database = /\/([^/?#]+)(?:\?|$)/.exec(url.replace(/^postgres(?:ql)?:\/\/[^/]*/, ''))![1]!;
    const role = `analyst_${process.pid}`;
    const password = 'change-me';
    const sql = block!.replaceAll('analyst', role).replaceAll('DATABASE stayaudit', `DATABASE ${database}`);
    await server.sql(url, sql);
    await server.sql(url, `INSERT INTO persons (person_key, citizenship, document_no) VALUES ('K', 'RUS', 'D1')`);
    const asAnalyst = url.replace(/^(postgres(?:ql)?:\/\/)[^@/]*@/, `$1${role}:${password}@`);
    expect(await server.sql(asAnalyst, 'SELECT person_key FROM persons')).toEqual([{ person_key: 'K' }]);
    expect(await server.sql(asAnalyst, 'SELECT count(*)::integer AS n FROM findings_detail')).toEqual([{ n: 0 }]);
    await expect(server.sql(asAnalyst, 'SELECT * FROM meta')).rejects.toThrow(/permission denied/);
    await expect(server.sql(asAnalyst, `DELETE FROM persons`)).rejects.toThrow(/read-only transaction|permission denied/);
    await expect(server.sql(asAnalyst, `BEGIN READ WRITE; DELETE FROM persons; COMMIT`)).rejects.toThrow(/permission denied/);
    expect(await server.sql(asAnalyst, 'SHOW statement_timeout')).toEqual([{ statement_timeout: '5min' }]);
  });
});
