/**
 * The layering of src, checked from its import statements (issue 16): no folder-level
 * cycle, nobody outside src/storage imports the SQLite driver or storage's driver-level
 * module, and no SQL text outside src/storage. Files still in violation are listed in
 * PENDING with their issue; an entry that no longer violates fails the test, so the
 * list only shrinks.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { driverImports, folderCycles, readSources, sqlLiterals } from './import-graph.js';

const SRC = fileURLToPath(new URL('../../src', import.meta.url));

/**
 * Files (relative to src) still holding a connection or SQL outside storage, with why.
 * Other helpers are emptying src/audit, src/reports and src/cli under issue 16; the
 * benchmarks are a tool apart from the product (issue 16, "tools apart").
 */
const PENDING: Readonly<Record<string, string>> = {
  'audit/audit-range.ts': 'issue 16: the audit reads timelines through a Connection (helper "stats")',
  'audit/audit-worker.ts': 'issue 16: the audit worker opens connections and runs BEGIN',
  'audit/run-audit.ts': 'issue 16: runAudit takes Connections and runs BEGIN',
  'bench/floors.ts': 'issue 16: the import floor bench talks to SQLite directly (a tool, not the product)',
  'bench/report-speed.ts': 'issue 16: the report bench counts rows with SQL (a tool, not the product)',
  'bench/run-bench.ts': 'issue 16: the sqlite3 baselines of the bench (a tool, not the product)',
  'cli/commands/query.ts': 'issue 16: SQL examples in the help of `query` (SQL is its input: exempt it or word the examples apart)',
  'cli/commands/stats.ts': 'issue 16: the stats command runs its own SQL',
  'cli/context.ts': 'issue 16: the CLI context opens Connections (a storage entry point replaces it)',
  'cli/main.ts': 'issue 16: main maps driver errors with storageFailure from storage/database.ts',
  'reports/diff.ts': 'issue 16: SQL in reports',
  'reports/filters.ts': 'issue 16: SQL in reports',
  'reports/findings.ts': 'issue 16: SQL in reports',
  'reports/html/report-data.ts': 'issue 16: SQL in reports',
  'reports/person.ts': 'issue 16: SQL in reports',
  'reports/query.ts': 'issue 16: the query command holds a Connection and runs BEGIN',
  'reports/runs.ts': 'issue 16: SQL and a Connection in reports (pruneRuns)',
  'reports/stats.ts': 'issue 16: SQL in reports',
};

/** Folder cycles still there, as their sorted folders joined with ' ↔ '. */
const PENDING_CYCLES: readonly string[] = [];

const sources = readSources(SRC);

describe('boundaries of src (issue 16)', () => {
  it('reads the whole tree', () => {
    // Guards against a wrong root silently checking nothing.
    expect(sources.length).toBeGreaterThan(100);
    expect(sources.some((s) => s.file === 'storage/import-store.ts' && s.packages.includes('better-sqlite3'))).toBe(true);
  });

  it('has no folder-level import cycle', () => {
    const cycles = folderCycles(sources).map((c) => ({ cycle: c.folders.join(' ↔ '), through: c.edges }));
    expect(cycles.filter((c) => !PENDING_CYCLES.includes(c.cycle))).toEqual([]);
    expect(PENDING_CYCLES.filter((p) => !cycles.some((c) => c.cycle === p)), 'PENDING_CYCLES lists a cycle that is gone: remove it').toEqual([]);
  });

  it('imports better-sqlite3 and storage/database.ts only inside src/storage', () => {
    const found = [...driverImports(sources).entries()].map(([file, what]) => `${file}: ${what.join(', ')}`);
    expect(found.filter((f) => PENDING[f.slice(0, f.indexOf(':'))] === undefined)).toEqual([]);
  });

  it('has no SQL text outside src/storage', () => {
    const found = [...sqlLiterals(sources).entries()].map(([file, lines]) => `${file}: line ${lines.join(', ')}`);
    expect(found.filter((f) => PENDING[f.slice(0, f.indexOf(':'))] === undefined)).toEqual([]);
  });

  it('lists in PENDING only files that still violate (the list only shrinks)', () => {
    const violating = new Set([...driverImports(sources).keys(), ...sqlLiterals(sources).keys()]);
    expect(Object.keys(PENDING).filter((file) => !violating.has(file)), 'these PENDING files are clean now: remove them').toEqual([]);
  });
});

describe('the boundary checks themselves', () => {
  /** A small tree with one of each violation, and prose that must not count as SQL. */
  function tree(files: Record<string, string>): string {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'stayaudit-boundaries-'));
    for (const [file, text] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
      fs.writeFileSync(path.join(root, file), text);
    }
    return root;
  }

  const root = tree({
    'storage/store.ts': "import Database from 'better-sqlite3';\nimport type { Row } from '../import/rows.js';\nexport const q = 'SELECT a, b FROM t';\n",
    'storage/database.ts': "export type Connection = unknown;\n",
    'import/rows.ts': "export type Row = unknown;\n",
    'import/reader.ts': "import { q } from '../storage/store.js';\nexport const hint = 'Select a file, then update the rules; delete from the inbox';\n",
    'reports/list.ts': "import type { Connection } from '../storage/database.js';\nexport const sql = (t: string) => `SELECT ${t} AS k FROM findings`;\n",
    'cli/run.ts': "const sqlite = await import('better-sqlite3');\nexport const begin = 'BEGIN IMMEDIATE';\n",
    'core/law.ts': "export const x = 1;\n",
    'core/uses-cli.ts': "export { begin } from '../cli/run.js';\n",
    'cli/uses-core.ts': "import { x } from '../core/law.js';\n",
  });
  const parsed = readSources(root);
  fs.rmSync(root, { recursive: true, force: true });

  it('finds a folder cycle (import → storage → import) and shows an import of each edge', () => {
    const cycles = folderCycles(parsed);
    expect(cycles.map((c) => c.folders.join(' ↔ '))).toEqual(['cli ↔ core', 'import ↔ storage']);
    expect(cycles[1]!.edges).toEqual(['import/reader.ts → storage/store.ts', 'storage/store.ts → import/rows.ts']);
  });

  it('finds driver imports outside storage: a type import of database.ts and a dynamic import of the driver', () => {
    expect([...driverImports(parsed).entries()]).toEqual([
      ['cli/run.ts', ['better-sqlite3']],
      ['reports/list.ts', ['storage/database.ts']],
    ]);
  });

  it('finds SQL in strings and templates outside storage, not in prose', () => {
    expect([...sqlLiterals(parsed).entries()]).toEqual([
      ['cli/run.ts', [2]],
      ['reports/list.ts', [2]],
    ]);
  });
});
