/**
 * How the rows are spelled: the reference interchange format of SPEC §1, or the
 * shape of a Russian-locale Excel export (Russian headers, `;`, DD.MM.YYYY, CRLF,
 * Windows-1251, Russian direction words, permit kinds and statuses, and Russian
 * country names for the main nationalities).
 */
import { TIME_OF_MINUTE, type Calendar } from './calendar.js';
import { toCp1251Binary } from './cp1251.js';

export type GenerateVariant = 'reference' | 'russian-cp1251';
export const GENERATE_VARIANTS: readonly GenerateVariant[] = ['reference', 'russian-cp1251'];

export const DATASETS = ['crossings', 'registrations', 'permits', 'expulsions'] as const;
export type GeneratedDataset = (typeof DATASETS)[number];

/** SPEC §1 column names, in the order the generator writes them. */
export const REFERENCE_HEADERS: Readonly<Record<GeneratedDataset, readonly string[]>> = {
  crossings: [
    'person_id', 'document_no', 'citizenship', 'surname', 'given_names', 'birth_date', 'sex', 'direction',
    'crossed_at', 'checkpoint',
  ],
  registrations: [
    'person_id', 'document_no', 'citizenship', 'registered_from', 'registered_until', 'notified_on', 'address',
    'host_id', 'host_name',
  ],
  permits: [
    'permit_no', 'person_id', 'document_no', 'citizenship', 'kind', 'ground', 'valid_from', 'valid_until',
    'status', 'revoked_on', 'address', 'host_id',
  ],
  expulsions: ['person_id', 'document_no', 'citizenship', 'decided_on', 'expelled_on', 'ban_years', 'reason'],
};

/**
 * Russian headers of the `russian-cp1251` variant, column for column with
 * REFERENCE_HEADERS:
 *   crossings:     ИД; Номер документа; Гражданство; Фамилия; Имя; Дата рождения; Пол;
 *                  Направление; Дата пересечения; КПП
 *   registrations: ИД; Номер документа; Гражданство; Дата регистрации; Зарегистрирован до;
 *                  Дата уведомления; Адрес; ИИН/БИН принимающей стороны; Принимающая сторона
 *   permits:       Номер разрешения; ИД; Номер документа; Гражданство; Вид; Основание;
 *                  Действует с; Действует по; Статус; Дата отзыва; Адрес;
 *                  ИИН/БИН принимающей стороны
 *   expulsions:    ИД; Номер документа; Гражданство; Дата решения; Дата выдворения;
 *                  Срок запрета (лет); Причина
 * Values: direction Въезд/Выезд, sex М/Ж, permit kind РВП/виза, status
 * действует/отозвано/аннулировано, Russian country names for RUS (Россия, Российская
 * Федерация), UZB, KGZ (Кыргызстан), CHN (Китай), TJK, TUR, BLR.
 */
export const RUSSIAN_HEADERS: Readonly<Record<GeneratedDataset, readonly string[]>> = {
  crossings: [
    'ИД', 'Номер документа', 'Гражданство', 'Фамилия', 'Имя', 'Дата рождения', 'Пол', 'Направление',
    'Дата пересечения', 'КПП',
  ],
  registrations: [
    'ИД', 'Номер документа', 'Гражданство', 'Дата регистрации', 'Зарегистрирован до', 'Дата уведомления',
    'Адрес', 'ИИН/БИН принимающей стороны', 'Принимающая сторона',
  ],
  permits: [
    'Номер разрешения', 'ИД', 'Номер документа', 'Гражданство', 'Вид', 'Основание', 'Действует с',
    'Действует по', 'Статус', 'Дата отзыва', 'Адрес', 'ИИН/БИН принимающей стороны',
  ],
  expulsions: [
    'ИД', 'Номер документа', 'Гражданство', 'Дата решения', 'Дата выдворения', 'Срок запрета (лет)', 'Причина',
  ],
};

interface Words {
  in: string;
  out: string;
  male: string;
  female: string;
  trp: string;
  visa: string;
  active: string;
  revoked: string;
  annulled: string;
}

