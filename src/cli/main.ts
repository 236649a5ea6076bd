/**
 * The one place that decides the exit code: runs the command and turns any error into
 * one message on stderr and its code.
 */
import { CommanderError } from 'commander';
import { errorText, ExitCode, StayauditError } from '../errors.js';
import { outputFailure } from '../reports/atomic-file.js';
import { storageTrouble } from '../storage/open-store.js';
import { CliContext, type CliIo } from './context.js';
import { commandsFor } from './commands/index.js';
import { buildProgram } from './program.js';

function defaultIo(): CliIo {
  return { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env, cwd: process.cwd() };
}

/**
 * The one place that decides the exit code: runs the command, formats any error once
 * on stderr (`error: …` and a hint; the stack only with --debug), and returns the code.
 */
export async function main(argv: readonly string[], io: CliIo = defaultIo()): Promise<number> {
  const ctx = new CliContext(io);
  try {
    const program = buildProgram(ctx, await commandsFor(argv.slice(2)));
    await program.parseAsync([...argv]);
    return ctx.exitCode;
  } catch (error) {
    return reportError(ctx, error, argv.includes('--debug'));
  }
}

function reportError(ctx: CliContext, error: unknown, debug: boolean): number {
  const stderr = ctx.io.stderr;
  if (error instanceof CommanderError) {
    // Help and version are not errors; commander already printed its own message. Help
    // shown because no command was given went to stderr and is a usage error.
    if (error.code === 'commander.help') return error.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
    if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version') return ExitCode.ok;
    return ExitCode.usage;
  }
  if (error instanceof StayauditError) {
    stderr.write(errorText(error));
    if (debug && error.stack) stderr.write(error.stack + '\n');
    return error.exitCode;
  }
  const err = error instanceof Error ? error : new Error(String(error));
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'EPIPE') return ExitCode.ok;
  // A driver error that no layer translated (e.g. a damaged page met by a report): database trouble, not a bug.
  const trouble = storageTrouble(err, ctx.storeLabel());
  if (trouble !== null) return reportError(ctx, trouble, debug);
  if (code === 'ENOSPC' || code === 'EDQUOT' || code === 'EFBIG' || code === 'EIO') {
    // Only writing standard output gets here (files are OutputErrors already).
    return reportError(ctx, outputFailure(err, 'standard output'), debug);
  }
  stderr.write(`error: internal error: ${err.message}\n`);
  stderr.write(debug && err.stack ? err.stack + '\n' : 'hint: this is a bug in stayaudit; run again with --debug and report the output\n');
  return ExitCode.internal;
}
