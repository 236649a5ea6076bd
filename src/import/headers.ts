/**
 * Header recognition: which column holds which field.
 *
 * A header is matched after `normaliseHeader` (lower-case, ё→е, everything but letters
 * and digits removed), so "Document No", "document_no", "DOCUMENT-NO" and "№ документа"
 * vs "Номер документа" are compared as `documentno`, `номердокумента`... Each field
 * has its reference name (SPEC §1), English aliases and Russian and Kazakh headers;
 * a few aliases only make sense in one dataset ("Дата начала" is registered_from in
 * registrations and valid_from in permits). A mapping file overrides all of this.
 */
import fs from 'node:fs';
import { ImportFileError } from './errors.js';
import { DATASETS, isDatasetName, type DatasetName } from './rows.js';

/**
 * Fields per dataset, in the reference order. Two extras beyond SPEC §1, both optional:
 * `patronymic` (appended to given_names) and `crossed_time` (a separate time column
 * completing a date-only crossed_at), because Russian-language exports often split them.
 */
export const FIELDS = {
  crossings: [
    'person_id', 'document_no', 'citizenship', 'surname', 'given_names', 'patronymic',
    'birth_date', 'sex', 'direction', 'crossed_at', 'crossed_time', 'checkpoint',
  ],
  registrations: [
    'person_id', 'document_no', 'citizenship', 'registered_from', 'registered_until', 'notified_on',
    'address', 'host_id', 'host_name',
  ],
  permits: [
    'permit_no', 'person_id', 'document_no', 'citizenship', 'kind', 'ground', 'valid_from', 'valid_until',
    'status', 'revoked_on', 'address', 'host_id',
  ],
  expulsions: ['person_id', 'document_no', 'citizenship', 'decided_on', 'expelled_on', 'ban_years', 'reason'],
} as const satisfies Record<DatasetName, readonly string[]>;

export type FieldOf<D extends DatasetName> = (typeof FIELDS)[D][number];
export type FieldName = FieldOf<DatasetName>;

export const REQUIRED: { readonly [D in DatasetName]: readonly FieldOf<D>[] } = {
  crossings: ['document_no', 'citizenship', 'direction', 'crossed_at'],
  registrations: ['document_no', 'citizenship', 'registered_from'],
  permits: ['permit_no', 'document_no', 'citizenship', 'valid_from', 'valid_until'],
  expulsions: ['document_no', 'citizenship', 'decided_on'],
};

