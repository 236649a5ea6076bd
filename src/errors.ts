/**
 * Typed errors shared by every layer. The CLI formats them once (`error: …` plus the
 * hint) and maps them to the exit codes below; nothing else calls process.exit.
 */

/** The published exit-code table (README "Exit codes"). */
export const ExitCode = {
  ok: 0,
  internal: 1,
  usage: 2,
  input: 3,
  storage: 4,
  rowsRejected: 5,
  findingsPresent: 6,
  busy: 7,
  interrupted: 130,
  terminated: 143,
} as const;
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

export class StayauditError extends Error {
  readonly exitCode: ExitCodeValue;
  readonly hint: string | undefined;
  constructor(message: string, exitCode: ExitCodeValue, hint?: string) {
    super(message);
    this.name = new.target.name;
    this.exitCode = exitCode;
    this.hint = hint;
  }
}

/** How a failure reads on stderr: `error: …` and, when there is one, `hint: …`. */
export function errorText(error: StayauditError): string {
  return `error: ${error.message}\n${error.hint ? `hint: ${error.hint}\n` : ''}`;
}

/** The user asked for something malformed (flags, arguments, dates). */
export class UsageError extends StayauditError {
  constructor(message: string, hint?: string) {
    super(message, ExitCode.usage, hint);
  }
}

/** An input file (data, mapping or rules) cannot be used as a whole. */
export class InputError extends StayauditError {
  readonly file: string | undefined;
  readonly line: number | undefined;
  constructor(message: string, options: { file?: string; line?: number; hint?: string } = {}) {
    super(message, ExitCode.input, options.hint);
    this.file = options.file;
    this.line = options.line;
  }
}

/** The database cannot be opened, read or written. */
export class StorageError extends StayauditError {
  constructor(message: string, hint?: string) {
    super(message, ExitCode.storage, hint);
  }
}

/**
 * An output file cannot be written: `usage` when the path cannot be used (a directory,
 * a missing directory, no permission, a symbolic link), `storage` when the disk fails
 * or fills while writing.
 */
export class OutputError extends StayauditError {
  constructor(message: string, kind: 'usage' | 'storage', hint?: string) {
    super(message, kind === 'usage' ? ExitCode.usage : ExitCode.storage, hint);
  }
}

/** Another process holds a lock we need (e.g. a nightly job already running). */
export class BusyError extends StayauditError {
  constructor(message: string, hint?: string) {
    super(message, ExitCode.busy, hint);
  }
}
