import fs from 'node:fs';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { CsvParser, type CsvLimits, type Delimiter } from '../../src/import/csv.js';
import { readDataset, type ReadOptions, type ReadSummary, type Reject } from '../../src/import/read-dataset.js';
import type { DatasetName, RowFor } from '../../src/import/rows.js';

export const FIXTURES = fileURLToPath(new URL('../../fixtures/import/', import.meta.url));

export function fixture(name: string): Buffer {
  return fs.readFileSync(FIXTURES + name);
}

/** A byte stream of `data` in chunks of `chunkSize` bytes (small sizes exercise chunk seams). */
export function streamOf(data: Buffer | string, chunkSize = 64 * 1024): Readable {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  const chunks: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += chunkSize) chunks.push(bytes.subarray(i, i + chunkSize));
  return Readable.from(chunks, { objectMode: false });
}

export interface ReadResult<D extends DatasetName> {
  rows: { line: number; row: RowFor<D> }[];
  rejects: Reject[];
  batches: number;
  headers: (readonly string[])[];
  summary: ReadSummary;
}

export async function readAll<D extends DatasetName>(
  data: Buffer | string,
  dataset: D,
  options: ReadOptions & { chunkSize?: number } = {},
): Promise<ReadResult<D>> {
  const { chunkSize, ...readOptions } = options;
  const reader = readDataset(streamOf(data, chunkSize), dataset, 'test.csv', readOptions);
  const result: Omit<ReadResult<D>, 'summary'> = { rows: [], rejects: [], batches: 0, headers: [] };
  for (;;) {
    const step = await reader.next();
    if (step.done === true) return { ...result, summary: step.value };
    result.batches++;
    result.rows.push(...step.value.rows);
    result.rejects.push(...step.value.rejects);
    result.headers.push(step.value.header);
  }
}

export interface Parsed {
  records: { line: number; fields: string[] }[];
  bad: { line: number; raw: string[]; reason: string }[];
  linesRead: number;
}

/** Runs the CSV parser over `text` fed in pieces of `pieceSize` characters. */
export function parseCsv(text: string, delimiter: Delimiter = ',', pieceSize = Infinity, limits?: Partial<CsvLimits>): Parsed {
  const parser = new CsvParser(delimiter, limits);
  const parsed: Parsed = { records: [], bad: [], linesRead: 0 };
  const sink = {
    record: (fields: string[], line: number) => parsed.records.push({ line, fields }),
    bad: (line: number, raw: string[], reason: string) => parsed.bad.push({ line, raw, reason }),
  };
  const size = Number.isFinite(pieceSize) ? pieceSize : Math.max(1, text.length);
  for (let i = 0; i < text.length; i += size) parser.push(text.slice(i, i + size), sink);
  parser.end(sink);
  parsed.linesRead = parser.linesRead;
  return parsed;
}

/** Windows-1251 bytes (Node can decode but not encode cp1251): the generator's encoder. */
export { encodeCp1251 } from '../../src/generate/cp1251.js';
