/**
 * Opening an import's input: a file argument or stdin, regular files only (opened
 * once, so what is checked is what is read), gzip read through when the bytes say so.
 */
import fs from 'node:fs';
import { PassThrough, type Readable } from 'node:stream';
import zlib from 'node:zlib';
import { InputError } from '../errors.js';

/** An input opened for reading: its bytes, its size when known, and how errors name it. */
export interface OpenedInput {
  stream: Readable;
  size: number | null;
  label: string;
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
export function openInput(file: string, stdin: Readable, options: OpenInputOptions = {}): OpenedInput {
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
