import { describe, expect, it } from 'vitest';
import {
  combineDateAndTime,
  normaliseDocumentNo,
  parseBanYears,
  parseDate,
  parseDateTime,
  parseDirection,
  parsePermitKind,
  parsePermitStatus,
  parseSex,
  personKeyOf,
} from '../../src/import/values.js';

describe('parseDate', () => {
  it.each([
    ['2025-01-05', '2025-01-05'],
    ['05.01.2025', '2025-01-05'],
    ['5.1.2025', '2025-01-05'],
    ['29.02.2024', '2024-02-29'],
    ['2000-02-29', '2000-02-29'],
    ['31.12.9999', '9999-12-31'],
    ['2025-01-05 00:00:00', '2025-01-05'],
    ['05.01.2025 00:00', '2025-01-05'],
    ['2025-01-05T00:00:00', '2025-01-05'],
  ])('%s -> %s', (input, expected) => {
    expect(parseDate(input)).toBe(expected);
  });

  it.each([
    '31.02.2025', '29.02.2025', '1900-02-29', '2025-13-01', '2025-00-10', '2025-01-00', '0000-01-01',
    '00.00.1985', '1899-12-31', '2025/01/05', '2025.01.05', '01/05/2025', '20250105', '2025-1-5',
    '05.01.25', 'yesterday', '2025-01-05 10:00', '2025-01-05x', '05.01.2025 10:00:00', '32.01.2025',
  ])('rejects %s', (input) => {
    expect(parseDate(input)).toBeNull();
  });
});

describe('parseDateTime', () => {
  it.each([
    ['2025-01-05 10:22:13', '2025-01-05 10:22:13'],
    ['2025-01-05T10:22:13', '2025-01-05 10:22:13'],
    ['2025-01-05 10:22', '2025-01-05 10:22:00'],
    ['2025-01-05T10:22', '2025-01-05 10:22:00'],
    ['2025-01-05 9:05', '2025-01-05 09:05:00'],
    ['2025-01-05', '2025-01-05 00:00:00'],
    ['05.01.2025 10:22:13', '2025-01-05 10:22:13'],
    ['05.01.2025 10:22', '2025-01-05 10:22:00'],
    ['5.1.2025 9:05', '2025-01-05 09:05:00'],
    ['05.01.2025', '2025-01-05 00:00:00'],
    ['2025-01-05 10:22:13.123', '2025-01-05 10:22:13'],
    ['2025-01-05  10:22', '2025-01-05 10:22:00'],
    ['2025-01-05 23:59:59', '2025-01-05 23:59:59'],
  ])('%s -> %s', (input, expected) => {
    expect(parseDateTime(input)).toBe(expected);
  });

  it.each([
    '2025-01-05 24:00:00', '2025-01-05 10:60', '2025-01-05 10:22:61', '31.02.2025 10:00', '2025-01-05 10',
    '2025-01-05 10:2', '2025-01-05T10:22:13Z', '2025-01-05T10:22:13+05:00', '2025-01-05 10:22:13.',
    '2025-01-05x10:22', '0000-01-05 10:00:00', 'now', '2025-02-30 10:00:00',
  ])('rejects %s', (input) => {
    expect(parseDateTime(input)).toBeNull();
  });

  it('combines a date with a separate time cell', () => {
    expect(combineDateAndTime('2025-01-05', '9:05')).toBe('2025-01-05 09:05:00');
    expect(combineDateAndTime('2025-01-05', '10:22:13')).toBe('2025-01-05 10:22:13');
    expect(combineDateAndTime('2025-01-05', '25:00')).toBeNull();
  });
});

