/**
 * `stayaudit import DATASET FILE...`: the flags, then the import's per-file loop
 * (src/import/import-files.ts) into the store, the summaries and the exit code.
 */
import { errorText, ExitCode, StayauditError, UsageError } from '../../errors.js';
import type { FileImportSummary, ImportOptions } from '../../import/import-file.js';
import { fileArgument, importFiles } from '../../import/import-files.js';
import { RejectsWriter } from '../../import/rejects-file.js';
import type { Delimiter } from '../../import/csv.js';
import type { Encoding } from '../../import/decode.js';
import { DATASETS, isDatasetName } from '../../import/rows.js';
import { ignoredColumnsHint, ignoredColumnWarnings, loadMapping } from '../../import/headers.js';
import type { CliContext } from '../context.js';
import type { CommandSpec } from './command.js';
import { jsonSummary } from '../json-output.js';
import { openImportStore } from '../../storage/import-store.js';

interface ImportFlags {
  encoding?: string;
  delimiter?: string;
  mapping?: string;
  rejects?: string;
  json?: boolean;
}

export const DELIMITERS: Record<string, Delimiter> = { ',': ',', comma: ',', ';': ';', semicolon: ';', '\t': '\t', tab: '\t', '\\t': '\t' };
export const ENCODINGS: Record<string, Encoding> = {
  'utf-8': 'utf-8', utf8: 'utf-8', 'windows-1251': 'windows-1251', cp1251: 'windows-1251', win1251: 'windows-1251', '1251': 'windows-1251',
};

export const importCommand: CommandSpec = {
  name: 'import',
  description: `Import CSV files of one dataset (${DATASETS.join(', ')}); '-' reads stdin. Prints read/added/duplicate/rejected on stderr.`,
  examples: [
    'stayaudit import crossings fixtures/import/crossings.csv',
    'stayaudit import permits permits-2024.csv --rejects rejects.csv',
    'gunzip -c crossings.csv.gz | stayaudit import crossings - --json',
  ],
  configure(command, ctx) {
    command
      .argument('<dataset>', `one of ${DATASETS.join(', ')}`)
      .argument('<file...>', "CSV files; '-' reads stdin")
      .option('--encoding <name>', 'utf-8 or windows-1251 (default: detected)')
      .option('--delimiter <char>', "',', ';' or 'tab' (default: detected from the header)")
      .option('--mapping <file>', 'JSON file mapping other header names to ours')
      .option('--rejects <file>', 'write rejected rows (file, line, reason, original columns) to FILE')
      .option('--json', 'print the summary as JSON on stdout')
      .action(async (dataset: string, files: string[], flags: ImportFlags) => {
        await runImport(ctx, dataset, files, flags);
      });
  },
};

/**
 * How to read the files, from --encoding, --delimiter and --mapping (shared by `import`
 * and `inspect`). The mapping is read once, before any file: a bad one is one error,
 * not one per file.
 */
export function readingFlags(flags: { encoding?: string; delimiter?: string; mapping?: string }): Pick<ImportOptions, 'encoding' | 'delimiter' | 'mapping'> {
  const options: Pick<ImportOptions, 'encoding' | 'delimiter' | 'mapping'> = {};
  if (flags.encoding !== undefined) {
    const encoding = ENCODINGS[flags.encoding.toLowerCase()];
    if (!encoding) throw new UsageError(`unknown --encoding '${flags.encoding}'`, 'use utf-8 or windows-1251');
    options.encoding = encoding;
  }
  if (flags.delimiter !== undefined) {
    const delimiter = DELIMITERS[flags.delimiter.toLowerCase()];
    if (!delimiter) throw new UsageError(`unknown --delimiter '${flags.delimiter}'`, "use ',', ';' or tab");
    options.delimiter = delimiter;
  }
  if (flags.mapping !== undefined) options.mapping = loadMapping(flags.mapping);
  return options;
}

async function runImport(ctx: CliContext, dataset: string, files: string[], flags: ImportFlags): Promise<void> {
  if (!isDatasetName(dataset)) throw new UsageError(`unknown dataset '${dataset}'`, `use one of ${DATASETS.join(', ')}`);
  if (files.filter((f) => f === '-').length > 1) throw new UsageError("stdin ('-') can be read only once");
  const options: ImportOptions = { dataset };
  Object.assign(options, readingFlags(flags));
  if (ctx.showProgress) {
    options.onProgress = (p) => {
      const share = p.totalBytes ? ` ${Math.floor((100 * p.bytesRead) / p.totalBytes)}%` : '';
      const rows = `${p.rowsRead.toLocaleString('en-US')} rows`;
      ctx.io.stderr.write(`\r\x1b[K${p.file}${p.merging ? `: merging ${rows} into the database…` : `${share} ${rows}`}`);
    };
  }

  const store = openImportStore(ctx.databasePath(), { busyTimeoutMs: ctx.busyTimeoutMs() });
  const rejects = flags.rejects === undefined ? null : new RejectsWriter(flags.rejects);
  const summaries: FileImportSummary[] = [];
  const failures: { file: string; error: StayauditError }[] = [];
  const clearProgress = (): void => {
    if (options.onProgress) ctx.io.stderr.write('\r\x1b[K');
  };
  try {
    // A broken file changes nothing; the other files still go in.
    await importFiles(store, files, {
      ...options,
      open: (file) => fileArgument(file, ctx.io.stdin, options.dataset),
      rejects,
      onFile: (outcome) => {
        clearProgress();
        if (outcome.kind === 'imported') summaries.push(outcome.summary);
        else if (outcome.kind === 'failed') failures.push({ file: outcome.item, error: outcome.error });
      },
    });
  } finally {
    clearProgress();
    rejects?.close(summaries.some((s) => s.rejected > 0));
    await store.close();
  }

  for (const s of summaries) {
    const warnings = ignoredColumnWarnings(s.dataset, s.ignoredColumns, options.mapping);
    for (const warning of warnings) ctx.warn(`${s.file}: ${warning}`);
    if (warnings.length > 0) ctx.note(ignoredColumnsHint(s.dataset, s.ignoredColumns));
    ctx.note(`${s.file}: ${s.dataset}: ${s.read} read, ${s.added} added${s.updated ? `, ${s.updated} updated` : ''}, ${s.duplicate} duplicate, ${s.rejected} rejected`);
  }
  const rejected = summaries.reduce((n, s) => n + s.rejected, 0);
  if (rejected > 0) {
    const rows = rejected === 1 ? '1 row' : `${rejected} rows`;
    ctx.note(flags.rejects ? `${rows} rejected, written to ${flags.rejects}` : `${rows} rejected; use --rejects FILE to get them with line and reason`);
  }
  if (flags.json) {
    ctx.io.stdout.write(jsonSummary({ files: summaries, failed: failures.map((f) => ({ file: f.file, error: f.error.message })) }));
  }
  if (failures.length > 0) {
    for (const f of failures.slice(0, -1)) {
      ctx.io.stderr.write(errorText(f.error));
    }
    throw failures[failures.length - 1]!.error;
  }
  if (rejected > 0) ctx.exitCode = ExitCode.rowsRejected;
}
