/**
 * Citizenship values → ISO 3166-1 alpha-3.
 *
 * Codes and country names come from i18n-iso-countries (en, ru, kk locales); the
 * small ALIASES table below adds only what the library lacks: ICAO passport codes,
 * the non-country ICAO codes, and the spellings Kazakh and Russian registries use
 * that differ from the library's (Кыргызстан, Туркменистан, Молдова, КНР, РФ...).
 *
 * The lookup map is built once; results per distinct raw value are cached because
 * a file repeats a few dozen distinct values millions of times.
 */
import { createRequire } from 'node:module';
import type * as Countries from 'i18n-iso-countries';

const require = createRequire(import.meta.url);
// The package's node entry registers ~100 locales on load; the plain index plus the
// three locales we need is cheaper and explicit.
const countries = require('i18n-iso-countries/index.js') as typeof Countries;
for (const lang of ['en', 'ru', 'kk']) {
  countries.registerLocale(require(`i18n-iso-countries/langs/${lang}.json`) as Countries.LocaleData);
}

/**
 * ICAO Doc 9303 codes that are not ISO 3166-1 alpha-3 countries. They are kept as
 * they are (they are what a passport says), except the UNMIK code for Kosovo.
 */
export const NON_COUNTRY_CODES: Readonly<Record<string, string>> = {
  XXA: 'Stateless person',
  XXB: 'Refugee (1951 Convention)',
  XXC: 'Refugee (other)',
  XXX: 'Unspecified nationality',
  UNO: 'United Nations official',
  UNA: 'United Nations specialized agency',
  EUE: 'European Union',
  XOM: 'Sovereign Military Order of Malta',
  XPO: 'Interpol',
};

const NON_COUNTRY_NAMES_RU: Readonly<Record<string, string>> = {
  XXA: 'Лицо без гражданства',
  XXB: 'Беженец (Конвенция 1951 г.)',
  XXC: 'Беженец (прочие)',
  XXX: 'Гражданство не указано',
  UNO: 'Сотрудник ООН',
  UNA: 'Сотрудник специализированного учреждения ООН',
  EUE: 'Европейский союз',
  XOM: 'Мальтийский орден',
  XPO: 'Интерпол',
};

/**
 * Values the library does not know → alpha-3. Keys are folded by `foldName` when the
 * map is built, so they are written here in their natural spelling.
 */
const ALIASES: Readonly<Record<string, string>> = {
  // ICAO passport variants
  D: 'DEU',
  GBD: 'GBR', GBN: 'GBR', GBO: 'GBR', GBS: 'GBR', GBP: 'GBR',
  // Kosovo: UNMIK travel documents, Kosovo passports; the library says XKK, the EU and
  // most registries XKX.
  UNK: 'XKX', RKS: 'XKX', XK: 'XKX', XKK: 'XKX',
  // stateless
  Stateless: 'XXA', 'Stateless person': 'XXA',
  'Без гражданства': 'XXA', 'Лицо без гражданства': 'XXA', ЛБГ: 'XXA', Апатрид: 'XXA',
  'Азаматтығы жоқ': 'XXA', 'Азаматтығы жоқ адам': 'XXA', 'Азаматтыгы жок': 'XXA',
  // English
  Britain: 'GBR', England: 'GBR', 'United States': 'USA', America: 'USA',
  'Kyrgyz Republic': 'KGZ', Kirghizia: 'KGZ', Kirgizia: 'KGZ', Czechia: 'CZE',
  'Czech Republic': 'CZE', Moldova: 'MDA', 'Republic of Moldova': 'MDA',
  'Viet Nam': 'VNM', Laos: 'LAO', Syria: 'SYR', 'South Korea': 'KOR', Korea: 'KOR',
  'North Korea': 'PRK', 'Ivory Coast': 'CIV', Burma: 'MMR', Holland: 'NLD',
  Macedonia: 'MKD', Swaziland: 'SWZ', 'East Timor': 'TLS', 'Cape Verde': 'CPV',
  Palestine: 'PSE', Vatican: 'VAT', Kosovo: 'XKX', Russia: 'RUS', Turkey: 'TUR',
  // Russian
  РФ: 'RUS', 'Российская Федерация': 'RUS', Россия: 'RUS',
  'Республика Казахстан': 'KAZ', РК: 'KAZ',
  Кыргызстан: 'KGZ', 'Кыргызская Республика': 'KGZ', Киргизстан: 'KGZ', Киргизия: 'KGZ',
  'Республика Узбекистан': 'UZB', 'Республика Таджикистан': 'TJK',
  Туркменистан: 'TKM', Туркмения: 'TKM',
  Молдова: 'MDA', 'Республика Молдова': 'MDA', Белоруссия: 'BLR', 'Республика Беларусь': 'BLR',
  Китай: 'CHN', КНР: 'CHN', 'Китайская Народная Республика': 'CHN',
  КНДР: 'PRK', 'Северная Корея': 'PRK', 'Южная Корея': 'KOR', Корея: 'KOR',
  'Республика Корея': 'KOR',
  США: 'USA', 'Соединённые Штаты Америки': 'USA', 'Соединённые Штаты': 'USA', Америка: 'USA',
  'Соединённое Королевство': 'GBR', Англия: 'GBR', ФРГ: 'DEU',
  'Турецкая Республика': 'TUR',
  'Исламская Республика Иран': 'IRN', 'Исламская Республика Афганистан': 'AFG',
  'Азербайджанская Республика': 'AZE', 'Республика Армения': 'ARM',
  // Kazakh (and the same words typed without Kazakh letters)
  'Ресей Федерациясы': 'RUS', 'Қазақстан Республикасы': 'KAZ', 'Казакстан': 'KAZ',
  АҚШ: 'USA', АКШ: 'USA', Кытай: 'CHN', Озбекстан: 'UZB',
  'Өзбекстан Республикасы': 'UZB', Туркия: 'TUR', Тажикстан: 'TJK', Турікменстан: 'TKM',
};

