import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { loadMapping } from '../../src/import/headers.js';
import { ImportFileError, readDataset } from '../../src/import/read-dataset.js';
import type { CrossingRow } from '../../src/import/rows.js';
import { FIXTURES, encodeCp1251, fixture, readAll } from './helpers.js';

const IVANOV_IN: CrossingRow = {
  personKey: 'RUS:N1234567',
  personId: null,
  documentNo: 'N1234567',
  citizenship: 'RUS',
  surname: 'IVANOV',
  givenNames: 'IVAN',
  birthDate: '1985-03-12',
  sex: 'M',
  direction: 'IN',
  crossedAt: '2025-01-05 10:22:13',
  day: '2025-01-05',
  checkpoint: 'Zhibek Zholy',
};

const BARE = { personId: null, surname: null, givenNames: null, birthDate: null, sex: null, checkpoint: null };

async function fileError(promise: Promise<unknown>): Promise<ImportFileError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ImportFileError) return error;
    throw error;
  }
  throw new Error('expected an ImportFileError');
}

describe('readDataset on the reference fixtures', () => {
  it('reads crossings.csv', async () => {
    const result = await readAll(fixture('crossings.csv'), 'crossings');
    expect(result.rejects).toEqual([]);
    expect(result.rows.map((r) => r.line)).toEqual([2, 3, 4, 5]);
    expect(result.rows[0]!.row).toEqual(IVANOV_IN);
    expect(result.rows[2]!.row).toMatchObject({ personKey: 'P-0042', personId: 'P-0042', documentNo: 'AB123456', citizenship: 'UZB' });
    expect(result.rows[3]!.row).toMatchObject({ personKey: 'CHN:E98765432', sex: 'F', crossedAt: '2025-03-02 23:59:59' });
    expect(result.summary).toMatchObject({
      file: 'test.csv', dataset: 'crossings', encoding: 'utf-8', delimiter: ',', headerLine: 1, linesRead: 5,
      rowsRead: 4, rowsAccepted: 4, rejected: 0, ignoredColumns: [],
    });
    expect(result.summary.header).toEqual([
      'person_id', 'document_no', 'citizenship', 'surname', 'given_names', 'birth_date', 'sex', 'direction', 'crossed_at', 'checkpoint',
    ]);
  });

  it('reads registrations.csv (quoted addresses and names)', async () => {
    const result = await readAll(fixture('registrations.csv'), 'registrations');
    expect(result.rows).toEqual([
      {
        line: 2,
        row: {
          personKey: 'RUS:N1234567', personId: null, documentNo: 'N1234567', citizenship: 'RUS', registeredFrom: '2025-01-06',
          registeredUntil: '2025-02-20', notifiedOn: '2025-01-07', address: 'Almaty, Abay ave 10, apt 5', hostId: '123456789012',
          hostName: 'TOO "Dostyk"',
        },
      },
      {
        line: 3,
        row: {
          personKey: 'P-0042', personId: 'P-0042', documentNo: 'AB123456', citizenship: 'UZB', registeredFrom: '2025-03-02',
          registeredUntil: null, notifiedOn: '2025-03-04', address: 'Shymkent, Tauke khan 3', hostId: null, hostName: null,
        },
      },
    ]);
  });

  it('reads permits.csv with default kind and status', async () => {
    const result = await readAll(fixture('permits.csv'), 'permits');
    expect(result.rejects).toEqual([]);
    expect(result.rows.map((r) => r.row)).toEqual([
      {
        permitNo: 'TRP-2025-0001', personKey: 'RUS:N1234567', personId: null, documentNo: 'N1234567', citizenship: 'RUS',
        kind: 'trp', ground: 'work', validFrom: '2025-02-01', validUntil: '2026-01-31', status: 'active', revokedOn: null,
        address: 'Almaty, Abay ave 10', hostId: '123456789012',
      },
      {
        permitNo: 'V-77', personKey: 'CHN:E98765432', personId: null, documentNo: 'E98765432', citizenship: 'CHN',
        kind: 'visa', ground: 'business', validFrom: '2025-03-01', validUntil: '2025-03-31', status: 'active', revokedOn: null,
        address: null, hostId: null,
      },
      {
        permitNo: 'TRP-2024-0100', personKey: 'P-0042', personId: 'P-0042', documentNo: 'AB123456', citizenship: 'UZB',
        kind: 'trp', ground: 'family', validFrom: '2024-05-01', validUntil: '2025-04-30', status: 'revoked',
        revokedOn: '2025-01-15', address: null, hostId: null,
      },
    ]);
  });

  it('reads expulsions.csv', async () => {
    const result = await readAll(fixture('expulsions.csv'), 'expulsions');
    expect(result.rows.map((r) => r.row)).toEqual([
      {
        personKey: 'KGZ:N7654321', personId: null, documentNo: 'N7654321', citizenship: 'KGZ', decidedOn: '2024-11-02',
        expelledOn: '2024-11-10', banYears: 5, reason: 'overstay (art. 517)',
      },
      {
        personKey: 'P-0099', personId: 'P-0099', documentNo: 'X0001111', citizenship: 'TJK', decidedOn: '2025-01-20',
        expelledOn: null, banYears: null, reason: 'illegal work',
      },
    ]);
  });
});

