import { createRequire } from 'node:module';
import { format as formatDate } from 'date-fns/format';
import { parseISO } from 'date-fns/parseISO';
import { enGB } from 'date-fns/locale/en-GB';
import { kk } from 'date-fns/locale/kk';
import { ru } from 'date-fns/locale/ru';
import type * as Countries from 'i18n-iso-countries';
import { countryName as countryNameEnRu, NON_COUNTRY_CODES } from '../../import/citizenship.js';

import type { Language } from './languages.js';
export { LANGUAGES, type Language } from './languages.js';

const require = createRequire(import.meta.url);
const countries = require('i18n-iso-countries/index.js') as typeof Countries;
countries.registerLocale(require('i18n-iso-countries/langs/kk.json') as Countries.LocaleData);

const INTL_LOCALE: Record<Language, string> = { ru: 'ru-RU', kk: 'kk-KZ', en: 'en-GB' };
const DATE_LOCALE = { ru, kk, en: enGB };

/** Numbers, shares, dates and names as the chosen language writes them. */
export interface Formats {
  lang: Language;
  number(n: number): string;
  /** A share given in percent (0.244 → "0.24 %" in ru). */
  percent(pct: number | null): string;
  /** "3.2 thousand", "1.66 million" — the statement's rounded figures. */
  rounded(n: number): string;
  /** 2022-12-31 → "31 декабря 2022 г." */
  date(iso: string): string;
  /** 2022-03 → "мар. 2022" */
  month(yyyyMm: string): string;
  country(alpha3: string): string;
}

export function formatsFor(lang: Language): Formats {
  const locale = INTL_LOCALE[lang];
  const numberFormat = new Intl.NumberFormat(locale);
  const percentFormat = (digits: number): Intl.NumberFormat => new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: digits, minimumFractionDigits: 0 });
  const percent2 = percentFormat(2);
  const percent3 = percentFormat(3);
  const oneDecimal = new Intl.NumberFormat(locale, { maximumSignificantDigits: 3 });
  const words = ROUNDED_WORDS[lang];
  return {
    lang,
    number: (n) => numberFormat.format(n),
    percent: (pct) => {
      if (pct === null) return TEXT[lang].notApplicable;
      // Small shares keep three decimals so that 0.004 % does not read as 0 %.
      return (pct !== 0 && Math.abs(pct) < 0.01 ? percent3 : percent2).format(pct / 100);
    },
    rounded: (n) => {
      if (n >= 1_000_000) return `${oneDecimal.format(n / 1_000_000)} ${words.million}`;
      if (n >= 10_000) return `${oneDecimal.format(n / 1000)} ${words.thousand}`;
      return numberFormat.format(n);
    },
    date: (iso) => formatDate(parseISO(iso), lang === 'en' ? 'd MMMM yyyy' : lang === 'ru' ? "d MMMM yyyy 'г.'" : "yyyy 'ж.' d MMMM", { locale: DATE_LOCALE[lang] }),
    month: (yyyyMm) => formatDate(parseISO(`${yyyyMm}-01`), 'LLL yyyy', { locale: DATE_LOCALE[lang] }),
    country: (alpha3) => countryName(alpha3, lang),
  };
}

const ROUNDED_WORDS: Record<Language, { thousand: string; million: string }> = {
  ru: { thousand: 'тыс.', million: 'млн' },
  kk: { thousand: 'мың', million: 'млн' },
  en: { thousand: 'thousand', million: 'million' },
};

/** A country's short name in the language; codes that are no country keep the English label. */
export function countryName(alpha3: string, lang: Language): string {
  if (alpha3 === '') return TEXT[lang].none;
  if (lang !== 'kk') return countryNameEnRu(alpha3, lang);
  if (NON_COUNTRY_CODES[alpha3] !== undefined) return countryNameEnRu(alpha3, 'ru');
  return countries.getName(alpha3 === 'XKX' ? 'XK' : alpha3, 'kk') ?? countryNameEnRu(alpha3, 'ru');
}

