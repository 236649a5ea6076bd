/**
 * The per-file import loop shared by `stayaudit import` and the nightly job: open each
 * file, skip bytes already imported (when the opener knows their checksum), tell the
 * dataset, import the file as one session of the store, and report what became of it.
 * One file's InputError fails that file alone (the store is as before it); any other
 * error (storage, output) stops the loop.
 */
import type { Readable } from 'node:stream';
import { InputError } from '../errors.js';
import type { ImportStore, PreviousImport } from '../storage/import-store.js';
import { importFile, type FileImportSummary, type ImportOptions } from './import-file.js';
import { openInput, type OpenedInput } from './open-input.js';
import type { RejectsWriter } from './rejects-file.js';
import type { DatasetName } from './rows.js';

/** A file opened by its caller's rules (a command-line argument, an inbox file). */
export interface OpenedFile {
  /** The bytes' checksum when known before reading: a file imported before is skipped. */
  checksum?: string;
  /** The dataset it holds; throws an InputError when that cannot be told. */
  dataset(): DatasetName;
  /** Its bytes; the import owns the stream from here (and closes it, whatever happens). */
  input(): OpenedInput;
  /** Releases the file when it is not read (skipped, or failed before `input`). */
  close(): void;
}

export type FileOutcome<T> =
  | { kind: 'imported'; item: T; summary: FileImportSummary }
  | { kind: 'skipped'; item: T; previous: PreviousImport }
  | { kind: 'failed'; item: T; error: InputError };

export interface ImportFilesOptions<T> extends Omit<ImportOptions, 'dataset' | 'input'> {
  /** Opens one item; throws an InputError when it cannot. */
  open(item: T): OpenedFile;
  /** Where rejected rows are written as they are read (`import --rejects`). */
  rejects?: RejectsWriter | null;
  /** Each file's outcome as it happens, in order (logging, quarantine); awaited before the next file. */
  onFile?(outcome: FileOutcome<T>): void | Promise<void>;
}

/** Imports the items one after the other; returns their outcomes in order. */
export async function importFiles<T>(store: ImportStore, items: readonly T[], options: ImportFilesOptions<T>): Promise<FileOutcome<T>[]> {
  const { open, rejects = null, onFile, ...reading } = options;
  const outcomes: FileOutcome<T>[] = [];
  const report = async (outcome: FileOutcome<T>): Promise<void> => {
    outcomes.push(outcome);
    await onFile?.(outcome);
  };
  for (const item of items) {
    let opened: OpenedFile | null = null;
    try {
      opened = open(item);
      const previous = opened.checksum === undefined ? undefined : await store.findImportByChecksum(opened.checksum);
      if (previous !== undefined) {
        await report({ kind: 'skipped', item, previous });
        continue;
      }
      const dataset = opened.dataset();
      const input = opened.input();
      opened = null;
      const summary = await importFile(store, input.label, input.stream, { ...reading, dataset, input }, rejects);
      await report({ kind: 'imported', item, summary });
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      await report({ kind: 'failed', item, error });
    } finally {
      opened?.close();
    }
  }
  return outcomes;
}

/** A command-line file argument (`-` is stdin) of a dataset the user named. */
export function fileArgument(file: string, stdin: Readable, dataset: DatasetName): OpenedFile {
  const input = openInput(file, stdin);
  return {
    dataset: () => dataset,
    input: () => input,
    close: () => input.stream.destroy(),
  };
}
