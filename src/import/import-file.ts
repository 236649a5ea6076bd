import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { PassThrough, type Readable } from 'node:stream';
import zlib from 'node:zlib';
import { InputError, OutputError } from '../errors.js';
import { outputFailure, removeStaleTemporaries } from '../files/atomic-file.js';
import type { Connection } from '../storage/database.js';
import { ImportTransaction } from '../storage/import-store.js';
import { csvCell } from '../files/csv-cell.js';
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
  /** The file already opened by the caller (nightly opens each inbox file once). */
  input?: { stream: Readable; size: number | null; label: string };
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

export interface OpenInputOptions {
  /** Refuse a path that is a symbolic link (nightly reads only files inside the inbox). */
  noFollow?: boolean;
}

/**
 * Opens a file argument (`-` is stdin) as a byte stream, with a clear error when it
 * cannot: missing, unreadable, a directory, or not a regular file (a FIFO with no
 * writer would hang the import; a device never ends). The file is opened once, and
 * what is read is what was checked.
 */
export function openInput(file: string, stdin: Readable, options: OpenInputOptions = {}): { stream: Readable; size: number | null; label: string } {
  if (file === '-') return { stream: stdin, size: null, label: '<stdin>' };
  const fd = openRegularFile(file, options);
  const size = fs.fstatSync(fd).size;
  return { stream: fs.createReadStream('', { fd, highWaterMark: 1 << 20 }), size, label: file };
}

/** Opens a regular file for reading (non-blocking, so a FIFO cannot hang the open) or throws an InputError. */
export function openRegularFile(file: string, options: OpenInputOptions = {}): number {
  let fd: number;
  try {
    fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK | (options.noFollow ? fs.constants.O_NOFOLLOW : 0));
  } catch (error) {
    throw inputOpenFailure(error, file);
  }
  let stat: fs.Stats;
  try {
    stat = fs.fstatSync(fd);
  } catch (error) {
    fs.closeSync(fd);
    throw inputOpenFailure(error, file);
  }
  if (!stat.isFile()) {
    fs.closeSync(fd);
    if (stat.isDirectory()) throw new InputError(`${file} is a directory, not a CSV file`, { file });
    const kind = stat.isFIFO() ? 'a named pipe (FIFO)' : stat.isSocket() ? 'a socket' : 'a device';
    throw new InputError(`${file} is ${kind}, not a regular file`, { file, hint: "pipe the data into stdin instead: … | stayaudit import DATASET -" });
  }
  return fd;
}

function inputOpenFailure(error: unknown, file: string): InputError {
  const code = (error as NodeJS.ErrnoException).code ?? '';
  switch (code) {
    case 'ENOENT':
      return new InputError(`${file}: no such file`, { file, hint: 'check the path' });
    case 'EACCES':
    case 'EPERM':
      return new InputError(`${file}: permission denied`, { file, hint: 'make the file readable by this user' });
    case 'ELOOP':
      return new InputError(`${file} is a symbolic link, which is not followed here`, { file, hint: 'put the file itself there, or pass --follow-symlinks' });
    default:
      return new InputError(`${file}: cannot be read (${code || (error as Error).message})`, { file, hint: 'check the file' });
  }
}

/**
 * The bytes of a stream, decompressed when they start with the gzip magic (1f 8b), so
 * `crossings.csv.gz` imports like `crossings.csv`. A corrupt or truncated gzip stream
 * is an InputError naming the file.
 */
export function gunzipIfCompressed(source: Readable, label: string): Readable {
  const out = new PassThrough({ highWaterMark: 1 << 20 });
  let decided = false;
  let target: NodeJS.WritableStream = out;
  const fail = (error: Error): void => {
    out.destroy(new InputError(`${label}: not a valid gzip file (${(error as NodeJS.ErrnoException).code ?? error.message})`, { file: label, hint: 'check that the export was copied completely' }));
  };
  source.on('data', (chunk: Buffer) => {
    if (!decided) {
      decided = true;
      if (chunk.length >= 2 && chunk[0] === 0x1f && chunk[1] === 0x8b) {
        const gunzip = zlib.createGunzip();
        gunzip.on('error', fail);
        gunzip.pipe(out);
        target = gunzip;
      }
    }
    if (!target.write(chunk)) {
      source.pause();
      (target as NodeJS.WritableStream & { once: (e: string, f: () => void) => void }).once('drain', () => source.resume());
    }
  });
  source.on('end', () => target.end());
  source.on('error', (error) => out.destroy(error));
  out.on('close', () => {
    if (!source.destroyed) source.destroy();
  });
  return out;
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
        tx.keepRejects(batch.header, batch.rejects);
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
      ignoredColumns: summary.ignoredColumns,
    };
  } catch (error) {
    tx.rollback();
    stream.destroy();
    throw error;
  }
}

/**
 * The bookkeeping columns of a rejects file. Their leading underscore keeps them apart
 * from every dataset column (expulsions have a `reason` of their own), and the
 * importer ignores them, so a fixed rejects file imports as it is.
 */
export const REJECT_COLUMNS = ['_file', '_line', '_reason'] as const;

/** The header line of a block of rejects. */
export function rejectsHeaderLine(header: readonly string[]): string {
  return [...REJECT_COLUMNS, ...header].map((c) => csvCell(c, false)).join(',') + '\n';
}

/** One rejected row as a line of the rejects file (neutralised like every export; the importer drops the apostrophe again). */
export function rejectLine(file: string, reject: { line: number; raw: readonly string[]; reason: string }): string {
  return [file, reject.line, reject.reason, ...reject.raw].map((c) => csvCell(c, false)).join(',') + '\n';
}

/**
 * Rejected rows, written as they were read, behind `_file,_line,_reason`, so the file
 * can be fixed and imported again. Written to a temporary name (created exclusively)
 * and renamed on close, so a failed run leaves no half file; temporaries left by a
 * killed process are removed by the next writer of the same file.
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
    this.temp = path.join(path.dirname(this.target), `.${path.basename(this.target)}.tmp-${process.pid}-${randomBytes(6).toString('hex')}`);
  }

  write(file: string, header: readonly string[], rejects: readonly { line: number; raw: readonly string[]; reason: string }[]): void {
    if (this.fd === null) {
      removeStaleTemporaries(this.target);
      let link = false;
      try {
        link = fs.lstatSync(this.target).isSymbolicLink();
      } catch {
        // Not there yet.
      }
      if (link) throw new OutputError(`rejects file ${this.target} is a symbolic link; it is not replaced or followed`, 'usage', 'give the real path to --rejects');
      try {
        this.fd = fs.openSync(this.temp, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL | fs.constants.O_NOFOLLOW, 0o600);
      } catch (error) {
        throw outputFailure(error, this.target);
      }
    }
    let text = '';
    if (this.header === null || !sameHeader(this.header, header)) {
      // A file with other columns starts a new header block: still valid CSV per block.
      this.header = header;
      text += rejectsHeaderLine(header);
    }
    for (const reject of rejects) text += rejectLine(file, reject);
    try {
      fs.writeSync(this.fd, text);
    } catch (error) {
      this.close(false);
      throw outputFailure(error, this.target);
    }
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
