/**
 * The read side of the storage boundary (issue 16): the listing reports and the CLI
 * reach storage only through `storage/reads/index.ts` (named reads over typed values;
 * the opening half, `storage/open-store.ts`, also directly)
 * and hold no SQL. Statistics, the HTML report and the import/nightly commands have
 * their own helpers and are not checked here.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../e2e/helpers.js';

const NOT_HERE = new Set(['src/reports/stats.ts', 'src/cli/commands/stats.ts', 'src/cli/commands/report.ts', 'src/cli/commands/import.ts', 'src/cli/commands/inspect.ts', 'src/cli/commands/nightly.ts']);

function files(): string[] {
  const listed = ['findings', 'filters', 'diff', 'person', 'runs', 'query', 'shape', 'render'].map((f) => `src/reports/${f}.ts`);
  const walk = (dir: string): string[] =>
    fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(`${dir}/${e.name}`) : e.name.endsWith('.ts') ? [`${dir}/${e.name}`] : []));
  return [...listed, ...walk('src/cli')].filter((f) => !NOT_HERE.has(f));
}

/**
 * Imports of storage modules other than the read boundary. `storage/open-store.ts` (the
 * store's address, label and opening, which the boundary re-exports) may be imported
 * directly: the CLI's start-up does, so that a command that reads nothing (import,
 * --version) does not load every read.
 */
function storageImports(text: string): string[] {
  return [...text.matchAll(/from '((?:\.\.\/)+storage\/[^']+)'/g)].map((m) => m[1]!).filter((p) => !/storage\/(reads\/index|open-store)\.js$/.test(p));
}

/** String or template literals that read as SQL statements (a keyword, then SQL-ish words). */
function sqlLiterals(text: string): string[] {
  const literals = [...text.matchAll(/`[^`]*`|'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"/g)].map((m) => m[0]);
  return literals.filter((l) => /\b(SELECT\b[\s\S]*\bFROM|INSERT\s+INTO|UPDATE\b[\s\S]*\bSET|DELETE\s+FROM|BEGIN\b|CREATE\s+(TABLE|INDEX|VIEW)|ORDER\s+BY|WHERE\b[\s\S]*[=<>?])/i.test(l));
}

describe('reports and the CLI reach storage through its read boundary', () => {
  it('finds what it looks for', () => {
    expect(storageImports(`import { x } from '../storage/database.js';\nimport { y } from '../../storage/reads/index.js';\nimport { z } from '../storage/open-store.js';`)).toEqual(['../storage/database.js']);
    expect(sqlLiterals("const q = `SELECT person_key FROM persons WHERE id = ?`; const t = 'select a';")).toHaveLength(1);
    expect(sqlLiterals("store.one('SELECT value FROM meta')")).toHaveLength(1);
  });

  it('no listing report or command imports another storage module or holds SQL', () => {
    const found: string[] = [];
    for (const file of files()) {
      const text = fs.readFileSync(path.join(ROOT, file), 'utf8');
      for (const p of storageImports(text)) found.push(`${file}: imports ${p}`);
      // The query command's help examples are the user's SQL, not ours.
      const code = file === 'src/cli/commands/query.ts' ? text.replace(/examples: \[[\s\S]*?\],/, '') : text;
      for (const l of sqlLiterals(code)) found.push(`${file}: SQL ${l.slice(0, 60)}`);
    }
    expect(found).toEqual([]);
  });
});