describe('readDataset on format variants', () => {
  it('reads UTF-8 with BOM and CRLF, T separator and minutes-only times', async () => {
    const result = await readAll(fixture('crossings-bom.csv'), 'crossings');
    expect(result.summary.header[0]).toBe('document_no');
    expect(result.rows).toEqual([
      { line: 2, row: { ...BARE, personKey: 'RUS:N1234567', documentNo: 'N1234567', citizenship: 'RUS', direction: 'IN', crossedAt: '2025-01-05 10:22:00', day: '2025-01-05' } },
      { line: 3, row: { ...BARE, personKey: 'RUS:N1234567', documentNo: 'N1234567', citizenship: 'RUS', direction: 'OUT', crossedAt: '2025-01-09 07:15:30', day: '2025-01-09' } },
    ]);
  });

  it.each([64 * 1024, 7, 1])('reads Windows-1251 with Russian headers, words and names (chunks of %d bytes)', async (chunkSize) => {
    const result = await readAll(fixture('crossings-cp1251.csv'), 'crossings', { chunkSize });
    expect(result.summary).toMatchObject({ encoding: 'windows-1251', delimiter: ';', rowsAccepted: 4, rejected: 0, linesRead: 5 });
    expect(result.summary.header[0]).toBe('Номер документа');
    expect(result.rows.map((r) => r.row)).toEqual([
      {
        personKey: 'RUS:N1234567', personId: null, documentNo: 'N1234567', citizenship: 'RUS', surname: 'Иванов',
        givenNames: 'Иван Петрович', birthDate: '1985-03-12', sex: 'M', direction: 'IN', crossedAt: '2025-01-05 10:22:00',
        day: '2025-01-05', checkpoint: 'Жибек жолы',
      },
      {
        personKey: 'RUS:N1234567', personId: null, documentNo: 'N1234567', citizenship: 'RUS', surname: 'Иванов',
        givenNames: 'Иван Петрович', birthDate: '1985-03-12', sex: 'M', direction: 'OUT', crossedAt: '2025-02-20 18:05:00',
        day: '2025-02-20', checkpoint: 'Жибек жолы',
      },
      {
        personKey: 'KGZ:AC7654321', personId: null, documentNo: 'AC7654321', citizenship: 'KGZ', surname: 'Асанов',
        givenNames: 'Бакыт', birthDate: '1992-02-01', sex: 'M', direction: 'IN', crossedAt: '2025-03-01 09:05:00',
        day: '2025-03-01', checkpoint: 'Ак-Жол',
      },
      {
        personKey: 'UZB:FA0001234', personId: null, documentNo: 'FA0001234', citizenship: 'UZB', surname: 'Каримова',
        givenNames: 'Лола', birthDate: '1999-11-30', sex: 'F', direction: 'OUT', crossedAt: '2025-03-02 00:00:00',
        day: '2025-03-02', checkpoint: 'Жибек жолы',
      },
    ]);
  });

  it('reads semicolons, CRLF and DD.MM.YYYY', async () => {
    const result = await readAll(fixture('crossings-semicolon.csv'), 'crossings');
    expect(result.summary).toMatchObject({ delimiter: ';', rowsAccepted: 3 });
    expect(result.rows.map((r) => [r.line, r.row.direction, r.row.crossedAt, r.row.citizenship])).toEqual([
      [2, 'IN', '2025-01-05 10:22:13', 'RUS'],
      [3, 'OUT', '2025-02-20 18:05:00', 'RUS'],
      [4, 'IN', '2025-03-02 00:00:00', 'CHN'],
    ]);
  });

  it('reads tab-delimited text (commas in values, 1/2 and E/X, ICAO D)', async () => {
    const result = await readAll(fixture('crossings-tab.tsv'), 'crossings');
    expect(result.summary).toMatchObject({ delimiter: '\t', rowsAccepted: 3 });
    expect(result.rows.map((r) => [r.row.direction, r.row.checkpoint, r.row.citizenship])).toEqual([
      ['IN', 'Zhibek Zholy', 'RUS'],
      ['OUT', 'Zhibek Zholy, gate 2', 'RUS'],
      ['OUT', 'Khorgos', 'DEU'],
    ]);
  });

  it('reads Kazakh headers, direction words and country names', async () => {
    const result = await readAll(fixture('crossings-kk.csv'), 'crossings');
    expect(result.rejects).toEqual([]);
    expect(result.rows.map((r) => [r.row.personKey, r.row.direction, r.row.sex, r.row.crossedAt])).toEqual([
      ['RUS:N1234567', 'IN', 'M', '2025-01-05 10:22:00'],
      ['RUS:N1234567', 'OUT', 'M', '2025-02-20 18:05:00'],
      ['CHN:E98765432', 'IN', 'F', '2025-03-02 23:59:00'],
      ['KGZ:AC7654321', 'OUT', 'M', '2025-03-03 08:00:00'],
    ]);
  });

  it('reads Russian headers of registrations, permits and expulsions', async () => {
    const registrations = await readAll(fixture('registrations-ru.csv'), 'registrations');
    expect(registrations.rejects).toEqual([]);
    expect(registrations.rows[0]!.row).toMatchObject({
      citizenship: 'RUS', registeredFrom: '2025-01-06', registeredUntil: '2025-02-20', notifiedOn: '2025-01-07',
      address: 'г. Алматы; пр. Абая 10, кв. 5', hostId: '123456789012', hostName: 'ТОО "Достык"',
    });
    const permits = await readAll(fixture('permits-ru.csv'), 'permits');
    expect(permits.rejects).toEqual([]);
    expect(permits.rows.map((r) => [r.row.permitNo, r.row.citizenship, r.row.kind, r.row.status, r.row.revokedOn])).toEqual([
      ['РВП-2025-0001', 'RUS', 'trp', 'active', null],
      ['V-77', 'CHN', 'visa', 'active', null],
      ['РВП-2024-0100', 'UZB', 'trp', 'annulled', '2025-01-15'],
    ]);
    const expulsions = await readAll(fixture('expulsions-ru.csv'), 'expulsions');
    expect(expulsions.rejects).toEqual([]);
    expect(expulsions.rows.map((r) => [r.row.citizenship, r.row.decidedOn, r.row.expelledOn, r.row.banYears])).toEqual([
      ['KGZ', '2024-11-02', '2024-11-10', 5],
      ['TJK', '2025-01-20', null, null],
    ]);
  });

  it('reads odd headers through the example mapping file', async () => {
    const mapping = loadMapping(`${FIXTURES}mapping-example.json`);
    const result = await readAll(fixture('crossings-odd-headers.csv'), 'crossings', { mapping });
    expect(result.summary.ignoredColumns).toEqual(['Remarks']);
    expect(result.rows.map((r) => [r.row.personKey, r.row.direction, r.row.crossedAt, r.row.checkpoint])).toEqual([
      ['RUS:N1234567', 'IN', '2025-01-05 10:22:13', 'Zhibek Zholy'],
      ['RUS:N1234567', 'OUT', '2025-02-20 18:05:00', 'Zhibek Zholy'],
    ]);
    const error = await fileError(readAll(fixture('crossings-odd-headers.csv'), 'crossings'));
    expect(error.hint).toMatch(/--mapping FILE/);
  });

  it('honours --encoding and --delimiter overrides', async () => {
    const text = 'document_no;citizenship;direction;crossed_at\nN1;RUS;IN;2025-01-05\n';
    expect((await readAll(text, 'crossings', { delimiter: ';' })).summary.delimiter).toBe(';');
    const wrong = await fileError(readAll(text, 'crossings', { delimiter: ',' }));
    expect(wrong.hint).toMatch(/single column with the delimiter given: check --delimiter/);
    const garbled = await fileError(readAll(fixture('crossings-cp1251.csv'), 'crossings', { encoding: 'utf-8' }));
    expect(garbled.message).toMatch(/missing required columns/);
    const forced = await readAll(fixture('crossings-cp1251.csv'), 'crossings', { encoding: 'windows-1251' });
    expect(forced.summary.rowsAccepted).toBe(4);
  });
});

