import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../e2e/helpers.js';

/** Every .ts file under `dir` (relative to src), or the file itself. */
function sources(entry: string): string[] {
  const full = path.join(ROOT, 'src', entry);
  if (fs.statSync(full).isFile()) return [full];
  return fs.readdirSync(full, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts')).map((f) => path.join(full, f));
}

// What only storage may hold: the driver, a connection, SQL text, transactions.
const FORBIDDEN: [RegExp, string][] = [
  [/from ['"]better-sqlite3['"]/, 'imports the driver'],
  [/\bConnection\b/, 'names a Connection'],
  [/\bopenConnection\b/, 'opens a connection'],
  [/\b(SELECT|INSERT|UPDATE|DELETE)\b[\s\S]{0,80}\b(FROM|INTO|SET)\b/, 'holds SQL'],
  [/['"`](BEGIN|COMMIT|ROLLBACK)\b/, 'runs a transaction'],
  [/\.(exec|prepare)\(/, 'runs statements'],
];

describe('the audit and the statistics hold no connection and no SQL (storage does)', () => {
  const checked = [
    ...sources('audit'),
    ...sources('statistics'),
    ...sources('reports/stats.ts'),
    ...sources('reports/html'),
    ...sources('cli/commands/stats.ts'),
    ...sources('cli/commands/report.ts'),
  ];

  it('finds the files it checks', () => {
    expect(checked.length).toBeGreaterThan(10);
  });

  for (const file of checked) {
    it(path.relative(path.join(ROOT, 'src'), file), () => {
      const text = fs.readFileSync(file, 'utf8');
      const found = FORBIDDEN.filter(([pattern]) => pattern.test(text)).map(([, what]) => what);
      expect(found).toEqual([]);
    });
  }
});
