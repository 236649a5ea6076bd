import { describe, expect, it } from 'vitest';
import { countryName, formatsFor, LANGUAGES, TEXT } from '../../src/reports/html/i18n.js';

describe('the report speaks ru, kk and en', () => {
  it('writes numbers, shares and dates as each language does', () => {
    const ru = formatsFor('ru');
    const kk = formatsFor('kk');
    const en = formatsFor('en');
    expect(ru.number(1570)).toBe('1\u00a0570');
    expect(en.number(1570)).toBe('1,570');
    expect(ru.percent(0.244)).toBe('0,24\u00a0%');
    expect(en.percent(0.244)).toBe('0.24%');
    // A small share keeps its third decimal instead of reading as 0.
    expect(en.percent(0.004)).toBe('0.004%');
    expect(en.percent(0)).toBe('0%');
    expect(en.percent(null)).toBe('n/a');
    expect(en.rounded(3_212)).toBe('3,212');
    expect(en.rounded(32_120)).toBe('32.1 thousand');
    expect(ru.rounded(1_660_000)).toBe('1,66 млн');
    expect(ru.date('2022-12-31')).toBe('31 декабря 2022 г.');
    expect(kk.date('2022-12-31')).toBe('2022 ж. 31 желтоқсан');
    expect(en.date('2022-12-31')).toBe('31 December 2022');
  });

  it('names countries in the language, with the short common name', () => {
    expect(countryName('RUS', 'ru')).toBe('Россия');
    expect(countryName('RUS', 'kk')).toBe('Ресей');
    expect(countryName('RUS', 'en')).toBe('Russia');
    expect(countryName('UZB', 'kk')).toBe('Өзбекстан');
    // Codes that are no country keep a label rather than the bare code.
    expect(countryName('XXA', 'kk')).toBe('Лицо без гражданства');
    expect(countryName('XXA', 'en')).toBe('Stateless person');
  });

  it('declines the Russian noun after a number', () => {
    const line = (n: number): string => TEXT.ru.statementNationality('Россия', String(n), n, '0,2 %', '10');
    expect(line(1)).toContain(' 1 гражданин,');
    expect(line(3)).toContain(' 3 гражданина,');
    expect(line(5)).toContain(' 5 граждан,');
    expect(line(21)).toContain(' 21 гражданин,');
  });

  it('has every text in every language', () => {
    const keys = (o: object): string[] => Object.keys(o).sort();
    for (const lang of LANGUAGES) {
      expect(keys(TEXT[lang])).toEqual(keys(TEXT.en));
      expect(keys(TEXT[lang].col)).toEqual(keys(TEXT.en.col));
      expect(keys(TEXT[lang].rules)).toEqual(keys(TEXT.en.rules));
    }
  });
});