describe('readDataset rejects', () => {
  it.each([64 * 1024, 5, 1])('rejects bad rows with line and reason and keeps the good ones (chunks of %d)', async (chunkSize) => {
    const result = await readAll(fixture('crossings-bad-rows.csv'), 'crossings', { chunkSize });
    expect(result.rows.map((r) => r.line)).toEqual([2, 10, 12]);
    expect(result.rows[1]!.row.checkpoint).toBe('Khorgos,\neast gate');
    expect(result.rejects).toEqual([
      {
        line: 3,
        raw: ['N1234567', 'RUS', 'IN', '31.02.2025 10:00', 'Zhibek Zholy'],
        reason: "crossed_at: '31.02.2025 10:00' is not a valid date-time (use YYYY-MM-DD HH:MM[:SS] or DD.MM.YYYY HH:MM[:SS])",
      },
      {
        line: 4,
        raw: ['N1234567', 'RUS', 'SIDEWAYS', '2025-02-20 18:05:00', 'Zhibek Zholy'],
        reason: "direction: unknown direction 'SIDEWAYS' (use IN/OUT, ENTRY/EXIT, E/X, 1/2, Въезд/Выезд, Кіру/Шығу)",
      },
      {
        line: 5,
        raw: ['N7777777', 'Narnia', 'IN', '2025-02-21 08:00:00', 'Khorgos'],
        reason: "citizenship: unknown country 'Narnia'",
      },
      { line: 6, raw: ['', 'RUS', 'OUT', '2025-02-22 08:00:00', 'Khorgos'], reason: 'document_no: required value is empty' },
      { line: 7, raw: ['N1234567', 'RUS', 'OUT', '2025-02-23 08:00:00'], reason: 'expected 5 fields as in the header, found 4' },
      {
        line: 8,
        raw: ['N1234567', 'RUS', 'OUT', '0000-02-23 08:00:00', 'Khorgos'],
        reason: "crossed_at: '0000-02-23 08:00:00' is not a valid date-time (use YYYY-MM-DD HH:MM[:SS] or DD.MM.YYYY HH:MM[:SS])",
      },
    ]);
    expect(result.summary).toMatchObject({ linesRead: 12, rowsRead: 9, rowsAccepted: 3, rejected: 6 });
  });

  it('rejects an unterminated quote at the end of the file', async () => {
    const result = await readAll(fixture('crossings-unterminated.csv'), 'crossings');
    expect(result.rows.map((r) => r.line)).toEqual([2]);
    expect(result.rejects).toEqual([
      { line: 3, raw: ['N1234567', 'RUS', 'OUT', '2025-02-20 18:05:00', '"Zhibek Zholy'], reason: 'unterminated quoted field in column 5' },
    ]);
  });

  it('names the file\'s own header next to the field', async () => {
    const text = 'Номер документа;Гражданство;Направление;Дата пересечения\nN1;Россия;Въезд;32.01.2025\n';
    const result = await readAll(text, 'crossings');
    expect(result.rejects[0]!.reason).toBe(
      "crossed_at (Дата пересечения): '32.01.2025' is not a valid date-time (use YYYY-MM-DD HH:MM[:SS] or DD.MM.YYYY HH:MM[:SS])",
    );
  });

  it('gives every reason of a row, and refuses a time zone explicitly', async () => {
    const text = 'document_no,citizenship,direction,crossed_at,birth_date\nN1,Atlantis,UP,2025-01-05T10:00:00Z,1985-02-30\n';
    const result = await readAll(text, 'crossings');
    expect(result.rejects[0]!.reason).toBe(
      "citizenship: unknown country 'Atlantis'; direction: unknown direction 'UP' (use IN/OUT, ENTRY/EXIT, E/X, 1/2, Въезд/Выезд, Кіру/Шығу); " +
        "crossed_at: '2025-01-05T10:00:00Z' has a time zone; give the local date and time at the border; " +
        "birth_date: '1985-02-30' is not a valid date (use YYYY-MM-DD or DD.MM.YYYY)",
    );
  });

  it('rejects bad permit and expulsion values', async () => {
    const permits = await readAll(
      'permit_no,document_no,citizenship,kind,valid_from,valid_until,status,revoked_on\n' +
        'P1,N1,RUS,passport,2025-01-01,2025-12-31,pending,\n' +
        ',N1,RUS,,2025-01-01,,,\n' +
        'P3,N1,RUS,visa,2025-01-01,2024-12-31,revoked,someday\n',
      'permits',
    );
    expect(permits.rejects.map((r) => [r.line, r.reason])).toEqual([
      [2, "kind: unknown permit kind 'passport' (use trp or visa); status: unknown permit status 'pending' (use active, revoked or annulled)"],
      [3, 'permit_no: required value is empty; valid_until: required value is empty'],
      [4, "revoked_on: 'someday' is not a valid date (use YYYY-MM-DD or DD.MM.YYYY)"],
    ]);
    const expulsions = await readAll(
      'document_no,citizenship,decided_on,ban_years\nN1,KGZ,2025-01-01,-1\nN2,KGZ,,\nN3,KGZ,2025-01-01,5\n',
      'expulsions',
    );
    expect(expulsions.rejects.map((r) => [r.line, r.reason])).toEqual([
      [2, "ban_years: '-1' is not a whole number of years (0-99)"],
      [3, 'decided_on: required value is empty'],
    ]);
    expect(expulsions.rows.map((r) => r.row.banYears)).toEqual([5]);
  });

  it('accepts permits with reversed dates (the audit reports them as anomalies)', async () => {
    const result = await readAll('permit_no,document_no,citizenship,valid_from,valid_until\nP1,N1,RUS,2025-12-31,2025-01-01\n', 'permits');
    expect(result.rows).toHaveLength(1);
  });

  it('rejects rows with invalid UTF-8 in a UTF-8 file', async () => {
    const head = Buffer.from(`document_no,citizenship,direction,crossed_at\n${'N1,Россия,IN,2025-01-05\n'.repeat(3000)}`);
    const bytes = Buffer.concat([head, encodeCp1251('N2,Россия,IN,2025-01-05\n'), Buffer.from('N3,RUS,IN,2025-01-05\n')]);
    const result = await readAll(bytes, 'crossings');
    expect(result.summary.encoding).toBe('utf-8');
    expect(result.rejects.map((r) => [r.line, r.reason])).toEqual([
      [3002, 'invalid UTF-8 byte sequence (is part of the file in Windows-1251? try --encoding windows-1251)'],
    ]);
    expect(result.rows).toHaveLength(3001);
  });

  it('rejects an oversized record without failing the file', async () => {
    const text = `document_no,citizenship,direction,crossed_at\nN1,RUS,IN,2025-01-05\n${'x'.repeat(5000)}\nN2,RUS,OUT,2025-01-06\n`;
    const result = await readAll(text, 'crossings', { limits: { maxRecordChars: 1000 }, chunkSize: 100 });
    expect(result.rows.map((r) => r.line)).toEqual([2, 4]);
    expect(result.rejects.map((r) => [r.line, r.reason])).toEqual([[3, 'record is longer than 1000 characters']]);
  });
});

