/**
 * The CSV parser's sink for one dataset: the first non-blank record is the header
 * (mapped to fields, which picks the row builder), every later one becomes a numbered
 * row or a reject with its reason, gathered into batches for the reader to yield.
 */
import type { CsvSink } from './csv.js';
import type { InputDecoder } from './decode.js';
import { ImportFileError } from './errors.js';
import { mapHeaders, type HeaderMapping } from './headers.js';
import { makeBuilder, type RowBuilder } from './builders/index.js';
import type { DatasetName, RowFor } from './rows.js';

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

export interface SinkOptions {
  /** Header mapping (see headers.ts). */
  mapping?: HeaderMapping;
  /** Rows + rejects per batch (default 5000). */
  batchSize?: number;
}

const DEFAULT_BATCH_SIZE = 5000;

export class DatasetSink<D extends DatasetName> implements CsvSink {
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
  private readonly options: SinkOptions;
  private readonly batchSize: number;
  private build: RowBuilder<RowFor<D>> | null = null;
  private width = 0;
  private batch: RowBatch<RowFor<D>> | null = null;
  private readonly errors: string[] = [];

  constructor(dataset: D, file: string, decoder: InputDecoder, options: SinkOptions) {
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
