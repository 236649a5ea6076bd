/**
 * The hostile corpus: over 200 broken or odd input files, generated at test time from
 * a seed (never committed). Each entry says what the importer must make of it:
 * - `broken`: the file cannot be read as the dataset; it fails as a whole, naming the
 *   file, and nothing of it is kept;
 * - `rows`: a readable file; `good` lines must be imported and `bad` lines rejected
 *   (exactly those when `exact`), and every non-blank line is accounted for;
 * - `either`: a file cut inside its header: broken, or a header with no rows.
 */
import { gzipSync } from 'node:zlib';
import { encodeCp1251 } from '../import/helpers.js';
import { CROSSINGS_HEADER, prng } from './support.js';

export type Dataset = 'crossings' | 'registrations' | 'permits' | 'expulsions';

export type Expectation =
  | { kind: 'broken' }
  | { kind: 'either' }
  | {
      kind: 'rows';
      good: number[];
      bad: number[];
      exact: boolean;
      /** Lines that belong to an accepted multi-line record (not checked for coverage). */
      continuation?: number[];
    };

export interface CorpusFile {
  name: string;
  /** The kind of trouble, as listed in the issue. */
  category: string;
  dataset: Dataset;
  delimiter: ',' | ';' | '\t';
  data: Buffer;
  expect: Expectation;
  /** Large: imported with the other large files, apart from the small ones. */
  solo?: boolean;
}

const CYRILLIC = ['Иванов', 'Петрова', 'Сидоров', 'Ким', 'Нұрланов', 'Ёлкин'];
const CITIZENSHIPS = ['RUS', 'KGZ', 'DEU', 'UZB', 'CHN', 'TJK'];

/** One good crossing row; `tag` keeps person ids of different files apart. */
function row(tag: string, i: number, overrides: Partial<Record<'id' | 'doc' | 'cz' | 'surname' | 'given' | 'birth' | 'sex' | 'dir' | 'at' | 'cp', string>> = {}, d = ','): string {
  const day = 1 + (i % 28);
  const v = {
    id: `${tag}-${i}`,
    doc: `N${tag.replace(/[^A-Za-z0-9]/g, '')}X${i}`,
    cz: CITIZENSHIPS[i % CITIZENSHIPS.length]!,
    surname: `SURNAME${i}`,
    given: 'GIVEN',
    birth: '1980-01-01',
    sex: i % 2 ? 'M' : 'F',
    dir: i % 2 ? 'OUT' : 'IN',
    at: `2024-03-${String(day).padStart(2, '0')} 10:${String(i % 60).padStart(2, '0')}:00`,
    cp: `CP${i % 5}`,
    ...overrides,
  };
  return [v.id, v.doc, v.cz, v.surname, v.given, v.birth, v.sex, v.dir, v.at, v.cp].join(d);
}

const HEADER = CROSSINGS_HEADER;
const text = (lines: readonly string[], eol = '\n'): Buffer => Buffer.from(lines.join(eol) + eol, 'utf8');
const range = (from: number, to: number): number[] => Array.from({ length: Math.max(0, to - from + 1) }, (_, i) => from + i);

/** A file of `n` good rows (lines 2..n+1). */
function goodFile(tag: string, n: number, eol = '\n'): { lines: string[]; buffer: Buffer } {
  const lines = [HEADER, ...range(1, n).map((i) => row(tag, i))];
  return { lines, buffer: text(lines, eol) };
}

const allGood = (lines: number): Expectation => ({ kind: 'rows', good: range(2, lines), bad: [], exact: true });

