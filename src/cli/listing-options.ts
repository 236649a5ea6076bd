/**
 * The options every listing shares beyond context.ts's output flags: CSV for Excel
 * and the CSV delimiter, table width, and the shape (columns, sort, limit).
 */
import { UsageError } from '../errors.js';
import type { Listing, OutputOptions, CsvDelimiter } from '../reports/render.js';
import { limitRows, parseColumns, parseSort, selectColumns, sortRows } from '../reports/shape.js';
import { outputOptions, parseWholeNumberFlag, type CliContext, type OutputFlags } from './context.js';

export interface ListingFlags extends OutputFlags {
  excel?: boolean;
  delimiter?: string;
  wide?: boolean;
  columns?: string;
  sort?: string;
  limit?: string;
}

const DELIMITERS: Readonly<Record<string, CsvDelimiter>> = { ',': ',', comma: ',', ';': ';', semicolon: ';', tab: '\t', '\t': '\t', '\\t': '\t' };

/** Output options from the flags: format, CSV dialect (--excel, --delimiter), table width (--wide). */
export function listingOptions(ctx: CliContext, flags: ListingFlags, maskKey: string | null): OutputOptions {
  // --excel alone means CSV, also on a terminal.
  const options = outputOptions(ctx, flags.excel && flags.format === undefined ? { ...flags, format: 'csv' } : flags, maskKey);
  if ((flags.excel || flags.delimiter !== undefined) && options.format !== 'csv') {
    throw new UsageError(`${flags.excel ? '--excel' : '--delimiter'} applies to CSV, not --format ${options.format}`, 'drop --format or use --format csv');
  }
  if (flags.excel) {
    options.delimiter = ';';
    options.bom = true;
    options.crlf = true;
  }
  if (flags.delimiter !== undefined) {
    const delimiter = DELIMITERS[flags.delimiter.toLowerCase()];
    if (delimiter === undefined) throw new UsageError(`unknown --delimiter '${flags.delimiter}'`, "use ',', ';' or tab");
    options.delimiter = delimiter;
  }
  options.width = flags.wide || options.format !== 'table' || flags.output !== undefined ? null : terminalWidth(ctx);
  return options;
}

/** The terminal's width when stdout is one, else $COLUMNS when set, else no limit. */
export function terminalWidth(ctx: CliContext): number | null {
  const out = ctx.io.stdout as { isTTY?: boolean; columns?: number };
  if (out.isTTY === true && typeof out.columns === 'number' && out.columns > 0) return out.columns;
  const env = ctx.io.env['COLUMNS'];
  if (env !== undefined && /^\d+$/.test(env) && Number(env) > 0) return Number(env);
  return null;
}

/** The listing as --sort, --limit and --columns shape it (checked before any row is read). */
export function shapeListing(listing: Listing, flags: ListingFlags): Listing {
  let shaped = listing;
  const columns = flags.columns === undefined ? undefined : parseColumns(flags.columns, listing.columns);
  if (flags.sort !== undefined) shaped = sortRows(shaped, parseSort(flags.sort, listing.columns), listing.keepLast);
  if (flags.limit !== undefined) shaped = limitRows(shaped, parseWholeNumberFlag('--limit', flags.limit));
  if (columns !== undefined) shaped = selectColumns(shaped, columns);
  return shaped;
}

/** --limit as a number (or undefined), for reports that limit in SQL. */
export function limitFlag(flags: ListingFlags): number | undefined {
  return flags.limit === undefined ? undefined : parseWholeNumberFlag('--limit', flags.limit);
}