/** Russian nouns after a number: one / few / many. */
function ruPlural(n: number, one: string, few: string, many: string): string {
  const rule = new Intl.PluralRules('ru-RU').select(n);
  return rule === 'one' ? one : rule === 'few' ? few : many;
}

export interface Texts {
  title: string;
  subtitle: (asOf: string, run: number) => string;
  notApplicable: string;
  none: string;
  noHost: string;
  period: string;
  asOf: string;
  run: string;
  ruleset: string;
  countedTo: string;
  statementTitle: string;
  /** The opening paragraph of the statement. */
  statementTotals: (f: StatementFigures) => string;
  statementViolators: (f: StatementFigures) => string;
  statementOverstays: (f: StatementFigures) => string;
  /** "N citizens of X violated the rules, P % of the M entries". */
  statementNationality: (country: string, violators: string, violatorsCount: number, rate: string, entries: string) => string;
  statementLeading: string;
  statementBasis: string;
  chartsTitle: string;
  chartRate: string;
  chartRateNote: (threshold: string) => string;
  smallBase: string;
  chartMonths: string;
  chartOverstayRate: string;
  chartOverstayStatus: string;
  chartRules: string;
  chartCheckpoints: string;
  chartHosts: string;
  chartHostsNote: string;
  chartChanges: string;
  axisCountry: string;
  axisMonth: string;
  axisRatePct: string;
  axisCount: string;
  axisRule: string;
  axisCheckpoint: string;
  axisHost: string;
  tableAlt: string;
  col: Record<string, string>;
  rules: Record<string, string>;
  qualityTitle: string;
  qualityIntro: string;
  qualityImports: string;
  qualityNoImports: string;
  qualityRejectsWhy: string;
  qualityRejections: string;
  qualityAnomalies: string;
  qualityExitShare: (exits: string, entries: string, share: string) => string;
  /** "X % of entries have a matched exit": entries whose stay has a recorded exit as of the as-of date. */
  qualityMatchedExits: (share: string, matched: string, entries: string) => string;
  qualityMatchedUnknown: string;
  qualityMatchedByCountry: string;
  qualityBasis: string;
  changesTitle: string;
  changesFirst: string;
  changesSince: (run: number, asOf: string) => string;
  changeKinds: { new: string; resolved: string; changed: string; continuing: string };
  violatorsTitle: (n: number) => string;
  violatorsMasked: string;
  violatorsUnmasked: string;
  violatorsNone: string;
  noData: string;
  footer: (tool: string) => string;
  personalDataNone: string;
}

export interface StatementFigures {
  period: string;
  entries: string;
  exits: string;
  persons: string;
  violators: string;
  violatorsCount: number;
  violatorRate: string;
  entryRate: string;
  expulsions: string;
  expulsionsCount: number;
  registrationFindings: string;
  expected: string;
  overstays: string;
  overstayRate: string;
  inCountry: string;
  inCountryCount: number;
  departed: string;
}

/** One language's column of a table of names in every language. */
function inLanguage(names: Record<string, Record<Language, string>>, lang: Language): Record<string, string> {
  return Object.fromEntries(Object.entries(names).map(([key, name]) => [key, name[lang]]));
}

