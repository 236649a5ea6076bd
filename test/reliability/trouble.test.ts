import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, inspectDatabase, IS_ROOT, looksLikeCrash, runCli, runMeasured, tempDir, writeCrossingsCsv, type Measured } from './support.js';

/**
 * Database trouble (issue 7): a missing directory, a read-only file, a corrupt or
 * non-SQLite file, a database of a newer schema, a full disk: each gives a clear
 * message and exit code 4 (storage error), and no data is lost.
 */

let dir: string;
let cleanup: () => void;
let csv: string;
let rows: number;
/** A small imported database, closed (no -wal). */
let base: string;

const sha = (file: string): string => createHash('sha256').update(fs.readFileSync(file)).digest('hex');

function copy(to: string): string {
  fs.copyFileSync(base, to);
  return to;
}

/** A storage error as a user should see it: exit 4, `error: …` naming the file, a hint, no stack. */
function expectStorageError(r: Measured | { code: number | null; stderr: string }, pattern: RegExp): void {
  expect(r.code, r.stderr).toBe(4);
  expect(r.stderr).toMatch(/^error: /);
  expect(r.stderr).toMatch(pattern);
  expect(looksLikeCrash(r.stderr), r.stderr).toBe(false);
}

function canMount(): boolean {
  if (!IS_ROOT || process.platform !== 'linux') return false;
  const probe = fs.mkdtempSync(path.join(dir, 'probe-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', probe], { stdio: 'ignore' });
    execFileSync('umount', [probe], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

beforeAll(async () => {
  ({ dir, cleanup } = tempDir('stayaudit-trouble-'));
  csv = path.join(dir, 'crossings.csv');
  rows = writeCrossingsCsv(csv, 15_000, 21, 'T');
  const small = path.join(dir, 'small.csv');
  writeCrossingsCsv(small, 300, 22, 'S');
  base = path.join(dir, 'base.db');
  const r = await runCli(['--db', base, 'import', 'crossings', small]);
  expect(r.code, r.stderr).toBe(0);
});

afterAll(() => cleanup());

describe.concurrent('a missing directory', () => {
  it('import says which directory is missing, exits 4 and creates nothing', async () => {
    const missing = path.join(dir, 'no', 'such', 'dir');
    const r = await runMeasured(['--db', path.join(missing, 'audit.db'), 'import', 'crossings', csv]);
    expectStorageError(r, new RegExp(`directory ${missing.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} does not exist`));
    expect(r.stderr).toMatch(/^hint: /m);
    expect(fs.existsSync(path.join(dir, 'no'))).toBe(false);
  });

  it('a reading command on a database that does not exist exits 4 and creates nothing', async () => {
    const db = path.join(dir, 'nothing-here.db');
    const r = await runMeasured(['--db', db, 'findings']);
    expectStorageError(r, /does not exist/);
    expect(fs.existsSync(db)).toBe(false);
  });
});

describe.concurrent('a read-only database file', () => {
  /**
   * Makes `file` unwritable for the CLI (mode 0444; for root, which writes anything,
   * the immutable attribute). Returns how to undo it, or null when neither works here.
   */
  function makeReadOnly(file: string): { undo: () => void } | null {
    if (!IS_ROOT) {
      fs.chmodSync(file, 0o444);
      return { undo: () => fs.chmodSync(file, 0o600) };
    }
    if (spawnSync('chattr', ['+i', file]).status === 0) return { undo: () => void spawnSync('chattr', ['-i', file]) };
    return null;
  }

  it('a writing command exits 4 with a clear message and the file is untouched; reading still works', async (ctx) => {
    const ro = path.join(dir, 'ro');
    fs.mkdirSync(ro);
    const db = copy(path.join(ro, 'audit.db'));
    const before = sha(db);
    const made = makeReadOnly(db);
    if (!made) ctx.skip(); // root without chattr: no way to make a file read-only here
    try {
      const imported = await runMeasured(['--db', db, 'import', 'crossings', csv]);
      expectStorageError(imported, /cannot write|read-?only/);
      expect(imported.stderr).toMatch(/^hint: /m);
      const audited = await runMeasured(['--db', db, 'audit', '--as-of', '2024-12-31']);
      expectStorageError(audited, /cannot write|read-?only/);
      const read = await runMeasured(['--db', db, 'query', 'SELECT count(*) AS n FROM crossings', '--format', 'csv']);
      expect(read.code, read.stderr).toBe(0);
      expect(read.stdout).toBe('n\n300\n');
    } finally {
      made!.undo();
    }
    expect(sha(db)).toBe(before);
  });
});

describe.concurrent('a corrupt or non-SQLite file', () => {
  const cases: [string, () => Buffer][] = [
    ['random bytes', () => Buffer.from(Array.from({ length: 100_000 }, (_, i) => (i * 7919 + 13) % 256))],
    ['a CSV file given as --db', () => fs.readFileSync(csv).subarray(0, 200_000)],
  ];
  it.each(cases)('%s: every command exits 4 saying so, and the file is left as it was', async (name, make) => {
    const file = path.join(dir, `${name.replace(/\W+/g, '-')}.db`);
    fs.writeFileSync(file, make());
    const before = sha(file);
    const results = await Promise.all([['import', 'crossings', csv], ['query', 'SELECT 1']].map((args) => runMeasured(['--db', file, ...args])));
    for (const r of results) expectStorageError(r, /not a stayaudit database|corrupt|malformed|not a database/);
    expect(sha(file)).toBe(before);
    expect(fs.existsSync(`${file}-wal`) && fs.statSync(`${file}-wal`).size > 0).toBe(false);
  });

  /** A copy of the base database with the rows imported (made once), then damaged. */
  let imported: Promise<string> | undefined;
  async function damaged(name: string, damage: (db: string) => void): Promise<string> {
    imported ??= (async () => {
      const file = path.join(dir, 'imported.db');
      fs.copyFileSync(base, file);
      const r = await runCli(['--db', file, 'import', 'crossings', csv]);
      if (r.code !== 0) throw new Error(r.stderr);
      return file;
    })();
    const db = path.join(dir, `${name.replace(/\W+/g, '-')}.db`);
    fs.copyFileSync(await imported, db);
    damage(db);
    return db;
  }
  const damages = [
    ['damaged pages', (db: string) => {
      // Overwrite pages in the middle of the file (the crossings b-tree) with garbage.
      const fd = fs.openSync(db, 'r+');
      const size = fs.fstatSync(fd).size;
      for (const at of [0.3, 0.5, 0.7]) fs.writeSync(fd, Buffer.alloc(4096, 0xa5), 0, 4096, Math.floor((size * at) / 4096) * 4096);
      fs.closeSync(fd);
    }],
    ['a truncated file', (db: string) => fs.truncateSync(db, Math.floor(fs.statSync(db).size / 2))],
  ] as const;

  it.each(damages)('a database with %s: commands exit 4 saying so (or succeed where they do not touch it), never crash, never make it worse', async (name, damage) => {
    const db = await damaged(name, damage);
    const other = path.join(dir, `other-${name.replace(/\W+/g, '-')}.csv`);
    // The same persons at other times: the inserts land all over the crossings b-tree.
    writeCrossingsCsv(other, 5000, 23, 'T');
    const codes: number[] = [];
    for (const args of [['import', 'crossings', other], ['person', 'T5'], ['runs']]) {
      const before = sha(db);
      const r = await runMeasured(['--db', db, ...args]);
      expect(looksLikeCrash(r.stderr), `${args[0]}: ${r.stderr}`).toBe(false);
      codes.push(r.code ?? -1);
      if (r.code !== 0) {
        expectStorageError(r, /corrupt|malformed|not a stayaudit database/);
        // A failed command leaves the file as it was (the damage is not spread by a checkpoint).
        expect(sha(db), `${args[0]} changed a damaged file`).toBe(before);
      }
    }
    expect(codes[0], 'the import writes into the damaged b-tree: it must notice').toBe(4);
  });

  // Was "error: internal error: database disk image is malformed", exit 1: the reader
  // side of the audit rethrew driver errors raw.
  it('the audit of a database with damaged pages exits 4 (storage error), not 1 (internal error)', async () => {
    const db = await damaged('damaged pages audit', damages[0][1]);
    const before = sha(db);
    const r = await runMeasured(['--db', db, 'audit', '--as-of', '2024-12-31']);
    expectStorageError(r, /corrupt|malformed/);
    expect(sha(db)).toBe(before);
  });

  // Was exit 2 ("error: query: database disk image is malformed" with a hint about
  // extensions): every error while a query ran was taken for the user's mistake.
  it('a query over damaged pages exits 4 (storage error), not 2 (usage error)', async () => {
    const db = await damaged('damaged pages query', damages[0][1]);
    const r = await runMeasured(['--db', db, 'query', 'SELECT count(*), sum(length(document_no)) FROM crossings']);
    expectStorageError(r, /corrupt|malformed/);
  });

  // Was "crossings.csv is not a stayaudit database or is corrupt", "cannot write
  // database crossings.csv", "disk full while writing crossings.csv": the CSV named as
  // the database.
  it("the import's storage error names the database, not the CSV file being imported", async () => {
    const db = await damaged('damaged pages message', damages[0][1]);
    const other = path.join(dir, 'other-message.csv');
    writeCrossingsCsv(other, 5000, 23, 'T');
    const r = await runMeasured(['--db', db, 'import', 'crossings', other]);
    expect(r.code).toBe(4);
    expect(r.stderr.split('\n')[0]).toContain(db);
  });

  it('an empty file is taken as a new database', async () => {
    const db = path.join(dir, 'empty.db');
    fs.writeFileSync(db, '');
    const r = await runCli(['--db', db, 'import', 'crossings', csv]);
    expect(r.code, r.stderr).toBe(0);
    expect(inspectDatabase(db).crossings).toBe(rows);
  });

  it('a directory given as --db exits 4', async () => {
    const r = await runMeasured(['--db', dir, 'import', 'crossings', csv]);
    expectStorageError(r, /is a directory/);
  });

  // Was migrated without a word: stayaudit's tables added to the other application's
  // database, and the file switched to WAL.
  it("another application's SQLite database is refused (exit 4) and left untouched", async () => {
    const db = path.join(dir, 'foreign.db');
    const foreign = new Database(db);
    foreign.exec(`CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO customers (name) VALUES ('Alice'), ('Bob');`);
    foreign.close();
    const before = sha(db);
    const r = await runMeasured(['--db', db, 'import', 'crossings', csv]);
    expectStorageError(r, /not a stayaudit database/);
    expect(sha(db)).toBe(before);
  });

  // Was "error: internal error: EEXIST: file already exists", exit 1 (the same path as
  // two imports creating one new database at the same moment).
  it('a --db path that is a dangling symlink gives a storage error, not an internal error', async () => {
    const link = path.join(dir, 'dangling.db');
    fs.symlinkSync(path.join(dir, 'gone', 'target.db'), link);
    const r = await runMeasured(['--db', link, 'import', 'crossings', csv]);
    expectStorageError(r, /cannot|does not exist/);
  });
});

describe.concurrent('a database of a newer schema', () => {
  it('every command refuses it with exit 4 naming the versions, and the file is untouched', async () => {
    const db = copy(path.join(dir, 'newer.db'));
    const handle = new Database(db);
    handle.pragma('user_version = 99');
    handle.close();
    const before = sha(db);
    const results = await Promise.all([['import', 'crossings', csv], ['audit', '--as-of', '2024-12-31'], ['findings']].map((args) => runMeasured(['--db', db, ...args])));
    for (const r of results) {
      expectStorageError(r, /schema version 99, newer than/);
      expect(r.stderr).toMatch(/^hint: /m);
    }
    expect(sha(db)).toBe(before);
  });
});

describe.concurrent('a full disk', () => {
  it('import and audit on a full file system (a small tmpfs) exit 4, keep nothing of the operation, and succeed once there is space', async (ctx) => {
    // Needs root and mount(8); elsewhere the RLIMIT_FSIZE test below stands in.
    if (!canMount()) ctx.skip();
    const mnt = path.join(dir, 'small-disk');
    fs.mkdirSync(mnt);
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${Math.ceil(fs.statSync(base).size / 1024) + 600}k`, 'tmpfs', mnt]);
    try {
      // Import: the file does not fit.
      const db = copy(path.join(mnt, 'audit.db'));
      const before = inspectDatabase(db);
      const full = await runMeasured(['--db', db, 'import', 'crossings', csv]);
      expectStorageError(full, /disk full|no space|SQLITE_FULL/i);
      expect(full.stderr).toMatch(/^hint: /m);
      const after = inspectDatabase(db);
      expect(after.integrity).toBe('ok');
      expect(after.dataChecksum).toBe(before.dataChecksum);
      expect(after.ledger).toEqual(before.ledger);

      // Space freed: the same command now gives what an import on a roomy disk gives.
      execFileSync('mount', ['-o', 'remount,size=64m', mnt]);
      const again = await runCli(['--db', db, 'import', 'crossings', csv]);
      expect(again.code, again.stderr).toBe(0);
      const roomy = copy(path.join(dir, 'roomy.db'));
      expect((await runCli(['--db', roomy, 'import', 'crossings', csv])).code).toBe(0);
      expect(inspectDatabase(db).dataChecksum).toBe(inspectDatabase(roomy).dataChecksum);

      // Audit: the findings do not fit.
      execFileSync('mount', ['-o', `remount,size=${Math.ceil(fs.statSync(db).size / 1024) + 300}k`, mnt]);
      const audit = await runMeasured(['--db', db, 'audit', '--as-of', '2024-12-31']);
      expectStorageError(audit, /disk full|no space|SQLITE_FULL/i);
      const afterAudit = inspectDatabase(db);
      expect(afterAudit.integrity).toBe('ok');
      expect(afterAudit.runs).toEqual([]);
      execFileSync('mount', ['-o', 'remount,size=64m', mnt]);
      const audited = await runCli(['--db', db, 'audit', '--as-of', '2024-12-31']);
      expect(audited.code, audited.stderr).toBe(0);
      expect(inspectDatabase(db).runs).toHaveLength(1);
    } finally {
      spawnSync('umount', [mnt]);
    }
  });

  it.skipIf(process.platform !== 'linux' || !fs.existsSync('/bin/bash'))('a file size limit (RLIMIT_FSIZE, as a full disk) gives exit 4 and keeps nothing', async () => {
    const db = copy(path.join(dir, 'fsize.db'));
    const before = inspectDatabase(db);
    const limitKb = Math.ceil(fs.statSync(db).size / 1024) + 200;
    const r = spawnSync('/bin/bash', ['-c', `ulimit -f ${limitKb}; exec "$0" "$@"`, process.execPath, BIN, '--db', db, 'import', 'crossings', csv], {
      encoding: 'utf8',
      timeout: 60_000,
      env: { ...process.env, NO_COLOR: '1' },
    });
    expect(r.signal, 'killed by SIGXFSZ instead of failing cleanly').toBeNull();
    expectStorageError({ code: r.status, stderr: r.stderr }, /disk|I\/O|full|write/i);
    const after = inspectDatabase(db);
    expect(after.integrity).toBe('ok');
    expect(after.dataChecksum).toBe(before.dataChecksum);
    expect(after.ledger).toEqual(before.ledger);
  });
});
