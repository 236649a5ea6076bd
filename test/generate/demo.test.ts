import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Calendar } from '../../src/generate/calendar.js';
import { DEMO_CASES, DEMO_YEAR, generateDemo } from '../../src/generate/generate.js';
import { DATASET_NAMES, sha256, tempDir } from './helpers.js';

const calendar = new Calendar(2000, 2030);

describe('generateDemo', () => {
  it('is deterministic', async () => {
    const a = await generateDemo(tempDir());
    const b = await generateDemo(tempDir());
    for (const dataset of DATASET_NAMES) {
      const fa = a.files.find((f) => f.dataset === dataset)!;
      const fb = b.files.find((f) => f.dataset === dataset)!;
      expect(sha256(fa.path)).toBe(sha256(fb.path));
    }
  });

  it('has a few thousand rows of 2022, nine violators, three of them Russian (~0.2% of Russian entries)', async () => {
    const demo = await generateDemo(tempDir());
    expect(DEMO_YEAR).toBe(2022);
    expect(demo.expected.asOf).toBe('2022-12-31');
    const crossings = demo.files.find((f) => f.dataset === 'crossings')!;
    expect(crossings.rows).toBeGreaterThan(3_000);
    expect(crossings.rows).toBeLessThan(10_000);
    const text = fs.readFileSync(crossings.path, 'utf8');
    expect(text).not.toMatch(/,20(1\d|2[013-9])-\d\d-\d\d \d\d:\d\d,/);
    expect(demo.expected.violators).toBe(9);
    const rus = demo.expected.byCitizenship.RUS!;
    expect(rus.violators).toBe(3);
    expect(rus.entries).toBeGreaterThan(1_000);
    expect(rus.violators / rus.entries).toBeGreaterThan(0.0015);
    expect(rus.violators / rus.entries).toBeLessThan(0.0025);
    expect(demo.expected.findings['ban-breach']).toBeGreaterThanOrEqual(1);
    expect(demo.expulsions).toBeGreaterThanOrEqual(3);
    expect(demo.malformedRows).toBe(7);
  });

  it('gives each scripted person the verdict its comment states', async () => {
    const demo = await generateDemo(tempDir());
    expect(demo.cases).toHaveLength(DEMO_CASES.length);
    DEMO_CASES.forEach((c, k) => {
      const got = demo.cases[k]!.findings.map((f) => ({
        rule: f.rule, firstDay: calendar.iso(f.firstDay), days: f.days, status: f.status,
      }));
      expect(got, `${c.surname} ${c.givenNames}`).toEqual(c.expected);
    });
  });
});
