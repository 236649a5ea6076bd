import type { Command } from 'commander';
import type { CliContext } from '../context.js';

/** One entry of the command registry: what `--help` shows and how to wire the action. */
export interface CommandSpec {
  name: string;
  description: string;
  examples: readonly string[];
  configure(command: Command, ctx: CliContext): void;
}

/** The output flags every listing command shares. */
export function withOutputOptions(command: Command): Command {
  return command
    .option('--format <format>', 'table, csv, json or ndjson (default: table on a terminal, csv otherwise)')
    .option('-o, --output <file>', "write to FILE instead of stdout (written to a temporary file, then renamed); '-' is stdout")
    .option('--follow-symlinks', 'when --output is a symbolic link, write to the file it points to (refused otherwise)')
    .option('--no-headers', 'CSV without the header row')
    .option('--raw', 'do not neutralise cells that start like spreadsheet formulas')
    .option('--mask', 'replace document numbers and names by stable pseudonyms')
    .option('--fail-on-findings', 'exit with code 6 when any row is listed (for cron)')
    .option('--columns <list>', 'only these columns, in this order (comma-separated)')
    .option('--sort <columns>', 'sort by these columns (comma-separated; COLUMN:desc for descending)')
    .option('--limit <n>', 'at most N rows')
    .option('--wide', 'tables: draw every column, however wide (default: fit the terminal)')
    .option('--excel', "CSV for Excel in a Russian locale: UTF-8 with BOM, ';' and CRLF")
    .option('--delimiter <char>', "CSV delimiter: ',', ';' or tab (default ',')");
}