/** Lower-case, fold ё→е and й→и and Latin diacritics, punctuation → single spaces. */
export function foldName(value: string): string {
  return value
    .toLowerCase()
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[.'’`<]/g, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

function buildLookup(): Map<string, string> {
  const map = new Map<string, string>();
  const add = (key: string, alpha3: string, override = false): void => {
    const folded = foldName(key);
    if (folded === '') return;
    if (override || !map.has(folded)) map.set(folded, alpha3);
  };
  // Names first (en, then ru, then kk: the first language to claim a name keeps it),
  // then codes override names, then aliases override everything.
  for (const lang of ['en', 'ru', 'kk']) {
    const names = countries.getNames(lang, { select: 'all' });
    for (const [alpha2, list] of Object.entries(names)) {
      const alpha3 = countries.alpha2ToAlpha3(alpha2);
      if (alpha3 === undefined) continue;
      for (const name of list) add(name, alpha3);
    }
  }
  for (const [alpha2, alpha3] of Object.entries(countries.getAlpha2Codes())) {
    add(alpha2, alpha3, true);
    add(alpha3, alpha3, true);
  }
  for (const [numeric, alpha2] of Object.entries(countries.getNumericCodes())) {
    const alpha3 = countries.alpha2ToAlpha3(alpha2);
    if (alpha3 !== undefined) add(numeric, alpha3, true);
  }
  for (const code of Object.keys(NON_COUNTRY_CODES)) add(code, code, true);
  for (const [alias, alpha3] of Object.entries(ALIASES)) add(alias, alpha3, true);
  for (const [key, alpha3] of map) if (alpha3 === 'XKK') map.set(key, 'XKX');
  return map;
}

let lookup: Map<string, string> | undefined;
const cache = new Map<string, string | null>();
/** Stop caching past this many distinct raw values (a file of garbage must not grow memory). */
const CACHE_LIMIT = 50_000;

/**
 * ISO alpha-3 code for a citizenship value (code, ICAO variant, numeric code or name
 * in English, Russian or Kazakh; case-insensitive), or null when unknown.
 */
export function normaliseCitizenship(value: string): string | null {
  const hit = cache.get(value);
  if (hit !== undefined) return hit;
  lookup ??= buildLookup();
  const folded = foldName(value);
  let result = lookup.get(folded) ?? null;
  // "КНР (Китайская Народная Республика)", "Germany (DEU)": the name before the
  // parenthesis decides, unless the part inside names another country.
  if (result === null) {
    const match = /^([^()]+)\(([^()]+)\)$/.exec(value.trim());
    if (match !== null) {
      const outside = lookup.get(foldName(match[1]!));
      const inside = lookup.get(foldName(match[2]!));
      if (outside !== undefined && (inside === undefined || inside === outside)) result = outside;
    }
  }
  // Numeric codes written without leading zeros ("4" Afghanistan) stay unknown on
  // purpose: too easy to confuse with other numbering.
  if (cache.size < CACHE_LIMIT) cache.set(value, result);
  return result;
}

/** Country name for reports; falls back to the code itself when unknown. */
export function countryName(alpha3: string, lang: 'en' | 'ru'): string {
  const special = lang === 'ru' ? NON_COUNTRY_NAMES_RU[alpha3] : NON_COUNTRY_CODES[alpha3];
  if (special !== undefined) return special;
  const names = countries.getName(alpha3 === 'XKX' ? 'XK' : alpha3, lang, { select: 'all' });
  if (names === undefined || names.length === 0) return alpha3;
  // The library lists the official long name first for a few ("Russian Federation",
  // "Российская Федерация"); reports read better with the short common one.
  const preferred = PREFERRED_NAME[lang][alpha3];
  if (preferred !== undefined) return preferred;
  return names[0] ?? alpha3;
}

const PREFERRED_NAME: Record<'en' | 'ru', Readonly<Record<string, string>>> = {
  en: {
    RUS: 'Russia', CHN: 'China', USA: 'United States', IRN: 'Iran', KOR: 'South Korea',
    MDA: 'Moldova', TUR: 'Türkiye', BOL: 'Bolivia', VEN: 'Venezuela', TZA: 'Tanzania',
  },
  ru: { RUS: 'Россия', CHN: 'Китай', PRK: 'КНДР', KOR: 'Южная Корея' },
};
