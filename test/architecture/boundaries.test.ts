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
 * Files (relative to src) allowed SQL or the driver outside storage, with why. Tools
 * that are not the product (the benchmarks, the crash sweep, under src/tools) measure
 * and inspect SQLite itself, so the whole folder is exempt; an entry that no longer
 * needs its exemption fails the test, so the list only shrinks.
 */
const TOOLS = 'tools/';
const PENDING: Readonly<Record<string, string>> = {
  'cli/commands/query.ts': 'SQL is what `query` takes: its help shows example queries',
};
const exempt = (file: string): boolean => file.startsWith(TOOLS) || PENDING[file] !== undefined;

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
    expect(found.filter((f) => !exempt(f.slice(0, f.indexOf(':'))))).toEqual([]);
  });

  it('has no SQL text outside src/storage', () => {
    const found = [...sqlLiterals(sources).entries()].map(([file, lines]) => `${file}: line ${lines.join(', ')}`);
    expect(found.filter((f) => !exempt(f.slice(0, f.indexOf(':'))))).toEqual([]);
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
