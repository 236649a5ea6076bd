/**
 * Reads a source tree's import statements with the TypeScript compiler API (static
 * imports, re-exports, `import()` and `import type` alike) and finds what the
 * boundary test forbids: folder-level cycles, the SQLite driver used outside storage,
 * and SQL text outside storage.
 */
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

export interface SourceFile {
  /** Path relative to the source root, with forward slashes (`import/csv.ts`). */
  file: string;
  /** Relative paths of the source files it imports (resolved, `.js` → `.ts`). */
  imports: string[];
  /** Package names it imports (`better-sqlite3`, `node:fs`…). */
  packages: string[];
  /** String and template literals (template parts joined with `${…}`), with their lines. */
  literals: { text: string; line: number }[];
}

/** Every `.ts` file under `root`, parsed. */
export function readSources(root: string): SourceFile[] {
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) files.push(full);
    }
  };
  walk(root);
  return files.sort().map((full) => parseSource(root, full));
}

function parseSource(root: string, full: string): SourceFile {
  const text = fs.readFileSync(full, 'utf8');
  const source = ts.createSourceFile(full, text, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  const file = path.relative(root, full).split(path.sep).join('/');
  const imports: string[] = [];
  const packages: string[] = [];
  const literals: { text: string; line: number }[] = [];
  const specifier = (spec: string): void => {
    if (spec.startsWith('.')) {
      const resolved = path.posix.normalize(path.posix.join(path.posix.dirname(file), spec)).replace(/\.js$/, '.ts');
      imports.push(resolved);
    } else {
      packages.push(spec);
    }
  };
  const lineOf = (node: ts.Node): number => source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1;
  const visit = (node: ts.Node): void => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      specifier(node.moduleSpecifier.text);
      return;
    }
    if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const [arg] = node.arguments;
      if (arg && ts.isStringLiteralLike(arg)) specifier(arg.text);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) {
      specifier(node.argument.literal.text);
    } else if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) {
      literals.push({ text: node.text, line: lineOf(node) });
    } else if (ts.isTemplateExpression(node)) {
      const parts = [node.head.text, ...node.templateSpans.map((span) => span.literal.text)];
      literals.push({ text: parts.join('${…}'), line: lineOf(node) });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return { file, imports, packages, literals };
}

/** The folder a file belongs to: its first path segment (a file at the root is its own). */
export function folderOf(file: string): string {
  const slash = file.indexOf('/');
  return slash < 0 ? file : file.slice(0, slash);
}

/**
 * Folder-level cycles: each strongly connected group of two or more folders, as its
 * sorted folder names, with one import per edge inside it to show where it is.
 */
export function folderCycles(sources: readonly SourceFile[]): { folders: string[]; edges: string[] }[] {
  const edges = new Map<string, Map<string, string>>();
  for (const source of sources) {
    const from = folderOf(source.file);
    for (const target of source.imports) {
      const to = folderOf(target);
      if (to === from) continue;
      const out = edges.get(from) ?? new Map<string, string>();
      if (!out.has(to)) out.set(to, `${source.file} → ${target}`);
      edges.set(from, out);
    }
  }
  // Tarjan's strongly connected components.
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const groups: string[][] = [];
  let counter = 0;
  const connect = (v: string): void => {
    index.set(v, counter);
    low.set(v, counter);
    counter++;
    stack.push(v);
    onStack.add(v);
    for (const w of edges.get(v)?.keys() ?? []) {
      if (!index.has(w)) {
        connect(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v)!, index.get(w)!));
      }
    }
    if (low.get(v) === index.get(v)) {
      const group: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        group.push(w);
      } while (w !== v);
      if (group.length > 1) groups.push(group.sort());
    }
  };
  const nodes = new Set<string>([...edges.keys(), ...[...edges.values()].flatMap((m) => [...m.keys()])]);
  for (const v of [...nodes].sort()) if (!index.has(v)) connect(v);
  return groups
    .map((folders) => ({
      folders,
      edges: folders.flatMap((a) => folders.filter((b) => b !== a && edges.get(a)?.has(b)).map((b) => edges.get(a)!.get(b)!)),
    }))
    .sort((a, b) => a.folders.join().localeCompare(b.folders.join()));
}

/** The modules only storage may import: the SQLite driver and storage's own driver-level module. */
export const DRIVER_PACKAGES: readonly string[] = ['better-sqlite3'];
export const DRIVER_MODULES: readonly string[] = ['storage/database.ts'];

/** Files outside storage that import the driver or storage's driver-level module, with what they import. */
export function driverImports(sources: readonly SourceFile[]): Map<string, string[]> {
  const found = new Map<string, string[]>();
  for (const source of sources) {
    if (folderOf(source.file) === 'storage') continue;
    const hits = [...source.packages.filter((p) => DRIVER_PACKAGES.includes(p)), ...source.imports.filter((i) => DRIVER_MODULES.includes(i))];
    if (hits.length > 0) found.set(source.file, hits);
  }
  return found;
}

/**
 * SQL text in a literal: an upper-case statement keyword followed by what makes it a
 * statement (SELECT of columns, INSERT … INTO, UPDATE … SET, DELETE FROM, a
 * transaction's BEGIN, CREATE of a schema object). Prose such as "Select a file" or
 * "update the rules" does not match.
 */
export const SQL_PATTERN =
  /\bSELECT\s+(DISTINCT\s+)?(\*|\$\{…\}|[\w.]+\s*(,|\(|\bAS\b|\bFROM\b)|\d+\b)|\bINSERT\s+(OR\s+[A-Z]+\s+)?INTO\b|\bUPDATE\s+[\w.]+\s+SET\b|\bDELETE\s+FROM\b|^\s*BEGIN\s*(IMMEDIATE|EXCLUSIVE|DEFERRED|TRANSACTION)?\s*;?\s*$|\bBEGIN\s+(IMMEDIATE|EXCLUSIVE|DEFERRED|TRANSACTION)\b|\bCREATE\s+(TEMP\s+|TEMPORARY\s+|UNIQUE\s+|VIRTUAL\s+)?(TABLE|INDEX|VIEW|TRIGGER)\b/;

/** Files outside storage with SQL in a string or template literal, with the lines. */
export function sqlLiterals(sources: readonly SourceFile[]): Map<string, number[]> {
  const found = new Map<string, number[]>();
  for (const source of sources) {
    if (folderOf(source.file) === 'storage') continue;
    const lines = source.literals.filter((l) => SQL_PATTERN.test(l.text)).map((l) => l.line);
    if (lines.length > 0) found.set(source.file, lines);
  }
  return found;
}
