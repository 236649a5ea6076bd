import { createHmac } from 'node:crypto';
import type { Writable } from 'node:stream';
import Table from 'cli-table3';
import { Chalk } from 'chalk';
import { stringify } from 'csv-stringify/sync';
import { csvCell, FORMULA_START } from '../files/csv-cell.js';

const OUTPUT_VERSION = 1;

export { csvCell };

import { FORMATS, type Format } from './formats.js';
export { FORMATS, type Format };

export type Cell = string | number | boolean | null | undefined;
export type Row = Record<string, Cell>;

export interface OutputOptions {
  format: Format;
  /** CSV without the header row. */
  noHeaders: boolean;
  /** Keep cells that start like a spreadsheet formula as they are. */
  raw: boolean;
  /** Colours in tables. */
  color: boolean;
  /** Pseudonymise identity columns with this key (see MASKED_COLUMNS). */
  maskKey: string | null;
  /** Table: fit this many characters (drop the least important columns, saying so); null or absent: no limit. */
  width?: number | null;
  /** CSV field delimiter (default ','). */
  delimiter?: CsvDelimiter;
  /** CSV: start with a UTF-8 byte order mark (Excel then reads UTF-8). */
  bom?: boolean;
  /** CSV: end records with CRLF instead of LF. */
  crlf?: boolean;
}

export type CsvDelimiter = ',' | ';' | '\t';
export const CSV_DELIMITERS: readonly CsvDelimiter[] = [',', ';', '\t'];

/** Rows streamed from a store in batches (one promise per batch, never per row). */
export interface RowBatches {
  readonly batches: AsyncIterable<readonly Row[]>;
}

/** A listing's rows: in memory (or made synchronously), or batches streamed from a store. */
export type Rows = Iterable<Row> | RowBatches;

export function streamed(batches: AsyncIterable<readonly Row[]>): RowBatches {
  return { batches };
}

/** The rows in batches, whatever their source: in-memory rows are one batch per 1000. */
export async function* rowBatches(rows: Rows): AsyncGenerator<readonly Row[]> {
  if ('batches' in rows) {
    yield* rows.batches;
    return;
  }
  if (Array.isArray(rows)) {
    if (rows.length > 0) yield rows as Row[];
    return;
  }
  let batch: Row[] = [];
  for (const row of rows as Iterable<Row>) {
    batch.push(row);
    if (batch.length >= 1000) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}

/** All the rows in memory (for listings known to be small). */
export async function collectRows(rows: Rows): Promise<Row[]> {
  if (Array.isArray(rows)) return rows as Row[];
  const all: Row[] = [];
  for await (const batch of rowBatches(rows)) for (const row of batch) all.push(row);
  return all;
}

/** The rows with `fn` applied to each, still streamed. */
export function mapRows(rows: Rows, fn: (row: Row) => Row): RowBatches {
  return streamed(
    (async function* () {
      for await (const batch of rowBatches(rows)) yield batch.map(fn);
    })(),
  );
}

/** A listing: named columns, a stream of rows, and what it is about. */
export interface Listing {
  columns: readonly string[];
  rows: Rows;
  /** Stamped into JSON output and printed under tables: run, as-of, ruleset… */
  meta: Record<string, Cell>;
  /** Table-only: the columns to draw when they differ (e.g. stamps already in the footer). */
  tableColumns?: readonly string[];
  /** Table-only decorations: column → extra text to show next to values. */
  describe?: (column: string, value: Cell) => string | undefined;
  /**
   * Table-only: columns from most to least important, for fitting a narrow terminal
   * (the least important are left out first; the order on screen stays). Default: the
   * column order.
   */
  tablePriority?: readonly string[];
  /** Rows that stay last whatever --sort says (a TOTAL row). */
  keepLast?: (row: Row) => boolean;
  /** The key of the --mask pseudonyms of the store the rows came from (listings of personal data). */
  maskKey?: string;
}

/**
 * Columns of personal data replaced by pseudonyms under --mask: the foreigner's
 * identity and the receiving party's (host id and name, addresses). `detail` (JSON)
 * has its own such fields masked inside; `host` is the host id of `stats --by host`.
 */
const MASKED_COLUMNS = new Set([
  'person_key', 'person_id', 'document_no', 'surname', 'given_names', 'birth_date',
  'host_id', 'host_name', 'address', 'last_address', 'last_host', 'host',
]);
/** Names (surnames, given names, hosts' names, addresses) get an `N-` pseudonym, identifiers `P-`. */
const NAME_COLUMNS = new Set(['surname', 'given_names', 'host_name', 'address', 'last_address']);
/** Which column a masked value counts as, so one host or person gets one pseudonym everywhere. */
const MASK_AS: Record<string, string> = { person_key: 'document_no', last_host: 'host_id', host: 'host_id', last_address: 'address' };
/** Labels of stats rows that are not data (the total, the group of rows without a host). */
const GROUP_LABELS = new Set(['TOTAL', '(none)']);

/** A sink that batches writes, honours back-pressure, and treats a closed pipe as the end. */
export class Sink {
  private buffer = '';
  private closed = false;
  /** A write error (e.g. disk full), thrown by the next flush rather than from an event. */
  private failure: Error | null = null;
  private readonly out: Writable;

  constructor(out: Writable) {
    this.out = out;
    out.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE' && error.code !== 'ERR_STREAM_DESTROYED') this.failure = error;
      this.closed = true;
    });
  }

  get isClosed(): boolean {
    return this.closed;
  }

  async write(text: string): Promise<void> {
    this.buffer += text;
    if (this.buffer.length >= 1 << 16) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.failure !== null) throw this.failure;
    if (this.buffer.length === 0 || this.closed) {
      this.buffer = '';
      return;
    }
    const chunk = this.buffer;
    this.buffer = '';
    const ok = this.out.write(chunk);
    if (!ok && !this.closed) {
      await new Promise<void>((resolve) => {
        const done = (): void => {
          this.out.off('drain', done);
          this.out.off('close', done);
          this.out.off('error', done);
          resolve();
        };
        this.out.on('drain', done);
        this.out.on('close', done);
        this.out.on('error', done);
      });
      if (this.failure !== null) throw this.failure;
    }
  }
}