describe('parseDirection', () => {
  it.each([
    ['IN', 'IN'], ['in', 'IN'], ['In', 'IN'], ['OUT', 'OUT'], ['out', 'OUT'],
    ['ENTRY', 'IN'], ['entry', 'IN'], ['EXIT', 'OUT'], ['Exit', 'OUT'],
    ['E', 'IN'], ['e', 'IN'], ['X', 'OUT'], ['x', 'OUT'], ['1', 'IN'], ['2', 'OUT'],
    ['Въезд', 'IN'], ['ВЪЕЗД', 'IN'], ['въезд', 'IN'], ['Выезд', 'OUT'], ['выезд', 'OUT'], ['ВыЕзД', 'OUT'],
    ['Кіру', 'IN'], ['КІРУ', 'IN'], ['кіру', 'IN'], ['Шығу', 'OUT'], ['ШЫҒУ', 'OUT'], ['шыгу', 'OUT'],
  ])('%s -> %s', (input, expected) => {
    expect(parseDirection(input)).toBe(expected);
  });

  it.each(['SIDEWAYS', '0', '3', 'I', 'O', 'въезд выезд', ''])('rejects %j', (input) => {
    expect(parseDirection(input)).toBeNull();
  });
});

describe('parseSex', () => {
  it.each([
    ['M', 'M'], ['m', 'M'], ['F', 'F'], ['f', 'F'], ['male', 'M'], ['Female', 'F'],
    ['М', 'M'], ['Ж', 'F'], ['ж', 'F'], ['муж', 'M'], ['Женский', 'F'], ['Ер', 'M'], ['Әйел', 'F'],
    ['Е', 'M'], ['Ә', 'F'],
  ])('%s -> %s', (input, expected) => {
    expect(parseSex(input)).toBe(expected);
  });

  it.each(['X', 'U', '<', 'unknown', 'Q', '1'])('%s -> null (never a reject)', (input) => {
    expect(parseSex(input)).toBeNull();
  });
});

describe('permit values', () => {
  it.each([
    ['trp', 'trp'], ['TRP', 'trp'], ['РВП', 'trp'], ['ВНЖ', 'trp'], ['visa', 'visa'], ['Виза', 'visa'], ['VISA', 'visa'],
  ])('kind %s -> %s', (input, expected) => {
    expect(parsePermitKind(input)).toBe(expected);
  });

  it('rejects an unknown kind', () => {
    expect(parsePermitKind('passport')).toBeNull();
  });

  it.each([
    ['active', 'active'], ['Active', 'active'], ['действует', 'active'], ['revoked', 'revoked'],
    ['Отозвано', 'revoked'], ['annulled', 'annulled'], ['АННУЛИРОВАНО', 'annulled'], ['cancelled', 'annulled'],
  ])('status %s -> %s', (input, expected) => {
    expect(parsePermitStatus(input)).toBe(expected);
  });

  it('rejects an unknown status', () => {
    expect(parsePermitStatus('pending')).toBeNull();
  });
});

describe('parseBanYears', () => {
  it.each([['0', 0], ['5', 5], ['10', 10], ['99', 99], ['5.0', 5]])('%s -> %d', (input, expected) => {
    expect(parseBanYears(input)).toBe(expected);
  });

  it.each(['-1', '5.5', '100', 'five', '1e1', '5 лет', '.0'])('rejects %s', (input) => {
    expect(parseBanYears(input)).toBeNull();
  });
});

describe('document numbers and person keys', () => {
  it.each([
    ['N1234567', 'N1234567'],
    ['n1234567', 'N1234567'],
    ['AB 123-456', 'AB123456'],
    ['ab–123 456', 'AB123456'],
    ['N\u00a01234567', 'N1234567'],
    ['№ 123', '№123'],
  ])('%s -> %s', (input, expected) => {
    expect(normaliseDocumentNo(input)).toBe(expected);
  });

  it('uses person_id when there is one, else CITIZENSHIP:DOCUMENT_NO', () => {
    expect(personKeyOf('P-1', 'RUS', 'N1')).toBe('P-1');
    expect(personKeyOf(null, 'RUS', 'N1')).toBe('RUS:N1');
  });
});
