import { Command } from 'commander';
import type { CliContext } from './context.js';
import type { CommandSpec } from './commands/command.js';

export const VERSION = '0.1.0';

/** The program: global flags, then the given commands of the registry (commands/index.ts: `commandsFor`). */
export function buildProgram(ctx: CliContext, commands: readonly CommandSpec[]): Command {
  const program = new Command('stayaudit');
  program
    .description('Batch migration audits: import crossings, registrations, permits and expulsions; audit stays as of a date; report violators and statistics.')
    .version(VERSION)
    .option('--db <path>', 'database file (default: $STAYAUDIT_DB, else ./stayaudit.db)')
    .option('--busy-timeout <seconds>', 'how long to wait for another process holding the database', '60')
    .option('-q, --quiet', 'print nothing but data and errors')
    .option('--no-color', 'no colours (NO_COLOR is honoured too)')
    .option('--debug', 'show stack traces of errors')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput({
      writeOut: (text) => ctx.io.stdout.write(text),
      writeErr: (text) => ctx.io.stderr.write(text),
    })
    .hook('preAction', (thisCommand) => {
      ctx.setGlobals(thisCommand.optsWithGlobals());
    });
  for (const spec of commands) {
    const command = program.command(spec.name).description(spec.description);
    spec.configure(command, ctx);
    command.addHelpText('after', `\nExamples:\n${spec.examples.map((e) => `  $ ${e}`).join('\n')}\n`);
  }
  return program;
}