const REFERENCE_WORDS: Words = {
  in: 'IN', out: 'OUT', male: 'M', female: 'F', trp: 'trp', visa: 'visa',
  active: 'active', revoked: 'revoked', annulled: 'annulled',
};
const RUSSIAN_WORDS: Words = {
  in: 'Въезд', out: 'Выезд', male: 'М', female: 'Ж', trp: 'РВП', visa: 'виза',
  active: 'действует', revoked: 'отозвано', annulled: 'аннулировано',
};

/** Bytes of a date: 10 per day (both spellings are 10 characters long). */
export const DATE_BYTES = 10;
/** Bytes of a time of day, `HH:MM`. */
export const TIME_BYTES = 5;

export class Dialect {
  readonly delimiter: string;
  readonly eol: string;
  /** Buffer encoding of the dialect's text. */
  readonly encoding: 'utf8' | 'latin1';
  readonly russian: boolean;
  /** Output-ready words. */
  readonly words: Readonly<Record<keyof Words, Uint8Array>>;
  /** Dates of every calendar day, DATE_BYTES each, from `calendar.first`. */
  readonly dates: Uint8Array;
  readonly firstDay: number;
  readonly lastDay: number;
  /** Times of day by minute, TIME_BYTES each. */
  readonly times: Uint8Array;
  private readonly cache = new Map<string, Uint8Array>();

  constructor(readonly variant: GenerateVariant, calendar: Calendar) {
    this.russian = variant === 'russian-cp1251';
    this.delimiter = this.russian ? ';' : ',';
    this.eol = this.russian ? '\r\n' : '\n';
    this.encoding = this.russian ? 'latin1' : 'utf8';
    const words = this.russian ? RUSSIAN_WORDS : REFERENCE_WORDS;
    this.words = Object.fromEntries(Object.entries(words).map(([k, v]) => [k, this.bytes(v)])) as Record<
      keyof Words, Uint8Array>;
    this.firstDay = calendar.first;
    this.lastDay = calendar.last;
    this.dates = new Uint8Array((calendar.last - calendar.first + 1) * DATE_BYTES);
    for (let day = calendar.first; day <= calendar.last; day++) {
      const text = this.russian ? calendar.dmy(day) : calendar.iso(day);
      this.dates.set(Buffer.from(text, 'latin1'), (day - calendar.first) * DATE_BYTES);
    }
    this.times = new Uint8Array(1440 * TIME_BYTES);
    TIME_OF_MINUTE.forEach((t, m) => this.times.set(Buffer.from(t, 'latin1'), m * TIME_BYTES));
  }

  /** A text field, quoted when needed and encoded (cached: the generator's texts come from small pools). */
  bytes(value: string): Uint8Array {
    let out = this.cache.get(value);
    if (out === undefined) {
      const needsQuotes = value.includes(this.delimiter) || /["\r\n]/.test(value);
      const quoted = needsQuotes ? `"${value.replace(/"/g, '""')}"` : value;
      out = this.russian ? Buffer.from(toCp1251Binary(quoted), 'latin1') : Buffer.from(quoted, 'utf8');
      this.cache.set(value, out);
    }
    return out;
  }

  header(dataset: GeneratedDataset): Uint8Array {
    const names = this.russian ? RUSSIAN_HEADERS[dataset] : REFERENCE_HEADERS[dataset];
    const line = names.map((n) => (n.includes(this.delimiter) ? `"${n}"` : n)).join(this.delimiter) + this.eol;
    return this.russian ? Buffer.from(toCp1251Binary(line), 'latin1') : Buffer.from(line, 'utf8');
  }

  /** An impossible date (31 February), for malformed rows; `dayFirst` spells it DD.MM.YYYY. */
  impossibleDate(year: number, withTime: boolean, dayFirst: boolean): string {
    const date = this.russian || dayFirst ? `31.02.${year}` : `${year}-02-31`;
    return withTime ? `${date} 10:15` : date;
  }
}
