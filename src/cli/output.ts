import path from 'node:path';
import { ExitCode } from '../errors.js';
import { writeFileAtomically } from '../reports/atomic-file.js';
import { renderListing, type Listing } from '../reports/render.js';
import type { CliContext } from './context.js';
import { listingOptions, shapeListing, type ListingFlags } from './listing-options.js';

/**
 * Renders a listing to stdout or to --output FILE. A file is written under a
 * temporary name and renamed when complete, so a reader never sees half a report.
 * --columns, --sort and --limit shape any listing. With --fail-on-findings, a non-empty listing sets exit code 6.
 */
export async function emitListing(ctx: CliContext, unshaped: Listing, flags: ListingFlags, maskKey: string | null = null): Promise<number> {
  const options = listingOptions(ctx, flags, maskKey);
  const listing = shapeListing(unshaped, flags);
  let count: number;
  if (flags.output === undefined) {
    count = await renderListing(listing, options, ctx.io.stdout);
  } else {
    count = await writeFileAtomically(path.resolve(ctx.io.cwd, flags.output), (out) => renderListing(listing, options, out));
  }
  if (flags.failOnFindings && count > 0) ctx.exitCode = ExitCode.findingsPresent;
  return count;
}