/** Aliases valid in every dataset that has the field. The reference name is implied. */
const ALIASES: Readonly<Record<string, readonly string[]>> = {
  person_id: [
    'person id', 'personid', 'person', 'id', 'person key', 'subject id', 'iin',
    'ИД', 'ID лица', 'ИД лица', 'Идентификатор', 'Идентификатор лица', 'Код лица', 'ИИН', 'ЖСН',
  ],
  document_no: [
    'document number', 'document_number', 'doc no', 'doc_no', 'doc number', 'docno', 'document',
    'document id', 'passport', 'passport no', 'passport number', 'travel document', 'travel document number',
    'Номер документа', '№ документа', 'Документ', 'Номер паспорта', '№ паспорта', 'Паспорт',
    'Номер документа, удостоверяющего личность', 'Серия и номер документа',
    'Құжат нөмірі', 'Құжаттың нөмірі', 'Паспорт нөмірі',
  ],
  citizenship: [
    'nationality', 'country', 'citizenship code', 'nationality code', 'country code', 'country of citizenship',
    'Гражданство', 'Страна гражданства', 'Страна', 'Код страны', 'Код гражданства', 'Подданство',
    'Азаматтығы', 'Азаматтық', 'Ел',
  ],
  surname: ['last name', 'lastname', 'family name', 'Фамилия', 'Тегі', 'Тек'],
  given_names: ['given name', 'first name', 'firstname', 'first names', 'name', 'names', 'Имя', 'Аты', 'Есімі'],
  patronymic: ['middle name', 'middlename', 'Отчество', 'Әкесінің аты', 'Әкесінің есімі'],
  birth_date: [
    'date of birth', 'dob', 'birthdate', 'birth', 'born', 'Дата рождения', 'Туған күні', 'Туған күні айы жылы',
  ],
  sex: ['gender', 'Пол', 'Жынысы', 'Жыныс'],
  direction: [
    'dir', 'movement', 'in out', 'entry exit', 'Направление', 'Тип пересечения', 'Въезд/выезд', 'Въезд выезд',
    'Направление движения', 'Бағыты', 'Бағыт', 'Кіру/шығу',
  ],
  crossed_at: [
    'crossing date', 'crossing datetime', 'crossing date time', 'crossed', 'crossed on', 'date time',
    'datetime', 'timestamp', 'date', 'border crossing date',
    'Дата пересечения', 'Дата и время пересечения', 'Дата/время пересечения', 'Дата, время пересечения',
    'Дата пересечения границы', 'Дата и время', 'Дата',
    'Өткен күні', 'Шекарадан өткен күні', 'Күні',
  ],
  crossed_time: ['crossing time', 'time', 'Время', 'Время пересечения', 'Уақыты', 'Өткен уақыты'],
  checkpoint: [
    'check point', 'border crossing point', 'bcp', 'port', 'port of entry', 'crossing point',
    'КПП', 'Пункт пропуска', 'Пункт пропуска через границу', 'ПП', 'Контрольно-пропускной пункт',
    'Өткізу пункті', 'Шекаралық өткізу пункті',
  ],
  registered_from: [
    'registration date', 'date of registration', 'registered on', 'registration from', 'registered since',
    'Дата регистрации', 'Зарегистрирован с', 'Зарегистрирована с', 'Зарегистрирован(а) с', 'Регистрация с',
    'Срок регистрации с', 'Тіркелген күні', 'Тіркеу күні',
  ],
  registered_until: [
    'registered to', 'registration until', 'registration to', 'registration end',
    'Зарегистрирован по', 'Зарегистрирована по', 'Зарегистрирован(а) по', 'Зарегистрирован до',
    'Регистрация по', 'Регистрация до', 'Срок регистрации по', 'Срок регистрации до', 'Тіркеу мерзімі',
  ],
  notified_on: [
    'notification date', 'date of notification', 'notified', 'notice date',
    'Дата уведомления', 'Дата подачи уведомления', 'Хабарлама күні', 'Хабарландыру күні',
  ],
  address: [
    'address of stay', 'residence address', 'Адрес', 'Адрес пребывания', 'Адрес проживания',
    'Адрес регистрации', 'Мекенжай', 'Мекенжайы', 'Тұрғылықты мекенжайы',
  ],
  host_id: [
    'host', 'host bin', 'host iin', 'host iin bin', 'host bin iin', 'inviting party id',
    'ИИН/БИН принимающей стороны', 'БИН/ИИН принимающей стороны', 'ИИН принимающей стороны',
    'БИН принимающей стороны', 'ИИН/БИН', 'БИН/ИИН', 'ИИН/БИН приглашающей стороны',
    'Қабылдаушы тараптың ЖСН/БСН', 'Қабылдаушы тараптың БСН/ЖСН', 'ЖСН/БСН', 'БСН/ЖСН',
  ],
  host_name: [
    'host name', 'inviting party', 'Принимающая сторона', 'Наименование принимающей стороны',
    'ФИО/наименование принимающей стороны', 'Приглашающая сторона', 'Қабылдаушы тарап',
    'Қабылдаушы тараптың атауы',
  ],
  permit_no: [
    'permit number', 'permit', 'permit id', 'visa number', 'visa no', 'Номер разрешения', '№ разрешения',
    'Номер РВП', 'Номер ВНЖ', 'Номер визы', 'Рұқсат нөмірі', 'Виза нөмірі',
  ],
  kind: ['type', 'permit type', 'permit kind', 'Вид', 'Тип', 'Вид разрешения', 'Тип разрешения', 'Түрі'],
  ground: [
    'basis', 'purpose', 'purpose of stay', 'Основание', 'Цель', 'Цель пребывания', 'Основание выдачи',
    'Негіздеме', 'Негізі', 'Мақсаты',
  ],
  valid_from: [
    'valid from', 'issued', 'issued on', 'issue date', 'date of issue',
    'Действует с', 'Действительно с', 'Действителен с', 'Дата выдачи', 'Срок действия с',
    'Берілген күні', 'Жарамды басталуы',
  ],
  valid_until: [
    'valid until', 'valid to', 'valid till', 'expiry', 'expiry date', 'expires', 'expiration date',
    'Действует по', 'Действует до', 'Действительно по', 'Действительно до', 'Действителен по',
    'Действителен до', 'Срок действия', 'Срок действия по', 'Срок действия до',
    'Жарамдылық мерзімі', 'Жарамды мерзімі',
  ],
  status: ['state', 'permit status', 'Статус', 'Состояние', 'Мәртебесі', 'Мәртебе'],
  revoked_on: [
    'revocation date', 'revoked', 'annulled on', 'annulment date', 'cancelled on', 'cancellation date',
    'Дата аннулирования', 'Дата отзыва', 'Дата аннулирования/отзыва', 'Дата отзыва/аннулирования',
    'Дата прекращения', 'Күшін жою күні',
  ],
  decided_on: [
    'decision date', 'date of decision', 'decided', 'decision',
    'Дата решения', 'Дата постановления', 'Дата решения суда', 'Шешім күні', 'Шешім қабылданған күн',
  ],
  expelled_on: [
    'expulsion date', 'date of expulsion', 'expelled', 'removed on', 'removal date', 'deported on',
    'Дата выдворения', 'Дата исполнения', 'Дата депортации', 'Шығарылған күні', 'Шығарып жіберілген күні',
  ],
  ban_years: [
    'ban', 'ban years', 'entry ban', 'entry ban years', 'ban term', 'Срок запрета', 'Срок запрета (лет)',
    'Срок запрета въезда', 'Срок запрета въезда (лет)', 'Запрет въезда (лет)', 'Запрет въезда', 'Лет запрета',
    'Тыйым салу мерзімі', 'Келуге тыйым салу мерзімі',
  ],
  reason: ['ground', 'article', 'Причина', 'Основание', 'Статья', 'Себебі', 'Негіздеме'],
};

