import { describe, expect, it } from 'vitest';
import { encodeCp1251, toCp1251Binary } from '../../src/generate/cp1251.js';

describe('cp1251 encoding', () => {
  it('round-trips the Russian alphabet, Ё/ё and ASCII through TextDecoder', () => {
    let text = 'ASCII 0-9 ;,"';
    for (let c = 0x410; c <= 0x44f; c++) text += String.fromCharCode(c);
    text += 'Ёё№«»';
    expect(new TextDecoder('windows-1251').decode(encodeCp1251(text))).toBe(text);
  });

  it('maps А..я to 0xC0..0xFF and Ё, ё to 0xA8, 0xB8', () => {
    expect([...encodeCp1251('Аяё')]).toEqual([0xc0, 0xff, 0xb8]);
    expect([...encodeCp1251('Ё')]).toEqual([0xa8]);
  });

  it('refuses Kazakh letters, which cp1251 cannot write', () => {
    expect(() => toCp1251Binary('Қазақстан')).toThrow(/Windows-1251/);
  });
});
