/**
 * The state of one invocation (streams, environment, global flags, exit code) and how
 * commands reach the store: by its address, through storage's open functions.
 */
import type { Readable, Writable } from 'node:stream';
import { UsageError } from '../errors.js';
import { openReadStore, storeAddress, storeLabel, type StoreAddress } from '../storage/open-store.js';
import type { ReadStore } from '../storage/reads/index.js';
import { FORMATS, type Format } from '../reports/formats.js';
import type { OutputOptions } from '../reports/render.js';

/** What a command may touch of the outside world: passed in, never taken from globals. */
export interface CliIo {
  stdout: Writable & { isTTY?: boolean };
  stderr: Writable & { isTTY?: boolean };
  stdin: Readable & { isTTY?: boolean };
  env: NodeJS.ProcessEnv;
  cwd: string;
}

export interface GlobalOptions {
  db?: string;
  busyTimeout?: string;
  quiet?: boolean;
  debug?: boolean;
  color?: boolean;
}

/** Shared state of one invocation; commands report a non-error exit code through it. */
export class CliContext {
  readonly io: CliIo;
  exitCode = 0;
  private globals: GlobalOptions = {};

  constructor(io: CliIo) {
    this.io = io;
  }

  setGlobals(globals: GlobalOptions): void {
    this.globals = globals;
  }

  get quiet(): boolean {
    return this.globals.quiet === true;
  }

  get debug(): boolean {
    return this.globals.debug === true;
  }

  /** Colour on a terminal only, never with NO_COLOR or --no-color. */
  colorFor(stream: { isTTY?: boolean }): boolean {
    if (this.globals.color === false) return false;
    if (this.io.env['NO_COLOR'] !== undefined && this.io.env['NO_COLOR'] !== '') return false;
    if (this.io.env['FORCE_COLOR'] !== undefined && this.io.env['FORCE_COLOR'] !== '0') return true;
    return stream.isTTY === true;
  }

  /** Progress is drawn only on a terminal and never with --quiet. */
  get showProgress(): boolean {
    return !this.quiet && this.io.stderr.isTTY === true;
  }

  /** How messages name the store (a file, or a redacted URL); never throws. */
  storeLabel(): string {
    try {
      return storeLabel(storeAddress(this.globals.db, this.io.env, this.io.cwd));
    } catch {
      return String(this.globals.db ?? this.io.env['STAYAUDIT_DB'] ?? 'stayaudit.db');
    }
  }

  busyTimeoutMs(): number | undefined {
    if (this.globals.busyTimeout === undefined) return undefined;
    const seconds = Number(this.globals.busyTimeout);
    if (!Number.isFinite(seconds) || seconds < 0) throw new UsageError(`--busy-timeout must be a number of seconds, not '${this.globals.busyTimeout}'`);
    return Math.round(seconds * 1000);
  }

  /** Where the store is and how long to wait for its locks: what storage opens it by. */
  storeAddress(): StoreAddress {
    const address = storeAddress(this.globals.db, this.io.env, this.io.cwd, this.busyTimeoutMs());
    // Rows per segment of a first import into PostgreSQL: how tests make several segments of a small file.
    const segment = this.io.env['STAYAUDIT_PG_SEGMENT_ROWS'];
    if (segment !== undefined && segment !== '') {
      if (!/^[1-9]\d{0,8}$/.test(segment)) throw new UsageError(`STAYAUDIT_PG_SEGMENT_ROWS must be a whole number from 1 to 999999999, not '${segment}'`);
      address.segmentRows = Number(segment);
    }
    return address;
  }

  /** A read-only store for the reading commands (an SQLite file or a PostgreSQL database). */
  openRead(): Promise<ReadStore> {
    return openReadStore(this.storeAddress());
  }

  /** Summaries and warnings: stderr, silenced by --quiet. */
  note(message: string): void {
    if (!this.quiet) this.io.stderr.write(message.endsWith('\n') ? message : message + '\n');
  }

  warn(message: string): void {
    if (!this.quiet) this.io.stderr.write(`warning: ${message}\n`);
  }
}

export interface OutputFlags {
  format?: string;
  output?: string;
  headers?: boolean;
  raw?: boolean;
  mask?: boolean;
  failOnFindings?: boolean;
  followSymlinks?: boolean;
}

/** Table on a terminal, CSV when piped, unless --format says otherwise. */
export function outputOptions(ctx: CliContext, flags: OutputFlags, maskKey: string | null): OutputOptions {
  let format: Format;
  const toStdout = flags.output === undefined || flags.output === '-';
  if (flags.format === undefined) {
    format = toStdout && ctx.io.stdout.isTTY === true ? 'table' : 'csv';
  } else if ((FORMATS as readonly string[]).includes(flags.format)) {
    format = flags.format as Format;
  } else {
    throw new UsageError(`unknown --format '${flags.format}'`, `use one of ${FORMATS.join(', ')}`);
  }
  return {
    format,
    noHeaders: flags.headers === false,
    raw: flags.raw === true,
    color: toStdout && ctx.colorFor(ctx.io.stdout),
    maskKey: flags.mask === true ? maskKey : null,
  };
}

/** A flag's value as a whole number (digits only), or a usage error naming the flag. */
export function parseWholeNumberFlag(flag: string, value: string): number {
  if (!/^\d+$/.test(value)) throw new UsageError(`${flag} must be a whole number, not '${value}'`);
  return Number(value);
}

export { parseDateFlag, today } from './date-flags.js';
