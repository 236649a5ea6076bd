/**
 * Files that appear whole or not at all: written under a temporary name and renamed
 * into place, with clear errors for paths that cannot be used. Used by the reports,
 * the nightly report set and the import's rejects file, so it sits apart from all of
 * them (src/files has no dependency on the rest but errors.ts).
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { OutputError } from '../errors.js';

export interface AtomicWriteOptions {
  /** Write to the file a symbolic link points to (the link stays); by default a link is refused. */
  followSymlink?: boolean;
}

/**
 * Writes a file under a temporary name in the same directory and renames it into
 * place when complete: a reader (or a crash) never sees half a report. The temporary
 * is created exclusively (O_EXCL, O_NOFOLLOW, mode 0600) under an unpredictable name,
 * so a link planted beside the target cannot redirect the write; a target that is a
 * symbolic link is refused unless asked. Every failure is an OutputError (usage: the
 * path cannot be used; storage: the disk failed or filled) and leaves no temporary.
 */
export async function writeFileAtomically<T>(target: string, write: (out: fs.WriteStream) => Promise<T>, options: AtomicWriteOptions = {}): Promise<T> {
  const real = usableTarget(target, options);
  removeStaleTemporaries(real);
  const temp = path.join(path.dirname(real), `.${path.basename(real)}.tmp-${process.pid}-${randomBytes(6).toString('hex')}`);
  let fd: number;
  try {
    fd = fs.openSync(temp, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL | fs.constants.O_NOFOLLOW, 0o600);
  } catch (error) {
    throw outputFailure(error, target);
  }
  const out = fs.createWriteStream('', { fd, autoClose: false });
  // A write that fails (disk full) fails the whole file, whenever its error arrives.
  let failure: Error | null = null;
  out.on('error', (error) => (failure ??= error));
  try {
    const result = await write(out);
    await new Promise<void>((resolve, reject) => {
      if (failure !== null || out.destroyed) {
        reject(failure ?? new Error('output stream closed early'));
        return;
      }
      out.end((error?: Error | null) => (error ? reject(error) : resolve()));
    });
    if (failure !== null) throw failure;
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fd = -1;
    fs.renameSync(temp, real);
    return result;
  } catch (error) {
    out.destroy();
    if (fd >= 0) {
      try {
        fs.closeSync(fd);
      } catch {
        // Already closed by the stream.
      }
    }
    fs.rmSync(temp, { force: true });
    throw outputFailure(error, target);
  }
}

/** The path to rename onto: the target itself, or with followSymlink the file its link names. */
function usableTarget(target: string, options: AtomicWriteOptions): string {
  let stat: fs.Stats | null = null;
  try {
    stat = fs.lstatSync(target);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw outputFailure(error, target);
  }
  let real = target;
  if (stat?.isSymbolicLink()) {
    if (options.followSymlink !== true) {
      throw new OutputError(`${target} is a symbolic link; it is not replaced or followed`, 'usage', 'give the real path, or pass --follow-symlinks to write to the file it points to');
    }
    try {
      real = fs.realpathSync(target);
      stat = fs.statSync(real);
    } catch (error) {
      throw outputFailure(error, target);
    }
  }
  if (stat !== null && !stat.isFile()) {
    throw new OutputError(`cannot write ${target}: it is ${stat.isDirectory() ? 'a directory' : 'not a regular file'}`, 'usage', 'give a file name, e.g. -o DIR/report.csv');
  }
  const dir = path.dirname(real);
  let dirStat: fs.Stats;
  try {
    dirStat = fs.statSync(dir);
  } catch (error) {
    throw outputFailure(error, target);
  }
  if (!dirStat.isDirectory()) throw new OutputError(`cannot write ${target}: ${dir} is not a directory`, 'usage', 'create the directory first, or choose another path');
  return real;
}

/** What a file-system error while writing an output means, as a typed error naming the file. */
export function outputFailure(error: unknown, target: string): Error {
  if (error instanceof OutputError) return error;
  const code = (error as NodeJS.ErrnoException).code ?? '';
  switch (code) {
    case 'ENOENT':
    case 'ENOTDIR':
      return new OutputError(`cannot write ${target}: the directory does not exist`, 'usage', 'create the directory first, or choose another path');
    case 'EISDIR':
      return new OutputError(`cannot write ${target}: it is a directory`, 'usage', 'give a file name, e.g. -o DIR/report.csv');
    case 'EACCES':
    case 'EPERM':
    case 'EROFS':
      return new OutputError(`cannot write ${target}: permission denied`, 'usage', 'choose a directory you can write to');
    case 'ELOOP':
    case 'EEXIST':
      return new OutputError(`cannot write ${target}: a file or link appeared at the temporary name`, 'usage', 'someone else writes in that directory; choose a private one');
    case 'ENOSPC':
    case 'EDQUOT':
    case 'EFBIG':
      return new OutputError(`disk full while writing ${target}; nothing was written`, 'storage', 'free disk space and run the same command again');
    case 'EIO':
      return new OutputError(`I/O error while writing ${target}; nothing was written`, 'storage', 'check the disk and run the same command again');
    default:
      return error instanceof Error ? error : new Error(String(error));
  }
}

/** Removes `.NAME.tmp-PID-…` files beside `target` whose process no longer runs. */
export function removeStaleTemporaries(target: string): void {
  const dir = path.dirname(target);
  const prefix = `.${path.basename(target)}.tmp-`;
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    if (!name.startsWith(prefix)) continue;
    const pid = Number(name.slice(prefix.length).split('-')[0]);
    if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && !processAlive(pid)) fs.rmSync(path.join(dir, name), { force: true });
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
