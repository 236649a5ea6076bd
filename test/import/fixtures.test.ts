import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FIXTURES } from './helpers.js';

describe('fixtures/import', () => {
  it('documents every fixture in its README, and only existing ones', () => {
    const readme = fs.readFileSync(`${FIXTURES}README.md`, 'utf8');
    const documented = [...readme.matchAll(/^\| `([^`]+)` \|/gm)].map((m) => m[1]).sort();
    const files = fs.readdirSync(FIXTURES).filter((f) => f !== 'README.md').sort();
    expect(documented).toEqual(files);
  });

  it('keeps every fixture small', () => {
    for (const file of fs.readdirSync(FIXTURES)) expect(fs.statSync(FIXTURES + file).size).toBeLessThan(4096);
  });
});
