import { describe, expect, it } from 'vitest';
import { detectDelimiter } from '../../src/import/csv.js';
import { parseCsv } from './helpers.js';

const PIECES = [Infinity, 1, 2, 3, 7] as const;

describe('CsvParser', () => {
  it('splits plain lines, LF and CRLF, numbering physical lines', () => {
    for (const eol of ['\n', '\r\n']) {
      const parsed = parseCsv(['a,b,c', '1,2,3', '4,5,6'].join(eol) + eol);
      expect(parsed.records).toEqual([
        { line: 1, fields: ['a', 'b', 'c'] },
        { line: 2, fields: ['1', '2', '3'] },
        { line: 3, fields: ['4', '5', '6'] },
      ]);
      expect(parsed.linesRead).toBe(3);
    }
  });

  it('reads a last line without a newline', () => {
    expect(parseCsv('a,b\n1,2').records).toEqual([
      { line: 1, fields: ['a', 'b'] },
      { line: 2, fields: ['1', '2'] },
    ]);
  });

  it('skips empty lines but keeps counting them', () => {
    const parsed = parseCsv('a,b\n\n1,2\r\n\r\n\n3,4\n');
    expect(parsed.records.map((r) => r.line)).toEqual([1, 3, 6]);
    expect(parsed.linesRead).toBe(6);
  });

  it('keeps empty fields', () => {
    expect(parseCsv(',a,,\n').records[0]!.fields).toEqual(['', 'a', '', '']);
  });

  it.each(PIECES)('handles quotes, escapes, delimiters and newlines inside quotes (pieces of %s)', (piece) => {
    const text =
      'h1,h2,h3\r\n' +
      '"a, b","say ""hi""",plain\r\n' +
      '"multi\r\nline\nvalue",x,"y"\r\n' +
      'next,"",""""\r\n' +
      '"last",2,3';
    const parsed = parseCsv(text, ',', piece);
    expect(parsed.bad).toEqual([]);
    expect(parsed.records).toEqual([
      { line: 1, fields: ['h1', 'h2', 'h3'] },
      { line: 2, fields: ['a, b', 'say "hi"', 'plain'] },
      { line: 3, fields: ['multi\r\nline\nvalue', 'x', 'y'] },
      { line: 6, fields: ['next', '', '"'] },
      { line: 7, fields: ['last', '2', '3'] },
    ]);
  });

  it('treats a quote inside an unquoted field as a character', () => {
    expect(parseCsv('ТОО "Ромашка",1\n').records[0]!.fields).toEqual(['ТОО "Ромашка"', '1']);
    expect(parseCsv('5" floppy,"x"\n').records[0]!.fields).toEqual(['5" floppy', 'x']);
  });

  it('ignores spaces around a quoted field', () => {
    expect(parseCsv('a, "b,c" ,d\n').records[0]!.fields).toEqual(['a', 'b,c', 'd']);
  });

  it('rejects text after a closing quote and goes on with the next record', () => {
    const parsed = parseCsv('h\n"abc"def,1\nok,2\n');
    expect(parsed.bad).toEqual([
      { line: 2, raw: ['abcdef', '1'], reason: 'malformed quoted field in column 1: text after the closing quote' },
    ]);
    expect(parsed.records.map((r) => r.fields)).toEqual([['h'], ['ok', '2']]);
  });

  it.each(PIECES)('rejects an unterminated quote at the end of input (pieces of %s)', (piece) => {
    const parsed = parseCsv('a,b\n1,2\n3,"open\n4,5\n', ',', piece);
    expect(parsed.bad).toEqual([{ line: 3, raw: ['3', '"open'], reason: 'unterminated quoted field in column 2' }]);
    // Parsing resumes on the line after the bad record's first line.
    expect(parsed.records).toEqual([
      { line: 1, fields: ['a', 'b'] },
      { line: 2, fields: ['1', '2'] },
      { line: 4, fields: ['4', '5'] },
    ]);
  });

  it('rejects a record longer than the limit, without holding it', () => {
    const long = 'x'.repeat(500);
    const parsed = parseCsv(`a,b\n${long},1\nok,2\n`, ',', 64, { maxRecordChars: 100 });
    expect(parsed.bad).toHaveLength(1);
    expect(parsed.bad[0]!.line).toBe(2);
    expect(parsed.bad[0]!.reason).toBe('record is longer than 100 characters');
    expect(parsed.bad[0]!.raw[0]!.length).toBeLessThanOrEqual(201);
    expect(parsed.records.map((r) => r.line)).toEqual([1, 3]);
    expect(parsed.linesRead).toBe(3);
  });

  it('rejects an over-long quoted record (a quote never closed) and resynchronises', () => {
    const body = Array.from({ length: 50 }, (_, i) => `${i},row`).join('\n');
    const parsed = parseCsv(`a,b\n1,"never closed\n${body}\n`, ',', 16, { maxRecordChars: 100 });
    expect(parsed.bad).toHaveLength(1);
    expect(parsed.bad[0]!.line).toBe(2);
    expect(parsed.bad[0]!.reason).toMatch(/longer than 100 characters/);
    expect(parsed.records).toHaveLength(51);
    expect(parsed.records[1]).toEqual({ line: 3, fields: ['0', 'row'] });
  });

  it('rejects a long last line without a newline', () => {
    const parsed = parseCsv(`a\n${'y'.repeat(300)}`, ',', 10, { maxRecordChars: 100 });
    expect(parsed.bad.map((b) => b.line)).toEqual([2]);
    expect(parsed.linesRead).toBe(2);
  });

  it('rejects a record with too many fields', () => {
    const parsed = parseCsv(`a\n${','.repeat(20)}\n"q",${','.repeat(20)}\nok\n`, ',', Infinity, { maxFields: 10 });
    expect(parsed.bad.map((b) => [b.line, b.reason])).toEqual([
      [2, 'record has more than 10 fields'],
      [3, 'record has more than 10 fields'],
    ]);
    expect(parsed.records.map((r) => r.line)).toEqual([1, 4]);
  });

  it('parses semicolon and tab delimited text', () => {
    expect(parseCsv('a;b;"c;d"\n', ';').records[0]!.fields).toEqual(['a', 'b', 'c;d']);
    expect(parseCsv('a\tb, c\t"d\te"\n', '\t').records[0]!.fields).toEqual(['a', 'b, c', 'd\te']);
  });

  it('gives the same result whatever the piece size', () => {
    const text = 'h1,h2\n"x\n""y""",1\r\nplain,2\n\n"a",""\n';
    const whole = parseCsv(text);
    for (let piece = 1; piece < text.length; piece++) expect(parseCsv(text, ',', piece)).toEqual(whole);
  });
});

