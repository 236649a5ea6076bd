import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redactUrl, scrubSecrets } from '../../src/storage/postgres/location.js';
import { FIXTURES, run, tempDir, type RunResult } from '../e2e/helpers.js';
import { SKIP_PG, usePgServer, type PgServer } from './server.js';

// A password with characters a URL must encode: it is checked raw and encoded.
const PASSWORD = 'S3cr@t:pw/ä';
const ENCODED = encodeURIComponent(PASSWORD);
const WRONG = 'Wr0ng-pa55word';

/** The server's URL as USER (with PASSWORD, encoded, when given) on DATABASE. */
function urlAs(serverUrl: string, user: string, password: string | null, database: string): string {
  const match = /^(postgres(?:ql)?:\/\/)(?:[^@/?#]*@)?([^/?#]*)(?:\/[^?#]*)?(.*)$/i.exec(serverUrl)!;
  const userInfo = password === null ? `${user}@` : `${user}:${encodeURIComponent(password)}@`;
  return `${match[1]}${userInfo}${match[2]}/${database}${match[3]}`;
}

function expectNoSecret(result: RunResult, ...secrets: string[]): void {
  for (const secret of [PASSWORD, ENCODED, WRONG, ...secrets]) {
    expect(result.stdout + result.stderr).not.toContain(secret);
  }
}

describe('redactUrl', () => {
  it('hides the password of user-info and of a password parameter, in any text', () => {
    expect(redactUrl('postgres://ann:p%40ss@db:5432/x')).toBe('postgres://ann:***@db:5432/x');
    expect(redactUrl('postgresql://ann@db/x?password=hunter2&sslmode=require')).toBe('postgresql://ann@db/x?password=***&sslmode=require');
    expect(redactUrl('failed: POSTGRES://ann:pw@db/x and postgres://bob:pw2@h/y')).toBe('failed: POSTGRES://ann:***@db/x and postgres://bob:***@h/y');
    expect(redactUrl('postgres://ann@db/x')).toBe('postgres://ann@db/x');
    expect(redactUrl('/data/stayaudit.db')).toBe('/data/stayaudit.db');
    expect(scrubSecrets(`auth failed for ${PASSWORD} and ${ENCODED}`, `postgres://ann:${ENCODED}@db/x`)).toBe('auth failed for *** and ***');
  });
});

describe.skipIf(SKIP_PG)('PostgreSQL URLs with passwords', () => {
  // Unique per run: a shared server (STAYAUDIT_TEST_PG_URL) may have run these before.
  const ROLE = `analyst_${process.pid}`;
  const database = `owned_${process.pid}_${Date.now().toString(36)}`;
  const pgServer = usePgServer(async (server) => {
    await server.sql(server.url, `CREATE ROLE ${ROLE} LOGIN PASSWORD '${PASSWORD.replace(/'/g, "''")}'`);
    await server.sql(server.url, `CREATE DATABASE ${database} OWNER ${ROLE}`);
  });
  let tmp: ReturnType<typeof tempDir>;
  beforeAll(async () => {
    tmp = tempDir('stayaudit-pg-secrets-');
  });
  afterAll(async () => {
    tmp?.cleanup();
  });

  it('logs in with the password from the URL, PGPASSWORD, ~/.pgpass or the PG* variables alone', async () => {
    const server = pgServer();
    const withPassword = await run(['--db', urlAs(server.url, ROLE, PASSWORD, database), 'init']);
    expect(withPassword.code, withPassword.stderr).toBe(0);
    expect(withPassword.stderr).toContain(`postgresql://${ROLE}:***@`);
    expectNoSecret(withPassword);

    const bare = urlAs(server.url, ROLE, null, database);
    const fromEnv = await run(['--db', bare, 'init'], { env: { PGPASSWORD: PASSWORD } });
    expect(fromEnv.code, fromEnv.stderr).toBe(0);
    expectNoSecret(fromEnv);

    const passfile = path.join(tmp.dir, 'pgpass');
    fs.writeFileSync(passfile, `*:*:*:${ROLE}:${PASSWORD.replace(/:/g, '\\:')}\n`, { mode: 0o600 });
    const fromPassfile = await run(['--db', bare, 'init'], { env: { PGPASSWORD: undefined, PGPASSFILE: passfile } });
    expect(fromPassfile.code, fromPassfile.stderr).toBe(0);
    expect(fromPassfile.stderr).not.toMatch(/deprecat|warning/i);
    expectNoSecret(fromPassfile);

    // Everything from the environment: `postgres://` alone.
    const host = /[?&]host=([^&]+)/.exec(server.url)?.[1];
    if (host !== undefined) {
      const envOnly = await run(['--db', 'postgres://', 'init'], { env: { PGHOST: decodeURIComponent(host), PGUSER: ROLE, PGDATABASE: database, PGPASSWORD: PASSWORD } });
      expect(envOnly.code, envOnly.stderr).toBe(0);
      expect(envOnly.stderr).toContain('is a stayaudit store');
    }
  });

  it('never shows the password in any error', async () => {
    const server = pgServer();
    const cases: { args: string[]; code: number; says: string; env?: Record<string, string | undefined> }[] = [
      // No server at that address.
      { args: ['--db', `postgresql://${ROLE}:${ENCODED}@/x?host=${path.join(tmp.dir, 'no-such-socket-dir')}`, 'init'], code: 4, says: 'cannot connect to PostgreSQL' },
      { args: ['--db', `postgres://${ROLE}:${ENCODED}@127.0.0.1:1/x`, 'init'], code: 4, says: 'cannot connect to PostgreSQL' },
      // A wrong password, and none at all.
      { args: ['--db', urlAs(server.url, ROLE, WRONG, database), 'init'], code: 4, says: 'refused the login' },
      { args: ['--db', urlAs(server.url, ROLE, null, database), 'init'], code: 4, says: 'password', env: { PGPASSWORD: undefined, PGPASSFILE: path.join(tmp.dir, 'none') } },
      // The right password, then a missing database, a malformed URL.
      { args: ['--db', urlAs(server.url, ROLE, PASSWORD, 'no_such_db'), 'init'], code: 4, says: 'does not exist' },
      { args: ['--db', `postgres://${ROLE}:${ENCODED}@db.invalid:notaport/x`, 'init'], code: 2, says: `cannot use the PostgreSQL URL postgres://${ROLE}:***@db.invalid:notaport/x` },
      // Copy: from a database without a store, into one that holds data (below), and
      // the reading commands on a store without runs, and on a database without a store.
      { args: ['copy', '--from', urlAs(server.url, ROLE, PASSWORD, 'postgres'), '--to', path.join(tmp.dir, 'c.db')], code: 4, says: 'holds no stayaudit store yet' },
      { args: ['--db', urlAs(server.url, ROLE, PASSWORD, 'postgres'), 'audit', '--as-of', '2022-12-31'], code: 4, says: 'holds no stayaudit store yet' },
      { args: ['--db', urlAs(server.url, ROLE, PASSWORD, database), 'findings'], code: 2, says: 'there is no audit run yet' },
      { args: ['--db', urlAs(server.url, ROLE, PASSWORD, database), '--debug', 'violators'], code: 2, says: 'there is no audit run yet' },
      { args: ['--db', urlAs(server.url, ROLE, PASSWORD, 'postgres'), '--debug', 'stats'], code: 4, says: 'holds no stayaudit store yet' },
      { args: ['--db', urlAs(server.url, ROLE, PASSWORD, database), 'query', 'SELECT * FROM nowhere'], code: 2, says: 'does not exist' },
    ];
    for (const { args, code, says, env } of cases) {
      const result = await run(args, { env: { PGPASSWORD: undefined, ...env } });
      expect(result.code, `${args.join(' ')}\n${result.stderr}`).toBe(code);
      expect(result.stderr, args.join(' ')).toContain(says);
      expect(result.stderr).toMatch(/^error: /);
      expectNoSecret(result);
    }

    // Copy into a store that holds data; and the newer-schema refusal, with --debug.
    const url = urlAs(server.url, ROLE, PASSWORD, database);
    const source = path.join(tmp.dir, 'source.db');
    expect((await run(['--db', source, 'import', 'crossings', path.join(FIXTURES, 'demo', 'crossings.csv')])).code).toBe(5);
    expect((await run(['copy', '--from', source, '--to', url])).code).toBe(0);
    const full = await run(['copy', '--from', source, '--to', url, '--debug']);
    expect(full.code).toBe(2);
    expect(full.stderr).toContain('is not empty');
    expectNoSecret(full);
    await server.sql(urlAs(server.url, 'stayaudit', null, database), 'INSERT INTO stayaudit_schema (version) VALUES (99)');
    const newer = await run(['--db', url, '--debug', 'init']);
    expect(newer.code).toBe(4);
    expect(newer.stderr).toContain('newer than this stayaudit understands');
    expectNoSecret(newer);
    const newerCopy = await run(['copy', '--from', url, '--to', path.join(tmp.dir, 'd.db'), '--debug']);
    expect(newerCopy.code).toBe(4);
    expectNoSecret(newerCopy);
  });
});

describe('the reading commands given a PostgreSQL URL connect to it', () => {
  // Nothing listens on port 1: a connection error (exit 4), without the password.
  const url = 'postgres://analyst:hunter2@127.0.0.1:1/stayaudit';
  const commands: string[][] = [['findings'], ['violators'], ['stats'], ['report', '--output', 'r.html'], ['person', 'X'], ['runs'], ['runs', 'prune', '--keep', '1'], ['diff'], ['query', 'SELECT 1']];
  it.each(commands)('%s tries the server and says it cannot connect', async (...args: string[]) => {
    const result = await run(['--db', url, ...args]);
    expect(result.code, result.stderr).toBe(4);
    expect(result.stderr).toContain('error: cannot connect to PostgreSQL at postgres://analyst:***@127.0.0.1:1/stayaudit');
    expect(result.stdout + result.stderr).not.toContain('hunter2');
  });
});

