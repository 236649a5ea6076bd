import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { run, tempDir } from './helpers.js';

interface Summary {
  malformed_rows: number;
  expected: { as_of: string; violators: number; findings: Record<string, number> };
}

describe('generate → nightly → audit', () => {
  for (const variant of ['reference', 'russian-cp1251']) {
    it(`the audit finds exactly what the generator planted (${variant})`, async () => {
      const { dir, cleanup } = tempDir();
      try {
        const out = path.join(dir, 'inbox');
        const generated = await run(['generate', '--persons', '20000', '--seed', '11', '--out', out, '--variant', variant, '--json']);
        expect(generated.code, generated.stderr).toBe(0);
        const summary = JSON.parse(generated.stdout) as Summary;
        const db = path.join(dir, 'g.db');
        const nightly = await run(['--db', db, 'nightly', '--inbox', out, '--reports', path.join(dir, 'reports'), '--as-of', summary.expected.as_of]);
        expect(nightly.code, nightly.stderr).toBe(5); // the malformed rows are rejected
        const rejected = [...nightly.stdout.matchAll(/(\d+) rejected/g)].reduce((n, m) => n + Number(m[1]), 0);
        expect(rejected).toBe(summary.malformed_rows);
        const runs = JSON.parse((await run(['--db', db, 'runs', '--format', 'json'])).stdout) as { rows: { findings: number }[] };
        expect(runs.rows).toHaveLength(1);
        const audit = JSON.parse((await run(['--db', db, 'audit', '--as-of', summary.expected.as_of, '--json'])).stdout) as {
          violators: number;
          counts: Record<string, number>;
        };
        expect(audit.violators).toBe(summary.expected.violators);
        for (const [rule, n] of Object.entries(summary.expected.findings)) expect(audit.counts[rule] ?? 0, rule).toBe(n);
      } finally {
        cleanup();
      }
    });
  }
});