/** Renders a listing in the chosen format; returns the number of data rows written. */
export async function renderListing(listing: Listing, options: OutputOptions, out: Writable): Promise<number> {
  const sink = new Sink(out);
  const prepare = rowMasker(options.maskKey);
  listing = { ...listing, meta: prepare(listing.meta) };
  let count = 0;
  switch (options.format) {
    case 'csv': {
      const csv = csvWriter(options);
      if (options.bom) await sink.write('\uFEFF');
      if (!options.noHeaders) await sink.write(csv(listing.columns.map((c) => csvText(c, true))));
      // Rows go to csv-stringify in batches: the output streams, and a call per row
      // would cost more than the quoting itself.
      let batch: string[][] = [];
      rows: for await (const source of rowBatches(listing.rows)) for (const raw of source) {
        if (sink.isClosed) break rows;
        const row = prepare(raw);
        batch.push(listing.columns.map((c) => csvText(row[c], options.raw)));
        count++;
        if (batch.length === CSV_BATCH) {
          await sink.write(csv(batch));
          batch = [];
        }
      }
      if (batch.length > 0 && !sink.isClosed) await sink.write(csv(batch));
      break;
    }
    case 'ndjson': {
      rows: for await (const source of rowBatches(listing.rows)) for (const raw of source) {
        if (sink.isClosed) break rows;
        const row = prepare(raw);
        await sink.write(JSON.stringify(pick(row, listing.columns)) + '\n');
        count++;
      }
      break;
    }
    case 'json': {
      await sink.write(`{"version":${OUTPUT_VERSION},"meta":${JSON.stringify(listing.meta)},"columns":${JSON.stringify(listing.columns)},"rows":[`);
      rows: for await (const source of rowBatches(listing.rows)) for (const raw of source) {
        if (sink.isClosed) break rows;
        const row = prepare(raw);
        await sink.write((count === 0 ? '\n' : ',\n') + JSON.stringify(pick(row, listing.columns)));
        count++;
      }
      await sink.write(count === 0 ? ']' : '\n]');
      await sink.write('}\n');
      break;
    }
    case 'table': {
      const color = new Chalk({ level: options.color ? 1 : 0 });
      const columns = listing.tableColumns ?? listing.columns;
      const body: TableCell[][] = [];
      for await (const source of rowBatches(listing.rows)) for (const raw of source) {
        const row = prepare(raw);
        body.push(
          columns.map((c) => {
            const extra = listing.describe?.(c, row[c]);
            return { text: visibleText(tableCell(row[c])), extra: extra ? visibleText(extra) : undefined };
          }),
        );
        count++;
      }
      const fit = fitColumns(columns, body, listing.tablePriority ?? columns, options.width ?? null);
      const table = new Table({
        head: fit.shown.map((i) => color.bold(visibleText(columns[i]!))),
        style: { head: [], border: [], compact: true },
        ...(fit.wrapWidth === undefined ? {} : { colWidths: [fit.wrapWidth], wordWrap: true, wrapOnWordBoundary: false }),
      });
      for (const cells of body) {
        table.push(fit.shown.map((i) => {
          const cell = cells[i]!;
          return cell.extra ? `${cell.text} ${color.dim(cell.extra)}` : cell.text;
        }));
      }
      await sink.write(table.toString() + '\n');
      const stamp = Object.entries(listing.meta)
        .filter(([, v]) => v !== null && v !== undefined && v !== '')
        .map(([k, v]) => `${k}: ${visibleText(String(v))}`)
        .join(' · ');
      await sink.write(color.dim(`${count} row${count === 1 ? '' : 's'}${stamp ? ' · ' + stamp : ''}`) + '\n');
      if (fit.dropped.length > 0) {
        const names = fit.dropped.map((i) => columns[i]!).join(', ');
        await sink.write(color.dim(`${fit.dropped.length} column${fit.dropped.length === 1 ? '' : 's'} left out to fit ${options.width} characters: ${names} (--wide shows every column, --columns picks them)`) + '\n');
      }
      break;
    }
  }
  await sink.flush();
  return count;
}

