import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { looksLikeCrash, peek, runCli, runMeasured, startCli, tempDir, writeCrossingsCsv } from './support.js';

/**
 * Concurrency (issue 7): two imports at the same time, reports and audits during an
 * import: each succeeds or waits (busy timeout), or fails with a clear message;
 * nothing is lost or counted twice.
 */

let dir: string;
let cleanup: () => void;
let fileA: string;
let fileB: string;
let base: string;
let rowsA: number;
let rowsB: number;
/** A file large enough that its import lasts a couple of seconds. */
let big: string;
let rowsBig: number;

/** The crossings as a set (whatever import wrote them, in whatever order). */
function crossingsChecksum(db: string): string {
  return peek(db, (d) => {
    const hash = createHash('sha256');
    for (const row of d.prepare(`SELECT person_key, crossed_at, direction, citizenship, document_no, checkpoint FROM crossings ORDER BY 1, 2, 3`).raw().iterate()) {
      hash.update(JSON.stringify(row) + '\n');
    }
    return hash.digest('hex');
  });
}

function ledger(db: string): { file: string; rows_read: number; added: number; duplicate: number; rejected: number }[] {
  return peek(db, (d) => d.prepare(`SELECT file, rows_read, added, duplicate, rejected FROM imports ORDER BY id`).all() as never);
}

