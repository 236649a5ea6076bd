import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importScenario, parseCsv, run, tempDir } from './helpers.js';

/** Every reading command in every output format, on the e2e scenario after two audits. */
const COMMANDS: readonly (readonly string[])[] = [
  ['findings'],
  ['violators'],
  ['stats'],
  ['stats', '--by', 'month'],
  ['person', 'P2'],
  ['runs'],
  ['diff', '--all'],
  ['query', 'SELECT person_key, rule, days FROM findings ORDER BY 1, 2'],
  ['rules'],
];

describe('every listing command in every format', () => {
  let dir: string;
  let cleanup: () => void;
  let db: string;

  beforeAll(async () => {
    ({ dir, cleanup } = tempDir());
    db = path.join(dir, 'f.db');
    for (const result of await importScenario(db)) expect(result.code).toBe(0);
    for (const asOf of ['2024-04-14', '2024-04-20']) expect((await run(['--db', db, 'audit', '--as-of', asOf])).code).toBe(0);
  });
  afterAll(() => cleanup());

  for (const command of COMMANDS) {
    it(`${command.join(' ')}`, async () => {
      const outputs: Record<string, string> = {};
      for (const format of ['table', 'csv', 'json', 'ndjson']) {
        const result = await run(['--db', db, ...command, '--format', format]);
        expect(result.code, `${format}: ${result.stderr}`).toBe(0);
        expect(result.stderr).toBe('');
        expect(result.stdout.length, format).toBeGreaterThan(0);
        outputs[format] = result.stdout;
      }
      expect(outputs['table']).toMatch(/┌|\(none\)/);
      const csvRows = parseCsv(outputs['csv']!);
      expect(csvRows.length).toBeGreaterThan(0);
      const json = JSON.parse(outputs['json']!) as { version: number; rows?: unknown[] };
      expect(json.version).toBe(1);
      for (const line of outputs['ndjson']!.trim().split('\n')) expect(() => JSON.parse(line)).not.toThrow();
      if (json.rows) {
        // The same rows whatever the format.
        expect(json.rows).toHaveLength(csvRows.length);
        expect(outputs['ndjson']!.trim().split('\n')).toHaveLength(csvRows.length);
      }
    });
  }
});
