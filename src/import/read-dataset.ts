/**
 * Reads one input stream as one dataset: decode → parse CSV → map headers →
 * validate and normalise each row. Yields batches of numbered rows and rejects; the
 * generator's return value is the summary. No storage here: the caller inserts.
 *
 * Every non-blank record after the header ends up as a row or a reject, so
 * `rowsRead = rowsAccepted + rejected` always holds. Whole-file problems (empty, not
 * CSV, missing required columns) throw ImportFileError before any batch is yielded.
 */
import { normaliseCitizenship } from './citizenship.js';
import { CsvParser, detectDelimiter, type CsvLimits, type CsvSink, type Delimiter } from './csv.js';
import { InputDecoder, type Encoding } from './decode.js';
import { ImportFileError } from './errors.js';
import { mapHeaders, normaliseHeader, type FieldOf, type HeaderMapping, type MappedHeaders } from './headers.js';
import type { CrossingRow, DatasetName, ExpulsionRow, PermitRow, RegistrationRow, RowFor } from './rows.js';
import {
  DIRECTION_WORDS,
  combineDateAndTime,
  hasTimeZone,
  normaliseDocumentNo,
  parseBanYears,
  parseDate,
  parseDateTime,
  parseDirection,
  parsePermitKind,
  parsePermitStatus,
  parseSex,
  personKeyOf,
} from './values.js';

export { ImportFileError } from './errors.js';
export type { RowFor } from './rows.js';
export type { Encoding } from './decode.js';
export type { Delimiter } from './csv.js';

export interface ReadOptions {
  /** Overrides encoding detection. */
  encoding?: Encoding;
  /** Overrides delimiter detection. */
  delimiter?: Delimiter;
  /** Header mapping (see headers.ts), e.g. from `loadMapping(path)`. */
  mapping?: HeaderMapping;
  /** Rows + rejects per yielded batch (default 5000). */
  batchSize?: number;
  /** CSV record limits (defaults: 1 Mi characters, 1000 fields). */
  limits?: Partial<CsvLimits>;
}

export interface Reject {
  /** Physical line where the record starts (1-based; the header is line 1). */
  line: number;
  /** The record's cells as read (untrimmed), to write back under the original header. */
  raw: string[];
  reason: string;
}

export interface RowBatch<T> {
  rows: { line: number; row: T }[];
  rejects: Reject[];
  /** The file's header as read (trimmed): columns of `raw` in rejects. */
  header: readonly string[];
}

export interface ReadSummary {
  file: string;
  dataset: DatasetName;
  /** Detected or given encoding (`utf-8` for plain ASCII). */
  encoding: Encoding | null;
  delimiter: Delimiter | null;
  header: readonly string[];
  /** Physical line of the header (1 unless blank lines precede it). */
  headerLine: number;
  /** Column index of each field found. */
  columns: Readonly<Record<string, number>>;
  /** Headers not used (unknown names, or mapped to null): the CLI may warn about them. */
  ignoredColumns: readonly string[];
  /** Physical lines in the input. */
  linesRead: number;
  /** Non-blank records after the header = rowsAccepted + rejected. */
  rowsRead: number;
  rowsAccepted: number;
  rejected: number;
}

const DEFAULT_BATCH_SIZE = 5000;
const PIECE_CHARS = 64 * 1024;

/** Turns a record into a row, or pushes reasons to `errors` and returns null. */
type RowBuilder<T> = (fields: string[], errors: string[]) => T | null;

/**
 * Reads `input` (a byte stream: a file or stdin) as `dataset`. `fileLabel` names the
 * input in errors and in the summary.
 */