describe('readDataset shapes and counts', () => {
  it('skips blank and delimiter-only lines; tolerates blank extra cells', async () => {
    const text =
      '\n\ndocument_no;citizenship;direction;crossed_at;\n' +
      'N1;RUS;IN;2025-01-05;\n' +
      ';;;;\n' +
      '   \n' +
      'N2;RUS;OUT;2025-01-06;;\n' +
      'N3;RUS;OUT;2025-01-07;;oops\n';
    const result = await readAll(text, 'crossings');
    expect(result.summary.headerLine).toBe(3);
    expect(result.summary.header).toEqual(['document_no', 'citizenship', 'direction', 'crossed_at']);
    expect(result.rows.map((r) => r.line)).toEqual([4, 7]);
    expect(result.rejects.map((r) => [r.line, r.reason])).toEqual([[8, 'expected 4 fields as in the header, found 6']]);
    expect(result.summary).toMatchObject({ rowsRead: 3, rowsAccepted: 2, rejected: 1, linesRead: 8 });
  });

  it('combines a separate time column and appends a patronymic', async () => {
    const text =
      'Номер документа,Гражданство,Имя,Отчество,Направление,Дата пересечения,Время пересечения\n' +
      'N1,RUS,Иван,Петрович,Въезд,05.01.2025,9:05\n' +
      'N1,RUS,,Петрович,Выезд,06.01.2025,\n' +
      'N1,RUS,Иван,,Въезд,07.01.2025,25:00\n';
    const result = await readAll(text, 'crossings');
    expect(result.rows.map((r) => [r.row.givenNames, r.row.crossedAt])).toEqual([
      ['Иван Петрович', '2025-01-05 09:05:00'],
      ['Петрович', '2025-01-06 00:00:00'],
    ]);
    expect(result.rejects.map((r) => r.reason)).toEqual([
      "crossed_time (Время пересечения): '25:00' is not a valid time (use HH:MM[:SS])",
    ]);
  });

  it('yields batches of the requested size, each carrying the header', async () => {
    const rows = Array.from({ length: 23 }, (_, i) => `N${i},RUS,IN,2025-01-05`).join('\n');
    const result = await readAll(`document_no,citizenship,direction,crossed_at\n${rows}\n`, 'crossings', { batchSize: 5 });
    expect(result.batches).toBe(5);
    expect(result.rows).toHaveLength(23);
    for (const header of result.headers) expect(header).toEqual(['document_no', 'citizenship', 'direction', 'crossed_at']);
    expect(result.rows.map((r) => r.line)).toEqual(Array.from({ length: 23 }, (_, i) => i + 2));
  });

  it('reads a stream of strings (stdin with an encoding set)', async () => {
    const input = Readable.from(['document_no,citizenship,direction,crossed_at\n', 'N1,Россия,Въезд,05.01.2025 10:00\n']);
    const reader = readDataset(input, 'crossings', '<stdin>');
    const first = await reader.next();
    expect(first.done).toBe(false);
    expect(first.done === false && first.value.rows[0]!.row.citizenship).toBe('RUS');
    const last = await reader.next();
    expect(last.done === true && last.value.file).toBe('<stdin>');
  });

  it('reads a header-only file as zero rows', async () => {
    const result = await readAll(fixture('header-only.csv'), 'crossings');
    expect(result.batches).toBe(0);
    expect(result.summary).toMatchObject({ rowsRead: 0, rowsAccepted: 0, rejected: 0, linesRead: 1, encoding: 'utf-8', delimiter: ',' });
  });
});

