import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCorpus, REQUIRED_CATEGORIES, type CorpusFile } from './corpus.js';
import { csvRecords, GNU_TIME, looksLikeCrash, MEMORY_LIMIT_KB, peek, pool, runMeasured, tempDir, type Measured } from './support.js';

/**
 * Hostile input (issue 7): a generated corpus of over 200 broken files never crashes
 * the tool, never hangs (every process has a time limit), never exceeds bounded
 * memory, and never leaves a half-applied file. A file that cannot be read as the
 * dataset fails as a whole, naming the file; a readable file with bad rows imports
 * its good rows and accounts for every bad one in the rejects, with exit code 5
 * (0 clean, 3 a broken file).
 *
 * Files are imported many to a process (`import crossings a.csv b.csv …`, each file
 * still its own transaction; the large ones together) to keep the suite fast, and the
 * batch's exit code is checked (3 if a file failed, else 5 if rows were rejected, else
 * 0); one file of each outcome is also imported alone. Peak memory is measured with
 * /usr/bin/time where it exists (limit MEMORY_LIMIT_KB per process).
 */

interface Placed extends CorpusFile {
  path: string;
}

interface FileSummary {
  file: string;
  import_id: number;
  read: number;
  added: number;
  updated: number;
  duplicate: number;
  rejected: number;
}

interface ImportJson {
  version: number;
  files: FileSummary[];
  failed: { file: string; error: string }[];
}

const PROCESS_TIMEOUT_MS = 45_000;
// A small import into a store holding more appends its crossings to crossings_recent (schema 8).
const TABLE: Record<CorpusFile['dataset'], string> = {
  crossings: '(SELECT * FROM crossings UNION ALL SELECT * FROM crossings_recent)',
  registrations: 'registrations',
  permits: 'permits',
  expulsions: 'expulsions',
};

let dir: string;
let cleanup: () => void;
let corpus: Placed[];
let peakKb = 0;

beforeAll(() => {
  ({ dir, cleanup } = tempDir('stayaudit-hostile-'));
  const files = buildCorpus();
  corpus = files.map((f, i) => {
    const ext = f.delimiter === '\t' ? 'tsv' : 'csv';
    const file = path.join(dir, 'corpus', `${String(i).padStart(3, '0')}-${f.name}.${ext}`);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, f.data);
    return { ...f, path: file, data: Buffer.alloc(0) };
  });
});

afterAll(() => cleanup());

/** Problems a process shows whatever its input: a crash, a hang, too much memory. */
function processProblems(label: string, r: Measured, allowed: readonly number[]): string[] {
  const problems: string[] = [];
  if (r.timedOut) problems.push(`${label}: still running after ${PROCESS_TIMEOUT_MS} ms (hang?)`);
  if (r.signal !== null) problems.push(`${label}: killed by ${r.signal}`);
  if (r.code === null || !allowed.includes(r.code)) problems.push(`${label}: exit code ${r.code}, expected one of ${allowed.join(', ')}`);
  if (looksLikeCrash(r.stderr)) problems.push(`${label}: crash on stderr:\n${r.stderr.slice(0, 2000)}`);
  if (r.maxRssKb !== null && r.maxRssKb > MEMORY_LIMIT_KB) problems.push(`${label}: peak memory ${Math.round(r.maxRssKb / 1024)} MiB > ${MEMORY_LIMIT_KB / 1024} MiB`);
  return problems;
}

/** Physical line numbers of the lines that hold something (not blank for the parser). */
function contentLines(file: Placed): number[] {
  const data = fs.readFileSync(file.path).toString('latin1');
  const blank = new RegExp(`^[\\s"${file.delimiter === '\t' ? '\\t' : file.delimiter}]*$`);
  const lines = data.split('\n');
  if (lines.at(-1) === '') lines.pop();
  const out: number[] = [];
  lines.forEach((l, i) => {
    if (!blank.test(l)) out.push(i + 1);
  });
  return out;
}

interface RejectRow {
  line: number;
  reason: string;
  /** Physical lines the rejected record spans (newlines inside its cells). */
  span: number;
}