export async function* readDataset<D extends DatasetName>(
  input: NodeJS.ReadableStream,
  dataset: D,
  fileLabel: string,
  options: ReadOptions = {},
): AsyncGenerator<RowBatch<RowFor<D>>, ReadSummary, undefined> {
  const decoder = new InputDecoder(fileLabel, options.encoding);
  const sink = new DatasetSink<D>(dataset, fileLabel, decoder, options);
  let parser: CsvParser | null = null;

  const start = (text: string): CsvParser => {
    const detected = options.delimiter === undefined;
    sink.delimiterDetected = detected;
    return new CsvParser(options.delimiter ?? detectDelimiter(text), options.limits);
  };

  // Decoded text is fed to the parser in pieces of about PIECE_CHARS (cut after a
  // newline) and full batches are yielded in between: rows then reach the caller
  // soon after they are made, which keeps them out of the garbage collector's old
  // generation (with whole 1 MiB chunks GC took more time than parsing).
  for await (const chunk of input) {
    const text = decoder.write(typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : (chunk as Buffer));
    if (text.length === 0) continue;
    parser ??= start(text);
    for (let from = 0; from < text.length; ) {
      let to = from + PIECE_CHARS >= text.length ? text.length : text.indexOf('\n', from + PIECE_CHARS) + 1;
      if (to === 0) to = text.length;
      parser.push(from === 0 && to === text.length ? text : text.slice(from, to), sink);
      from = to;
      while (sink.ready.length > 0) yield sink.ready.shift()!;
    }
  }
  const last = decoder.end();
  if (last.length > 0) {
    parser ??= start(last);
    parser.push(last, sink);
  }
  parser?.end(sink);
  if (sink.header === null) {
    throw new ImportFileError(fileLabel, 'the file is empty (no header line)', {
      hint: `a ${dataset} file starts with a header line, e.g. ${exampleHeader(dataset)}`,
    });
  }
  sink.flush();
  while (sink.ready.length > 0) yield sink.ready.shift()!;
  return {
    file: fileLabel,
    dataset,
    encoding: decoder.detected,
    delimiter: parser?.delimiter ?? null,
    header: sink.header,
    headerLine: sink.headerLine,
    columns: sink.columns,
    ignoredColumns: sink.ignoredColumns,
    linesRead: parser?.linesRead ?? 0,
    rowsRead: sink.accepted + sink.rejected,
    rowsAccepted: sink.accepted,
    rejected: sink.rejected,
  };
}

function exampleHeader(dataset: DatasetName): string {
  const examples: Record<DatasetName, string> = {
    crossings: 'document_no,citizenship,direction,crossed_at',
    registrations: 'document_no,citizenship,registered_from',
    permits: 'permit_no,document_no,citizenship,valid_from,valid_until',
    expulsions: 'document_no,citizenship,decided_on',
  };
  return examples[dataset];
}

class DatasetSink<D extends DatasetName> implements CsvSink {
  header: readonly string[] | null = null;
  headerLine = 0;
  columns: Record<string, number> = {};
  ignoredColumns: readonly string[] = [];
  delimiterDetected = true;
  accepted = 0;
  rejected = 0;
  readonly ready: RowBatch<RowFor<D>>[] = [];

  private readonly dataset: D;
  private readonly file: string;
  private readonly decoder: InputDecoder;
  private readonly options: ReadOptions;
  private readonly batchSize: number;
  private build: RowBuilder<RowFor<D>> | null = null;
  private width = 0;
  private batch: RowBatch<RowFor<D>> | null = null;
  private readonly errors: string[] = [];

  constructor(dataset: D, file: string, decoder: InputDecoder, options: ReadOptions) {
    this.dataset = dataset;
    this.file = file;
    this.decoder = decoder;
    this.options = options;
    this.batchSize = Math.max(1, options.batchSize ?? DEFAULT_BATCH_SIZE);
  }