describe('readDataset whole-file errors', () => {
  it('refuses an empty file', async () => {
    const error = await fileError(readAll(fixture('empty.csv'), 'crossings'));
    expect(error.message).toBe('test.csv: the file is empty (no header line)');
    expect(error.hint).toMatch(/document_no,citizenship,direction,crossed_at/);
    expect((await fileError(readAll('\n\r\n  \n', 'crossings'))).message).toMatch(/empty/);
  });

  it('refuses a binary file', async () => {
    const error = await fileError(readAll(fixture('binary.csv'), 'crossings'));
    expect(error.message).toBe('test.csv: not a CSV text file: it looks like gzip-compressed data');
  });

  it('refuses a file of another dataset and says which', async () => {
    const error = await fileError(readAll(fixture('wrong-dataset.csv'), 'crossings'));
    expect(error.message).toBe(
      "test.csv, line 1: missing required columns for crossings: direction, crossed_at; found 'document_no', 'citizenship', " +
        "'decided_on', 'expelled_on', 'ban_years' (the header fits the expulsions dataset)",
    );
    expect(error.line).toBe(1);
    expect(error.hint).toMatch(/stayaudit import expulsions FILE/);
  });

  it('refuses an absurd header', async () => {
    const error = await fileError(readAll(`${'a,'.repeat(2000)}b\n1\n`, 'crossings'));
    expect(error.message).toBe('test.csv, line 1: the header line cannot be read: record has more than 1000 fields');
  });

  it('yields nothing before a whole-file error', async () => {
    const reader = readDataset(Readable.from([fixture('wrong-dataset.csv')]), 'crossings', 'w.csv');
    await expect(reader.next()).rejects.toThrow(ImportFileError);
  });
});