function readRejects(file: string): Map<string, RejectRow[]> {
  const byFile = new Map<string, RejectRow[]>();
  if (!fs.existsSync(file)) return byFile;
  for (const record of csvRecords(fs.readFileSync(file, 'utf8'))) {
    if (record[0] === '_file' && record[1] === '_line' && record[2] === '_reason') continue; // a header block
    const [label, line, reason, ...raw] = record;
    const list = byFile.get(label!) ?? [];
    list.push({ line: Number(line), reason: reason ?? '', span: 1 + raw.reduce((n, c) => n + (c.match(/\n/g)?.length ?? 0), 0) });
    byFile.set(label!, list);
  }
  return byFile;
}

/** Checks one file's outcome in a batch against what the corpus says it must be. */
function checkFile(file: Placed, json: ImportJson, db: string, rejects: Map<string, RejectRow[]>): string[] {
  const problems: string[] = [];
  const say = (p: string): void => void problems.push(`${path.basename(file.path)}: ${p}`);
  const summary = json.files.find((f) => f.file === file.path);
  const failure = json.failed.find((f) => f.file === file.path);
  const expect = file.expect;

  if (expect.kind === 'broken' || (expect.kind === 'either' && failure !== undefined)) {
    if (!failure) return [`${path.basename(file.path)}: should fail as a whole, but was imported: ${JSON.stringify(summary)}`];
    if (!failure.error.startsWith(file.path)) say(`the error does not start with the file name: ${failure.error}`);
    if ((rejects.get(file.path) ?? []).length > 0) say('a failed file left rows in the rejects file');
    return problems; // and no ledger row: see the batch's check of the ledger ids
  }
  if (!summary) return [`${path.basename(file.path)}: should be readable, but failed: ${failure?.error}`];
  if (expect.kind === 'either') {
    if (summary.read !== 0) say(`a file cut in its header read ${summary.read} rows`);
    return problems;
  }
  const entry = peek(db, (d) => d.prepare(`SELECT rows_read, added, duplicate, rejected FROM imports WHERE id = ?`).get(summary.import_id) as
    | { rows_read: number; added: number; duplicate: number; rejected: number }
    | undefined);
  if (!entry) say(`no ledger row ${summary.import_id}`);
  if (entry && (entry.rows_read !== summary.read || entry.added !== summary.added || entry.rejected !== summary.rejected)) {
    say(`ledger ${JSON.stringify(entry)} disagrees with the summary ${JSON.stringify(summary)}`);
  }
  if (summary.read !== summary.added + summary.updated + summary.duplicate + summary.rejected) say(`counts do not add up: ${JSON.stringify(summary)}`);
  if (summary.duplicate !== 0) say(`${summary.duplicate} duplicates in a file without any`);

  const accepted = peek(db, (d) => (d.prepare(`SELECT line FROM ${TABLE[file.dataset]} WHERE import_id = ? ORDER BY line`).all(summary.import_id) as { line: number }[]).map((r) => r.line));
  if (accepted.length !== summary.added) say(`${summary.added} added but ${accepted.length} rows stored`);
  const fileRejects = rejects.get(file.path) ?? [];
  if (fileRejects.length !== summary.rejected) say(`${summary.rejected} rejected but ${fileRejects.length} rows in the rejects file`);
  for (const r of fileRejects) if (r.reason.trim() === '') say(`line ${r.line} rejected without a reason`);

  // Every line is accounted for: imported, or inside exactly one rejected record.
  const covered = new Map<number, string>();
  const cover = (line: number, by: string): void => {
    if (covered.has(line)) say(`line ${line} counted twice (${covered.get(line)} and ${by})`);
    covered.set(line, by);
  };
  for (const line of accepted) cover(line, 'imported');
  for (const c of expect.continuation ?? []) cover(c, 'imported');
  const rejectedLines = new Set<number>();
  for (const r of fileRejects) {
    for (let l = r.line; l < r.line + r.span; l++) {
      cover(l, 'rejected');
      rejectedLines.add(l);
    }
  }
  const missing = contentLines(file).filter((l) => l > 1 && !covered.has(l));
  // The header is line 1 unless blank lines precede it: allow the first content line.
  const header = contentLines(file)[0];
  const unaccounted = missing.filter((l) => l !== header);
  if (unaccounted.length > 0) say(`lines neither imported nor rejected: ${unaccounted.slice(0, 10).join(', ')}${unaccounted.length > 10 ? ` … (${unaccounted.length})` : ''}`);

  const acceptedSet = new Set(accepted);
  const notImported = expect.good.filter((l) => !acceptedSet.has(l));
  if (notImported.length > 0) say(`good lines not imported: ${notImported.slice(0, 10).join(', ')}${notImported.length > 10 ? ` … (${notImported.length})` : ''}`);
  const notRejected = expect.bad.filter((l) => !rejectedLines.has(l));
  if (notRejected.length > 0) say(`bad lines not rejected: ${notRejected.slice(0, 10).join(', ')}${notRejected.length > 10 ? ` … (${notRejected.length})` : ''}`);
  if (expect.exact) {
    const goodSet = new Set(expect.good);
    const extra = accepted.filter((l) => !goodSet.has(l));
    if (extra.length > 0) say(`lines imported that should have been rejected: ${extra.slice(0, 10).join(', ')}`);
    const badSet = new Set(expect.bad);
    const extraRejected = [...rejectedLines].filter((l) => !badSet.has(l));
    if (extraRejected.length > 0) say(`lines rejected that should have been imported: ${extraRejected.slice(0, 10).join(', ')}`);
  }
  return problems;
}

