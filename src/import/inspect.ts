/**
 * `stayaudit inspect`: how an import would read a file, changing nothing. The start of
 * the file (up to SAMPLE_BYTES, cut after a whole line) goes through the import's own
 * reader, so what is shown is what an import would do: detected encoding and
 * delimiter, the header → field mapping, the ignored columns, the date forms seen,
 * and the first rows normalised (or rejected, with the reason).
 */
import { Readable } from 'node:stream';
import { CsvParser, type CsvSink } from './csv.js';
import { InputDecoder } from './decode.js';
import { FIELDS, REQUIRED, ignoredColumnWarnings, type HeaderMapping } from './headers.js';
import { openInput } from './open-input.js';
import { readDataset, type ReadOptions, type ReadSummary } from './read-dataset.js';
import type { DatasetName } from './rows.js';

const SAMPLE_BYTES = 1 << 20;

/** Fields holding dates or date-times, whose written form is reported. */
const DATE_FIELDS: ReadonlySet<string> = new Set([
  'birth_date', 'crossed_at', 'registered_from', 'registered_until', 'notified_on', 'valid_from', 'valid_until', 'revoked_on', 'decided_on', 'expelled_on',
]);

export interface ColumnMapping {
  /** 1-based column number in the file. */
  column: number;
  header: string;
  /** The field it fills, or null when ignored. */
  field: string | null;
}

export interface InspectReport {
  file: string;
  dataset: DatasetName;
  encoding: string | null;
  delimiter: string | null;
  header_line: number;
  columns: ColumnMapping[];
  ignored: string[];
  warnings: string[];
  /** Optional fields of the dataset that no column fills. */
  absent_fields: string[];
  /** Field → the written forms seen (e.g. `DD.MM.YYYY HH:MM`), in the rows sampled. */
  date_forms: Record<string, string[]>;
  /** Whether the whole file fitted in the sample. */
  whole_file: boolean;
  rows_sampled: number;
  rejected_in_sample: number;
  /** The first rows as the import would store them (field → value). */
  rows: { line: number; values: Record<string, unknown> }[];
  /** The first rejected rows of the sample. */
  rejects: { line: number; reason: string }[];
}

export interface InspectOptions extends ReadOptions {
  /** Rows (and rejects) to show. */
  rows: number;
}

/** Reads the start of `file` ('-' = stdin) as `dataset` and reports how it maps. Throws ImportFileError like an import. */
export async function inspectFile(file: string, stdin: Readable, dataset: DatasetName, options: InspectOptions): Promise<InspectReport> {
  const { stream, label } = openInput(file, stdin);
  const { sample, whole } = await readSample(stream);
  const readOptions: ReadOptions = {};
  if (options.encoding !== undefined) readOptions.encoding = options.encoding;
  if (options.delimiter !== undefined) readOptions.delimiter = options.delimiter;
  if (options.mapping !== undefined) readOptions.mapping = options.mapping;

  const rows: InspectReport['rows'] = [];
  const rejects: InspectReport['rejects'] = [];
  const reader = readDataset(Readable.from([sample]), dataset, label, readOptions);
  let step = await reader.next();
  while (!step.done) {
    for (const { line, row } of step.value.rows) if (rows.length < options.rows) rows.push({ line, values: snakeCaseRow(row as object) });
    for (const reject of step.value.rejects) if (rejects.length < options.rows) rejects.push({ line: reject.line, reason: reject.reason });
    step = await reader.next();
  }
  const summary: ReadSummary = step.value;
  const fieldAt = new Map<number, string>(Object.entries(summary.columns).map(([field, index]) => [index, field]));
  const columns = summary.header.map((header, index) => ({ column: index + 1, header, field: fieldAt.get(index) ?? null }));
  const required = REQUIRED[dataset] as readonly string[];
  return {
    file: label,
    dataset,
    encoding: summary.encoding,
    delimiter: summary.delimiter,
    header_line: summary.headerLine,
    columns,
    ignored: [...summary.ignoredColumns],
    warnings: ignoredColumnWarnings(dataset, summary.ignoredColumns, options.mapping),
    absent_fields: (FIELDS[dataset] as readonly string[]).filter((f) => !(f in summary.columns) && !required.includes(f)),
    date_forms: dateForms(sample, summary, readOptions),
    whole_file: whole,
    rows_sampled: summary.rowsRead,
    rejected_in_sample: summary.rejected,
    rows,
    rejects,
  };
}

/** The first SAMPLE_BYTES of the stream, cut after the last whole line unless the stream ended. */
async function readSample(stream: Readable): Promise<{ sample: Buffer; whole: boolean }> {
  const chunks: Buffer[] = [];
  let bytes = 0;
  let whole = true;
  for await (const chunk of stream) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    chunks.push(buffer);
    bytes += buffer.length;
    if (bytes >= SAMPLE_BYTES) {
      whole = false;
      break;
    }
  }
  stream.destroy();
  let sample = Buffer.concat(chunks);
  if (!whole) {
    const end = sample.lastIndexOf(0x0a, SAMPLE_BYTES);
    sample = sample.subarray(0, end < 0 ? Math.min(sample.length, SAMPLE_BYTES) : end + 1);
  }
  return { sample, whole };
}

function snakeCaseRow(row: object): Record<string, unknown> {
  return Object.fromEntries(Object.entries(row).map(([k, v]) => [k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`), v]));
}

/** How a date cell is written: `YYYY-MM-DD`, `DD.MM.YYYY`, with ` HH:MM[:SS]` or `THH:MM[:SS]`; else `other`. */
export function dateForm(value: string): string {
  const m = /^(\d{4}-\d{2}-\d{2}|\d{1,2}\.\d{1,2}\.\d{4})(?:([ T])(\d{1,2}:\d{2})(:\d{2})?)?/.exec(value.trim());
  if (!m) return 'other';
  const day = m[1]!.includes('-') ? 'YYYY-MM-DD' : 'DD.MM.YYYY';
  if (m[2] === undefined) return day;
  return `${day}${m[2] === 'T' ? 'T' : ' '}HH:MM${m[4] ? ':SS' : ''}`;
}

/** The written forms of the date columns in the sample (raw cells, as in the file). */
function dateForms(sample: Buffer, summary: ReadSummary, options: ReadOptions): Record<string, string[]> {
  const decoder = new InputDecoder(summary.file, options.encoding);
  const text = decoder.write(sample) + decoder.end();
  const dateColumns = Object.entries(summary.columns).filter(([field]) => DATE_FIELDS.has(field));
  const forms = new Map<string, Set<string>>(dateColumns.map(([field]) => [field, new Set<string>()]));
  let headerSeen = false;
  const sink: CsvSink = {
    record(fields) {
      if (!headerSeen) {
        headerSeen = fields.some((f) => f.trim() !== '');
        return;
      }
      for (const [field, index] of dateColumns) {
        const value = fields[index]?.trim() ?? '';
        if (value !== '') forms.get(field)!.add(dateForm(value));
      }
    },
    bad() {},
  };
  const parser = new CsvParser((summary.delimiter ?? ',') as ',' | ';' | '\t');
  parser.push(text, sink);
  parser.end(sink);
  return Object.fromEntries([...forms].map(([field, set]) => [field, [...set].sort()]));
}

export type { HeaderMapping };
