import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { PassThrough, type Readable } from 'node:stream';
import { InputError } from '../errors.js';
import type { Connection } from '../storage/database.js';
import { ImportTransaction } from '../storage/import-store.js';
import { csvCell } from '../reports/render.js';
import { readDataset, type ReadOptions } from './read-dataset.js';
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
}

/** Opens a file argument (`-` is stdin) as a byte stream, with a clear error when it cannot. */
export function openInput(file: string, stdin: Readable): { stream: Readable; size: number | null; label: string } {
  if (file === '-') return { stream: stdin, size: null, label: '<stdin>' };
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch {
    throw new InputError(`${file}: no such file`, { file, hint: 'check the path' });
  }
  if (stat.isDirectory()) throw new InputError(`${file} is a directory, not a CSV file`, { file });
  return { stream: fs.createReadStream(file, { highWaterMark: 1 << 20 }), size: stat.size, label: file };
}

/**
 * Imports one file as one transaction: decode → parse → map headers → normalise →
 * batch insert. Every row ends up added, updated, duplicate or rejected; a file that
 * cannot be read as the dataset leaves the database exactly as before.
 */
export async function importFile(
  db: Connection,
  file: string,
  stdin: Readable,
  options: ImportOptions,
  rejects: RejectsWriter | null,
): Promise<FileImportSummary> {
  const { stream, size, label } = openInput(file, stdin);
  const hash = createHash('sha256');
  let bytes = 0;
  const counted = new PassThrough({ highWaterMark: 1 << 20 });
  stream.on('data', (chunk: Buffer) => {
    hash.update(chunk);
    bytes += chunk.length;
  });
  stream.on('error', (error) => counted.destroy(error));
  stream.pipe(counted);

  const readOptions: ReadOptions = {};
  if (options.encoding !== undefined) readOptions.encoding = options.encoding;
  if (options.delimiter !== undefined) readOptions.delimiter = options.delimiter;
  if (options.mapping !== undefined) readOptions.mapping = options.mapping;

  const startedAt = new Date().toISOString();
  const tx = new ImportTransaction(db, label, options.dataset);
  const totals = { read: 0, added: 0, updated: 0, duplicate: 0, rejected: 0 };
  const rejections = new Map<string, { reason: string; rows: number; firstLine: number }>();
  let began = false;
  // Progress only for imports that take a while: the first line after a second.
  let lastProgress = Date.now() + 800;
  try {
    const reader = readDataset(counted, options.dataset, label, readOptions);
    let step = await reader.next();
    while (!step.done) {
      const batch = step.value;
      if (!began) {
        tx.begin(startedAt);
        began = true;
      }
      if (batch.rows.length > 0) tx.stage(batch.rows);
      if (batch.rejects.length > 0) {
        totals.rejected += batch.rejects.length;
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
    if (!began) tx.begin(startedAt);
    if (options.onProgress && Date.now() > lastProgress) {
      options.onProgress({ file: label, bytesRead: bytes, totalBytes: size, rowsRead: totals.read, merging: true });
    }
    const merged = tx.merge();
    totals.added += merged.added;
    totals.updated += merged.updated;
    totals.duplicate += merged.duplicate;
    const checksum = hash.digest('hex');
    const importId = tx.commit({
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
    };
  } catch (error) {
    tx.rollback();
    stream.destroy();
    throw error;
  }
}

/**
 * Rejected rows, written as they were read, behind `file,line,reason`, so the file can
 * be fixed and imported again (unknown columns are ignored by the importer). Written
 * to a temporary name and renamed on close, so a failed run leaves no half file.
 */
/** A reject's reason without the values it quotes ("citizenship: unknown country 'ZZZ'" → "… '…'"), so that reasons group. */
export function rejectionKind(reason: string): string {
  return reason.replace(/'[^']*'/g, "'…'").slice(0, 300);
}

function tallyRejection(tally: Map<string, { reason: string; rows: number; firstLine: number }>, reason: string, line: number): void {
  const kind = rejectionKind(reason);
  const entry = tally.get(kind);
  if (entry) entry.rows++;
  // A file's distinct reasons are few; a pathological one keeps its first thousand kinds.
  else if (tally.size < 1000) tally.set(kind, { reason: kind, rows: 1, firstLine: line });
}

export class RejectsWriter {
  private readonly target: string;
  private readonly temp: string;
  private fd: number | null = null;
  private header: readonly string[] | null = null;

  constructor(target: string) {
    this.target = path.resolve(target);
    this.temp = `${this.target}.tmp-${process.pid}`;
  }

  write(file: string, header: readonly string[], rejects: readonly { line: number; raw: readonly string[]; reason: string }[]): void {
    if (this.fd === null) {
      try {
        this.fd = fs.openSync(this.temp, 'w', 0o600);
      } catch (error) {
        throw new InputError(`cannot write rejects file ${this.target}: ${(error as Error).message}`, { hint: 'check the directory of --rejects' });
      }
    }
    let text = '';
    if (this.header === null || !sameHeader(this.header, header)) {
      // A file with other columns starts a new header block: still valid CSV per block.
      this.header = header;
      text += ['file', 'line', 'reason', ...header].map((c) => csvCell(c, false)).join(',') + '\n';
    }
    for (const reject of rejects) {
      // Neutralised like every export; the importer drops the apostrophe again.
      text += [file, reject.line, reject.reason, ...reject.raw].map((c) => csvCell(c, false)).join(',') + '\n';
    }
    fs.writeSync(this.fd, text);
  }

  /** Renames the temporary file into place (or removes it when nothing was rejected). */
  close(keep: boolean): void {
    if (this.fd === null) return;
    fs.closeSync(this.fd);
    this.fd = null;
    if (keep) fs.renameSync(this.temp, this.target);
    else fs.rmSync(this.temp, { force: true });
  }
}

function sameHeader(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}