const count = (db: string, table: string): number => peek(db, (d) => (d.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n);

function copyDb(to: string): string {
  fs.copyFileSync(base, to);
  return to;
}

beforeAll(async () => {
  ({ dir, cleanup } = tempDir('stayaudit-conc-'));
  fileA = path.join(dir, 'a.csv');
  fileB = path.join(dir, 'b.csv');
  rowsA = writeCrossingsCsv(fileA, 20_000, 11, 'A');
  rowsB = writeCrossingsCsv(fileB, 20_000, 12, 'B');
  big = path.join(dir, 'big.csv');
  rowsBig = writeCrossingsCsv(big, 120_000, 14, 'G');
  const small = path.join(dir, 'base.csv');
  writeCrossingsCsv(small, 300, 13, 'S');
  base = path.join(dir, 'base.db');
  const r = await runCli(['--db', base, 'import', 'crossings', small]);
  expect(r.code, r.stderr).toBe(0);
});

afterAll(() => cleanup());

describe('concurrency', () => {
  it('two imports of different files at once: both succeed (one waits), and the store equals importing them one after the other', async () => {
    const serial = copyDb(path.join(dir, 'serial.db'));
    expect((await runCli(['--db', serial, 'import', 'crossings', fileA])).code).toBe(0);
    expect((await runCli(['--db', serial, 'import', 'crossings', fileB])).code).toBe(0);

    const db = copyDb(path.join(dir, 'parallel.db'));
    const [a, b] = await Promise.all([runMeasured(['--db', db, 'import', 'crossings', fileA]), runMeasured(['--db', db, 'import', 'crossings', fileB])]);
    expect(a.code, a.stderr).toBe(0);
    expect(b.code, b.stderr).toBe(0);
    expect(count(db, 'crossings')).toBe(300 + rowsA + rowsB);
    expect(crossingsChecksum(db)).toBe(crossingsChecksum(serial));
    const entries = ledger(db).slice(1);
    expect(entries.map((e) => e.added).sort()).toEqual([rowsA, rowsB].sort());
    expect(entries.every((e) => e.duplicate === 0 && e.rows_read === e.added)).toBe(true);
  });

  it('the same file imported twice at once: its rows are added once, the other import finds them all duplicates', async () => {
    const db = copyDb(path.join(dir, 'same.db'));
    const [a, b] = await Promise.all([runMeasured(['--db', db, 'import', 'crossings', fileA]), runMeasured(['--db', db, 'import', 'crossings', fileA])]);
    expect(a.code, a.stderr).toBe(0);
    expect(b.code, b.stderr).toBe(0);
    expect(count(db, 'crossings')).toBe(300 + rowsA);
    const entries = ledger(db).slice(1);
    expect(entries.map((e) => [e.added, e.duplicate]).sort()).toEqual([
      [0, rowsA],
      [rowsA, 0],
    ]);
  });

  it('reports read during an import see all of it or none of it, never a part, and never fail', async () => {
    const db = copyDb(path.join(dir, 'reading.db'));
    const importing = startCli(['--db', db, 'import', 'crossings', big]);
    let finished = false;
    void importing.done.then(() => (finished = true));
    const seen: number[] = [];
    const problems: string[] = [];
    // One query reads the crossings and the ledger in one snapshot: they must agree.
    const sql = `SELECT (SELECT count(*) FROM crossings) AS crossings, (SELECT coalesce(sum(added), 0) FROM imports) AS added, (SELECT count(*) FROM persons) AS persons`;
    // Readers one after the other while the import runs (a few suffice), and once after.
    const read = async (): Promise<void> => {
      const q = await runCli(['--db', db, 'query', sql, '--format', 'json']);
      if (q.code !== 0) problems.push(`query exited ${q.code}: ${q.stderr}`);
      if (looksLikeCrash(q.stderr)) problems.push(`crash: ${q.stderr}`);
      if (q.code === 0) {
        const row = (JSON.parse(q.stdout) as { rows: { crossings: number; added: number }[] }).rows[0]!;
        if (row.crossings !== row.added) problems.push(`a query saw ${row.crossings} crossings but a ledger of ${row.added}`);
        seen.push(row.crossings);
      }
    };
    while (!finished && seen.length < 5) await read();
    await importing.done;
    await read();
    const result = await importing.done;
    expect(result.code, result.stderr).toBe(0);
    expect(problems).toEqual([]);
    for (const n of seen) expect([300, 300 + rowsBig]).toContain(n);
    expect(seen).toContain(300); // at least one read ran while the import was under way
  });

  it('an audit started during an import waits for it and judges a consistent snapshot', async () => {
    const db = copyDb(path.join(dir, 'audit-during.db'));
    const importing = startCli(['--db', db, 'import', 'crossings', fileA]);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const audit = await runCli(['--db', db, 'audit', '--as-of', '2024-12-31', '--json']);
    const imported = await importing.done;
    expect(imported.code, imported.stderr).toBe(0);
    expect(audit.code, audit.stderr).toBe(0);
    const persons = (JSON.parse(audit.stdout) as { persons: number }).persons;
    const all = count(db, 'persons');
    // Either the whole file or none of it: never a part.
    const before = peek(base, (d) => (d.prepare('SELECT count(*) AS n FROM persons').get() as { n: number }).n);
    expect([before, all]).toContain(persons);
  });

  it('two audits at once both finish, as two complete runs with the same findings', async () => {
    const db = copyDb(path.join(dir, 'two-audits.db'));
    const fileC = path.join(dir, 'c.csv');
    writeCrossingsCsv(fileC, 8000, 15, 'C');
    expect((await runCli(['--db', db, 'import', 'crossings', fileC])).code).toBe(0);
    const [a, b] = await Promise.all([runCli(['--db', db, 'audit', '--as-of', '2024-12-31']), runCli(['--db', db, 'audit', '--as-of', '2024-12-31'])]);
    expect(a.code, a.stderr).toBe(0);
    expect(b.code, b.stderr).toBe(0);
    const runs = peek(db, (d) => d.prepare(`SELECT id, findings, (SELECT count(*) FROM findings f WHERE f.run_id = runs.id) AS stored FROM runs ORDER BY id`).all() as { id: number; findings: number; stored: number }[]);
    expect(runs).toHaveLength(2);
    expect(runs[0]!.findings).toBe(runs[1]!.findings);
    for (const r of runs) expect(r.stored).toBe(r.findings);
  });

  it('a writer that cannot get the lock within --busy-timeout fails with a clear message and changes nothing', async () => {
    const db = copyDb(path.join(dir, 'busy.db'));
    const holding = startCli(['--db', db, 'import', 'crossings', big]);
    // Wait until the first import holds the write lock (its ledger row is being written).
    await new Promise((resolve) => setTimeout(resolve, 500));
    const blocked = await runMeasured(['--db', db, '--busy-timeout', '0.1', 'import', 'crossings', fileB]);
    const held = await holding.done;
    expect(held.code, held.stderr).toBe(0);
    expect([4, 7], `the second import should have found the database locked: ${blocked.stderr}`).toContain(blocked.code);
    expect(blocked.stderr).toMatch(/^error: .*(locked|busy)/m);
    expect(blocked.stderr).toMatch(/^hint: /m);
    expect(looksLikeCrash(blocked.stderr)).toBe(false);
    expect(ledger(db).map((e) => e.file)).not.toContain(fileB);
    expect(count(db, 'crossings')).toBe(300 + rowsBig);
  });
});