/** Column and label names, in every language. */
const COLUMNS: Record<string, Record<Language, string>> = {
  country: { en: 'Nationality', ru: 'Гражданство', kk: 'Азаматтығы' },
  code: { en: 'Code', ru: 'Код', kk: 'Коды' },
  entries: { en: 'Entries', ru: 'Въезды', kk: 'Кіру' },
  exits: { en: 'Exits', ru: 'Выезды', kk: 'Шығу' },
  persons_entered: { en: 'Persons entered', ru: 'Въехало лиц', kk: 'Кірген адамдар' },
  violators: { en: 'Violators', ru: 'Нарушители', kk: 'Бұзушылар' },
  violator_rate: { en: 'Violator rate', ru: 'Доля нарушителей', kk: 'Бұзушылар үлесі' },
  entry_rate: { en: 'Share of entries', ru: 'Доля от въездов', kk: 'Кірулердің үлесі' },
  expected_departures: { en: 'Expected departures', ru: 'Ожидаемые выезды', kk: 'Күтілетін шығулар' },
  overstays: { en: 'Overstays', ru: 'Превышения срока', kk: 'Мерзімнен асыру' },
  departed: { en: 'Departed', ru: 'Выехали', kk: 'Шығып кеткен' },
  in_country: { en: 'In country', ru: 'В стране', kk: 'Елде' },
  overstay_rate: { en: 'Overstay rate', ru: 'Доля превышений', kk: 'Асыру үлесі' },
  findings: { en: 'Findings', ru: 'Нарушения', kk: 'Бұзушылықтар' },
  registration_findings: { en: 'Registration findings', ru: 'Нарушения регистрации', kk: 'Тіркеу бұзушылықтары' },
  month: { en: 'Month', ru: 'Месяц', kk: 'Ай' },
  checkpoint: { en: 'Checkpoint', ru: 'КПП', kk: 'Өткізу пункті' },
  rule: { en: 'Rule', ru: 'Правило', kk: 'Ереже' },
  host: { en: 'Receiving party', ru: 'Принимающая сторона', kk: 'Қабылдаушы тарап' },
  host_name: { en: 'Name', ru: 'Наименование', kk: 'Атауы' },
  entries_with_exit: { en: 'Entries with an exit', ru: 'Въезды с выездом', kk: 'Шығуы бар кірулер' },
  exit_match: { en: 'Matched', ru: 'Сопоставлено', kk: 'Сәйкестендірілді' },
  expulsions: { en: 'Expulsions', ru: 'Выдворения', kk: 'Шығарып жіберу' },
  dataset: { en: 'Dataset', ru: 'Набор', kk: 'Деректер' },
  file: { en: 'File', ru: 'Файл', kk: 'Файл' },
  checksum: { en: 'SHA-256', ru: 'SHA-256', kk: 'SHA-256' },
  read: { en: 'Read', ru: 'Прочитано', kk: 'Оқылды' },
  added: { en: 'Added', ru: 'Добавлено', kk: 'Қосылды' },
  updated: { en: 'Updated', ru: 'Обновлено', kk: 'Жаңартылды' },
  duplicate: { en: 'Duplicate', ru: 'Повторы', kk: 'Қайталау' },
  rejected: { en: 'Rejected', ru: 'Отклонено', kk: 'Қабылданбады' },
  imported_at: { en: 'Imported', ru: 'Загружен', kk: 'Жүктелді' },
  reason: { en: 'Reason', ru: 'Причина', kk: 'Себебі' },
  first_line: { en: 'First line', ru: 'Первая строка', kk: 'Бірінші жол' },
  anomaly: { en: 'Anomaly', ru: 'Аномалия', kk: 'Ауытқу' },
  count: { en: 'Count', ru: 'Число', kk: 'Саны' },
  change: { en: 'Change', ru: 'Изменение', kk: 'Өзгеріс' },
  persons: { en: 'Persons', ru: 'Лица', kk: 'Адамдар' },
  person_key: { en: 'Person', ru: 'Лицо', kk: 'Адам' },
  document_no: { en: 'Document', ru: 'Документ', kk: 'Құжат' },
  surname: { en: 'Surname', ru: 'Фамилия', kk: 'Тегі' },
  given_names: { en: 'Given names', ru: 'Имя', kk: 'Аты' },
  birth_date: { en: 'Born', ru: 'Дата рождения', kk: 'Туған күні' },
  citizenship: { en: 'Citizenship', ru: 'Гражданство', kk: 'Азаматтығы' },
  rules: { en: 'Rules', ru: 'Правила', kk: 'Ережелер' },
  days_over: { en: 'Days over', ru: 'Дней сверх срока', kk: 'Асырылған күндер' },
  status: { en: 'Status', ru: 'Статус', kk: 'Мәртебе' },
  first_unlawful_day: { en: 'First unlawful day', ru: 'Первый день нарушения', kk: 'Бұзудың бірінші күні' },
  last_address: { en: 'Last address', ru: 'Последний адрес', kk: 'Соңғы мекенжай' },
  last_host: { en: 'Last host', ru: 'Последняя принимающая сторона', kk: 'Соңғы қабылдаушы тарап' },
};