function pick(row: Row, columns: readonly string[]): Row {
  const out: Row = {};
  for (const c of columns) out[c] = row[c] ?? null;
  return out;
}

function tableCell(value: Cell): string {
  if (value === null || value === undefined) return '';
  return String(value);
}

/** Rows handed to csv-stringify per call. */
const CSV_BATCH = 1024;

/**
 * The CSV writer for these options: csv-stringify with the delimiter, LF or CRLF, and
 * quoting also on `,`, `;` and tab whatever the delimiter, so a reader splitting on
 * another one cannot cut a formula out of a cell.
 */
function csvWriter(options: OutputOptions): (records: string[] | string[][]) => string {
  const settings = {
    delimiter: options.delimiter === '\t' ? '\t' : (options.delimiter ?? ','),
    record_delimiter: options.crlf ? ('windows' as const) : ('unix' as const),
    quoted_match: /[",;\t\n\r]/,
    eof: true,
  };
  return (records) => stringify((Array.isArray(records[0]) ? records : [records]) as string[][], settings);
}

/** A cell as CSV text before quoting: empty for null, formulas neutralised unless raw. */
function csvText(value: Cell, raw: boolean): string {
  if (value === null || value === undefined) return '';
  const text = typeof value === 'string' ? value : String(value);
  return !raw && typeof value === 'string' && FORMULA_START.test(text) ? `'${text}` : text;
}

// ---------------------------------------------------------------- tables

interface TableCell {
  text: string;
  extra: string | undefined;
}

// Control characters (C0, DEL, C1) and the bidirectional overrides/isolates, which
// would let a value clear the screen, retitle the terminal or reorder what is shown.
// eslint-disable-next-line no-control-regex
const UNSAFE_CHARS = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
const NAMED_ESCAPES: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t', '\u001b': '\\e', '\u0007': '\\a', '\u0008': '\\b' };

/**
 * Text safe to draw on a terminal: every control character is shown as an escape
 * (`\e`, `\n`, `\x07`, `\u202e`…), never sent to the terminal as it is.
 */
export function visibleText(text: string): string {
  return text.replace(UNSAFE_CHARS, (c) => {
    const named = NAMED_ESCAPES[c];
    if (named !== undefined) return named;
    const code = c.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

/** Characters a text takes on a terminal: East Asian wide characters take two. */
export function displayWidth(text: string): number {
  let width = 0;
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if (code >= 0x300 && code <= 0x36f) continue; // combining marks
    width +=
      (code >= 0x1100 && code <= 0x115f) || (code >= 0x2e80 && code <= 0xa4cf) || (code >= 0xac00 && code <= 0xd7a3) ||
      (code >= 0xf900 && code <= 0xfaff) || (code >= 0xfe30 && code <= 0xfe4f) || (code >= 0xff00 && code <= 0xff60) ||
      (code >= 0xffe0 && code <= 0xffe6) || (code >= 0x1f300 && code <= 0x1faff) || (code >= 0x20000 && code <= 0x3fffd)
        ? 2
        : 1;
  }
  return width;
}

interface ColumnFit {
  /** Indexes of the columns drawn, in their order. */
  shown: number[];
  /** Indexes of the columns left out. */
  dropped: number[];
  /** Set when the one column drawn is still too wide: wrap it to this width. */
  wrapWidth?: number;
}

/**
 * Which columns a table of at most `width` characters can draw: columns are taken
 * in order of importance while they fit (a drawn column costs its widest value plus
 * three: two spaces and a border); when not even the most important one fits, it
 * is drawn alone and wrapped.
 */
export function fitColumns(columns: readonly string[], body: readonly TableCell[][], priority: readonly string[], width: number | null): ColumnFit {
  const all = columns.map((_, i) => i);
  if (width === null) return { shown: all, dropped: [] };
  const natural = columns.map((c, i) => {
    let w = displayWidth(visibleText(c));
    for (const cells of body) {
      const cell = cells[i]!;
      w = Math.max(w, displayWidth(cell.text) + (cell.extra ? 1 + displayWidth(cell.extra) : 0));
    }
    return w;
  });
  const cost = (i: number): number => natural[i]! + 3;
  const order = [...priority.map((c) => columns.indexOf(c)).filter((i) => i >= 0), ...all.filter((i) => !priority.includes(columns[i]!))];
  const chosen = new Set<number>();
  let used = 1; // the left border
  for (const i of order) {
    if (used + cost(i) <= width) {
      chosen.add(i);
      used += cost(i);
    }
  }
  if (chosen.size === 0 && order.length > 0) {
    const first = order[0]!;
    return { shown: [first], dropped: all.filter((i) => i !== first), wrapWidth: Math.max(8, width - 2) };
  }
  return { shown: all.filter((i) => chosen.has(i)), dropped: all.filter((i) => !chosen.has(i)) };
}

// ---------------------------------------------------------------- masking

type Pseudonymiser = (column: string, value: string) => string;

/** Identity for a null key, else a function replacing identity columns by stable pseudonyms. */
export function rowMasker(key: string | null): (row: Row) => Row {
  if (key === null) return (row) => row;
  const mask = pseudonymiser(key);
  return (row) => maskRow(row, mask);
}

function pseudonymiser(key: string): Pseudonymiser {
  const cache = new Map<string, string>();
  return (column, value) => {
    const id = `${column}\u0000${value}`;
    let out = cache.get(id);
    if (out === undefined) {
      const digest = createHmac('sha256', key).update(id).digest('hex').slice(0, 12).toUpperCase();
      out = column === 'birth_date' ? value.slice(0, 4) : `${NAME_COLUMNS.has(column) ? 'N' : 'P'}-${digest}`;
      if (cache.size > 100_000) cache.clear();
      cache.set(id, out);
    }
    return out;
  };
}

function maskRow(row: Row, mask: Pseudonymiser): Row {
  const out: Row = { ...row };
  for (const column of Object.keys(row)) {
    const value = row[column];
    if (value === null || value === undefined || value === '') continue;
    if (column === 'detail' && typeof value === 'string') out[column] = maskDetail(value, mask);
    else if (MASKED_COLUMNS.has(column) && !(column === 'host' && GROUP_LABELS.has(String(value)))) {
      out[column] = mask(MASK_AS[column] ?? column, String(value));
    }
  }
  return out;
}

/** A finding's detail JSON with its personal fields (hostId, hostName, address…) masked. */
function maskDetail(text: string, mask: Pseudonymiser): string {
  let detail: unknown;
  try {
    detail = JSON.parse(text);
  } catch {
    return text; // Not a finding's detail (e.g. the explanation text of `person` CSV).
  }
  if (detail === null || typeof detail !== 'object' || Array.isArray(detail)) return text;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(detail as Record<string, unknown>)) {
    const column = key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
    out[key] = MASKED_COLUMNS.has(column) && value !== null && value !== '' ? mask(MASK_AS[column] ?? column, String(value)) : value;
  }
  return JSON.stringify(out);
}

/** Masks single values as the given column would be (for reports that are not listings, e.g. rejects files). */
export function valueMasker(key: string): (column: string, value: string) => string {
  const mask = pseudonymiser(key);
  return (column, value) => (value === '' ? value : mask(MASK_AS[column] ?? column, value));
}
