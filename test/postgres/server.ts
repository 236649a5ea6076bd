/**
 * The PostgreSQL server of the test/postgres files: $STAYAUDIT_TEST_PG_URL when set
 * (a superuser's URL), else a throwaway cluster started by scripts/pg-cluster.sh for
 * the file and removed after it. No PostgreSQL is a failure, never a silent skip,
 * unless STAYAUDIT_SKIP_PG=1 says to skip these tests.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll } from 'vitest';
import { ROOT } from '../e2e/helpers.js';

const run = promisify(execFile);

export const SKIP_PG = process.env['STAYAUDIT_SKIP_PG'] === '1';
export const CLUSTER_SCRIPT = path.join(ROOT, 'scripts', 'pg-cluster.sh');

export interface PgServer {
  /** A superuser's URL (database postgres). */
  url: string;
  /** A new empty database on the server; its URL. */
  database(prefix?: string): Promise<string>;
  /** SQL on a database of the server, as the superuser. */
  sql<T extends pg.QueryResultRow = pg.QueryResultRow>(url: string, text: string, values?: unknown[]): Promise<T[]>;
  stop(): Promise<void>;
}

let counter = 0;

export async function startPgServer(): Promise<PgServer> {
  let url = process.env['STAYAUDIT_TEST_PG_URL'];
  let clusterDir: string | undefined;
  if (url === undefined || url === '') {
    try {
      const { stdout } = await run(CLUSTER_SCRIPT, ['start'], { env: process.env });
      [clusterDir, url] = stdout.trim().split('\n');
    } catch (error) {
      const stderr = String((error as { stderr?: unknown }).stderr ?? '').trim();
      throw new Error(
        `no PostgreSQL server for the PostgreSQL tests: ${stderr || (error as Error).message}\n` +
          'Install PostgreSQL 15 (apt-get install postgresql), or point STAYAUDIT_TEST_PG_URL at a server, or set STAYAUDIT_SKIP_PG=1 to skip them.',
      );
    }
  }
  const serverUrl = url!;
  const sql = async <T extends pg.QueryResultRow>(target: string, text: string, values?: unknown[]): Promise<T[]> => {
    const client = new pg.Client({ connectionString: target });
    await client.connect();
    try {
      return (await client.query<T>(text, values)).rows;
    } finally {
      await client.end();
    }
  };
  return {
    url: serverUrl,
    sql,
    async database(prefix = 't') {
      const name = `${prefix}_${process.pid}_${++counter}_${Date.now().toString(36)}`;
      await sql(serverUrl, `CREATE DATABASE ${name}`);
      return withDatabase(serverUrl, name);
    },
    async stop() {
      if (clusterDir !== undefined) await run(CLUSTER_SCRIPT, ['stop', clusterDir]);
    },
  };
}

/** The same server URL naming another database. */
export function withDatabase(url: string, name: string): string {
  // Not WHATWG URL: a Unix-socket URL has an empty host, which it rejects.
  const match = /^(postgres(?:ql)?:\/\/[^/?#]*)(\/[^?#]*)?(.*)$/i.exec(url);
  if (match === null) throw new Error(`not a PostgreSQL URL: ${url}`);
  return `${match[1]}/${name}${match[3]}`;
}

/**
 * The file's server: started before its tests (then `setup` runs on it) and stopped
 * after them. The returned function gives the server, or throws why there is none, so
 * that without PostgreSQL every test fails with the reason instead of being skipped.
 */
export function usePgServer(setup?: (server: PgServer) => Promise<void>): () => PgServer {
  let server: PgServer | undefined;
  let failure: Error | undefined;
  beforeAll(async () => {
    try {
      server = await startPgServer();
    } catch (error) {
      failure = error as Error;
      return;
    }
    await setup?.(server);
  });
  afterAll(async () => {
    await server?.stop();
  });
  return () => {
    if (failure !== undefined) throw failure;
    return server!;
  };
}