  record(fields: string[], line: number): void {
    if (isBlank(fields)) return;
    const build = this.build;
    if (build === null) {
      this.readHeader(fields, line);
      return;
    }
    const batch = this.batch ?? this.newBatch();
    if (fields.length !== this.width && !this.fitWidth(fields)) {
      this.reject(batch, line, fields, `expected ${this.width} fields as in the header, found ${fields.length}`);
      return;
    }
    if (this.decoder.sawNul && fields.some((f) => f.includes('\u0000'))) {
      this.reject(batch, line, fields, 'NUL byte in the row (binary data in a text file?)');
      return;
    }
    if (this.decoder.sawInvalid && fields.some((f) => f.includes('\uFFFD'))) {
      this.reject(
        batch,
        line,
        fields,
        'invalid UTF-8 byte sequence (is part of the file in Windows-1251? try --encoding windows-1251)',
      );
      return;
    }
    const errors = this.errors;
    errors.length = 0;
    const row = build(fields, errors);
    if (row === null || errors.length > 0) {
      this.reject(batch, line, fields, errors.join('; '));
      return;
    }
    batch.rows.push({ line, row });
    this.accepted++;
    if (batch.rows.length + batch.rejects.length >= this.batchSize) this.flush();
  }

  bad(line: number, raw: string[], reason: string): void {
    if (this.build === null) {
      throw new ImportFileError(this.file, `the header line cannot be read: ${reason}`, {
        line,
        hint: 'check that the file is CSV text; give --delimiter or --encoding if detection went wrong',
      });
    }
    this.reject(this.batch ?? this.newBatch(), line, raw, reason);
  }

  flush(): void {
    if (this.batch !== null && this.batch.rows.length + this.batch.rejects.length > 0) this.ready.push(this.batch);
    this.batch = null;
  }

  private newBatch(): RowBatch<RowFor<D>> {
    this.batch = { rows: [], rejects: [], header: this.header ?? [] };
    return this.batch;
  }

  private reject(batch: RowBatch<RowFor<D>>, line: number, raw: string[], reason: string): void {
    batch.rejects.push({ line, raw, reason });
    this.rejected++;
    if (batch.rows.length + batch.rejects.length >= this.batchSize) this.flush();
  }

  /** Extra trailing cells that are all blank (a trailing `;` from Excel) are dropped. */
  private fitWidth(fields: string[]): boolean {
    if (fields.length < this.width) return false;
    for (let i = this.width; i < fields.length; i++) if (fields[i]!.trim() !== '') return false;
    fields.length = this.width;
    return true;
  }

  private readHeader(fields: string[], line: number): void {
    if (fields.some((f) => f.includes('\r'))) {
      // Lines end in a bare CR (classic Mac OS): the whole file would read as one header
      // line and import nothing without a word.
      throw new ImportFileError(this.file, 'lines end in a bare CR (carriage return), not LF or CRLF', {
        line,
        hint: 'convert the line ends, e.g. tr \'\\r\' \'\\n\' < in.csv > out.csv, or save the file again as CSV',
      });
    }
    const header = fields.map((h) => h.trim());
    // Trailing empty header cells (a trailing delimiter) are not columns.
    while (header.length > 1 && header[header.length - 1] === '') header.pop();
    const mapped = mapHeaders(header, this.dataset, this.options.mapping, {
      file: this.file,
      line,
      delimiterDetected: this.delimiterDetected,
    });
    this.header = header;
    this.headerLine = line;
    this.width = header.length;
    this.columns = mapped.columns as Record<string, number>;
    this.ignoredColumns = mapped.ignored;
    this.build = makeBuilder(this.dataset, mapped);
  }
}

function isBlank(fields: string[]): boolean {
  if (fields[0]!.trim() !== '') return false;
  for (let i = 1; i < fields.length; i++) if (fields[i]!.trim() !== '') return false;
  return true;
}

// ---------------------------------------------------------------- row builders

const DATE_FORMS = 'use YYYY-MM-DD or DD.MM.YYYY';
const DATETIME_FORMS = 'use YYYY-MM-DD HH:MM[:SS] or DD.MM.YYYY HH:MM[:SS]';

/** Column access and value checks for one mapped header, shared by the builders. */
class Cells<D extends DatasetName> {
  private readonly mapped: MappedHeaders<D>;

  constructor(mapped: MappedHeaders<D>) {
    this.mapped = mapped;
  }

  index(field: FieldOf<D>): number {
    return this.mapped.columns[field] ?? -1;
  }