/** Aliases that mean different fields in different datasets. */
const DATASET_ALIASES: { readonly [D in DatasetName]: Partial<Record<FieldOf<D>, readonly string[]>> } = {
  crossings: {},
  registrations: {
    registered_from: ['from', 'start', 'start date', 'С', 'Дата начала', 'Дата прибытия'],
    registered_until: ['until', 'to', 'end', 'end date', 'По', 'До', 'Дата окончания'],
  },
  permits: {
    valid_from: ['from', 'start', 'start date', 'С', 'Дата начала'],
    valid_until: ['until', 'to', 'end', 'end date', 'По', 'До', 'Дата окончания'],
  },
  expulsions: {},
};

/** Header as compared: lower-case, ё→е, only letters and digits. */
export function normaliseHeader(header: string): string {
  return header.toLowerCase().replace(/ё/g, 'е').replace(/[^\p{L}\p{N}]+/gu, '');
}

const aliasMaps = new Map<DatasetName, Map<string, FieldName>>();

/** Normalised header → field, for one dataset. Throws on an alias table conflict (a bug). */
export function aliasMap(dataset: DatasetName): Map<string, FieldName> {
  let map = aliasMaps.get(dataset);
  if (map !== undefined) return map;
  map = new Map();
  const fields: readonly FieldName[] = FIELDS[dataset];
  const specific = DATASET_ALIASES[dataset] as Partial<Record<FieldName, readonly string[]>>;
  for (const field of fields) {
    // Fields such as `ground` (permits) and `reason` (expulsions) share words across
    // datasets; only aliases of this dataset's own fields are entered.
    const names = [field, ...(ALIASES[field] ?? []), ...(specific[field] ?? [])];
    for (const name of names) {
      const key = normaliseHeader(name);
      const existing = map.get(key);
      if (existing !== undefined && existing !== field) {
        throw new Error(`header alias '${name}' maps to both ${existing} and ${field} in ${dataset}`);
      }
      map.set(key, field);
    }
  }
  aliasMaps.set(dataset, map);
  return map;
}

/**
 * The bookkeeping columns a rejects file puts in front of the rejected rows. They are
 * ignored on the way back in without a warning: they are expected there.
 */
export const REJECTS_BOOKKEEPING_COLUMNS: readonly string[] = ['_file', '_line', '_reason'];

