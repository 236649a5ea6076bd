import { InputError } from '../errors.js';

/**
 * A whole input file cannot be read as the dataset asked for: empty, not CSV text,
 * missing required columns, a malformed mapping file. Nothing of the file is imported.
 * (A bad row is not an ImportFileError: it becomes a reject and the import goes on.)
 *
 * The message starts with the file label (and line, when known), so the CLI can print
 * it as is: `error: data.csv, line 1: missing required column(s) ...`.
 */
export class ImportFileError extends InputError {
  declare readonly file: string;
  /** The message without the `file, line N:` prefix. */
  readonly detail: string;

  constructor(file: string, detail: string, options: { line?: number; hint?: string } = {}) {
    const where = options.line === undefined ? file : `${file}, line ${options.line}`;
    super(`${where}: ${detail}`, { file, ...options });
    this.detail = detail;
  }
}
