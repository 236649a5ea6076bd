/**
 * Setting up and checking a PostgreSQL store: versioned migrations (in the first
 * schema of the connection's search_path, usually `public`), a newer schema refused
 * as SQLite refuses a newer file, and the table shapes `copy` needs.
 */
import { StorageError } from '../../errors.js';
import { inTransaction, pgFailure, type PgClient, type PostgresLocation } from './connection.js';
import { PG_MIGRATIONS, PG_SCHEMA_VERSION, PG_VERSION_TABLE } from './schema.js';

/** Any fixed number: the advisory lock that keeps two migrations of one database apart. */
const MIGRATION_LOCK = 1_751_797_017;

/** The store's schema version: 0 when stayaudit has not set it up. */
export async function postgresSchemaVersion(client: PgClient, location: PostgresLocation): Promise<number> {
  try {
    const exists = await client.query<{ present: boolean }>(`SELECT to_regclass($1) IS NOT NULL AS present`, [PG_VERSION_TABLE]);
    if (exists.rows[0]?.present !== true) return 0;
    const version = await client.query<{ version: number | null }>(`SELECT max(version)::integer AS version FROM ${PG_VERSION_TABLE}`);
    return version.rows[0]?.version ?? 0;
  } catch (error) {
    throw pgFailure(error, location);
  }
}

export function newerSchemaError(location: PostgresLocation, version: number): StorageError {
  return new StorageError(
    `database ${location.label} has schema version ${version}, newer than this stayaudit understands (${PG_SCHEMA_VERSION})`,
    'use the newer stayaudit that wrote it; this version will not touch the database',
  );
}

/**
 * Text in a stayaudit store must order and compare as SQLite's BINARY collation does
 * (byte order): person keys are read in key order and merged by code point, and
 * listings sorted by a text column must come out as on SQLite. A database created
 * with a natural-language collation (en_US, ICU) orders 'a' before 'B'; it is refused,
 * by what its comparisons do, whatever the provider.
 */
export async function checkBinaryCollation(client: PgClient, location: PostgresLocation): Promise<void> {
  let row: { binary: boolean; collation: string | null } | undefined;
  try {
    row = (
      await client.query<{ binary: boolean; collation: string | null }>(
        `SELECT ('B' < 'a' AND 'Z' < '_' AND '_' < 'a' AND 'a' < 'é' AND 'ab' < 'a~' AND 'A b' < 'Ab') AS binary,
                (SELECT datcollate FROM pg_database WHERE datname = current_database()) AS collation`,
      )
    ).rows[0];
  } catch (error) {
    throw pgFailure(error, location);
  }
  if (row?.binary === true) return;
  throw new StorageError(
    `database ${location.label} sorts text by a language's rules (collation ${row?.collation ?? 'unknown'}), not byte by byte as a stayaudit store must`,
    'create the database with the C collation and use that one: createdb --locale=C --template=template0 NAME (or CREATE DATABASE NAME LOCALE \'C\' TEMPLATE template0)',
  );
}

export interface MigrationOutcome {
  from: number;
  to: number;
}

/**
 * Brings the store to PG_SCHEMA_VERSION (creating it on an empty schema) in one
 * transaction; idempotent. Refuses a newer schema and a schema that holds another
 * application's tables, leaving both untouched.
 */
export async function migratePostgres(client: PgClient, location: PostgresLocation): Promise<MigrationOutcome> {
  return inTransaction(client, location, 'BEGIN', async () => {
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    const schema = (await client.query<{ name: string | null }>('SELECT current_schema() AS name')).rows[0]?.name ?? null;
    if (schema === null) {
      throw new StorageError(`database ${location.label} has no schema to create tables in (search_path names none that exists)`, 'create the schema, or set search_path (e.g. options=-csearch_path=public in the URL)');
    }
    const from = await postgresSchemaVersion(client, location);
    if (from > PG_SCHEMA_VERSION) throw newerSchemaError(location, from);
    await checkBinaryCollation(client, location);
    if (from === 0) {
      const others = await client.query<{ n: number }>(
        `SELECT count(*)::integer AS n FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p', 'v', 'm', 'f')`,
      );
      if ((others.rows[0]?.n ?? 0) > 0) {
        throw new StorageError(
          `database ${location.label} already holds tables of another application in schema ${schema}, not a stayaudit store`,
          'use an empty database, or an empty schema of it (options=-csearch_path=SCHEMA in the URL)',
        );
      }
      await client.query(`CREATE TABLE ${PG_VERSION_TABLE} (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`);
    }
    for (const migration of PG_MIGRATIONS) {
      if (migration.to <= from) continue;
      await client.query(migration.sql);
      await client.query(`INSERT INTO ${PG_VERSION_TABLE} (version) VALUES ($1)`, [migration.to]);
    }
    return { from, to: PG_SCHEMA_VERSION };
  });
}

/** For reading (copy's source): the store must exist at exactly this version. */
export async function checkPostgresReadable(client: PgClient, location: PostgresLocation): Promise<void> {
  const version = await postgresSchemaVersion(client, location);
  if (version > 0 && version <= PG_SCHEMA_VERSION) await checkBinaryCollation(client, location);
  if (version === 0) throw new StorageError(`database ${location.label} holds no stayaudit store yet`, `create one with: stayaudit --db URL init (or copy a store into it)`);
  if (version > PG_SCHEMA_VERSION) throw newerSchemaError(location, version);
  if (version < PG_SCHEMA_VERSION) throw new StorageError(`database ${location.label} has schema version ${version}; it needs an upgrade to ${PG_SCHEMA_VERSION}`, 'run stayaudit --db URL init once to upgrade it');
}
