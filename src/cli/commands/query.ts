import { UsageError } from '../../errors.js';
import { runQuery } from '../../reports/query.js';
import { emitListing } from '../output.js';
import { outputOptions, type OutputFlags } from '../context.js';
import { withOutputOptions, type CommandSpec } from './command.js';

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

export const queryCommand: CommandSpec = {
  name: 'query',
  description: 'Run one read-only SQL statement over the documented tables and views (see "Tables for query" in the README).',
  examples: [
    "stayaudit query \"SELECT citizenship, count(*) AS n FROM findings WHERE rule = :rule GROUP BY 1\" --param rule=stay-limit",
    "stayaudit query 'SELECT * FROM stays WHERE exit_date IS NULL LIMIT 10' --format table",
  ],
  configure(command, ctx) {
    withOutputOptions(command.argument('<sql>', 'one SELECT / WITH statement'))
      .option('--param <name=value>', 'bind :name to value (repeatable)', collect)
      .action(async (sql: string, flags: OutputFlags & { param?: string[] }) => {
        if (flags.mask) {
          // Arbitrary SQL can rename or compute any column: masking cannot be promised.
          throw new UsageError('query cannot --mask: its columns are whatever the SQL makes them', 'use findings, violators, diff or person with --mask, or select no identity columns');
        }
        const params: Record<string, string> = {};
        for (const p of flags.param ?? []) {
          const eq = p.indexOf('=');
          if (eq <= 0) throw new UsageError(`--param must be name=value, not '${p}'`);
          params[p.slice(0, eq)] = p.slice(eq + 1);
        }
        outputOptions(ctx, flags, null); // A bad --format is refused before the statement runs.
        const store = ctx.openRead();
        try {
          await emitListing(ctx, runQuery(store, sql, params), flags);
        } finally {
          store.close();
        }
      });
  },
};
