import path from 'node:path';
import { ExitCode } from '../errors.js';
import { writeFileAtomically } from '../reports/atomic-file.js';
import { renderListing, type Listing } from '../reports/render.js';
import { outputOptions, type CliContext, type OutputFlags } from './context.js';

/**
 * Renders a listing to stdout or to --output FILE. A file is written under a
 * temporary name and renamed when complete, so a reader never sees half a report.
 * With --fail-on-findings, a non-empty listing sets exit code 6.
 */
export async function emitListing(ctx: CliContext, listing: Listing, flags: OutputFlags, maskKey: string | null = null): Promise<number> {
  const options = outputOptions(ctx, flags, maskKey);
  let count: number;
  if (flags.output === undefined) {
    count = await renderListing(listing, options, ctx.io.stdout);
  } else {
    count = await writeFileAtomically(path.resolve(ctx.io.cwd, flags.output), (out) => renderListing(listing, options, out));
  }
  if (flags.failOnFindings && count > 0) ctx.exitCode = ExitCode.findingsPresent;
  return count;
}