  /** How reasons name a column: the field, plus the file's header when it differs. */
  label(field: FieldOf<D>): string {
    const header = this.mapped.headerOf[field];
    return header === undefined || normaliseHeader(header) === normaliseHeader(field) ? field : `${field} (${header})`;
  }
}

function cell(fields: string[], index: number): string {
  if (index < 0) return '';
  const value = fields[index]!.trim();
  // A leading apostrophe before = + - @ is how our exports (and spreadsheets) keep a
  // cell from running as a formula: the value is what follows it.
  return value.charCodeAt(0) === 39 && /^'[=+\-@]/.test(value) ? value.slice(1) : value;
}

function orNull(value: string): string | null {
  return value === '' ? null : value;
}

function quoteValue(value: string): string {
  return `'${value.length > 60 ? `${value.slice(0, 60)}…` : value}'`;
}

interface DateCheck {
  (fields: string[], errors: string[]): string | null;
}

function dateReader<D extends DatasetName>(cells: Cells<D>, field: FieldOf<D>, required: boolean): DateCheck {
  const index = cells.index(field);
  const label = cells.label(field);
  return (fields, errors) => {
    const value = cell(fields, index);
    if (value === '') {
      if (required) errors.push(`${label}: required value is empty`);
      return null;
    }
    const date = parseDate(value);
    if (date === null) errors.push(`${label}: ${quoteValue(value)} is not a valid date (${DATE_FORMS})`);
    return date;
  };
}

/** Person columns of the current row; one per builder, overwritten row by row. */
interface Person {
  personId: string | null;
  documentNo: string;
  citizenship: string;
  personKey: string;
}

/**
 * Reads person_id, document_no and citizenship into `person`; false (with reasons in
 * `errors`) when they are unusable.
 */
function personReader<D extends DatasetName>(
  cells: Cells<D>,
  person: Person,
): (fields: string[], errors: string[]) => boolean {
  const idIndex = cells.index('person_id' as FieldOf<D>);
  const docIndex = cells.index('document_no' as FieldOf<D>);
  const docLabel = cells.label('document_no' as FieldOf<D>);
  const czIndex = cells.index('citizenship' as FieldOf<D>);
  const czLabel = cells.label('citizenship' as FieldOf<D>);
  return (fields, errors) => {
    const personId = orNull(cell(fields, idIndex));
    const rawDoc = cell(fields, docIndex);
    const documentNo = rawDoc === '' ? '' : normaliseDocumentNo(rawDoc);
    if (documentNo === '') errors.push(`${docLabel}: required value is empty`);
    const rawCz = cell(fields, czIndex);
    let citizenship: string | null = null;
    if (rawCz === '') errors.push(`${czLabel}: required value is empty`);
    else {
      citizenship = normaliseCitizenship(rawCz);
      if (citizenship === null) errors.push(`${czLabel}: unknown country ${quoteValue(rawCz)}`);
    }
    if (citizenship === null || documentNo === '') return false;
    person.personId = personId;
    person.documentNo = documentNo;
    person.citizenship = citizenship;
    person.personKey = personKeyOf(personId, citizenship, documentNo);
    return true;
  };
}

function newPerson(): Person {
  return { personId: null, documentNo: '', citizenship: '', personKey: '' };
}

function requiredText<D extends DatasetName>(cells: Cells<D>, field: FieldOf<D>): DateCheck {
  const index = cells.index(field);
  const label = cells.label(field);
  return (fields, errors) => {
    const value = cell(fields, index);
    if (value === '') {
      errors.push(`${label}: required value is empty`);
      return null;
    }
    return value;
  };
}

function makeBuilder<D extends DatasetName>(dataset: D, mapped: MappedHeaders<D>): RowBuilder<RowFor<D>> {
  switch (dataset) {
    case 'crossings':
      return crossingBuilder(mapped as MappedHeaders<'crossings'>) as RowBuilder<RowFor<D>>;
    case 'registrations':
      return registrationBuilder(mapped as MappedHeaders<'registrations'>) as RowBuilder<RowFor<D>>;
    case 'permits':
      return permitBuilder(mapped as MappedHeaders<'permits'>) as RowBuilder<RowFor<D>>;
    case 'expulsions':
      return expulsionBuilder(mapped as MappedHeaders<'expulsions'>) as RowBuilder<RowFor<D>>;
  }
  throw new Error(`unknown dataset ${String(dataset)}`);
}

