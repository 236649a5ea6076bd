import { createHmac } from 'node:crypto';
import type { Writable } from 'node:stream';
import Table from 'cli-table3';
import { Chalk } from 'chalk';

const OUTPUT_VERSION = 1;

export type Format = 'table' | 'csv' | 'json' | 'ndjson';
export const FORMATS: readonly Format[] = ['table', 'csv', 'json', 'ndjson'];

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
}

/** A listing: named columns, a stream of rows, and what it is about. */
export interface Listing {
  columns: readonly string[];
  rows: Iterable<Row>;
  /** Stamped into JSON output and printed under tables: run, as-of, ruleset… */
  meta: Record<string, Cell>;
  /** Table-only: the columns to draw when they differ (e.g. stamps already in the footer). */
  tableColumns?: readonly string[];
  /** Table-only decorations: column → extra text to show next to values. */
  describe?: (column: string, value: Cell) => string | undefined;
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
      if (!options.noHeaders) await sink.write(listing.columns.map((c) => csvCell(c, true)).join(',') + '\n');
      for (const raw of listing.rows) {
        if (sink.isClosed) break;
        const row = prepare(raw);
        await sink.write(listing.columns.map((c) => csvCell(row[c], options.raw)).join(',') + '\n');
        count++;
      }
      break;
    }
    case 'ndjson': {
      for (const raw of listing.rows) {
        if (sink.isClosed) break;
        const row = prepare(raw);
        await sink.write(JSON.stringify(pick(row, listing.columns)) + '\n');
        count++;
      }
      break;
    }
    case 'json': {
      await sink.write(`{"version":${OUTPUT_VERSION},"meta":${JSON.stringify(listing.meta)},"columns":${JSON.stringify(listing.columns)},"rows":[`);
      for (const raw of listing.rows) {
        if (sink.isClosed) break;
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
      const table = new Table({
        head: columns.map((c) => color.bold(c)),
        style: { head: [], border: [], compact: true },
      });
      const show = (column: string, value: Cell): string => {
        const text = tableCell(value);
        const extra = listing.describe?.(column, value);
        return extra ? `${text} ${color.dim(extra)}` : text;
      };
      for (const raw of listing.rows) {
        const row = prepare(raw);
        table.push(columns.map((c) => show(c, row[c])));
        count++;
      }
      await sink.write(table.toString() + '\n');
      const stamp = Object.entries(listing.meta)
        .filter(([, v]) => v !== null && v !== undefined && v !== '')
        .map(([k, v]) => `${k}: ${String(v)}`)
        .join(' · ');
      await sink.write(color.dim(`${count} row${count === 1 ? '' : 's'}${stamp ? ' · ' + stamp : ''}`) + '\n');
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

const FORMULA_START = /^[=+\-@\t\r]/;

/** RFC 4180 quoting; cells that a spreadsheet would run as a formula get a leading apostrophe. */
export function csvCell(value: Cell, raw: boolean): string {
  if (value === null || value === undefined) return '';
  let text = typeof value === 'string' ? value : String(value);
  if (!raw && typeof value === 'string' && FORMULA_START.test(text)) text = `'${text}`;
  // Quoted also on ; and tab, so a reader splitting on those cannot cut out a formula.
  if (/[",;\t\n\r]/.test(text)) return `"${text.replace(/"/g, '""')}"`;
  return text;
}

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
