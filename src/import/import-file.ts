/**
 * Imports one file as one transaction of the store's import session: decode → parse →
 * map headers → normalise (read-dataset.ts) → stage, merge, commit (storage). Every
 * row ends up added, updated, duplicate or rejected; a file that cannot be read as the
 * dataset leaves the store exactly as before.
 */
import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { ImportStore } from '../storage/import-store.js';
import { gunzipIfCompressed, openInput, type OpenedInput } from './open-input.js';
import { readDataset, type ReadOptions } from './read-dataset.js';
import { rejectionKind, type RejectsWriter } from './rejects-file.js';
import type { DatasetName } from './rows.js';
import type { HeaderMapping } from './headers.js';

export interface ImportOptions {
  dataset: DatasetName;
  encoding?: ReadOptions['encoding'];
  delimiter?: ReadOptions['delimiter'];
  /** Header mapping, e.g. from `loadMapping(path)`: read once for all the files. */
  mapping?: HeaderMapping;
  /** Called now and then with progress of the current file. */
  onProgress?: (progress: ImportProgress) => void;
  /** The file already opened by the caller (nightly opens each inbox file once). */
  input?: OpenedInput;
}

export interface ImportProgress {
  file: string;
  bytesRead: number;
  totalBytes: number | null;
  rowsRead: number;
  /** Reading is done; the staged rows are being merged into the store. */
  merging?: boolean;
}

export interface FileImportSummary {
  file: string;
  dataset: DatasetName;
  importId: number;
  checksum: string;
  bytes: number;
  encoding: string | null;
  delimiter: string | null;
  read: number;
  added: number;
  updated: number;
  duplicate: number;
  rejected: number;
  /** Header columns that were not used (unknown names, or mapped to null). */
  ignoredColumns: readonly string[];
}

/**
 * Imports one file as one import session of the store. Every row ends up added,
 * updated, duplicate or rejected; a file that cannot be read as the dataset leaves the
 * store exactly as before.
 */
export async function importFile(
  store: ImportStore,
  file: string,
  stdin: Readable,
  options: ImportOptions,
  rejects: RejectsWriter | null,
): Promise<FileImportSummary> {
  const { stream, size, label } = options.input ?? openInput(file, stdin);
  const hash = createHash('sha256');
  let bytes = 0;
  stream.on('data', (chunk: Buffer) => {
    hash.update(chunk);
    bytes += chunk.length;
  });
  // The checksum is of the file's bytes as they are (compressed or not).
  const counted = gunzipIfCompressed(stream, label);

  const readOptions: ReadOptions = {};
  if (options.encoding !== undefined) readOptions.encoding = options.encoding;
  if (options.delimiter !== undefined) readOptions.delimiter = options.delimiter;
  if (options.mapping !== undefined) readOptions.mapping = options.mapping;

  const startedAt = new Date().toISOString();
  const session = store.beginImport(label, options.dataset, startedAt);
  const totals = { read: 0, added: 0, updated: 0, duplicate: 0, rejected: 0 };
  const rejections = new Map<string, { reason: string; rows: number; firstLine: number }>();
  // Progress only for imports that take a while: the first line after a second.
  let lastProgress = Date.now() + 800;
  try {
    const reader = readDataset(counted, options.dataset, label, readOptions);
    let step = await reader.next();
    while (!step.done) {
      const batch = step.value;
      if (batch.rows.length > 0) await session.stage(batch.rows);
      if (batch.rejects.length > 0) {
        totals.rejected += batch.rejects.length;
        await session.keepRejects(batch.header, batch.rejects);
        rejects?.write(label, batch.header, batch.rejects);
        for (const reject of batch.rejects) tallyRejection(rejections, reject.reason, reject.line);
      }
      totals.read += batch.rows.length + batch.rejects.length;
      if (options.onProgress) {
        const now = Date.now();
        if (now - lastProgress > 200) {
          lastProgress = now;
          options.onProgress({ file: label, bytesRead: bytes, totalBytes: size, rowsRead: totals.read });
        }
      }
      step = await reader.next();
    }
    const summary = step.value;
    if (options.onProgress && Date.now() > lastProgress) {
      options.onProgress({ file: label, bytesRead: bytes, totalBytes: size, rowsRead: totals.read, merging: true });
    }
    const merged = await session.merge();
    totals.added += merged.added;
    totals.updated += merged.updated;
    totals.duplicate += merged.duplicate;
    const checksum = hash.digest('hex');
    const importId = await session.commit({
      dataset: options.dataset,
      file: label,
      checksum,
      bytes,
      encoding: summary.encoding,
      delimiter: summary.delimiter,
      startedAt,
      finishedAt: new Date().toISOString(),
      rowsRead: totals.read,
      ...totals,
      rejections: [...rejections.values()],
    });
    return {
      file: label,
      dataset: options.dataset,
      importId,
      checksum,
      bytes,
      encoding: summary.encoding,
      delimiter: summary.delimiter,
      ...totals,
      ignoredColumns: summary.ignoredColumns,
    };
  } catch (error) {
    await session.rollback();
    stream.destroy();
    throw error;
  }
}

function tallyRejection(tally: Map<string, { reason: string; rows: number; firstLine: number }>, reason: string, line: number): void {
  const kind = rejectionKind(reason);
  const entry = tally.get(kind);
  if (entry) entry.rows++;
  // A file's distinct reasons are few; a pathological one keeps its first thousand kinds.
  else if (tally.size < 1000) tally.set(kind, { reason: kind, rows: 1, firstLine: line });
}