/**
 * One warning per ignored column of a file: an unrecognised column is data the import
 * drops (a `PID` column meant as person_id would leave every person keyed by document).
 * Rejects bookkeeping columns and columns a mapping file ignores on purpose are not warned about.
 */
export function ignoredColumnWarnings(dataset: DatasetName, ignored: readonly string[], mapping?: HeaderMapping): string[] {
  const mapped = mappingFor(mapping, dataset);
  return ignored
    .filter((header) => !REJECTS_BOOKKEEPING_COLUMNS.includes(header.trim()) && mapped.get(normaliseHeader(header)) !== null)
    .map((header) => `column '${header}' was ignored: it is not a ${dataset} field`);
}

/** What to do about ignored columns, said once after their warnings. */
export function ignoredColumnsHint(dataset: DatasetName, ignored: readonly string[]): string {
  const example = ignored.find((h) => !REJECTS_BOOKKEEPING_COLUMNS.includes(h.trim())) ?? 'their header';
  return (
    `hint: if a column holds one of our fields, map it with --mapping FILE, e.g. {"${example.replace(/["\\]/g, '')}": "person_id"}; ` +
    `map it to null to ignore it without a warning; ${dataset} fields: ${FIELDS[dataset].join(', ')}`
  );
}

// ---------------------------------------------------------------- mapping files

/**
 * A mapping file: `{"their header": "our_field"}` for every dataset, and/or sections
 * per dataset `{"crossings": {"their header": "our_field"}}` (a section wins over the
 * flat part). A null or "" value ignores that column. Headers are compared like any
 * header (case, spaces and punctuation do not matter).
 */
export type HeaderMapping = {
  readonly [header: string]: string | null | { readonly [header: string]: string | null };
};

const ALL_FIELDS: ReadonlySet<string> = new Set(DATASETS.flatMap((d) => FIELDS[d] as readonly string[]));

/** Validates a parsed mapping JSON; throws ImportFileError naming `label` on a bad one. */
export function parseHeaderMapping(value: unknown, label: string): HeaderMapping {
  const hint =
    'a mapping file is a JSON object {"their header": "our_field"}, optionally per dataset ' +
    `{"crossings": {...}}; fields: ${[...ALL_FIELDS].join(', ')}`;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ImportFileError(label, 'the mapping is not a JSON object', { hint });
  }
  const checkEntry = (header: string, target: unknown, where: string): string | null => {
    if (target === null || target === '') return null;
    if (typeof target !== 'string') {
      throw new ImportFileError(label, `${where}"${header}": the value must be a field name or null`, { hint });
    }
    const field = target.trim();
    if (!ALL_FIELDS.has(field)) {
      throw new ImportFileError(label, `${where}"${header}": unknown field '${target}'`, { hint });
    }
    return field;
  };
  const result: Record<string, string | null | Record<string, string | null>> = {};
  for (const [key, target] of Object.entries(value)) {
    if (isDatasetName(key) && typeof target === 'object' && target !== null) {
      if (Array.isArray(target)) throw new ImportFileError(label, `"${key}" must be an object`, { hint });
      const section: Record<string, string | null> = {};
      for (const [header, field] of Object.entries(target as Record<string, unknown>)) {
        const checked = checkEntry(header, field, `${key}: `);
        if (checked !== null && !(FIELDS[key] as readonly string[]).includes(checked)) {
          throw new ImportFileError(label, `${key}: "${header}": ${checked} is not a ${key} field`, {
            hint: `${key} fields: ${FIELDS[key].join(', ')}`,
          });
        }
        section[header] = checked;
      }
      result[key] = section;
    } else {
      result[key] = checkEntry(key, target, '');
    }
  }
  return result;
}

