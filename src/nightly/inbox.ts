/**
 * The nightly inbox: which files to import (patterns, hidden and temporary names
 * skipped), opening each once with a checksum, telling its dataset, and quarantining
 * a file that failed; names are escaped before they are printed.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { InputError, type StayauditError } from '../errors.js';
import { detectDatasetOfText } from '../import/detect-file.js';
import { openRegularFile } from '../import/open-input.js';
import { DATASETS, type DatasetName } from '../import/rows.js';

/** The inbox files nightly imports when no --pattern is given. */
export const DEFAULT_PATTERNS: readonly string[] = ['*.csv', '*.csv.gz'];

/** A name as it may be printed: control and bidirectional characters escaped (a name cannot forge a line). */
export function safeName(name: string): string {
  // eslint-disable-next-line no-control-regex
  const escaped = name.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069\\]/g, (c) =>
    c === '\\' ? '\\\\' : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
  return escaped === name ? name : `"${escaped.replace(/"/g, '\\"')}"`;
}

/** Any text for the summary or the log: control characters escaped, cut to `max` characters. */
export function safeText(text: string, max = 400): string {
  // eslint-disable-next-line no-control-regex
  const escaped = text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return escaped.length > max ? `${escaped.slice(0, max)}…` : escaped;
}

/** A glob of file names (`*` any run of characters, `?` one), case-insensitive. */
export function globMatcher(patterns: readonly string[]): (name: string) => boolean {
  const regexes = patterns.map(
    (p) => new RegExp(`^${p.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 'is'),
  );
  return (name) => regexes.some((r) => r.test(name));
}

export interface InboxEntry {
  name: string;
  file: string;
}

export interface InboxListing {
  candidates: InboxEntry[];
  /** Names not matching the pattern (left alone, listed in the summary). */
  ignored: string[];
}

/**
 * The inbox's entries in name order. Hidden names and our own temporaries are
 * skipped, sub-folders (the quarantine) too; what does not match the pattern is
 * ignored and listed. Nothing is opened or followed here.
 */
export function listInbox(inbox: string, patterns: readonly string[]): InboxListing {
  const matches = globMatcher(patterns);
  const candidates: InboxEntry[] = [];
  const ignored: string[] = [];
  for (const entry of fs.readdirSync(inbox, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    if (entry.name.startsWith('.') || entry.name.includes('.tmp')) continue;
    if (entry.isDirectory()) continue;
    if (!matches(entry.name)) {
      ignored.push(entry.name);
      continue;
    }
    candidates.push({ name: entry.name, file: path.join(inbox, entry.name) });
  }
  return { candidates, ignored };
}

export interface OpenedInboxFile {
  fd: number;
  size: number;
  checksum: string;
}

/**
 * Opens one inbox file once (no symbolic link unless `followSymlinks`; regular files
 * only) and checksums it through that descriptor: what is checked is what is imported.
 */
export function openInboxFile(entry: InboxEntry, followSymlinks: boolean): OpenedInboxFile {
  if (!followSymlinks) {
    let link = false;
    try {
      link = fs.lstatSync(entry.file).isSymbolicLink();
    } catch {
      // Gone meanwhile: the open below says so.
    }
    if (link) {
      throw new InputError(`${safeName(entry.name)} is a symbolic link; links are not followed out of the inbox`, {
        file: entry.file,
        hint: 'put the file itself in the inbox, or pass --follow-symlinks',
      });
    }
  }
  const fd = openRegularFile(entry.file, { noFollow: !followSymlinks });
  try {
    const size = fs.fstatSync(fd).size;
    const hash = createHash('sha256');
    const buffer = Buffer.alloc(1 << 20);
    let position = 0;
    for (;;) {
      const n = fs.readSync(fd, buffer, 0, buffer.length, position);
      if (n === 0) break;
      hash.update(buffer.subarray(0, n));
      position += n;
    }
    return { fd, size, checksum: hash.digest('hex') };
  } catch (error) {
    fs.closeSync(fd);
    throw new InputError(`${safeName(entry.name)}: cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`, { file: entry.file });
  }
}

/** Which dataset an inbox file holds: its name first (crossings*.csv …), else its header (gzip read through). */
export function datasetOfInboxFile(name: string, fd: number): DatasetName | null {
  const base = name.toLowerCase();
  for (const dataset of DATASETS) if (base.startsWith(dataset)) return dataset;
  const buffer = Buffer.alloc(64 * 1024);
  const n = fs.readSync(fd, buffer, 0, buffer.length, 0);
  let head = buffer.subarray(0, n);
  if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) {
    try {
      head = zlib.gunzipSync(head, { finishFlush: zlib.constants.Z_SYNC_FLUSH });
    } catch {
      return null;
    }
  }
  return detectDatasetOfText(head);
}

export interface Quarantined {
  to: string | null;
  error: string | null;
}

/**
 * Moves a failed inbox file (or link: the link itself) into the quarantine folder, so
 * one bad file does not fail every later night. A name already there gets a suffix.
 */
export function quarantine(entry: InboxEntry, dir: string): Quarantined {
  try {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    let target = path.join(dir, entry.name);
    for (let n = 1; fs.existsSync(target) || isLink(target); n++) target = path.join(dir, `${entry.name}.${n}`);
    fs.renameSync(entry.file, target);
    return { to: target, error: null };
  } catch (error) {
    return { to: null, error: (error as NodeJS.ErrnoException).code ?? (error as Error).message };
  }
}

function isLink(file: string): boolean {
  try {
    return fs.lstatSync(file).isSymbolicLink();
  } catch {
    return false;
  }
}

export interface FailedFile {
  name: string;
  file: string;
  error: StayauditError;
  quarantined: Quarantined | null;
}
