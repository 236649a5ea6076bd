/**
 * Rejects files: rejected rows as they were read, behind `_file,_line,_reason`, so the
 * file can be fixed and imported again (the importer ignores those three columns).
 * Written by `import --rejects` as rows are read, and by the nightly job from the
 * rejects kept in the store.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { OutputError } from '../errors.js';
import { outputFailure, removeStaleTemporaries } from '../files/atomic-file.js';
import { csvCell } from '../files/csv-cell.js';

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

/** A reject's reason without the values it quotes ("citizenship: unknown country 'ZZZ'" → "… '…'"), so that reasons group. */
export function rejectionKind(reason: string): string {
  return reason.replace(/'[^']*'/g, "'…'").slice(0, 300);
}

/**
 * Rejected rows, written as they were read, behind `_file,_line,_reason`, so the file
 * can be fixed and imported again. Written to a temporary name (created exclusively)
 * and renamed on close, so a failed run leaves no half file; temporaries left by a
 */
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
