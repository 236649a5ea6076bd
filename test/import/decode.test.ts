import { describe, expect, it } from 'vitest';
import { InputDecoder } from '../../src/import/decode.js';
import { ImportFileError } from '../../src/import/errors.js';
import { encodeCp1251 } from './helpers.js';

function decode(bytes: Buffer, chunkSize = bytes.length || 1, encoding?: 'utf-8' | 'windows-1251') {
  const decoder = new InputDecoder('in.csv', encoding);
  let text = '';
  for (let i = 0; i < bytes.length; i += chunkSize) text += decoder.write(bytes.subarray(i, i + chunkSize));
  text += decoder.end();
  return { text, encoding: decoder.detected, invalid: decoder.sawInvalid };
}

const RUSSIAN = 'Номер документа;Гражданство;Направление\nN1;Россия;Въезд\nN2;Қазақстан;Шығу\n';
const RUSSIAN_1251 = 'Номер документа;Гражданство;Направление\nN1;Россия;Въезд\nN2;Казахстан;Выезд ё Ё №\n';

describe('InputDecoder', () => {
  it('reads UTF-8 without BOM', () => {
    expect(decode(Buffer.from(RUSSIAN))).toEqual({ text: RUSSIAN, encoding: 'utf-8', invalid: false });
  });

  it('strips a UTF-8 BOM', () => {
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(RUSSIAN)]);
    expect(decode(bytes).text).toBe(RUSSIAN);
    expect(decode(bytes, 1).text).toBe(RUSSIAN);
  });

  it('detects Windows-1251', () => {
    expect(decode(encodeCp1251(RUSSIAN_1251))).toEqual({ text: RUSSIAN_1251, encoding: 'windows-1251', invalid: false });
  });

  it('keeps multi-byte characters split across chunks intact', () => {
    for (const size of [1, 2, 3, 5]) expect(decode(Buffer.from(RUSSIAN), size).text).toBe(RUSSIAN);
  });

  it('reports plain ASCII as UTF-8', () => {
    expect(decode(Buffer.from('a,b\n1,2\n'))).toEqual({ text: 'a,b\n1,2\n', encoding: 'utf-8', invalid: false });
  });

  it('decides late when the first 64 KiB are ASCII', () => {
    const head = `a,b\n${'x,1\n'.repeat(20_000)}`;
    const utf8 = decode(Buffer.from(`${head}Россия,2\n`), 4096);
    expect(utf8.encoding).toBe('utf-8');
    expect(utf8.text.endsWith('Россия,2\n')).toBe(true);
    const cp1251 = decode(Buffer.concat([Buffer.from(head), encodeCp1251('Россия,2\n')]), 4096);
    expect(cp1251.encoding).toBe('windows-1251');
    expect(cp1251.text.endsWith('Россия,2\n')).toBe(true);
  });

  it('honours a given encoding', () => {
    expect(decode(Buffer.from('Россия'), undefined, 'windows-1251').text).toBe('Р РѕСЃСЃРёСЏ'.replace(' ', '\u00a0'));
    expect(decode(encodeCp1251('Россия'), undefined, 'utf-8')).toMatchObject({ encoding: 'utf-8', invalid: true });
  });

  it('flags invalid UTF-8 after a UTF-8 start', () => {
    const bytes = Buffer.concat([Buffer.from('Россия\n'), encodeCp1251('Россия\n')]);
    const big = Buffer.concat([Buffer.from('Россия\n'.repeat(10_000)), encodeCp1251('Россия\n')]);
    expect(decode(bytes).encoding).toBe('windows-1251'); // all in the sample: invalid UTF-8 decides
    const late = decode(big, 8192);
    expect(late.encoding).toBe('utf-8');
    expect(late.invalid).toBe(true);
  });

  it('returns nothing for an empty input', () => {
    expect(decode(Buffer.alloc(0))).toEqual({ text: '', encoding: null, invalid: false });
  });

  it.each([
    ['NUL bytes', Buffer.from('a,b\n\u0000\u0001,2\n'), /not a CSV text file: it looks like binary data/],
    ['gzip', Buffer.from([0x1f, 0x8b, 8, 0, 0, 0]), /gzip/],
    ['xlsx', Buffer.from([0x50, 0x4b, 3, 4, 20, 0, 6, 0]), /xlsx/],
    ['UTF-16', Buffer.from('\ufeffa,b\n', 'utf16le'), /UTF-16/],
  ])('refuses %s', (_name, bytes, message) => {
    expect(() => decode(bytes)).toThrow(ImportFileError);
    expect(() => decode(bytes)).toThrow(message);
  });
});