describe('detectDelimiter', () => {
  it.each([
    ['a,b,c\n1,2,3', ','],
    ['a;b;c\r\n', ';'],
    ['a\tb\tc\n', '\t'],
    ['"x,y";b;c\n', ';'],
    ['Дата, время;Номер\n', ';'],
    ['single\n', ','],
    ['\n  \r\na;b\n', ';'],
    ['', ','],
  ])('%j -> %j', (text, expected) => {
    expect(detectDelimiter(text)).toBe(expected);
  });
});

describe('CsvParser against csv-parse on generated text', () => {
  // A small deterministic generator: quoted and unquoted cells, escapes, embedded
  // CR/LF, empty cells, blank lines; CRLF or LF line ends (one kind per text: csv-parse
  // takes the first line end it sees as the only one).
  function generate(seed: number, records: number, delimiter: string, eol: string) {
    let state = seed;
    const random = (n: number): number => {
      state = (state * 1103515245 + 12345) & 0x7fffffff;
      return state % n;
    };
    const alphabet = ['a', 'b', 'Я', 'ё', ' ', '-', '1', delimiter, '"', '\n', '\r\n', 'Қ'];
    const expected: { line: number; fields: string[] }[] = [];
    let text = '';
    let line = 1;
    const width = 1 + random(6);
    for (let r = 0; r < records; r++) {
      if (random(10) === 0) {
        text += eol;
        line++;
      }
      const fields: string[] = [];
      const cells: string[] = [];
      for (let f = 0; f < width; f++) {
        let value = '';
        const length = random(6);
        for (let i = 0; i < length; i++) value += alphabet[random(alphabet.length)];
        const needsQuotes = /["\n\r]/.test(value) || value.includes(delimiter) || value.startsWith(' ');
        if (needsQuotes || random(4) === 0) cells.push(`"${value.replaceAll('"', '""')}"`);
        else cells.push(value);
        fields.push(value);
      }
      // A record of one empty field would be a blank line: give it content.
      if (width === 1 && fields[0] === '') {
        fields[0] = 'x';
        cells[0] = 'x';
      }
      expected.push({ line, fields });
      const body = cells.join(delimiter);
      text += body + eol;
      line += 1 + (body.match(/\n/g)?.length ?? 0);
    }
    return { text, expected };
  }

  it.each([
    [1, ',', '\n'],
    [2, ';', '\r\n'],
    [3, '\t', '\n'],
    [4, ',', '\r\n'],
    [5, ';', '\n'],
  ] as const)('seed %d with %j and %j: same records as csv-parse, right lines, any piece size', async (seed, delimiter, eol) => {
    const { parse } = await import('csv-parse/sync');
    const { text, expected } = generate(seed, 400, delimiter, eol);
    const oracle = parse(text, { delimiter, relax_column_count: true, skip_empty_lines: true }) as string[][];
    const parsed = parseCsv(text, delimiter);
    expect(parsed.bad).toEqual([]);
    expect(parsed.records.map((r) => r.fields)).toEqual(oracle);
    expect(parsed.records).toEqual(expected);
    for (const piece of [1, 13, 4096]) expect(parseCsv(text, delimiter, piece)).toEqual(parsed);
  });
});
