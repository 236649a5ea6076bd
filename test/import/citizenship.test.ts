import { describe, expect, it } from 'vitest';
import { countryName, normaliseCitizenship } from '../../src/import/citizenship.js';

describe('normaliseCitizenship', () => {
  it.each([
    // alpha-3, alpha-2, numeric, any case
    ['RUS', 'RUS'], ['rus', 'RUS'], ['RU', 'RUS'], ['ru', 'RUS'], ['KAZ', 'KAZ'], ['KZ', 'KAZ'], ['643', 'RUS'],
    ['CN', 'CHN'], ['DE', 'DEU'], ['XK', 'XKX'], ['XKK', 'XKX'], ['Kosovo', 'XKX'], ['Косово', 'XKX'],
    ['Germany (DEU)', 'DEU'],
    // ICAO passport variants
    ['D', 'DEU'], ['D<<', 'DEU'], ['GBD', 'GBR'], ['GBN', 'GBR'], ['GBO', 'GBR'], ['GBS', 'GBR'], ['GBP', 'GBR'],
    ['XXA', 'XXA'], ['XXB', 'XXB'], ['XXC', 'XXC'], ['XXX', 'XXX'], ['UNO', 'UNO'], ['UNA', 'UNA'], ['UNK', 'XKX'],
    ['RKS', 'XKX'],
    // English
    ['Russia', 'RUS'], ['Russian Federation', 'RUS'], ['Kazakhstan', 'KAZ'], ['USA', 'USA'], ['U.S.A.', 'USA'],
    ['United States', 'USA'], ['United States of America', 'USA'], ['Germany', 'DEU'], ['Great Britain', 'GBR'],
    ['United Kingdom', 'GBR'], ['Turkey', 'TUR'], ['Türkiye', 'TUR'], ['Turkiye', 'TUR'], ['Kyrgyzstan', 'KGZ'],
    ['Kyrgyz Republic', 'KGZ'], ['Uzbekistan', 'UZB'], ['China', 'CHN'], ['South Korea', 'KOR'],
    ['  germany  ', 'DEU'], ['GERMANY', 'DEU'], ['Stateless', 'XXA'], ["Cote d'Ivoire", 'CIV'],
    // Russian
    ['Россия', 'RUS'], ['россия', 'RUS'], ['РОССИЯ', 'RUS'], ['Российская Федерация', 'RUS'], ['РФ', 'RUS'],
    ['Казахстан', 'KAZ'], ['Республика Казахстан', 'KAZ'], ['Кыргызстан', 'KGZ'], ['Киргизия', 'KGZ'],
    ['Узбекистан', 'UZB'], ['Таджикистан', 'TJK'], ['Туркменистан', 'TKM'], ['Китай', 'CHN'], ['КНР', 'CHN'],
    ['Германия', 'DEU'], ['Турция', 'TUR'], ['США', 'USA'], ['Великобритания', 'GBR'], ['Молдова', 'MDA'],
    ['Белоруссия', 'BLR'], ['Беларусь', 'BLR'], ['Азербайджан', 'AZE'], ['Южная Корея', 'KOR'],
    ['Соединенные Штаты Америки', 'USA'], ['Соединённые Штаты Америки', 'USA'], ['Лицо без гражданства', 'XXA'],
    ['КНР (Китайская Народная Республика)', 'CHN'],
    // Kazakh
    ['Ресей', 'RUS'], ['Қазақстан', 'KAZ'], ['Қырғызстан', 'KGZ'], ['Өзбекстан', 'UZB'], ['Қытай', 'CHN'],
    ['Түркия', 'TUR'], ['Тәжікстан', 'TJK'], ['АҚШ', 'USA'], ['Ресей Федерациясы', 'RUS'],
  ])('%s -> %s', (input, expected) => {
    expect(normaliseCitizenship(input)).toBe(expected);
  });

  it.each(['Narnia', 'XYZ', 'R', '12', 'Россияя', 'Atlantis (RUS)', 'Germany (RUS)'])('%s is unknown', (input) => {
    expect(normaliseCitizenship(input)).toBeNull();
  });

  it('answers repeated values from the cache, identically', () => {
    for (let i = 0; i < 3; i++) expect(normaliseCitizenship('Российская Федерация')).toBe('RUS');
  });
});

describe('countryName', () => {
  it.each([
    ['RUS', 'en', 'Russia'], ['RUS', 'ru', 'Россия'], ['KAZ', 'en', 'Kazakhstan'], ['KAZ', 'ru', 'Казахстан'],
    ['CHN', 'ru', 'Китай'], ['DEU', 'en', 'Germany'], ['XXA', 'en', 'Stateless person'],
    ['XXA', 'ru', 'Лицо без гражданства'], ['ZZZ', 'en', 'ZZZ'], ['XKX', 'en', 'Kosovo'],
  ] as const)('%s in %s is %s', (code, lang, name) => {
    expect(countryName(code, lang)).toBe(name);
  });
});