/** Reads and validates a mapping file (UTF-8 JSON). */
export function loadMapping(path: string): HeaderMapping {
  let text: string;
  try {
    text = fs.readFileSync(path, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message;
    throw new ImportFileError(path, `cannot read the mapping file: ${reason}`, { hint: 'check the path given to --mapping' });
  }
  let value: unknown;
  try {
    value = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (error) {
    throw new ImportFileError(path, `the mapping file is not valid JSON: ${(error as Error).message}`, {
      hint: 'write it as {"their header": "our_field", ...}',
    });
  }
  return parseHeaderMapping(value, path);
}

/** Normalised header → field (or null = ignore) that the mapping sets for this dataset. */
function mappingFor(mapping: HeaderMapping | undefined, dataset: DatasetName): Map<string, string | null> {
  const result = new Map<string, string | null>();
  if (mapping === undefined) return result;
  const fields = FIELDS[dataset] as readonly string[];
  const add = (header: string, field: string | null): void => {
    // A flat mapping shared by several datasets may name other datasets' fields: skip those.
    if (field === null || field === '') result.set(normaliseHeader(header), null);
    else if (fields.includes(field)) result.set(normaliseHeader(header), field);
  };
  for (const [header, target] of Object.entries(mapping)) {
    if (target === null || typeof target === 'string') add(header, target);
  }
  const section = mapping[dataset];
  if (typeof section === 'object' && section !== null) {
    for (const [header, target] of Object.entries(section)) add(header, target);
  }
  return result;
}

// ---------------------------------------------------------------- mapping headers

export interface MappedHeaders<D extends DatasetName> {
  /** Column index (0-based) of each field the file has. */
  columns: Partial<Record<FieldOf<D>, number>>;
  /** The file's header name of each mapped field (for reasons that name the column). */
  headerOf: Partial<Record<FieldOf<D>, string>>;
  /** Non-empty headers not used: unknown names, or mapped to null. */
  ignored: string[];
}

interface Resolution {
  columns: Map<FieldName, number>;
  ignored: string[];
  duplicates: { field: FieldName; first: number; second: number }[];
}

/** Columns a rejects file puts in front of the rows (rejects-file.ts, REJECT_COLUMNS). */
const BOOKKEEPING_COLUMNS = new Set(['_file', '_line', '_reason']);

function resolve(headers: readonly string[], dataset: DatasetName, mapping: HeaderMapping | undefined): Resolution {
  const aliases = aliasMap(dataset);
  const overrides = mappingFor(mapping, dataset);
  const columns = new Map<FieldName, number>();
  const ignored: string[] = [];
  const duplicates: Resolution['duplicates'] = [];
  headers.forEach((header, index) => {
    // The bookkeeping columns of a rejects file (_file, _line, _reason) are never data.
    if (BOOKKEEPING_COLUMNS.has(header.trim().toLowerCase())) return;
    const key = normaliseHeader(header);
    if (key === '') {
      if (header.trim() !== '') ignored.push(header);
      return;
    }
    const field = overrides.has(key) ? overrides.get(key) : aliases.get(key);
    if (field === undefined || field === null) {
      ignored.push(header);
      return;
    }
    const first = columns.get(field as FieldName);
    if (first !== undefined) duplicates.push({ field: field as FieldName, first, second: index });
    else columns.set(field as FieldName, index);
  });
  return { columns, ignored, duplicates };
}

/** A header cell that is a value rather than a name: a date, a number, a document number. */
const DATA_LIKE = /\d{3,}|\d{1,4}[./-]\d{1,2}[./-]\d{1,4}/;

/** A header name as an error may quote it: control characters escaped, at most 40 characters. */
function quoted(header: string | undefined): string {
  // eslint-disable-next-line no-control-regex
  const text = (header ?? '').replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');
  return text.length > 40 ? `${text.slice(0, 39)}…` : text;
}

/**
 * What an error says about the headers found. A line holding values (no header line:
 * the first row of data) is described by its columns, never echoed: it would put a
 * passport number and a name on stderr and in the nightly summary. Header names are
 * cut to 40 characters and at most 12 are listed.
 */
function foundHeaders(headers: readonly string[]): string {
  if (headers.length === 0 || headers.every((h) => h.trim() === '')) return 'the line is empty';
  const dataLike = headers.flatMap((h, i) => (DATA_LIKE.test(h) ? [i + 1] : []));
  if (dataLike.length > 0) {
    return `the line has ${headers.length} column${headers.length === 1 ? '' : 's'} and looks like data, not a header (column${dataLike.length === 1 ? '' : 's'} ${dataLike.slice(0, 5).join(', ')}${dataLike.length > 5 ? ', …' : ''} hold${dataLike.length === 1 ? 's' : ''} numbers or dates; values not shown): does the file lack its header line?`;
  }
  const shown = headers.slice(0, 12).map((h) => `'${quoted(h)}'`);
  return `found ${shown.join(', ')}${headers.length > 12 ? ` and ${headers.length - 12} more` : ''}`;
}

/** Datasets in the order detection tries them (most specific required columns first). */
const DETECTION_ORDER: readonly DatasetName[] = ['crossings', 'permits', 'expulsions', 'registrations'];

/** The dataset whose required columns the header has, or null. */
export function detectDataset(headers: readonly string[], mapping?: HeaderMapping): DatasetName | null {
  for (const dataset of DETECTION_ORDER) {
    const { columns } = resolve(headers, dataset, mapping);
    if ((REQUIRED[dataset] as readonly FieldName[]).every((field) => columns.has(field))) return dataset;
  }
  return null;
}

/**
 * Characters that UTF-8 Cyrillic read as Windows-1251 is full of ("РќРѕРјРµСЂ"), or
 * U+FFFD; і/І are excluded because Kazakh uses them.
 */
const MOJIBAKE = /[\uFFFD\u0402-\u0405\u0407-\u040F\u0452-\u0455\u0457-\u045F\u201A\u201E\u2020\u2021\u2026\u2030\u2039\u203A\u20AC\u2122]|Ð|Ñ/;

export interface MapHeadersOptions {
  /** Names the file in errors. */
  file?: string;
  /** Physical line of the header (1 unless blank lines precede it). */
  line?: number;
  /** Whether the delimiter was detected (then a one-column header suggests --delimiter). */
  delimiterDetected?: boolean;
}

/**
 * Maps a header row to the fields of a dataset. Throws ImportFileError when a required
 * column is missing (listing the missing fields, the headers found and, when the header
 * fits another dataset, which one) or when two columns map to the same field.
 */
export function mapHeaders<D extends DatasetName>(
  headers: readonly string[],
  dataset: D,
  mapping?: HeaderMapping,
  options: MapHeadersOptions = {},
): MappedHeaders<D> {
  const file = options.file ?? '<input>';
  const line = options.line ?? 1;
  const { columns, ignored, duplicates } = resolve(headers, dataset, mapping);
  const duplicate = duplicates[0];
  if (duplicate !== undefined) {
    throw new ImportFileError(
      file,
      `columns '${quoted(headers[duplicate.first])}' and '${quoted(headers[duplicate.second])}' both map to ${duplicate.field}`,
      { line, hint: `ignore one of them with --mapping FILE, e.g. {"${quoted(headers[duplicate.second])}": null}` },
    );
  }
  const missing = (REQUIRED[dataset] as readonly FieldName[]).filter((field) => !columns.has(field));
  if (missing.length > 0) {
    let detail = `missing required column${missing.length > 1 ? 's' : ''} for ${dataset}: ${missing.join(', ')}; ${foundHeaders(headers)}`;
    const hints: string[] = [];
    const other = detectDataset(headers, mapping);
    if (other !== null && other !== dataset) {
      detail += ` (the header fits the ${other} dataset)`;
      hints.push(`to import it as ${other}: stayaudit import ${other} FILE`);
    }
    if (headers.length === 1 && /[,;\t|]/.test(headers[0] ?? '')) {
      hints.push(
        options.delimiterDetected === false
          ? 'the header was read as a single column with the delimiter given: check --delimiter'
          : 'the header was read as a single column: give the delimiter with --delimiter',
      );
    }
    if (headers.some((h) => MOJIBAKE.test(h))) {
      hints.push('the header looks garbled: give the encoding with --encoding windows-1251 or utf-8');
    }
    hints.push(
      `name the columns ${(FIELDS[dataset] as readonly string[]).join(', ')} or map your headers with --mapping FILE ` +
        '(JSON: {"their header": "our_field"}); check --delimiter and --encoding if the headers look wrong',
    );
    throw new ImportFileError(file, detail, { line, hint: hints.join('; ') });
  }
  const result: MappedHeaders<D> = { columns: {}, headerOf: {}, ignored };
  const byField = result.columns as Record<string, number>;
  const headerOf = result.headerOf as Record<string, string>;
  for (const [field, index] of columns) {
    byField[field] = index;
    headerOf[field] = headers[index] ?? field;
  }
  return result;
}
