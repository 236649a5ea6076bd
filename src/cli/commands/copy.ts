import { UsageError } from '../../errors.js';
import { copyStore, storeLocation, type CopyOutcome } from '../../storage/reads/index.js';
import type { CommandSpec } from './command.js';

interface CopyFlags {
  from?: string;
  to?: string;
  replace?: boolean;
}

export const copyCommand: CommandSpec = {
  name: 'copy',
  description: 'Copy a whole store, with its history and runs, between an SQLite file and a PostgreSQL database (either way), in one transaction on the target.',
  examples: ['stayaudit copy --from stayaudit.db --to postgres://stayaudit@dbhost/stayaudit', 'stayaudit copy --from postgres://stayaudit@dbhost/stayaudit --to back.db', 'stayaudit copy --from new.db --to postgres://dbhost/stayaudit --replace'],
  configure(command, ctx) {
    command
      .option('--from <store>', 'the store to read: an SQLite file or a postgres:// URL')
      .option('--to <store>', 'the store to write (created when missing): an SQLite file or a postgres:// URL')
      .option('--replace', 'overwrite a target that already holds data (default: refuse it)')
      .action(async (flags: CopyFlags) => {
        if (flags.from === undefined || flags.to === undefined) throw new UsageError('copy needs both --from and --to', 'e.g. stayaudit copy --from stayaudit.db --to postgres://USER@HOST/DATABASE');
        const outcome = await copyStore(storeLocation(flags.from, ctx.io.cwd), storeLocation(flags.to, ctx.io.cwd), { replace: flags.replace === true });
        ctx.note(copySummary(outcome));
      });
  },
};

export function copySummary(outcome: CopyOutcome): string {
  const width = Math.max(5, ...outcome.tables.map((t) => t.table.length));
  const total = outcome.tables.reduce((sum, t) => sum + t.rows, 0);
  const lines = [`copied ${outcome.from} to ${outcome.to}`, `  ${'table'.padEnd(width)}  ${'rows'.padStart(10)}`];
  for (const t of outcome.tables) lines.push(`  ${t.table.padEnd(width)}  ${String(t.rows).padStart(10)}`);
  lines.push(`${outcome.tables.length} tables, ${total} rows, in ${outcome.seconds.toFixed(1)} s`);
  return lines.join('\n');
}
