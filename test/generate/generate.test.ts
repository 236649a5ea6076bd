import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { REFERENCE_HEADERS, RUSSIAN_HEADERS } from '../../src/generate/dialect.js';
import { generateData, GenerateOptionsError, type GenerateSummary } from '../../src/generate/generate.js';
import { DATASET_NAMES, sha256, tempDir } from './helpers.js';

const PERSONS = 4_000;

async function generate(options: Partial<Parameters<typeof generateData>[0]> = {}): Promise<GenerateSummary> {
  return generateData({ persons: PERSONS, seed: 42, outDir: tempDir(), ...options });
}

function fileOf(summary: GenerateSummary, dataset: string): GenerateSummary['files'][number] {
  const file = summary.files.find((f) => f.dataset === dataset);
  if (file === undefined) throw new Error(`no ${dataset} in the summary`);
  return file;
}

describe('generateData', () => {
  it('writes byte-identical files for the same options, different ones for another seed', async () => {
    const a = await generate();
    const b = await generate();
    const c = await generate({ seed: 43 });
    for (const dataset of DATASET_NAMES) {
      expect(sha256(fileOf(a, dataset).path)).toBe(sha256(fileOf(b, dataset).path));
    }
    expect(sha256(fileOf(a, 'crossings').path)).not.toBe(sha256(fileOf(c, 'crossings').path));
    const { files: filesA, ...restA } = a;
    const { files: filesB, ...restB } = b;
    expect(restA).toEqual(restB);
    expect(filesA.map((f) => f.bytes)).toEqual(filesB.map((f) => f.bytes));
  });

  it('counts in the summary what is in the files', async () => {
    const summary = await generate();
    expect(summary.persons).toBe(PERSONS);
    for (const dataset of DATASET_NAMES) {
      const file = fileOf(summary, dataset);
      expect(path.basename(file.path)).toBe(`${dataset}.csv`);
      const bytes = fs.readFileSync(file.path);
      expect(file.bytes).toBe(bytes.length);
      const lines = bytes.toString('utf8').split('\n');
      expect(lines.pop()).toBe('');
      expect(file.rows).toBe(lines.length - 1);
    }
    const crossings = fileOf(summary, 'crossings');
    expect(crossings.rows - crossings.malformed).toBe(summary.crossings);
    expect(summary.crossings).toBe(summary.entries + summary.exits);
    expect(summary.inCountry).toBe(summary.entries - summary.exits);
    expect(fileOf(summary, 'registrations').rows - fileOf(summary, 'registrations').malformed).toBe(summary.registrations);
    expect(fileOf(summary, 'permits').rows - fileOf(summary, 'permits').malformed).toBe(summary.permits);
    expect(summary.malformedRows).toBe(summary.files.reduce((n, f) => n + f.malformed, 0));
  });

  it('writes the reference format: header, comma, UTF-8, ISO dates', async () => {
    const summary = await generate({ persons: 2_000, malformedShare: 0 });
    for (const dataset of DATASET_NAMES) {
      const text = fs.readFileSync(fileOf(summary, dataset).path, 'utf8');
      expect(text.slice(0, text.indexOf('\n'))).toBe(REFERENCE_HEADERS[dataset].join(','));
      expect(text).not.toContain('\r');
    }
    const rows = parse(fs.readFileSync(fileOf(summary, 'crossings').path), { columns: true }) as Record<string, string>[];
    for (const row of rows) {
      expect(row.direction).toMatch(/^(IN|OUT)$/);
      expect(row.crossed_at).toMatch(/^2024-\d\d-\d\d \d\d:\d\d$/);
      expect(row.birth_date).toMatch(/^\d{4}-\d\d-\d\d$/);
      expect(row.citizenship).toMatch(/^[A-Z]{3}$/);
      expect(row.document_no).not.toBe('');
    }
    const withId = rows.filter((r) => r.person_id !== '').length / rows.length;
    expect(withId).toBeGreaterThan(0.85);
    expect(withId).toBeLessThan(0.95);
    expect(rows.some((r) => /[ -]/.test(r.document_no ?? ''))).toBe(true);
  });

  it('writes files that parse as CSV with the header’s column count', async () => {
    const summary = await generate({ malformedShare: 0.01 });
    for (const dataset of DATASET_NAMES) {
      const records = parse(fs.readFileSync(fileOf(summary, dataset).path), { relax_column_count: true }) as string[][];
      const width = REFERENCE_HEADERS[dataset].length;
      expect(records.length).toBe(fileOf(summary, dataset).rows + 1);
      for (const record of records) expect(record.length).toBe(width);
    }
    // quoting is exercised: host names and addresses with commas and quotes
    const registrations = fs.readFileSync(fileOf(summary, 'registrations').path, 'utf8');
    expect(registrations).toContain('"');
  });

  it('makes about the asked share of rows malformed, each with one recognisable defect', async () => {
    const summary = await generate({ persons: 8_000, malformedShare: 0.02 });
    const rows = summary.files.reduce((n, f) => n + f.rows, 0);
    expect(summary.malformedRows / rows).toBeGreaterThan(0.015);
    expect(summary.malformedRows / rows).toBeLessThan(0.025);
    const crossings = fileOf(summary, 'crossings');
    const records = parse(fs.readFileSync(crossings.path), { columns: true }) as Record<string, string>[];
    const defective = records.filter((r) =>
      r.direction === 'SIDEWAYS' || r.citizenship === 'ZZZ' || r.document_no === '' || /02-31|31\.02/.test(r.crossed_at ?? ''));
    expect(defective.length).toBe(crossings.malformed);
    const none = await generate({ persons: 2_000, malformedShare: 0 });
    expect(none.malformedRows).toBe(0);
  });

  it('leaves the good rows alone when only the malformed share changes', async () => {
    const a = await generate({ persons: 3_000, malformedShare: 0 });
    const b = await generate({ persons: 3_000, malformedShare: 0.05 });
    expect(b.expected).toEqual(a.expected);
    expect(b.crossings).toBe(a.crossings);
  });

  it('writes the Russian Excel variant: cp1251, semicolons, CRLF, Russian headers and words', async () => {
    const summary = await generate({ persons: 3_000, variant: 'russian-cp1251' });
    const reference = await generate({ persons: 3_000 });
    const decoder = new TextDecoder('windows-1251', { fatal: true });
    for (const dataset of DATASET_NAMES) {
      const text = decoder.decode(fs.readFileSync(fileOf(summary, dataset).path));
      expect(text.slice(0, text.indexOf('\r\n'))).toBe(RUSSIAN_HEADERS[dataset].join(';'));
      expect(text.split('\r\n').length - 2).toBe(fileOf(summary, dataset).rows);
      expect(text.replace(/\r\n/g, '')).not.toContain('\n');
      const records = parse(text, { delimiter: ';', record_delimiter: '\r\n' }) as string[][];
      for (const record of records) expect(record.length).toBe(RUSSIAN_HEADERS[dataset].length);
    }
    const crossings = decoder.decode(fs.readFileSync(fileOf(summary, 'crossings').path));
    expect(crossings.slice(0, 3)).toBe('ИД;');
    expect(crossings).toMatch(/;Въезд;\d\d\.\d\d\.2024 \d\d:\d\d;/);
    expect(crossings).toMatch(/;Выезд;/);
    expect(crossings).toMatch(/;(Россия|Российская Федерация);/);
    expect(crossings).toMatch(/;[А-ЯЁ]{3,};/); // Cyrillic names of some Russians
    expect(crossings).not.toMatch(/;(IN|OUT);/);
    // the same people and verdicts as the reference variant
    expect(summary.expected).toEqual(reference.expected);
    expect(summary.crossings).toBe(reference.crossings);
  });

  it('shapes a year like the ministry’s statement', async () => {
    const summary = await generate({ persons: 20_000, malformedShare: 0 });
    const perPerson = summary.entries / summary.persons;
    expect(perPerson).toBeGreaterThan(1.2);
    expect(perPerson).toBeLessThan(1.33);
    expect(summary.exits / summary.entries).toBeGreaterThan(0.93); // 4.1 M exits for 4.3 M entries
    expect(summary.exits / summary.entries).toBeLessThan(0.97);
    const rus = summary.expected.byCitizenship.RUS!;
    expect(rus.persons / summary.persons).toBeGreaterThan(0.35);
    expect(rus.persons / summary.persons).toBeLessThan(0.41);
    expect(rus.violators / rus.persons).toBeGreaterThan(0.001);
    expect(rus.violators / rus.persons).toBeLessThan(0.0035);
    expect(summary.expected.findings.unregistered).toBeGreaterThan(0);
    expect(summary.expected.findings['late-registration']).toBeGreaterThan(0);
    expect(summary.expected.asOf).toBe('2024-12-31');
  });

  it('spans several years with startYearSpan', async () => {
    const summary = await generate({ persons: 3_000, year: 2024, startYearSpan: 3, malformedShare: 0 });
    expect(summary.fromYear).toBe(2022);
    const text = fs.readFileSync(fileOf(summary, 'crossings').path, 'utf8');
    for (const year of [2022, 2023, 2024]) expect(text).toContain(`,${year}-`);
    expect(text).not.toMatch(/,(2021|2025)-\d\d-\d\d \d\d:\d\d,/);
  });

  it('rejects bad options with a hint', async () => {
    await expect(generateData({ persons: -1, seed: 1, outDir: tempDir() })).rejects.toBeInstanceOf(GenerateOptionsError);
    await expect(generateData({ persons: 10, seed: 1.5, outDir: tempDir() })).rejects.toThrow(/seed/);
    await expect(
      generateData({ persons: 10, seed: 1, outDir: tempDir(), variant: 'klingon' as never }),
    ).rejects.toThrow(/variant/);
    await expect(generateData({ persons: 10, seed: 1, outDir: tempDir(), malformedShare: 2 })).rejects.toThrow(
      /malformedShare/,
    );
  });
});