function crossingBuilder(mapped: MappedHeaders<'crossings'>): RowBuilder<CrossingRow> {
  const cells = new Cells(mapped);
  const who = newPerson();
  const readPerson = personReader(cells, who);
  const surnameIndex = cells.index('surname');
  const givenIndex = cells.index('given_names');
  const patronymicIndex = cells.index('patronymic');
  const checkpointIndex = cells.index('checkpoint');
  const sexIndex = cells.index('sex');
  const birthDate = dateReader(cells, 'birth_date', false);
  const directionIndex = cells.index('direction');
  const directionLabel = cells.label('direction');
  const atIndex = cells.index('crossed_at');
  const atLabel = cells.label('crossed_at');
  const timeIndex = cells.index('crossed_time');
  const timeLabel = cells.label('crossed_time');

  return (fields, errors) => {
    const found = readPerson(fields, errors);

    const rawDirection = cell(fields, directionIndex);
    const direction = rawDirection === '' ? null : parseDirection(rawDirection);
    if (rawDirection === '') errors.push(`${directionLabel}: required value is empty`);
    else if (direction === null) {
      errors.push(`${directionLabel}: unknown direction ${quoteValue(rawDirection)} (use ${DIRECTION_WORDS})`);
    }

    let crossedAt: string | null = null;
    const rawAt = cell(fields, atIndex);
    const rawTime = cell(fields, timeIndex);
    if (rawAt === '') errors.push(`${atLabel}: required value is empty`);
    else if (rawTime !== '') {
      const date = parseDate(rawAt);
      if (date === null) errors.push(`${atLabel}: ${quoteValue(rawAt)} is not a valid date (${DATE_FORMS})`);
      else {
        crossedAt = combineDateAndTime(date, rawTime);
        if (crossedAt === null) errors.push(`${timeLabel}: ${quoteValue(rawTime)} is not a valid time (use HH:MM[:SS])`);
      }
    } else {
      crossedAt = parseDateTime(rawAt);
      if (crossedAt === null) {
        errors.push(
          hasTimeZone(rawAt)
            ? `${atLabel}: ${quoteValue(rawAt)} has a time zone; give the local date and time at the border`
            : `${atLabel}: ${quoteValue(rawAt)} is not a valid date-time (${DATETIME_FORMS})`,
        );
      }
    }

    const birth = birthDate(fields, errors);
    if (!found || direction === null || crossedAt === null || errors.length > 0) return null;

    const given = cell(fields, givenIndex);
    const patronymic = cell(fields, patronymicIndex);
    const rawSex = cell(fields, sexIndex);
    return {
      personKey: who.personKey,
      personId: who.personId,
      documentNo: who.documentNo,
      citizenship: who.citizenship,
      surname: orNull(cell(fields, surnameIndex)),
      givenNames: patronymic === '' ? orNull(given) : given === '' ? patronymic : `${given} ${patronymic}`,
      birthDate: birth,
      sex: rawSex === '' ? null : parseSex(rawSex),
      direction,
      crossedAt,
      day: crossedAt.slice(0, 10),
      checkpoint: orNull(cell(fields, checkpointIndex)),
    };
  };
}