/** Rule names, in every language. */
const RULES: Record<string, Record<Language, string>> = {
  'stay-limit': { en: 'Stay limit exceeded', ru: 'Превышение срока пребывания', kk: 'Болу мерзімін асыру' },
  'rolling-limit': { en: '90/180-day limit exceeded', ru: 'Превышение 90 дней из 180', kk: '180 күннің 90 күнінен асыру' },
  'no-basis': { en: 'No visa or permit', ru: 'Без визы и разрешения', kk: 'Визасыз және рұқсатсыз' },
  'permit-expired': { en: 'Stayed after permit', ru: 'Пребывание после разрешения', kk: 'Рұқсат біткеннен кейін болу' },
  'ban-breach': { en: 'Entry during a ban', ru: 'Въезд при запрете', kk: 'Тыйым кезінде кіру' },
  unregistered: { en: 'Not registered', ru: 'Без регистрации', kk: 'Тіркелмеген' },
  'late-registration': { en: 'Registered late', ru: 'Поздняя регистрация', kk: 'Кеш тіркелген' },
  'orphan-exit': { en: 'Exit without entry', ru: 'Выезд без въезда', kk: 'Кірусіз шығу' },
  'missing-exit': { en: 'Entry without exit', ru: 'Въезд без выезда', kk: 'Шығусыз кіру' },
  'permit-dates-reversed': { en: 'Permit dates reversed', ru: 'Даты разрешения перепутаны', kk: 'Рұқсат күндері ауысқан' },
  'future-crossing': { en: 'Crossing dated in the future', ru: 'Пересечение в будущем', kk: 'Болашақ күнмен өту' },
  'unknown-checkpoint': { en: 'Unknown checkpoint', ru: 'Неизвестный КПП', kk: 'Белгісіз өткізу пункті' },
};

