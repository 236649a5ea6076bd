/**
 * Reads one input stream as one dataset: decode → parse CSV → map headers →
 * validate and normalise each row. Yields batches of numbered rows and rejects; the
 * generator's return value is the summary. No storage here: the caller inserts.
 *
 * Every non-blank record after the header ends up as a row or a reject, so
 * `rowsRead = rowsAccepted + rejected` always holds. Whole-file problems (empty, not
 * CSV, missing required columns) throw ImportFileError before any batch is yielded.
 *
 * The parts: dataset-sink.ts (header, rows and rejects into batches), builders/ (one
 * row builder per dataset, on the shared readers of builders/cells.ts).
 */
import { CsvParser, detectDelimiter, type CsvLimits, type Delimiter } from './csv.js';
import { InputDecoder, type Encoding } from './decode.js';
import { ImportFileError } from './errors.js';
import type { HeaderMapping } from './headers.js';
import { DatasetSink, type RowBatch } from './dataset-sink.js';
import type { DatasetName, RowFor } from './rows.js';

export { ImportFileError } from './errors.js';
export type { RowFor } from './rows.js';
export type { Encoding } from './decode.js';
export type { Delimiter } from './csv.js';
export type { Reject, RowBatch } from './dataset-sink.js';

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

const PIECE_CHARS = 64 * 1024;

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
