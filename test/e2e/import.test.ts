import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FIXTURES, parseCsv, run, tempDir, writeCsv } from './helpers.js';

const imp = (f: string) => path.join(FIXTURES, 'import', f);

describe('import (end to end)', () => {
  let dir: string;
  let cleanup: () => void;
  let db: string;
  const cli = (...args: string[]) => run(['--db', db, ...args]);
  const count = async (table: string): Promise<number> => {
    const r = await cli('query', `SELECT count(*) AS n FROM ${table}`, '--format', 'csv');
    return Number(parseCsv(r.stdout)[0]!['n']);
  };

  beforeEach(() => {
    ({ dir, cleanup } = tempDir());
    db = path.join(dir, 'a.db');
  });
  afterEach(() => cleanup());

  it('reads a Windows-1251, semicolon, Russian-header Excel export without flags', async () => {
    const result = await cli('import', 'crossings', imp('crossings-cp1251.csv'), '--json');
    expect(result.code, result.stderr).toBe(0);
    const body = JSON.parse(result.stdout) as { files: { encoding: string; delimiter: string; added: number; rejected: number }[] };
    expect(body.files[0]).toMatchObject({ encoding: 'windows-1251', delimiter: ';', rejected: 0 });
    expect(body.files[0]!.added).toBeGreaterThan(0);
    const rows = parseCsv((await cli('query', 'SELECT DISTINCT citizenship FROM crossings ORDER BY 1', '--format', 'csv')).stdout);
    expect(rows.map((r) => r['citizenship'])).toContain('RUS');
  });

  it("reads stdin with '-'", async () => {
    const result = await run(['--db', db, 'import', 'crossings', '-'], { input: fs.readFileSync(imp('crossings.csv')) });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain('<stdin>: crossings:');
    expect(await count('crossings')).toBeGreaterThan(0);
  });

  it('rejects bad rows with line and reason (exit 5); the fixed rejects file imports cleanly', async () => {
    const rejects = path.join(dir, 'rejects.csv');
    const result = await cli('import', 'crossings', imp('crossings-bad-rows.csv'), '--rejects', rejects, '--json');
    expect(result.code).toBe(5);
    const summary = (JSON.parse(result.stdout) as { files: { read: number; added: number; duplicate: number; rejected: number }[] }).files[0]!;
    expect(summary.read).toBe(summary.added + summary.duplicate + summary.rejected);
    const rows = parseCsv(fs.readFileSync(rejects, 'utf8'));
    expect(rows).toHaveLength(summary.rejected);
    for (const row of rows) {
      expect(Number(row['_line'])).toBeGreaterThan(1);
      expect(row['_reason']).not.toBe('');
    }
    const fixed = rows.filter((r) => /31\.02\.2025/.test(r['crossed_at'] ?? ''));
    expect(fixed.length).toBeGreaterThan(0);
    const text = fs.readFileSync(rejects, 'utf8').replace(/31\.02\.2025/g, '28.02.2025');
    fs.writeFileSync(rejects, text);
    const again = await cli('import', 'crossings', rejects, '--json');
    const second = (JSON.parse(again.stdout) as { files: { added: number }[] }).files[0]!;
    expect(second.added).toBe(fixed.length);
  });

  it('a broken file fails as a whole (exit 3), names the file, and changes nothing', async () => {
    expect((await cli('import', 'crossings', imp('crossings.csv'))).code).toBe(0);
    const before = await count('crossings');
    for (const [file, message] of [
      ['binary.csv', 'binary.csv'],
      ['wrong-dataset.csv', 'wrong-dataset.csv'],
      ['empty.csv', 'empty.csv'],
    ] as const) {
      const result = await cli('import', 'crossings', imp(file));
      expect(result.code, file).toBe(3);
      expect(result.stderr).toContain(message);
      expect(result.stderr).not.toMatch(/\n\s+at /); // no stack trace
    }
    expect(await count('crossings')).toBe(before);
    const ledger = parseCsv((await cli('query', 'SELECT count(*) AS n FROM imports', '--format', 'csv')).stdout);
    expect(ledger[0]!['n']).toBe('1');
  });

  it('with several files a broken one does not stop the others', async () => {
    const result = await cli('import', 'crossings', imp('binary.csv'), imp('crossings.csv'));
    expect(result.code).toBe(3);
    expect(await count('crossings')).toBeGreaterThan(0);
  });

  it('maps odd headers with --mapping, and says what is missing without it', async () => {
    const without = await cli('import', 'crossings', imp('crossings-odd-headers.csv'));
    expect(without.code).toBe(3);
    expect(without.stderr).toContain('--mapping');
    const result = await cli('import', 'crossings', imp('crossings-odd-headers.csv'), '--mapping', imp('mapping-example.json'));
    expect(result.code, result.stderr).toBe(0);
  });

  it('a bad --mapping file is one error, before any file is read', async () => {
    const bad = path.join(dir, 'bad-mapping.json');
    fs.writeFileSync(bad, '{"crossings": ');
    const result = await cli('import', 'crossings', imp('crossings.csv'), imp('crossings-odd-headers.csv'), '--mapping', bad);
    expect(result.code).toBe(3);
    expect(result.stderr.match(/not valid JSON/g)).toHaveLength(1);
    expect(fs.existsSync(db)).toBe(false); // refused before the database was even opened
  });

  it('a header-only file imports nothing and is not an error', async () => {
    const result = await cli('import', 'crossings', imp('header-only.csv'), '--json');
    expect(result.code).toBe(0);
    expect((JSON.parse(result.stdout) as { files: { read: number }[] }).files[0]!.read).toBe(0);
  });

  it('creates the database readable by its owner only', async () => {
    await cli('import', 'crossings', imp('crossings.csv'));
    expect(fs.statSync(db).mode & 0o777).toBe(0o600);
  });

  it('a first import rebuilds the document index, a small later one keeps it; both find persons by document', async () => {
    const indexSql = async (): Promise<string> =>
      parseCsv((await cli('query', "SELECT sql FROM sqlite_master WHERE name = 'persons_document'", '--format', 'csv')).stdout)[0]!['sql']!;
    const fresh = 'CREATE INDEX persons_document ON persons(document_no)'; // as the schema migration creates it
    // Bulk: the store is empty, so the index is dropped and built again afterwards.
    const bulk = Array.from({ length: 40 }, (_, i) => `RUS,P${100 + i},IN,2024-01-${String((i % 28) + 1).padStart(2, '0')}`);
    expect((await cli('import', 'crossings', writeCsv(dir, 'bulk.csv', ['citizenship,document_no,direction,crossed_at', ...bulk]))).code).toBe(0);
    expect(await indexSql()).toBe(fresh);
    // Incremental: one new person into forty stays an ordinary indexed insert.
    expect((await cli('import', 'crossings', writeCsv(dir, 'one.csv', ['citizenship,document_no,direction,crossed_at', 'KAZ,N1,IN,2024-02-01']))).code).toBe(0);
    expect(await indexSql()).toBe(fresh);
    const plan = await cli('query', "EXPLAIN QUERY PLAN SELECT person_key FROM persons WHERE document_no = 'P117'", '--format', 'csv');
    expect(plan.stdout).toContain('persons_document');
    for (const doc of ['P117', 'N1']) {
      const rows = parseCsv((await cli('query', `SELECT person_key FROM persons WHERE document_no = '${doc}'`, '--format', 'csv')).stdout);
      expect(rows.map((r) => r['person_key'])).toEqual([doc === 'N1' ? 'KAZ:N1' : `RUS:${doc}`]);
    }
    const check = parseCsv((await cli('query', 'SELECT count(*) AS n FROM pragma_integrity_check', '--format', 'csv')).stdout);
    expect(check[0]!['n']).toBe('1');
  });

  it('a re-exported permit that changed counts as updated, a new one as added, an unchanged one as duplicate', async () => {
    const header = 'permit_no,document_no,citizenship,kind,valid_from,valid_until,status';
    const first = writeCsv(dir, 'p1.csv', [header, 'T1,A1,RUS,trp,2024-01-01,2024-12-31,active', 'T2,B2,KAZ,trp,2024-01-01,2024-12-31,active']);
    const second = writeCsv(dir, 'p2.csv', [
      header,
      'T1,A1,RUS,trp,2024-01-01,2024-12-31,revoked', // changed
      'T2,B2,KAZ,trp,2024-01-01,2024-12-31,active', // unchanged
      'T3,C3,UZB,trp,2024-02-01,2024-12-31,active', // new
      'T3,C3,UZB,trp,2024-02-01,2025-01-31,active', // the same permit again, changed within the file
    ]);
    const counts = async (file: string) => {
      const r = await cli('import', 'permits', file, '--json');
      expect(r.code, r.stderr).toBe(0);
      return (JSON.parse(r.stdout) as { files: { added: number; updated: number; duplicate: number }[] }).files[0]!;
    };
    expect(await counts(first)).toMatchObject({ added: 2, updated: 0, duplicate: 0 });
    expect(await counts(second)).toMatchObject({ added: 1, updated: 2, duplicate: 1 });
    expect(await count('permits')).toBe(3);
    const rows = parseCsv((await cli('query', 'SELECT permit_no, status, valid_until FROM permits ORDER BY permit_no', '--format', 'csv')).stdout);
    expect(rows.map((r) => `${r['permit_no']} ${r['status']} ${r['valid_until']}`)).toEqual(['T1 revoked 2024-12-31', 'T2 active 2024-12-31', 'T3 active 2025-01-31']);
  });

  it('unknown dataset and missing file are usage / input errors', async () => {
    expect((await cli('import', 'visas', imp('crossings.csv'))).code).toBe(2);
    const missing = await cli('import', 'crossings', path.join(dir, 'nope.csv'));
    expect(missing.code).toBe(3);
    expect(missing.stderr).toContain('nope.csv');
  });
});