export function buildCorpus(seed = 7): CorpusFile[] {
  const random = prng(seed);
  const bytes = (n: number, from = 0, to = 255): Buffer => {
    const b = Buffer.alloc(n);
    for (let i = 0; i < n; i++) b[i] = from + Math.floor(random() * (to - from + 1));
    return b;
  };
  const files: CorpusFile[] = [];
  const add = (category: string, name: string, data: Buffer, expect: Expectation, extra: Partial<CorpusFile> = {}): void => {
    files.push({ category, name, data, expect, dataset: 'crossings', delimiter: ',', ...extra });
  };
  const broken: Expectation = { kind: 'broken' };

  // ---- binary data
  for (const size of [1, 3, 7, 16, 50, 100, 500, 1000, 4096, 5000, 30_000, 65_535, 65_536, 65_537, 131_072, 200_000]) {
    add('binary', `random-${size}`, bytes(size), broken);
  }
  const csv = goodFile('GZ', 20).buffer;
  add('binary', 'zip', Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), bytes(600)]), broken);
  // A gzipped export is read through (issue 13); a truncated one is broken.
  add('binary', 'gzip-of-csv', gzipSync(csv), allGood(21));
  add('binary', 'gzip-truncated', gzipSync(csv).subarray(0, 40), broken);
  add('binary', 'pdf', Buffer.concat([Buffer.from('%PDF-1.4\n%âãÏÓ\n1 0 obj\n<< /Type /Catalog >>\nendobj\n', 'latin1'), bytes(300)]), broken);
  add('binary', 'sqlite', Buffer.concat([Buffer.from('SQLite format 3\0', 'latin1'), bytes(4000)]), broken);
  add('binary', 'xls', Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), bytes(2000)]), broken);
  add('binary', 'png', Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]), bytes(500)]), broken);
  add('binary', 'elf', Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0, 0, 0, 0, 0]), bytes(500)]), broken);
  add('mixed-encoding', 'utf16le-bom', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(csv.toString('utf8'), 'utf16le')]), broken);
  add('mixed-encoding', 'utf16be-bom', Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(csv.toString('utf8'), 'utf16le').swap16()]), broken);
  add('mixed-encoding', 'utf16le-no-bom', Buffer.from(csv.toString('utf8'), 'utf16le'), broken);
  for (let k = 0; k < 4; k++) {
    // Text-like bytes above 0x7F with delimiters and newlines: Windows-1251 garbage.
    const b = bytes(2000 + k * 3000, 0x80, 0xff);
    for (let i = 0; i < b.length; i += 7) b[i] = i % 70 === 0 ? 0x0a : 0x2c;
    add('binary', `high-bytes-${k}`, b, broken);
  }

  // ---- truncated files (cut anywhere: header, row, multi-byte character, quoted field)
  for (let k = 0; k < 40; k++) {
    const lines = [HEADER, ...range(1, 40).map((i) => row(`TR${k}`, i, { surname: CYRILLIC[i % CYRILLIC.length]!, cp: i % 3 === 0 ? '"CP, north"' : `CP${i}` }))];
    const source = text(lines, k % 2 ? '\r\n' : '\n');
    const headerEnd = source.indexOf(0x0a) + 1;
    const cut = k < 4 ? 1 + Math.floor(random() * (headerEnd - 2)) : k === 4 ? headerEnd : headerEnd + 1 + Math.floor(random() * (source.length - headerEnd - 2));
    const data = source.subarray(0, cut);
    if (cut < headerEnd) {
      add('truncated', `truncated-${k}-header`, Buffer.from(data), { kind: 'either' });
      continue;
    }
    // Complete lines before the cut are good; the partial last line may go either way.
    const complete = data.subarray(0, data.lastIndexOf(0x0a) + 1).toString('utf8').split('\n').length - 1;
    add('truncated', `truncated-${k}-at-${cut}`, Buffer.from(data), { kind: 'rows', good: range(2, complete), bad: [], exact: false });
  }

  // ---- unterminated quotes
  {
    const lines = goodFile('UQ1', 30).lines;
    lines[9] = row('UQ1', 9, { surname: '"Ivanov' });
    add('unterminated-quote', 'stray-quote-no-other-quotes', text(lines), { kind: 'rows', good: range(2, 31).filter((l) => l !== 10), bad: [10], exact: true });
  }
  {
    const lines = goodFile('UQ2', 30).lines;
    lines[9] = row('UQ2', 9, { surname: '"Ivanov' });
    lines[19] = row('UQ2', 19, { cp: '"CP, 20"' });
    // RFC 4180: the stray quote's field runs to the next quote, so lines 10..20 are one (malformed) record.
    add('unterminated-quote', 'stray-quote-then-quoted-field', text(lines), { kind: 'rows', good: [...range(2, 9), ...range(21, 31)], bad: range(10, 20), exact: true });
  }
  {
    const lines = goodFile('UQ3', 30).lines;
    lines[30] = row('UQ3', 30, { cp: '"CP' });
    add('unterminated-quote', 'stray-quote-last-line', text(lines), { kind: 'rows', good: range(2, 30), bad: [31], exact: true });
  }
  {
    const lines = goodFile('UQ3B', 30).lines;
    lines[30] = row('UQ3B', 30, { cp: '"CP' });
    add('unterminated-quote', 'stray-quote-last-line-no-eol', Buffer.from(lines.join('\n')), { kind: 'rows', good: range(2, 30), bad: [31], exact: true });
  }
  {
    const lines = goodFile('UQ4', 30).lines;
    lines[5] = row('UQ4', 5, { given: '"Ivan' });
    add('unterminated-quote', 'stray-quote-crlf', text(lines, '\r\n'), { kind: 'rows', good: range(2, 31).filter((l) => l !== 6), bad: [6], exact: true });
  }
  {
    // A stray quote followed by more than the record limit (1 Mi characters) of rows.
    const lines = goodFile('UQ5', 16_000).lines;
    lines[2] = row('UQ5', 2, { surname: '"Ivanov' });
    add('unterminated-quote', 'stray-quote-runaway-1mi', text(lines), { kind: 'rows', good: range(2, 16_001).filter((l) => l !== 3), bad: [3], exact: true });
  }
  {
    const lines = goodFile('UQ6', 2000).lines;
    lines[1] = row('UQ6', 1, { id: '"UQ6-1' });
    add('unterminated-quote', 'stray-quote-line-2-of-2000', text(lines), { kind: 'rows', good: range(3, 2001), bad: [2], exact: true });
  }
  {
    const lines = goodFile('UQ7', 10).lines;
    lines[4] = row('UQ7', 4, { surname: '"Ivanov"ich' });
    add('unterminated-quote', 'text-after-closing-quote', text(lines), { kind: 'rows', good: range(2, 11).filter((l) => l !== 5), bad: [5], exact: true });
  }
  {
    const lines = goodFile('UQ8', 10).lines;
    lines[3] = row('UQ8', 3, { cp: 'ТОО "Ромашка"' });
    add('unterminated-quote', 'quote-inside-unquoted-field', text(lines), allGood(11));
  }
  {
    const lines = goodFile('UQ9', 10).lines;
    lines[7] = row('UQ9', 7, { cp: '"' });
    add('unterminated-quote', 'lone-quote-cell', text(lines), { kind: 'rows', good: range(2, 11).filter((l) => l !== 8), bad: [8], exact: true });
  }
  {
    // `a"b,"` on every line: each record would run on for 1000 fields (quadratic before
    // the parser fix; parser-fixes.test.ts times it on a larger input).
    const pattern = range(1, 20_000).map(() => 'a"b,"');
    const good = range(1, 10).map((i) => row('UQ10', i));
    add('unterminated-quote', 'quote-pairs-runaway-20k-lines', text([HEADER, ...pattern, ...good]), {
      kind: 'rows',
      good: range(20_002, 20_011),
      bad: range(2, 20_001),
      exact: true,
    });
  }

  // ---- a 10 MB field
  const tenMb = 'A'.repeat(10_000_000);
  {
    const lines = goodFile('TM1', 4).lines;
    lines[2] = row('TM1', 2, { surname: tenMb });
    add('10mb-field', '10mb-unquoted', text(lines), { kind: 'rows', good: [2, 4, 5], bad: [3], exact: true }, { solo: true });
  }
  {
    const lines = goodFile('TM2', 4).lines;
    lines[2] = row('TM2', 2, { surname: `"${tenMb}"` });
    add('10mb-field', '10mb-quoted', text(lines), { kind: 'rows', good: [2, 4, 5], bad: [3], exact: true }, { solo: true });
  }
  {
    // Quoted, with a newline every 100,000 characters: 100 physical lines.
    const chunk = 'B'.repeat(100_000);
    const lines = goodFile('TM3', 4).lines;
    lines[2] = row('TM3', 2, { surname: `"${Array.from({ length: 100 }, () => chunk).join('\n')}"` });
    // Line 3 is rejected as over-long; the lines inside the field come out as rows of
    // one field (rejected), the closing line as a row of 7 fields (rejected).
    add('10mb-field', '10mb-quoted-multiline', text(lines), { kind: 'rows', good: [2, 103, 104], bad: range(3, 102), exact: true }, { solo: true });
  }
  add('10mb-field', '10mb-header-cell', text([`${HEADER},${tenMb}`, row('TM4', 1)]), broken, { solo: true });

  // ---- 100,000 columns
  const many = (cell: string): string => Array.from({ length: 100_000 }, () => cell).join(',');
  add('100k-columns', '100k-header-columns', text([`${HEADER},${many('extra')}`, row('HC1', 1)]), broken);
  {
    const lines = goodFile('HC2', 4).lines;
    lines[2] = many('x');
    add('100k-columns', '100k-data-columns', text(lines), { kind: 'rows', good: [2, 4, 5], bad: [3], exact: true });
  }
  {
    const lines = goodFile('HC3', 4).lines;
    lines[2] = many('"x"');
    add('100k-columns', '100k-quoted-data-columns', text(lines), { kind: 'rows', good: [2, 4, 5], bad: [3], exact: true });
  }
  add('100k-columns', '1001-header-columns', text([`${HEADER},${Array.from({ length: 991 }, (_, i) => `c${i}`).join(',')}`, row('HC4', 1)]), broken);
  {
    const extra = Array.from({ length: 980 }, (_, i) => `extra${i}`);
    const lines = [`${HEADER},${extra.join(',')}`, ...range(1, 5).map((i) => `${row('HC5', i)},${extra.map(() => 'v').join(',')}`)];
    add('100k-columns', '990-columns-all-used', text(lines), allGood(6));
  }

  // ---- NUL bytes
  {
    add('nul-bytes', 'nul-first-byte', Buffer.concat([Buffer.from([0]), goodFile('NUL1', 1200).buffer]), broken);
    add('nul-bytes', 'nul-in-header', text([HEADER.replace('citizenship', 'citizen\0ship'), row('NUL2', 1)]), broken);
    const early = goodFile('NUL3', 1200).lines;
    early[5] = row('NUL3', 5, { doc: 'N\u0000123' });
    // One NUL among the first 64 KiB: the decoder takes the whole file for binary data.
    add('nul-bytes', 'nul-in-cell-first-64k', text(early), broken);
    const late = goodFile('NUL4', 1200).lines;
    late[1100] = row('NUL4', 1100, { doc: 'N\u0000LATE' });
    add('nul-bytes', 'nul-in-cell-after-64k', text(late), { kind: 'rows', good: range(2, 1201).filter((l) => l !== 1101), bad: [1101], exact: true });
    add('nul-bytes', 'nuls-only', Buffer.alloc(10_000), broken);
    add('nul-bytes', 'nul-line-at-end', Buffer.concat([goodFile('NUL6', 1200).buffer, Buffer.alloc(100), Buffer.from('\n')]), { kind: 'rows', good: range(2, 1201), bad: [1202], exact: true });
  }

  // ---- mixed encodings
  {
    const n = 1000; // about 90 KB: past the 64 KiB that decide the encoding
    const lines = [HEADER, ...range(1, n).map((i) => row('ENC1', i, { surname: CYRILLIC[i % CYRILLIC.length]! }))];
    const head = text(lines);
    add('mixed-encoding', 'utf8-then-cp1251-row', Buffer.concat([head, encodeCp1251(row('ENC1', n + 1, { surname: 'Петров' }) + '\n'), text([row('ENC1', n + 2)])]), {
      kind: 'rows',
      good: [...range(2, n + 1), n + 3],
      bad: [n + 2],
      exact: true,
    });
  }
  {
    const n = 1000;
    const lines = [HEADER, ...range(1, n).map((i) => row('ENC2', i, { cz: 'Россия', surname: 'Петров' }))];
    add('mixed-encoding', 'cp1251-then-utf8-row', Buffer.concat([encodeCp1251(lines.join('\n') + '\n'), text([row('ENC2', n + 1, { cz: 'Россия' })])]), {
      kind: 'rows',
      good: range(2, n + 1),
      bad: [n + 2],
      exact: true,
    });
  }
  {
    // One Windows-1251 row among many UTF-8 ones, all in the part that decides the encoding.
    const utf8Rows = range(1, 20).map((i) => row('ENC3', i, { cz: 'Россия' }));
    add('mixed-encoding', 'utf8-rows-one-cp1251-row-early', Buffer.concat([text([HEADER, ...utf8Rows]), encodeCp1251(row('ENC3', 21, { cz: 'Россия' }) + '\n')]), {
      kind: 'rows',
      good: range(2, 21),
      bad: [22],
      exact: true,
    });
  }
  {
    // Half and half: no way to tell; taken for Windows-1251, whose rows then go in.
    const utf8Rows = range(1, 3).map((i) => row('ENC3B', i, { cz: 'Россия' }));
    const cpRows = range(4, 6).map((i) => row('ENC3B', i, { cz: 'Россия' }));
    add('mixed-encoding', 'utf8-and-cp1251-rows-half-and-half', Buffer.concat([text([HEADER, ...utf8Rows]), encodeCp1251(cpRows.join('\n') + '\n')]), {
      kind: 'rows',
      good: range(5, 7),
      bad: range(2, 4),
      exact: true,
    });
  }
  {
    const ascii = range(1, 10).map((i) => row('ENC4', i));
    add('mixed-encoding', 'bom-then-cp1251', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), text([HEADER, ...ascii]), encodeCp1251(row('ENC4', 11, { surname: 'Петров' }) + '\n')]), {
      kind: 'rows',
      good: range(2, 11),
      bad: [12],
      exact: true,
    });
  }
  add('mixed-encoding', 'latin1-accents', Buffer.from([HEADER, ...range(1, 5).map((i) => row('ENC5', i, { surname: 'Müller-Gérard' }))].join('\n') + '\n', 'latin1'), allGood(6));
  {
    const n = 1000;
    const lines = text([HEADER, ...range(1, n).map((i) => row('ENC6', i, { surname: CYRILLIC[i % CYRILLIC.length]! }))]);
    const badBytes = Buffer.concat([Buffer.from(row('ENC6', n + 1, { surname: 'X' }).replace(',X,', ',\u0001,'), 'utf8')]);
    // Overlong "/" (C0 AF) and a UTF-16 surrogate (ED A0 80) in the surname: invalid UTF-8.
    const withOverlong = Buffer.from(badBytes.toString('latin1').replace('\u0001', '\u00c0\u00af\u00ed\u00a0\u0080'), 'latin1');
    add('mixed-encoding', 'overlong-and-surrogate-utf8', Buffer.concat([lines, withOverlong, Buffer.from('\n'), text([row('ENC6', n + 2)])]), {
      kind: 'rows',
      good: [...range(2, n + 1), n + 3],
      bad: [n + 2],
      exact: true,
    });
  }
  {
    // A two-byte character across the 64 KiB sample boundary and the first 1 MiB chunk.
    const lines: string[] = [HEADER];
    let size = Buffer.byteLength(HEADER) + 1;
    let i = 0;
    while (size < (1 << 20) + 200) {
      i++;
      const r = row('ENC7', i, { surname: 'Жжжжжжжжжжжжжжжжжжжж'.slice(0, 1 + (i % 20)) });
      lines.push(r);
      size += Buffer.byteLength(r) + 1;
    }
    add('mixed-encoding', 'multibyte-across-chunk-seams', text(lines), allGood(lines.length));
  }
  {
    const lines = goodFile('ENC8', 10).lines;
    lines[4] = '\uFEFF' + lines[4]!;
    add('mixed-encoding', 'bom-in-the-middle', text(lines), allGood(11));
  }

  // ---- header only
  add('header-only', 'header-only-lf', text([HEADER]), allGood(1));
  add('header-only', 'header-only-crlf', text([HEADER], '\r\n'), allGood(1));
  add('header-only', 'header-only-no-eol', Buffer.from(HEADER), allGood(1));
  add('header-only', 'header-only-bom', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), text([HEADER])]), allGood(1));
  add('header-only', 'header-only-semicolon', text([HEADER.replace(/,/g, ';')]), allGood(1), { delimiter: ';' });
  add('header-only', 'header-only-tab', text([HEADER.replace(/,/g, '\t')]), allGood(1), { delimiter: '\t' });
  add('header-only', 'header-only-russian', text(['ИД,Номер документа,Гражданство,Фамилия,Имя,Дата рождения,Пол,Направление,Дата пересечения,КПП']), allGood(1));
  add('header-only', 'header-then-blank-lines', Buffer.from(HEADER + '\n' + '\n  \n\t\n'.repeat(100)), allGood(1));

  // ---- empty
  add('empty', 'empty', Buffer.alloc(0), broken);
  add('empty', 'bom-only', Buffer.from([0xef, 0xbb, 0xbf]), broken);
  add('empty', 'whitespace-only', Buffer.from('   \n\t\t\n  \r\n'), broken);
  add('empty', 'a-million-newlines', Buffer.from('\n'.repeat(1_000_000)), broken);
  add('empty', 'delimiters-only', Buffer.from(',,,,\n,,,\n;;;\n'.replace(/;/g, ',')), broken);
  add('empty', 'crlf-only', Buffer.from('\r\n'.repeat(1000)), broken);

  // ---- wrong dataset
  add('wrong-dataset', 'registrations-as-crossings', text(['person_id,document_no,citizenship,registered_from,registered_until,notified_on,address,host_id,host_name', 'P1,N1,RUS,2024-01-01,2024-02-01,2024-01-02,Almaty,H1,Host']), broken);
  add('wrong-dataset', 'permits-as-crossings', text(['permit_no,person_id,document_no,citizenship,kind,valid_from,valid_until,status', 'T1,P1,N1,RUS,trp,2024-01-01,2024-12-31,active']), broken);
  add('wrong-dataset', 'expulsions-as-crossings', text(['person_id,document_no,citizenship,decided_on,expelled_on,ban_years,reason', 'P1,N1,TJK,2021-05-20,2021-05-25,5,overstay']), broken);
  add('wrong-dataset', 'crossings-as-registrations', goodFile('WD4', 5).buffer, broken, { dataset: 'registrations' });
  add('wrong-dataset', 'crossings-as-permits', goodFile('WD5', 5).buffer, broken, { dataset: 'permits' });
  add('wrong-dataset', 'crossings-as-expulsions', goodFile('WD6', 5).buffer, broken, { dataset: 'expulsions' });
  add('wrong-dataset', 'unrelated-table', text(['name,age,city', 'Alice,30,Paris', 'Bob,25,Rome']), broken);
  add('wrong-dataset', 'missing-crossed-at', text([HEADER.replace(',crossed_at', ''), row('WD8', 1).replace(/,2024-[^,]+/, '')]), broken);
  add('wrong-dataset', 'missing-direction-and-citizenship', text(['person_id,document_no,crossed_at', 'P1,N1,2024-01-01']), broken);
  add('wrong-dataset', 'duplicate-columns', text([`${HEADER},document_no`, `${row('WD10', 1)},N2`]), broken);
  add('wrong-dataset', 'russian-registrations-as-crossings', text(['Номер документа,Гражданство,Дата регистрации,Адрес', 'N1,Россия,01.01.2024,Алматы']), broken);
  add('wrong-dataset', 'no-header-row', text(range(1, 5).map((i) => row('WD12', i))), broken);

  // ---- impossible dates
  const badDates = [
    '31.02.2025', '0000-01-01', '0000-00-00', '29.02.2023', '2024-02-30', '2025-13-01', '00.01.2025', '1899-12-31',
    '2024-01-01 24:00', '2024-01-01 10:60', '2024-01-01T10:00:00Z', '2024-01-01T10:00+05:00', 'yesterday', '45292',
    '2024/01/01', '32.01.2024', '2024-01-01 10:00:00 extra', '-2024-01-01', '2024-01-01 1O:00', '31.04.2024 10:00',
  ];
  badDates.forEach((value, k) => {
    const lines = goodFile(`BD${k}`, 5).lines;
    lines[2] = row(`BD${k}`, 2, { at: value });
    add('bad-dates', `crossed-at-${value.replace(/[^0-9A-Za-z]+/g, '_')}`, text(lines), { kind: 'rows', good: [2, 4, 5, 6], bad: [3], exact: true });
  });
  for (const [k, value] of ['31.02.1980', '0000-01-01'].entries()) {
    const lines = goodFile(`BB${k}`, 5).lines;
    lines[3] = row(`BB${k}`, 3, { birth: value });
    add('bad-dates', `birth-date-${value.replace(/[^0-9]+/g, '_')}`, text(lines), { kind: 'rows', good: [2, 3, 5, 6], bad: [4], exact: true });
  }
  {
    const valid = ['29.02.2024 23:59', '1.1.2024 0:00', '2024-12-31T23:59:59', '9999-12-31', '01.03.2024 10:00:00.123'];
    const lines = [HEADER, ...valid.map((at, i) => row('VD', i + 1, { at }))];
    add('bad-dates', 'valid-edge-dates', text(lines), allGood(lines.length));
  }

  // ---- formula cells (imported as data; neutralised on export, see security.test.ts)
  const formulas = ['=1+1', '+1+1', '-1+1', '@SUM(A1:A2)', '\t=1+1', '"=HYPERLINK(""http://evil.example"",""x"")"', "=cmd|' /C calc'!A0", 'x;=1+1', '＝1+1', '=2+3'];
  formulas.forEach((f, k) => {
    const lines = [HEADER, row(`FX${k}`, 1, { surname: f }), row(`FX${k}`, 2, { given: f }), row(`FX${k}`, 3, { cp: f })];
    add('formula-cells', `formula-${k}`, text(lines), allGood(4));
  });

  // ---- bad rows among good ones
  const oneBad = (tag: string, name: string, at: number, bad: string, total = 8): void => {
    const lines = goodFile(tag, total).lines;
    lines[at - 1] = bad;
    add('bad-rows', name, text(lines), { kind: 'rows', good: range(2, total + 1).filter((l) => l !== at), bad: [at], exact: true });
  };
  oneBad('BR1', 'empty-document-no', 3, row('BR1', 2, { doc: '' }));
  oneBad('BR2', 'unknown-direction', 4, row('BR2', 3, { dir: 'SIDEWAYS' }));
  oneBad('BR3', 'unknown-citizenship-code', 5, row('BR3', 4, { cz: 'XYZ' }));
  oneBad('BR4', 'unknown-country-name', 6, row('BR4', 5, { cz: 'Atlantis' }));
  oneBad('BR5', 'nine-fields', 7, row('BR5', 6).split(',').slice(0, 9).join(','));
  oneBad('BR6', 'eleven-fields', 8, `${row('BR6', 7)},extra`);
  oneBad('BR7', 'everything-empty-but-id', 9, 'BR7-8,,,,,,,,,');
  {
    const lines = goodFile('BR8', 6).lines.map((l, i) => (i === 0 ? l : `${l},,`));
    add('bad-rows', 'trailing-empty-cells', text(lines), allGood(7));
  }
  {
    const lines = goodFile('BR9', 6).lines;
    const withBlanks = [lines[0]!, '', lines[1]!, '   ', lines[2]!, ',,,,,,,,,', lines[3]!, '\t', lines[4]!, lines[5]!, lines[6]!, ''];
    add('bad-rows', 'blank-lines-between', text(withBlanks), { kind: 'rows', good: [3, 5, 7, 9, 10, 11], bad: [], exact: true });
  }
  {
    const lines = [HEADER, ...range(1, 2000).map((i) => row('BR10', i, { dir: 'NOWHERE' }))];
    add('bad-rows', 'all-2000-rows-bad', text(lines), { kind: 'rows', good: [], bad: range(2, 2001), exact: true });
  }
  {
    const lines = [HEADER, ...range(1, 2000).map((i) => row('BR11', i, i % 2 ? {} : { cz: '???' }))];
    add('bad-rows', 'alternating-good-bad', text(lines), { kind: 'rows', good: range(2, 2001).filter((l) => l % 2 === 0), bad: range(2, 2001).filter((l) => l % 2 === 1), exact: true });
  }
  {
    const lines = goodFile('BR12', 10).lines;
    add('bad-rows', 'mixed-lf-crlf', Buffer.from(lines.map((l, i) => l + (i % 2 ? '\r\n' : '\n')).join('')), allGood(11));
  }
  {
    const words = ['ENTRY', 'Exit', 'Въезд', 'выезд', '1', '2', 'e', 'X', 'Кіру', 'Шығу'];
    add('bad-rows', 'direction-words', text([HEADER, ...words.map((w, i) => row('BR13', i + 1, { dir: w }))]), allGood(words.length + 1));
  }
  {
    const lines = goodFile('BR14', 8).lines;
    add('bad-rows', 'header-with-trailing-delimiter', text([`${lines[0]},`, ...lines.slice(1).map((l) => `${l},`)]), allGood(9));
  }

  // ---- quote pathologies
  add('quotes', 'one-million-quotes', text([HEADER, row('QP1', 1), '"'.repeat(1_000_000), row('QP1', 3)]), { kind: 'rows', good: [2, 4], bad: [3], exact: true });
  add('quotes', 'quoted-one-field-lines', text([HEADER, ...range(1, 10_000).map(() => '"x"'), row('QP2', 1)]), { kind: 'rows', good: [10_002], bad: range(2, 10_001), exact: true });
  add('quotes', 'escaped-quotes-good', text([HEADER, row('QP3', 1, { cp: '"CP, ""north"""' }), row('QP3', 2)]), allGood(3));
  add('quotes', 'multiline-quoted-good', text([HEADER, row('QP4', 1, { cp: '"CP\nnorth"' }), row('QP4', 2)]), { kind: 'rows', good: [2, 4], bad: [], exact: true, continuation: [3] });
  add('quotes', 'quote-at-eof-no-newline', Buffer.from([HEADER, row('QP5', 1), row('QP5', 2, { cp: 'CP1"' })].join('\n')), allGood(3));
  add('quotes', 'spaces-around-quoted', text([HEADER, row('QP6', 1, { doc: ' "NQP61" ' })]), allGood(2));
  add('quotes', 'long-quoted-two-field-lines', text([HEADER, ...range(1, 1000).map(() => `"${'x'.repeat(2000)}",`), row('QP7', 1)]), { kind: 'rows', good: [1002], bad: range(2, 1001), exact: true });
  add('quotes', 'quote-storm-random', Buffer.from(HEADER + '\n' + Array.from({ length: 200_000 }, () => '",\na'[Math.floor(random() * 4)]).join('') + '\n' + row('QP8', 1) + '\n'), { kind: 'rows', good: [], bad: [], exact: false });

  // ---- line ends
  add('line-ends', 'cr-only', Buffer.from(goodFile('LE1', 5).lines.join('\r') + '\r'), broken);
  add('line-ends', 'cr-only-data', Buffer.from(HEADER + '\n' + range(1, 5).map((i) => row('LE2', i)).join('\r') + '\r\n'), { kind: 'rows', good: [], bad: [2], exact: true });
  add('line-ends', 'lf-cr', Buffer.from(goodFile('LE3', 5).lines.join('\n\r') + '\n'), allGood(6));
  add('line-ends', 'stray-cr-in-cell', text([HEADER, row('LE4', 1, { dir: 'IN\r' }), row('LE4', 2)], '\r\n'), allGood(3));

  // ---- long lines
  add('long-lines', '10mb-line-no-newline', Buffer.concat([text([HEADER]), Buffer.from('x'.repeat(10_000_000))]), { kind: 'rows', good: [], bad: [2], exact: true }, { solo: true });
  add('long-lines', '2mb-header', text([`${HEADER},${'h'.repeat(2_000_000)}`, row('LL2', 1)]), broken, { solo: true });
  add('long-lines', 'rows-of-999-fields', text([HEADER, ...range(1, 20).map(() => Array.from({ length: 999 }, (_, i) => `v${i}`).join(','))]), { kind: 'rows', good: [], bad: range(2, 21), exact: true });
  add('long-lines', '50k-char-person-id', text([HEADER, row('LL4', 1, { id: `LL4-${'i'.repeat(50_000)}` })]), allGood(2));

  // ---- many rejects
  add('many-rejects', '20k-rows-all-bad', text([HEADER, ...range(1, 20_000).map((i) => row('MR1', i, { cz: 'Narnia' }))]), { kind: 'rows', good: [], bad: range(2, 20_001), exact: true });
  add('many-rejects', '20k-rows-every-third-bad', text([HEADER, ...range(1, 20_000).map((i) => row('MR2', i, i % 3 === 0 ? { at: '31.02.2025' } : {}))]), {
    kind: 'rows',
    good: range(2, 20_001).filter((l) => (l - 1) % 3 !== 0),
    bad: range(2, 20_001).filter((l) => (l - 1) % 3 === 0),
    exact: true,
  });

  // ---- odd but valid cell content
  add('odd-content', 'ansi-escapes', text([HEADER, row('OC1', 1, { surname: '\u001b[31mRED\u001b[0m' })]), allGood(2));
  add('odd-content', 'rtl-override-and-zero-width', text([HEADER, row('OC2', 1, { id: 'OC2-\u202e1\u200b', surname: 'A\u200dB' })]), allGood(2));
  add('odd-content', 'emoji', text([HEADER, row('OC3', 1, { surname: '🙂😀', id: 'OC3-🙂' })]), allGood(2));
  add('odd-content', 'sql-in-cells', text([HEADER, row('OC4', 1, { id: "OC4-1'); DROP TABLE crossings; --", surname: "Robert'); DELETE FROM persons; --" })]), allGood(2));
  add('odd-content', 'html-in-cells', text([HEADER, row('OC5', 1, { surname: '<script>alert(1)</script>' })]), allGood(2));

  // ---- delimiter confusion
  add('delimiters', 'comma-header-semicolon-rows', text([HEADER, ...range(1, 5).map((i) => row('DC1', i, {}, ';'))]), { kind: 'rows', good: [], bad: range(2, 6), exact: true });
  add('delimiters', 'semicolon-header-comma-rows', text([HEADER.replace(/,/g, ';'), ...range(1, 5).map((i) => row('DC2', i))]), { kind: 'rows', good: [], bad: range(2, 6), exact: true }, { delimiter: ';' });
  add('delimiters', 'semicolon-file-commas-in-values', text([HEADER.replace(/,/g, ';'), ...range(1, 5).map((i) => row('DC3', i, { surname: 'Doe, John' }, ';'))]), allGood(6), { delimiter: ';' });
  add('delimiters', 'tab-file-semicolons-in-values', text([HEADER.replace(/,/g, '\t'), ...range(1, 5).map((i) => row('DC4', i, { cp: 'A;B' }, '\t'))]), allGood(6), { delimiter: '\t' });

  // ---- other datasets with bad rows
  add('bad-dates', 'registrations-impossible-date', text(['document_no,citizenship,registered_from,notified_on', 'RG1,RUS,2024-01-01,2024-01-02', 'RG2,RUS,31.02.2025,', 'RG3,KGZ,2024-01-05,2024-01-05']), { kind: 'rows', good: [2, 4], bad: [3], exact: true }, { dataset: 'registrations' });
  add('bad-rows', 'permits-unknown-status', text(['permit_no,document_no,citizenship,valid_from,valid_until,status', 'T1,PM1,KGZ,2024-01-01,2024-12-31,active', 'T2,PM2,KGZ,2024-01-01,2024-12-31,maybe', 'T3,PM3,KGZ,2024-12-31,2024-01-01,']), { kind: 'rows', good: [2, 4], bad: [3], exact: true }, { dataset: 'permits' });
  add('bad-rows', 'expulsions-bad-ban', text(['document_no,citizenship,decided_on,ban_years', 'EX1,TJK,2021-05-20,5', 'EX2,TJK,2021-05-20,100', 'EX3,TJK,0000-05-20,5', 'EX4,TJK,2021-05-20,5.0']), { kind: 'rows', good: [2, 5], bad: [3, 4], exact: true }, { dataset: 'expulsions' });

  return files;
}

/** The kinds the issue lists, each of which the corpus must contain. */
export const REQUIRED_CATEGORIES = [
  'binary',
  'truncated',
  'unterminated-quote',
  '10mb-field',
  '100k-columns',
  'nul-bytes',
  'mixed-encoding',
  'header-only',
  'empty',
  'wrong-dataset',
  'bad-dates',
  'formula-cells',
] as const;
