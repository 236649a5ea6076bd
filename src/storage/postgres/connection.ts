/**
 * Connecting to PostgreSQL with node-postgres, and turning every driver or server
 * error into a StorageError whose text never holds a password. Settings the URL leaves
 * out come from the usual PG* variables (PGHOST, PGPORT, PGUSER, PGPASSWORD,
 * PGDATABASE, PGSSLMODE…), and a missing password from ~/.pgpass (or $PGPASSFILE).
 */
import pg from 'pg';
import pgpass from 'pgpass';
import { BusyError, StayauditError, StorageError, UsageError } from '../../errors.js';
import { scrubSecrets, type StoreLocation } from './location.js';

export type PgClient = pg.Client;
export type PostgresLocation = Extract<StoreLocation, { kind: 'postgres' }>;

export async function connectPostgres(location: PostgresLocation): Promise<PgClient> {
  let client: pg.Client;
  try {
    client = new pg.Client({ connectionString: location.url, application_name: 'stayaudit', connectionTimeoutMillis: 30_000 });
  } catch (error) {
    throw pgFailure(error, location); // a URL that cannot be parsed
  }
  // No password in the URL or PGPASSWORD (pg has read both): ~/.pgpass, looked up here
  // rather than by pg itself, whose own .pgpass support is deprecated (pg 9).
  const settings = client as unknown as { password: unknown; connectionParameters: unknown };
  if (settings.password === null || settings.password === undefined || settings.password === '') {
    settings.password = () => passwordFromPgpass(settings.connectionParameters);
  }
  // An error after connecting (server gone) must not crash the process unhandled.
  client.on('error', () => {});
  try {
    await client.connect();
    await client.query(`SET client_encoding = 'UTF8'`);
  } catch (error) {
    await client.end().catch(() => {});
    throw pgFailure(error, location);
  }
  return client;
}

function passwordFromPgpass(params: unknown): Promise<string | undefined> {
  return new Promise((resolve) => pgpass(params as pgpass.ConnectionInfo, resolve));
}

/** Closes a client, ignoring a connection that is already gone. */
export async function closePostgres(client: PgClient): Promise<void> {
  await client.end().catch(() => {});
}

/** Runs `fn` in one transaction: committed when it returns, rolled back when it throws. */
export async function inTransaction<T>(client: PgClient, location: PostgresLocation, begin: string, fn: () => Promise<T>): Promise<T> {
  try {
    await client.query(begin);
  } catch (error) {
    throw pgFailure(error, location);
  }
  try {
    const result = await fn();
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw pgFailure(error, location);
  }
}

/** A driver, network or server error as a StorageError (or BusyError) with a hint; no password in it. */
export function pgFailure(error: unknown, location: PostgresLocation): Error {
  if (error instanceof StayauditError) return error;
  const where = location.label;
  const code = String((error as { code?: unknown }).code ?? '');
  const scrub = (text: string): string => {
    let out = scrubSecrets(text, location.url);
    const envPassword = process.env['PGPASSWORD'];
    if (envPassword) out = out.split(envPassword).join('***');
    return out;
  };
  const message = scrub((error as Error)?.message ?? String(error));
  switch (code) {
    case 'ECONNREFUSED':
    case 'ENOENT':
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'ETIMEDOUT':
    case 'EHOSTUNREACH':
    case 'ECONNRESET':
    case 'EPIPE':
      return new StorageError(`cannot connect to PostgreSQL at ${where} (${message})`, 'check that the server is running and the host, port or socket directory in the URL (or PGHOST/PGPORT)');
    case '28P01':
    case '28000':
      return new StorageError(`PostgreSQL refused the login at ${where} (${message})`, 'check the user and password: in the URL, PGPASSWORD or ~/.pgpass (PGPASSFILE)');
    case '3D000':
      return new StorageError(`PostgreSQL database at ${where} does not exist (${message})`, 'create it first (createdb NAME), or fix the database name in the URL');
    case '42501':
      return new StorageError(`permission denied on ${where} (${message})`, 'connect as a role that owns the stayaudit schema, or ask for the grants it needs');
    case '53100':
      return new StorageError(`the PostgreSQL server of ${where} is out of disk space; nothing of this operation was kept`, 'free disk space on the server and run the same command again');
    case '40P01':
    case '55P03':
      return new BusyError(`PostgreSQL store ${where} is locked by another process (${message})`, 'wait for the other command to finish, then run it again');
    default:
      if (/^[0-9A-Z]{5}$/.test(code)) return new StorageError(`PostgreSQL error on ${where}: ${message} (${code})`);
      if (/password|SASL|SCRAM/i.test(message)) {
        return new StorageError(`PostgreSQL login at ${where} failed (${message})`, 'the server wants a password: give it in the URL, PGPASSWORD or ~/.pgpass (PGPASSFILE)');
      }
      if (error instanceof TypeError && /invalid url/i.test(message)) {
        return new UsageError(`cannot use the PostgreSQL URL ${where} (${message})`, 'write it as postgres://USER:PASSWORD@HOST:PORT/DATABASE, with special characters of the password %-encoded');
      }
      return new StorageError(`PostgreSQL failure on ${where}: ${message}`, 'check the server and the URL, and run the same command again');
  }
}