export const TEXT: Record<Language, Texts> = {
  en: {
    title: 'Migration audit report',
    subtitle: (asOf, run) => `As of ${asOf} · audit run ${run}`,
    notApplicable: 'n/a',
    none: '(none)',
    noHost: '(no host given)',
    period: 'Period',
    asOf: 'As of',
    run: 'Audit run',
    ruleset: 'Ruleset',
    countedTo: 'crossings counted to',
    statementTitle: 'Statement',
    statementTotals: (f) => `In the period ${f.period}, ${f.entries} entries and ${f.exits} exits of foreign citizens were recorded; ${f.persons} persons entered.`,
    statementViolators: (f) =>
      `${f.violators} ${f.violatorsCount === 1 ? 'foreign citizen violated' : 'foreign citizens violated'} the rules of stay: ${f.violatorRate} of the persons who entered, ${f.entryRate} of entries. ${f.expulsions} ${f.expulsionsCount === 1 ? 'decision' : 'decisions'} on expulsion were taken; receiving parties committed ${f.registrationFindings} registration offences.`,
    statementOverstays: (f) => `Of ${f.expected} stays whose authorised period ended in the period, ${f.overstays} were overstayed (${f.overstayRate}): ${f.departed} have since left, and ${f.inCountry} ${f.inCountryCount === 1 ? 'is' : 'are'} still in the country.`,
    statementNationality: (country, violators, n, rate, entries) => `${violators} ${n === 1 ? 'citizen' : 'citizens'} of ${country} violated the rules, ${rate} of the ${entries} entries.`,
    statementLeading: 'By nationality (the five with most entries):',
    statementBasis: 'Figures as `stayaudit stats` gives them for this run and period.',
    chartsTitle: 'Charts',
    chartRate: 'Violator rate by nationality (share of persons entered)',
    chartRateNote: (t) => `Nationalities with most entries, sorted by rate; the label gives the entries. Marked † : fewer than ${t} persons entered, the rate rests on few cases.`,
    smallBase: 'few persons entered',
    chartMonths: 'Entries, exits and new violators per month',
    chartOverstayRate: 'Overstay rate by nationality (overstays ÷ expected departures, DHS definition)',
    chartOverstayStatus: 'Overstays by nationality: departed or still in the country',
    chartRules: 'Findings by rule',
    chartCheckpoints: 'Top checkpoints by entries, with violators',
    chartHosts: 'Receiving parties with most registration offences (unregistered or late)',
    chartHostsNote: 'Registration offences are the receiving party’s, counted under the host that was to register the foreigner.',
    chartChanges: 'Violators since the previous run',
    axisCountry: 'Nationality',
    axisMonth: 'Month',
    axisRatePct: 'Rate, %',
    axisCount: 'Number',
    axisRule: 'Rule',
    axisCheckpoint: 'Checkpoint',
    axisHost: 'Receiving party',
    tableAlt: 'The figures of the chart',
    col: inLanguage(COLUMNS, 'en'),
    rules: inLanguage(RULES, 'en'),
    qualityTitle: 'What the figures rest on',
    qualityIntro: 'Data quality, as exit-check statistics publish it next to the rates: what was read, what was rejected, and what could not be matched.',
    qualityImports: 'Imported files',
    qualityNoImports: 'No import is recorded before this run.',
    qualityRejectsWhy: 'Each rejected row, with its line and fault, is in the rejects file written at import (--rejects, or rejects-<file>.csv beside the nightly reports), ready to be fixed and imported again.',
    qualityRejections: 'Rejected rows by reason (the reasons as the importer gives them)',
    qualityAnomalies: 'Anomalies found by the audit run (whole run)',
    qualityExitShare: (exits, entries, share) => `${exits} exits recorded against ${entries} entries in the period (${share} exits per entry).`,
    qualityMatchedExits: (share, matched, entries) => `${share} of entries have a matched exit: ${matched} of the ${entries} entries in the period have an exit recorded by the as-of date.`,
    qualityMatchedUnknown: 'The share of entries with a matched exit is not known for this run: it was audited before stayaudit counted it (audit again to get it).',
    qualityMatchedByCountry: 'Entries with a matched exit by nationality (the ten with most entries)',
    qualityBasis: 'Basis of the figures',
    changesTitle: 'Since the previous run',
    changesFirst: 'This is the first run: there is nothing to compare with.',
    changesSince: (run, asOf) => `Compared with run ${run} (as of ${asOf}).`,
    changeKinds: { new: 'New violators', resolved: 'No longer violators', changed: 'Changed', continuing: 'Unchanged' },
    violatorsTitle: (n) => `Top ${n} violators`,
    violatorsMasked: 'Identities and receiving parties are pseudonymised (stable within this database); addresses are left out.',
    violatorsUnmasked: 'PERSONAL DATA: this report names persons (violators, receiving parties). Handle it under the data-protection rules.',
    violatorsNone: 'No violators.',
    noData: 'No data in this period.',
    footer: (tool) => `Written by ${tool}. This file is self-contained: it loads nothing from the network.`,
    personalDataNone: 'Aggregates only: no personal data (receiving parties are pseudonymised).',
  },
  ru: {
    title: 'Отчёт миграционного аудита',
    subtitle: (asOf, run) => `По состоянию на ${asOf} · проверка № ${run}`,
    notApplicable: 'н/д',
    none: '(нет)',
    noHost: '(сторона не указана)',
    period: 'Период',
    asOf: 'По состоянию на',
    run: 'Проверка',
    ruleset: 'Набор правил',
    countedTo: 'пересечения учтены по',
    statementTitle: 'Сообщение',
    statementTotals: (f) => `За период ${f.period} зарегистрировано ${f.entries} въездов и ${f.exits} выездов иностранных граждан; въехало ${f.persons} человек.`,
    statementViolators: (f) =>
      `Правила пребывания нарушили ${f.violators} ${ruPlural(f.violatorsCount, 'иностранный гражданин', 'иностранных гражданина', 'иностранных граждан')}: ${f.violatorRate} от въехавших лиц, ${f.entryRate} от числа въездов. Принято ${f.expulsions} ${ruPlural(f.expulsionsCount, 'решение', 'решения', 'решений')} о выдворении; принимающими сторонами допущено ${f.registrationFindings} нарушений порядка регистрации.`,
    statementOverstays: (f) => `Из ${f.expected} пребываний, разрешённый срок которых истёк в периоде, превышен срок в ${f.overstays} (${f.overstayRate}): ${f.departed} из них выехали, ${f.inCountry} остаются в стране.`,
    statementNationality: (country, violators, n, rate, entries) =>
      `${country}: правила нарушили ${violators} ${ruPlural(n, 'гражданин', 'гражданина', 'граждан')}, ${rate} от ${entries} въездов.`,
    statementLeading: 'По гражданству (пять стран с наибольшим числом въездов):',
    statementBasis: 'Цифры те же, что выдаёт `stayaudit stats` для этой проверки и периода.',
    chartsTitle: 'Диаграммы',
    chartRate: 'Доля нарушителей по гражданству (от числа въехавших лиц)',
    chartRateNote: (t) => `Страны с наибольшим числом въездов, по убыванию доли; в подписи — число въездов. Знак † : въехало меньше ${t} человек, доля опирается на немногие случаи.`,
    smallBase: 'мало въехавших',
    chartMonths: 'Въезды, выезды и новые нарушители по месяцам',
    chartOverstayRate: 'Доля превышений срока по гражданству (превышения ÷ ожидаемые выезды, определение DHS)',
    chartOverstayStatus: 'Превышения срока по гражданству: выехали или остаются в стране',
    chartRules: 'Нарушения по правилам',
    chartCheckpoints: 'КПП с наибольшим числом въездов и нарушители',
    chartHosts: 'Принимающие стороны с наибольшим числом нарушений регистрации (без регистрации или поздно)',
    chartHostsNote: 'Нарушения регистрации — нарушения принимающей стороны; они учтены за той стороной, которая должна была зарегистрировать иностранца.',
    chartChanges: 'Нарушители по сравнению с предыдущей проверкой',
    axisCountry: 'Гражданство',
    axisMonth: 'Месяц',
    axisRatePct: 'Доля, %',
    axisCount: 'Число',
    axisRule: 'Правило',
    axisCheckpoint: 'КПП',
    axisHost: 'Принимающая сторона',
    tableAlt: 'Цифры диаграммы',
    col: inLanguage(COLUMNS, 'ru'),
    rules: inLanguage(RULES, 'ru'),
    qualityTitle: 'На чём основаны цифры',
    qualityIntro: 'Качество данных, как его публикует статистика выездного контроля рядом с долями: что прочитано, что отклонено и что не удалось сопоставить.',
    qualityImports: 'Загруженные файлы',
    qualityNoImports: 'До этой проверки загрузок нет.',
    qualityRejectsWhy: 'Каждая отклонённая строка с номером и ошибкой — в файле отклонённых строк, записанном при загрузке (--rejects или rejects-<файл>.csv рядом с ночными отчётами); его можно исправить и загрузить снова.',
    qualityRejections: 'Отклонённые строки по причинам (причины — как их пишет загрузчик, по-английски)',
    qualityAnomalies: 'Аномалии, найденные проверкой (вся проверка)',
    qualityExitShare: (exits, entries, share) => `В периоде зарегистрировано ${exits} выездов на ${entries} въездов (${share} выездов на въезд).`,
    qualityMatchedExits: (share, matched, entries) => `${share} въездов имеют сопоставленный выезд: у ${matched} из ${entries} въездов периода выезд зарегистрирован к дате проверки.`,
    qualityMatchedUnknown: 'Доля въездов с сопоставленным выездом для этой проверки неизвестна: она выполнена до того, как stayaudit стал её считать (повторите проверку).',
    qualityMatchedByCountry: 'Въезды с сопоставленным выездом по гражданству (десять с наибольшим числом въездов)',
    qualityBasis: 'Основа цифр',
    changesTitle: 'С предыдущей проверки',
    changesFirst: 'Это первая проверка: сравнивать не с чем.',
    changesSince: (run, asOf) => `Сравнение с проверкой № ${run} (по состоянию на ${asOf}).`,
    changeKinds: { new: 'Новые нарушители', resolved: 'Больше не нарушители', changed: 'Изменились', continuing: 'Без изменений' },
    violatorsTitle: (n) => `Первые ${n} нарушителей`,
    violatorsMasked: 'Личности и принимающие стороны заменены псевдонимами (постоянными в этой базе); адреса не показаны.',
    violatorsUnmasked: 'ПЕРСОНАЛЬНЫЕ ДАННЫЕ: отчёт называет лиц (нарушителей, принимающие стороны). Обращаться согласно правилам защиты персональных данных.',
    violatorsNone: 'Нарушителей нет.',
    noData: 'В этом периоде данных нет.',
    footer: (tool) => `Подготовлено: ${tool}. Файл самодостаточен: ничего не загружает из сети.`,
    personalDataNone: 'Только сводные данные: персональных данных нет (принимающие стороны под псевдонимами).',
  },
  kk: {
    title: 'Көші-қон аудитінің есебі',
    subtitle: (asOf, run) => `${asOf} жағдай бойынша · № ${run} тексеру`,
    notApplicable: 'ж/қ',
    none: '(жоқ)',
    noHost: '(тарап көрсетілмеген)',
    period: 'Кезең',
    asOf: 'Жағдай бойынша',
    run: 'Тексеру',
    ruleset: 'Ережелер жиыны',
    countedTo: 'өтулер есептелген күн',
    statementTitle: 'Хабарлама',
    statementTotals: (f) => `${f.period} кезеңінде шетел азаматтарының ${f.entries} кіруі және ${f.exits} шығуы тіркелді; ${f.persons} адам кірді.`,
    statementViolators: (f) =>
      `Болу ережелерін ${f.violators} шетел азаматы бұзды: бұл кірген адамдардың ${f.violatorRate}, кірулердің ${f.entryRate}. Шығарып жіберу туралы ${f.expulsions} шешім қабылданды; қабылдаушы тараптар тіркеу тәртібін ${f.registrationFindings} рет бұзды.`,
    statementOverstays: (f) => `Рұқсат етілген мерзімі кезеңде аяқталған ${f.expected} болудың ${f.overstays} мерзімнен асырылды (${f.overstayRate}): олардың ${f.departed} шығып кетті, ${f.inCountry} әлі елде.`,
    statementNationality: (country, violators, _n, rate, entries) => `${country}: ережелерді ${violators} азамат бұзды, бұл ${entries} кірудің ${rate}.`,
    statementLeading: 'Азаматтығы бойынша (кірулері ең көп бес ел):',
    statementBasis: 'Сандар осы тексеру мен кезең үшін `stayaudit stats` беретін сандармен бірдей.',
    chartsTitle: 'Диаграммалар',
    chartRate: 'Азаматтығы бойынша бұзушылар үлесі (кірген адамдардан)',
    chartRateNote: (t) => `Кірулері ең көп елдер, үлесі бойынша сұрыпталған; жазуда — кірулер саны. † белгісі: ${t} адамнан аз кірген, үлес аз жағдайға негізделген.`,
    smallBase: 'кірген адамдар аз',
    chartMonths: 'Айлар бойынша кірулер, шығулар және жаңа бұзушылар',
    chartOverstayRate: 'Азаматтығы бойынша мерзімнен асыру үлесі (асыру ÷ күтілетін шығулар, DHS анықтамасы)',
    chartOverstayStatus: 'Азаматтығы бойынша мерзімнен асыру: шығып кеткен немесе елде',
    chartRules: 'Ережелер бойынша бұзушылықтар',
    chartCheckpoints: 'Кірулері ең көп өткізу пункттері және бұзушылар',
    chartHosts: 'Тіркеу бұзушылықтары ең көп қабылдаушы тараптар (тіркелмеген немесе кеш)',
    chartHostsNote: 'Тіркеу бұзушылықтары — қабылдаушы тараптың бұзушылығы; шетелдікті тіркеуге тиіс тарапқа есептеледі.',
    chartChanges: 'Алдыңғы тексерумен салыстырғандағы бұзушылар',
    axisCountry: 'Азаматтығы',
    axisMonth: 'Ай',
    axisRatePct: 'Үлес, %',
    axisCount: 'Саны',
    axisRule: 'Ереже',
    axisCheckpoint: 'Өткізу пункті',
    axisHost: 'Қабылдаушы тарап',
    tableAlt: 'Диаграмманың сандары',
    col: inLanguage(COLUMNS, 'kk'),
    rules: inLanguage(RULES, 'kk'),
    qualityTitle: 'Сандар неге негізделген',
    qualityIntro: 'Деректер сапасы, шығуды бақылау статистикасы үлестердің қасында жариялайтындай: не оқылды, не қабылданбады және нені салыстыру мүмкін болмады.',
    qualityImports: 'Жүктелген файлдар',
    qualityNoImports: 'Осы тексеруге дейін жүктеу жоқ.',
    qualityRejectsWhy: 'Әр қабылданбаған жол нөмірі және қатесімен жүктеу кезінде жазылған файлда (--rejects немесе түнгі есептердің қасындағы rejects-<файл>.csv); оны түзетіп, қайта жүктеуге болады.',
    qualityRejections: 'Себептері бойынша қабылданбаған жолдар (себептер жүктеуші жазғандай, ағылшынша)',
    qualityAnomalies: 'Тексеру тапқан ауытқулар (бүкіл тексеру)',
    qualityExitShare: (exits, entries, share) => `Кезеңде ${entries} кіруге ${exits} шығу тіркелді (бір кіруге ${share} шығу).`,
    qualityMatchedExits: (share, matched, entries) => `Кірулердің ${share} сәйкес шығуы бар: кезеңдегі ${entries} кірудің ${matched} шығуы тексеру күніне дейін тіркелген.`,
    qualityMatchedUnknown: 'Бұл тексеру үшін сәйкес шығуы бар кірулердің үлесі белгісіз: тексеру stayaudit оны санай бастағанға дейін жүргізілген (қайта тексеріңіз).',
    qualityMatchedByCountry: 'Азаматтығы бойынша сәйкес шығуы бар кірулер (кіру саны ең көп он ел)',
    qualityBasis: 'Сандардың негізі',
    changesTitle: 'Алдыңғы тексеруден бері',
    changesFirst: 'Бұл бірінші тексеру: салыстыратын ешнәрсе жоқ.',
    changesSince: (run, asOf) => `№ ${run} тексерумен салыстыру (${asOf} жағдай бойынша).`,
    changeKinds: { new: 'Жаңа бұзушылар', resolved: 'Енді бұзушы емес', changed: 'Өзгерген', continuing: 'Өзгеріссіз' },
    violatorsTitle: (n) => `Алғашқы ${n} бұзушы`,
    violatorsMasked: 'Тұлғалар мен қабылдаушы тараптар бүркеншік аттармен ауыстырылған (осы дерекқорда тұрақты); мекенжайлар көрсетілмеген.',
    violatorsUnmasked: 'ДЕРБЕС ДЕРЕКТЕР: есепте адамдар аталған (бұзушылар, қабылдаушы тараптар). Дербес деректерді қорғау ережелеріне сай пайдаланыңыз.',
    violatorsNone: 'Бұзушылар жоқ.',
    noData: 'Бұл кезеңде деректер жоқ.',
    footer: (tool) => `Дайындаған: ${tool}. Файл дербес: желіден ештеңе жүктемейді.`,
    personalDataNone: 'Тек жиынтық деректер: дербес деректер жоқ (қабылдаушы тараптар бүркеншік атпен).',
  },
};