function expectedCode(json: ImportJson): number {
  if (json.failed.length > 0) return 3;
  return json.files.some((f) => f.rejected > 0) ? 5 : 0;
}

describe('hostile input', () => {
  it('the corpus holds at least 200 files, of every kind the issue lists', () => {
    expect(corpus.length).toBeGreaterThanOrEqual(200);
    const categories = new Set(corpus.map((f) => f.category));
    for (const c of REQUIRED_CATEGORIES) expect(categories, c).toContain(c);
    expect(corpus.filter((f) => f.expect.kind === 'broken').length).toBeGreaterThan(40);
    expect(corpus.filter((f) => f.expect.kind === 'rows' && f.expect.bad.length > 0).length).toBeGreaterThan(40);
    // The figure the README's guarantees section quotes.
    const out = path.resolve(import.meta.dirname, '../../test-results');
    fs.mkdirSync(out, { recursive: true });
    fs.writeFileSync(path.join(out, 'hostile-corpus.json'), JSON.stringify({ files: corpus.length, broken: corpus.filter((f) => f.expect.kind === 'broken').length }, null, 2) + '\n');
  });

  it(
    'never crashes, hangs or runs out of memory; a broken file fails whole, a bad row is rejected and accounted for',
    async () => {
      // Batches: one dataset each; the large files together in one of their own.
      const batches: Placed[][] = [];
      for (const dataset of ['crossings', 'registrations', 'permits', 'expulsions'] as const) {
        const files = corpus.filter((f) => f.dataset === dataset);
        if (files.some((f) => f.solo)) batches.push(files.filter((f) => f.solo));
        const rest = files.filter((f) => !f.solo);
        for (let i = 0; i < rest.length; i += 24) batches.push(rest.slice(i, i + 24));
      }
      const problems = (
        await pool(batches, 2, async (batch, n) => {
          const db = path.join(dir, `batch-${n}.db`);
          const rejectsFile = path.join(dir, `batch-${n}-rejects.csv`);
          const label = `batch ${n} (${batch.map((f) => path.basename(f.path)).join(' ')})`;
          const r = await runMeasured(['--db', db, 'import', batch[0]!.dataset, ...batch.map((f) => f.path), '--rejects', rejectsFile, '--json'], { timeoutMs: PROCESS_TIMEOUT_MS });
          const found = processProblems(label, r, [0, 3, 5]);
          let json: ImportJson;
          try {
            json = JSON.parse(r.stdout) as ImportJson;
          } catch {
            return [...found, `${label}: no JSON summary on stdout (exit ${r.code}): ${r.stderr.slice(0, 1000)}`];
          }
          if (r.code !== expectedCode(json)) found.push(`${label}: exit code ${r.code}, expected ${expectedCode(json)}`);
          for (const f of json.failed) {
            if (!r.stderr.includes(`error: ${f.error}`)) found.push(`${label}: the failure of ${f.file} is not on stderr`);
          }
          const rejects = readRejects(rejectsFile);
          for (const file of batch) found.push(...checkFile(file, json, db, rejects));
          if (fs.existsSync(db)) {
            const store = peek(db, (d) => ({
              integrity: d.pragma('integrity_check', { simple: true }) as string,
              orphans: (d.prepare(`SELECT count(*) AS n FROM ${TABLE[batch[0]!.dataset]} WHERE import_id NOT IN (SELECT id FROM imports)`).get() as { n: number }).n,
              ledger: (d.prepare(`SELECT id FROM imports ORDER BY id`).all() as { id: number }[]).map((r) => r.id),
            }));
            if (store.integrity !== 'ok') found.push(`${label}: integrity_check ${store.integrity}`);
            if (store.orphans > 0) found.push(`${label}: ${store.orphans} rows of no recorded import (a half-applied file)`);
            // Exactly the files that were imported have a ledger row: the failed ones none.
            const imported = json.files.map((f) => f.import_id).sort((a, b) => a - b);
            if (JSON.stringify(store.ledger) !== JSON.stringify(imported)) found.push(`${label}: ledger ids ${JSON.stringify(store.ledger)}, imported ${JSON.stringify(imported)}`);
          }
          if (r.maxRssKb !== null) peakKb = Math.max(peakKb, r.maxRssKb);
          return found;
        })
      ).flat();
      if (GNU_TIME) console.info(`hostile corpus: ${corpus.length} files in ${batches.length} processes, peak memory ${Math.round(peakKb / 1024)} MiB`);
      expect(problems).toEqual([]);
    },
    240_000,
  );

  it(
    'one file of each kind alone: exit 3 and an error naming it when broken, 5 with rejected rows, 0 when clean',
    async () => {
      // One file per outcome: binary, wrong dataset (exit 3); bad dates, a stray quote
      // (exit 5); header only (exit 0); cut inside its header (0 or 3).
      const names = ['random-500', 'crossings-as-permits', 'crossed-at-31_02_2025', 'stray-quote-no-other-quotes', 'header-only-bom', 'truncated-0-header'];
      const picks = names.map((name) => corpus.find((f) => f.name === name || f.name.startsWith(`${name}-`))!);
      const problems = (
        await pool(picks, 2, async (file, n) => {
          const db = path.join(dir, `alone-${n}.db`);
          const r = await runMeasured(['--db', db, 'import', file.dataset, file.path], { timeoutMs: PROCESS_TIMEOUT_MS });
          const name = path.basename(file.path);
          const expect = file.expect;
          const code = expect.kind === 'broken' ? [3] : expect.kind === 'either' ? [0, 3] : expect.exact ? [expect.bad.length > 0 ? 5 : 0] : [0, 5];
          const found = processProblems(name, r, code);
          if (r.code === 3) {
            const first = r.stderr.split('\n')[0] ?? '';
            if (!first.startsWith(`error: ${file.path}`)) found.push(`${name}: the error does not name the file: ${first}`);
            if (!/^hint: /m.test(r.stderr)) found.push(`${name}: no hint`);
          }
          if (r.code === 5 && !/rejected/.test(r.stderr)) found.push(`${name}: exit 5 without saying rows were rejected`);
          return found;
        })
      ).flat();
      expect(picks.every(Boolean)).toBe(true);
      expect(problems).toEqual([]);
    },
    120_000,
  );

  // Storage errors name the database; the ledger still names the imported file.
  it('the import ledger records the file that was imported, not the database', async () => {
    const file = corpus.find((f) => f.name === 'formula-0')!;
    const db = path.join(dir, 'ledger.db');
    const r = await runMeasured(['--db', db, 'import', 'crossings', file.path]);
    expect(r.code, r.stderr).toBe(0);
    expect(peek(db, (d) => d.prepare('SELECT file FROM imports').all())).toEqual([{ file: file.path }]);
  });

  it('a broken file on stdin fails as a whole, naming <stdin>, and leaves nothing', async () => {
    const db = path.join(dir, 'stdin.db');
    const binary = Buffer.from([0x50, 0x4b, 0x03, 0x04, 0, 1, 2, 3, 0, 0, 9, 9]);
    const r = await runMeasured(['--db', db, 'import', 'crossings', '-'], { input: binary, timeoutMs: PROCESS_TIMEOUT_MS });
    expect(processProblems('stdin', r, [3])).toEqual([]);
    expect(r.stderr).toMatch(/^error: <stdin>: /);
    const ledger = fs.existsSync(db) ? peek(db, (d) => (d.prepare('SELECT count(*) AS n FROM imports').get() as { n: number }).n) : 0;
    expect(ledger).toBe(0);
  });
});
