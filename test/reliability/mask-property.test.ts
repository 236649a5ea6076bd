/**
 * --mask as a property (issue 13): over generated data, no name, document number,
 * person id, birth date, host id, host name or address from the input appears in any
 * masked output of any command and format, nightly's reports, summary and rejects
 * included. The count of outputs and values checked goes to the README.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csvRecords, runMeasured, tempDir } from './support.js';

const SEEDS = [11, 2024];
const PERSONAL = ['person_id', 'document_no', 'surname', 'given_names', 'birth_date', 'host_id', 'host_name', 'address'];
const FORMATS = ['table', 'csv', 'json', 'ndjson'];

let dir: string;
let cleanup: () => void;
beforeAll(() => ({ dir, cleanup } = tempDir('stayaudit-mask-')));
afterAll(() => cleanup());

/** Every personal value of the generated files, as written and as stored (document numbers normalised). */
function personalValues(dataDir: string): Set<string> {
  const values = new Set<string>();
  for (const name of fs.readdirSync(dataDir).filter((n) => n.endsWith('.csv'))) {
    const [header, ...rows] = csvRecords(fs.readFileSync(path.join(dataDir, name), 'utf8'));
    const at = PERSONAL.map((c) => header!.indexOf(c)).filter((i) => i >= 0);
    for (const row of rows) {
      for (const i of at) {
        const value = (row[i] ?? '').trim();
        // Short values (a two-letter given name) would match unrelated text; they are rare and are masked like the rest.
        if (value.length < 4) continue;
        values.add(value);
        if (header![i] === 'document_no') values.add(value.toUpperCase().replace(/[\s-]/g, ''));
      }
    }
  }
  return values;
}

/** The values found in a text as whole words (PAVLOV inside the checkpoint PAVLOVKA is no leak). */
function leaks(text: string, values: Set<string>): string[] {
  const found: string[] = [];
  for (const v of values) {
    let at = text.indexOf(v);
    while (at >= 0) {
      const before = at === 0 ? '' : text[at - 1]!;
      const after = text[at + v.length] ?? '';
      if (!/[\p{L}\p{N}]/u.test(before) && !/[\p{L}\p{N}]/u.test(after)) {
        found.push(v);
        break;
      }
      at = text.indexOf(v, at + 1);
    }
  }
  return found;
}

describe('--mask hides every personal datum, everywhere', () => {
  const checked = { outputs: 0, values: 0, seeds: SEEDS.length };

  for (const seed of SEEDS) {
    it(`seed ${seed}: every command and format, and nightly --mask`, async () => {
      const data = path.join(dir, `data-${seed}`);
      const gen = await runMeasured(['generate', '--persons', '300', '--seed', String(seed), '--year', '2024', '--malformed', '0.03', '--out', data]);
      expect(gen.code, gen.stderr).toBe(0);
      const values = personalValues(data);
      expect(values.size).toBeGreaterThan(500);
      checked.values += values.size;

      // nightly --mask first: it creates the database and writes reports, summary and rejects.
      const inbox = path.join(dir, `inbox-${seed}`);
      fs.mkdirSync(inbox);
      for (const name of fs.readdirSync(data)) fs.copyFileSync(path.join(data, name), path.join(inbox, name));
      const db = path.join(dir, `mask-${seed}.db`);
      const reports = path.join(dir, `reports-${seed}`);
      const nightly = await runMeasured(['--db', db, 'nightly', '--inbox', inbox, '--reports', reports, '--as-of', '2024-12-31', '--mask']);
      expect([0, 5], nightly.stderr).toContain(nightly.code);
      const set = path.join(reports, '2024-12-31');
      const files = fs.readdirSync(set);
      expect(files.some((f) => f.startsWith('rejects-')), 'the generated data should have rejected rows').toBe(true);
      const problems: string[] = [];
      for (const name of files) {
        checked.outputs++;
        const found = leaks(fs.readFileSync(path.join(set, name), 'utf8'), values);
        if (found.length > 0) problems.push(`nightly ${name}: ${found.slice(0, 5).join(' | ')}`);
      }
      checked.outputs++;
      const nightlyLeaks = leaks(nightly.stdout, values);
      if (nightlyLeaks.length > 0) problems.push(`nightly stdout: ${nightlyLeaks.slice(0, 5).join(' | ')}`);
      // A second run, for diff.
      expect((await runMeasured(['--db', db, 'audit', '--as-of', '2024-12-31'])).code).toBe(0);

      const persons = csvRecords(fs.readFileSync(path.join(data, 'registrations.csv'), 'utf8'))
        .slice(1, 4)
        .map((r) => r[0]!)
        .filter((p) => p !== '');
      const commands: string[][] = [
        ['findings'],
        ['violators'],
        ['diff', '1', '2', '--all'],
        ['runs'],
        ...['citizenship', 'month', 'checkpoint', 'rule', 'host'].map((by) => ['stats', '--by', by]),
        ...persons.map((p) => ['person', p]),
      ];
      for (const command of commands) {
        for (const format of FORMATS) {
          const r = await runMeasured(['--db', db, ...command, '--format', format, '--mask']);
          expect(r.code, `${command.join(' ')} ${format}: ${r.stderr}`).toBe(0);
          if (format !== 'ndjson') expect(r.stdout.length, `${command.join(' ')} ${format}`).toBeGreaterThan(0);
          checked.outputs++;
          const found = leaks(r.stdout + r.stderr, values);
          if (found.length > 0) problems.push(`${command.join(' ')} --format ${format}: ${found.slice(0, 5).join(' | ')}`);
        }
      }
      expect(problems).toEqual([]);
      // Masked is not empty: the same command unmasked does show the data.
      const plain = await runMeasured(['--db', db, 'findings', '--format', 'csv']);
      expect(leaks(plain.stdout, values).length).toBeGreaterThan(0);
    }, 300_000);
  }

  afterAll(() => {
    const out = path.resolve(import.meta.dirname, '../../test-results');
    fs.mkdirSync(out, { recursive: true });
    fs.writeFileSync(path.join(out, 'mask-property.json'), JSON.stringify(checked, null, 2) + '\n');
  });
});