function registrationBuilder(mapped: MappedHeaders<'registrations'>): RowBuilder<RegistrationRow> {
  const cells = new Cells(mapped);
  const who = newPerson();
  const readPerson = personReader(cells, who);
  const from = dateReader(cells, 'registered_from', true);
  const until = dateReader(cells, 'registered_until', false);
  const notified = dateReader(cells, 'notified_on', false);
  const addressIndex = cells.index('address');
  const hostIdIndex = cells.index('host_id');
  const hostNameIndex = cells.index('host_name');
  return (fields, errors) => {
    const found = readPerson(fields, errors);
    const registeredFrom = from(fields, errors);
    const registeredUntil = until(fields, errors);
    const notifiedOn = notified(fields, errors);
    if (!found || registeredFrom === null || errors.length > 0) return null;
    return {
      personKey: who.personKey,
      personId: who.personId,
      documentNo: who.documentNo,
      citizenship: who.citizenship,
      registeredFrom,
      registeredUntil,
      notifiedOn,
      address: orNull(cell(fields, addressIndex)),
      hostId: orNull(cell(fields, hostIdIndex)),
      hostName: orNull(cell(fields, hostNameIndex)),
    };
  };
}

function permitBuilder(mapped: MappedHeaders<'permits'>): RowBuilder<PermitRow> {
  const cells = new Cells(mapped);
  const who = newPerson();
  const readPerson = personReader(cells, who);
  const permitNo = requiredText(cells, 'permit_no');
  const from = dateReader(cells, 'valid_from', true);
  const until = dateReader(cells, 'valid_until', true);
  const revoked = dateReader(cells, 'revoked_on', false);
  const kindIndex = cells.index('kind');
  const kindLabel = cells.label('kind');
  const statusIndex = cells.index('status');
  const statusLabel = cells.label('status');
  const groundIndex = cells.index('ground');
  const addressIndex = cells.index('address');
  const hostIdIndex = cells.index('host_id');
  return (fields, errors) => {
    const number = permitNo(fields, errors);
    const found = readPerson(fields, errors);
    const rawKind = cell(fields, kindIndex);
    const kind = rawKind === '' ? 'trp' : parsePermitKind(rawKind);
    if (kind === null) errors.push(`${kindLabel}: unknown permit kind ${quoteValue(rawKind)} (use trp or visa)`);
    const validFrom = from(fields, errors);
    const validUntil = until(fields, errors);
    const rawStatus = cell(fields, statusIndex);
    const status = rawStatus === '' ? 'active' : parsePermitStatus(rawStatus);
    if (status === null) {
      errors.push(`${statusLabel}: unknown permit status ${quoteValue(rawStatus)} (use active, revoked or annulled)`);
    }
    const revokedOn = revoked(fields, errors);
    if (
      number === null || !found || kind === null || validFrom === null || validUntil === null ||
      status === null || errors.length > 0
    ) return null;
    return {
      permitNo: number,
      personKey: who.personKey,
      personId: who.personId,
      documentNo: who.documentNo,
      citizenship: who.citizenship,
      kind,
      ground: orNull(cell(fields, groundIndex)),
      validFrom,
      validUntil,
      status,
      revokedOn,
      address: orNull(cell(fields, addressIndex)),
      hostId: orNull(cell(fields, hostIdIndex)),
    };
  };
}

function expulsionBuilder(mapped: MappedHeaders<'expulsions'>): RowBuilder<ExpulsionRow> {
  const cells = new Cells(mapped);
  const who = newPerson();
  const readPerson = personReader(cells, who);
  const decided = dateReader(cells, 'decided_on', true);
  const expelled = dateReader(cells, 'expelled_on', false);
  const banIndex = cells.index('ban_years');
  const banLabel = cells.label('ban_years');
  const reasonIndex = cells.index('reason');
  return (fields, errors) => {
    const found = readPerson(fields, errors);
    const decidedOn = decided(fields, errors);
    const expelledOn = expelled(fields, errors);
    const rawBan = cell(fields, banIndex);
    const banYears = rawBan === '' ? null : parseBanYears(rawBan);
    if (rawBan !== '' && banYears === null) {
      errors.push(`${banLabel}: ${quoteValue(rawBan)} is not a whole number of years (0-99)`);
    }
    if (!found || decidedOn === null || errors.length > 0) return null;
    return {
      personKey: who.personKey,
      personId: who.personId,
      documentNo: who.documentNo,
      citizenship: who.citizenship,
      decidedOn,
      expelledOn,
      banYears,
      reason: orNull(cell(fields, reasonIndex)),
    };
  };
}
