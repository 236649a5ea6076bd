import { describe, expect, it } from 'vitest';
import { CsvParser } from '../../src/import/csv.js';
import { InputDecoder } from '../../src/import/decode.js';
import { ImportFileError } from '../../src/import/read-dataset.js';
import { encodeCp1251, readAll } from '../import/helpers.js';
import { CROSSINGS_HEADER } from './support.js';

/**
 * The importer bugs the hostile corpus found, each pinned where it was fixed
 * (src/import): a quadratic re-scan after a runaway quote, NUL bytes past the first
 * 64 KiB going into the database, bare-CR files importing nothing without a word, and
 * one Windows-1251 row garbling every name of a UTF-8 file.
 */

function parse(text: string, pieceChars = 64 * 1024): { records: number; bad: { line: number; reason: string }[]; ms: number } {
  const parser = new CsvParser(',');
  const out = { records: 0, bad: [] as { line: number; reason: string }[] };
  const sink = { record: () => void out.records++, bad: (line: number, _raw: string[], reason: string) => void out.bad.push({ line, reason }) };
  const started = Date.now();
  for (let i = 0; i < text.length; i += pieceChars) parser.push(text.slice(i, i + pieceChars), sink);
  parser.end(sink);
  return { ...out, ms: Date.now() - started };
}

const row = (i: number, overrides: Partial<Record<'doc' | 'surname' | 'cz', string>> = {}): string =>
  `P${i},${overrides.doc ?? `N${i}`},${overrides.cz ?? 'RUS'},${overrides.surname ?? 'IVANOV'},IVAN,1980-01-01,M,IN,2024-01-0${1 + (i % 9)} 10:00,CP1`;

describe('csv.ts: a runaway quote is rescanned once, not once per line', () => {
  it('300,000 lines of `a"b,"` (each record would run on for 1000 fields) parse in linear time', () => {
    // Before the fix every line restarted a 1000-field scan: about 13 s here; now well under 1 s.
    const result = parse('h\n' + 'a"b,"\n'.repeat(300_000) + 'ok\n');
    expect(result.bad).toHaveLength(300_000);
    expect(result.records).toBe(2);
    expect(result.ms).toBeLessThan(4000);
  });

  it('lines with long quoted cells that never end a record parse in linear time too', () => {
    const line = `"${'x'.repeat(5000)}","`;
    const result = parse('h\n' + `${line}\n`.repeat(1500) + 'ok\n');
    expect(result.records).toBe(2);
    expect(result.bad.length).toBe(1500);
    expect(result.ms).toBeLessThan(4000);
  });

  it('rows after a quote that never closes still go in, and a well-formed quoted row after the runaway stretch too', () => {
    const body = Array.from({ length: 50 }, (_, i) => `${i},row`).join('\n');
    const parser = new CsvParser(',', { maxRecordChars: 100 });
    const records: { line: number; fields: string[] }[] = [];
    const bad: number[] = [];
    const sink = { record: (fields: string[], line: number) => void records.push({ line, fields }), bad: (line: number) => void bad.push(line) };
    parser.push(`a,b\n1,"never closed\n${body}\n"q,1",2\n`, sink);
    parser.end(sink);
    expect(bad).toEqual([2]);
    expect(records).toHaveLength(52);
    expect(records.at(-1)).toEqual({ line: 53, fields: ['q,1', '2'] });
  });
});

describe('decode.ts / dataset-sink.ts: NUL bytes', () => {
  it('a NUL in a cell past the first 64 KiB rejects that row (the start of a file with NUL is binary already)', async () => {
    const rows = Array.from({ length: 1200 }, (_, i) => row(i));
    rows[1100] = row(1100, { doc: 'N\u0000LATE' });
    const result = await readAll(`${CROSSINGS_HEADER}\n${rows.join('\n')}\n`, 'crossings', { chunkSize: 4096 });
    expect(result.rejects.map((r) => [r.line, r.reason])).toEqual([[1102, 'NUL byte in the row (binary data in a text file?)']]);
    expect(result.rows).toHaveLength(1199);
    expect(result.rows.some((r) => r.row.documentNo.includes('\u0000'))).toBe(false);
  });

  it('a NUL at the start still makes the whole file binary', async () => {
    await expect(readAll(`\u0000${CROSSINGS_HEADER}\n${row(1)}\n`, 'crossings')).rejects.toThrow(/binary data/);
  });
});

describe('dataset-sink.ts: line ends', () => {
  it('a file whose lines end in a bare CR fails as a whole instead of importing nothing', async () => {
    const text = [CROSSINGS_HEADER, row(1), row(2)].join('\r') + '\r';
    await expect(readAll(text, 'crossings')).rejects.toThrow(ImportFileError);
    await expect(readAll(text, 'crossings')).rejects.toThrow(/bare CR/);
  });

  it('CRLF and LF files are not affected', async () => {
    for (const eol of ['\n', '\r\n']) {
      const result = await readAll([CROSSINGS_HEADER, row(1), row(2)].join(eol) + eol, 'crossings');
      expect(result.rows).toHaveLength(2);
    }
  });
});

describe('decode.ts: one Windows-1251 row in a UTF-8 file', () => {
  const decode = (bytes: Buffer): { text: string; encoding: string | null } => {
    const decoder = new InputDecoder('test.csv');
    const text = decoder.write(bytes) + decoder.end();
    return { text, encoding: decoder.detected };
  };

  it('does not turn the file into Windows-1251: the UTF-8 names stay intact and only that row is rejected', async () => {
    const utf8 = Array.from({ length: 200 }, (_, i) => row(i, { surname: 'Иванов', cz: 'Россия' }));
    const bytes = Buffer.concat([Buffer.from(`${CROSSINGS_HEADER}\n${utf8.join('\n')}\n`), encodeCp1251(`${row(200, { surname: 'Петров', cz: 'Россия' })}\n`)]);
    expect(decode(bytes).encoding).toBe('utf-8');
    const result = await readAll(bytes, 'crossings');
    expect(result.rows).toHaveLength(200);
    expect(result.rows.every((r) => r.row.surname === 'Иванов')).toBe(true);
    expect(result.rejects.map((r) => r.line)).toEqual([202]);
    expect(result.rejects[0]!.reason).toMatch(/invalid UTF-8/);
  });

  it('Windows-1251 files are still Windows-1251, with or without a stray UTF-8 row', () => {
    const cp = encodeCp1251(`Номер документа;Гражданство\n${Array.from({ length: 100 }, (_, i) => `N${i};Россия`).join('\n')}\n`);
    expect(decode(cp).encoding).toBe('windows-1251');
    expect(decode(Buffer.concat([cp, Buffer.from('N1;Россия\n')])).encoding).toBe('windows-1251');
    expect(decode(Buffer.from('a,b\nMüller,Gérard\n', 'latin1')).encoding).toBe('windows-1251');
  });
});
