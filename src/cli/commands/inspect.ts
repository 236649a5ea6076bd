import { UsageError } from '../../errors.js';
import { ignoredColumnsHint } from '../../import/headers.js';
import { inspectFile, type InspectOptions, type InspectReport } from '../../import/inspect.js';
import { DATASETS, isDatasetName } from '../../import/rows.js';
import { visibleText } from '../../reports/render.js';
import { parseWholeNumberFlag } from '../context.js';
import { jsonSummary } from '../json-output.js';
import type { CommandSpec } from './command.js';
import { readingFlags } from './import.js';

interface InspectFlags {
  encoding?: string;
  delimiter?: string;
  mapping?: string;
  rows?: string;
  json?: boolean;
}

export const inspectCommand: CommandSpec = {
  name: 'inspect',
  description:
    'Show how an import would read a file, changing nothing: detected encoding, delimiter and date forms, the header → field mapping, the ignored columns, and the first rows normalised.',
  examples: ['stayaudit inspect crossings export.csv', 'stayaudit inspect registrations reg.csv --mapping my-headers.json --rows 10 --json'],
  configure(command, ctx) {
    command
      .argument('<dataset>', `one of ${DATASETS.join(', ')}`)
      .argument('<file>', "CSV file; '-' reads stdin")
      .option('--encoding <name>', 'utf-8 or windows-1251 (default: detected)')
      .option('--delimiter <char>', "',', ';' or 'tab' (default: detected from the header)")
      .option('--mapping <file>', 'JSON file mapping other header names to ours')
      .option('--rows <n>', 'rows to show', '5')
      .option('--json', 'print the report as JSON')
      .action(async (dataset: string, file: string, flags: InspectFlags) => {
        if (!isDatasetName(dataset)) throw new UsageError(`unknown dataset '${dataset}'`, `use one of ${DATASETS.join(', ')}`);
        const options: InspectOptions = { rows: parseWholeNumberFlag('--rows', flags.rows ?? '5') };
        Object.assign(options, readingFlags(flags));
        const report = await inspectFile(file, ctx.io.stdin, dataset, options);
        ctx.io.stdout.write(flags.json ? jsonSummary({ ...report }) : reportText(report));
        for (const warning of report.warnings) ctx.warn(`${report.file}: ${warning}`);
        if (report.warnings.length > 0) ctx.note(ignoredColumnsHint(report.dataset, report.ignored));
      });
  },
};

const DELIMITER_NAMES: Record<string, string> = { ',': "',' (comma)", ';': "';' (semicolon)", '\t': 'tab' };

function reportText(r: InspectReport): string {
  const show = (v: unknown): string => (v === null || v === undefined ? '' : visibleText(String(v)));
  const lines: string[] = [];
  lines.push(`file       ${show(r.file)} as ${r.dataset} (nothing is imported)`);
  lines.push(`encoding   ${r.encoding ?? 'unknown (no text)'}`);
  lines.push(`delimiter  ${r.delimiter === null ? 'unknown' : (DELIMITER_NAMES[r.delimiter] ?? r.delimiter)}`);
  lines.push(`header     line ${r.header_line}`);
  const forms = Object.entries(r.date_forms).filter(([, f]) => f.length > 0);
  lines.push(`dates      ${forms.length === 0 ? '(no date values in the sample)' : forms.map(([field, f]) => `${field}: ${f.join(' / ')}`).join('; ')}`);
  lines.push('', 'columns');
  const width = Math.max(6, ...r.columns.map((c) => show(c.header).length));
  for (const c of r.columns) lines.push(`  ${String(c.column).padStart(2)}  ${show(c.header).padEnd(width)}  → ${c.field ?? '(ignored)'}`);
  if (r.absent_fields.length > 0) lines.push(`  optional fields no column fills: ${r.absent_fields.join(', ')}`);
  lines.push('', `first ${r.rows.length} row${r.rows.length === 1 ? '' : 's'} as stored`);
  for (const row of r.rows) {
    const values = Object.entries(row.values)
      .filter(([, v]) => v !== null && v !== undefined)
      .map(([k, v]) => `${k}=${show(v)}`)
      .join(' ');
    lines.push(`  line ${row.line}: ${values}`);
  }
  if (r.rows.length === 0) lines.push('  (none)');
  const scope = r.whole_file ? 'the file' : 'the first rows read';
  lines.push('', `${scope}: ${r.rows_sampled} row${r.rows_sampled === 1 ? '' : 's'}, ${r.rejected_in_sample} would be rejected`);
  for (const reject of r.rejects) lines.push(`  line ${reject.line}: ${show(reject.reason)}`);
  return lines.join('\n') + '\n';
}
