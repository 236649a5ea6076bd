import path from 'node:path';
import { ExitCode } from '../errors.js';
import { writeFileAtomically } from '../reports/atomic-file.js';
import { renderListing, type Listing } from '../reports/render.js';
import type { CliContext, OutputFlags } from './context.js';
import { listingOptions, shapeListing, type ListingFlags } from './listing-options.js';

/** The file --output names, or undefined for stdout (no --output, or `-o -`). */
export function outputFile(ctx: CliContext, flags: OutputFlags): string | undefined {
  if (flags.output === undefined || flags.output === '-') return undefined;
  return path.resolve(ctx.io.cwd, flags.output);
}

/**
 * Writes text (a whole document, e.g. `person --format json`) to stdout or to
 * --output FILE, atomically.
 */
export async function emitText(ctx: CliContext, text: string, flags: OutputFlags): Promise<void> {
  const file = outputFile(ctx, flags);
  if (file === undefined) ctx.io.stdout.write(text);
  else await writeFileAtomically(file, async (out) => void out.write(text), { followSymlink: flags.followSymlinks === true });
}

/**
 * Renders a listing to stdout or to --output FILE. A file is written under a
 * temporary name and renamed when complete, so a reader never sees half a report.
 * --columns, --sort and --limit shape any listing; `maskKey` is for listings that do
 * not carry their store's key. With --fail-on-findings, a non-empty listing sets exit code 6.
 */
export async function emitListing(ctx: CliContext, unshaped: Listing, flags: ListingFlags, maskKey: string | null = null): Promise<number> {
  // --mask uses the key of the store the rows came from (a listing of personal data carries it).
  const options = listingOptions(ctx, flags, maskKey ?? unshaped.maskKey ?? null);
  const listing = shapeListing(unshaped, flags);
  const file = outputFile(ctx, flags);
  let count: number;
  if (file === undefined) {
    count = await renderListing(listing, options, ctx.io.stdout);
  } else {
    count = await writeFileAtomically(file, (out) => renderListing(listing, options, out), { followSymlink: flags.followSymlinks === true });
  }
  if (flags.failOnFindings && count > 0) ctx.exitCode = ExitCode.findingsPresent;
  return count;
}
