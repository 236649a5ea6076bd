import { UsageError } from '../../errors.js';
import { DEFAULT_QUERY_TIMEOUT_SECONDS } from '../../storage/reads/index.js';
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
      .option('--timeout <seconds>', `cancel the statement after this long (PostgreSQL; default ${DEFAULT_QUERY_TIMEOUT_SECONDS})`)
      .action(async (sql: string, flags: OutputFlags & { param?: string[]; timeout?: string }) => {
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
        // Column names are cells of the CSV header: neutralised as the cells are.
        const { format, raw } = outputOptions(ctx, flags, null);
        const timeout = flags.timeout === undefined ? DEFAULT_QUERY_TIMEOUT_SECONDS : Number(flags.timeout);
        if (!/^\d+(\.\d+)?$/.test(flags.timeout ?? '1') || !(timeout > 0)) {
          throw new UsageError(`--timeout must be a positive number of seconds, not '${flags.timeout}'`, `e.g. --timeout 60 (the default is ${DEFAULT_QUERY_TIMEOUT_SECONDS})`);
        }
        const store = await ctx.openRead();
        try {
          await emitListing(ctx, await runQuery(store, sql, params, { neutraliseNames: format === 'csv' && !raw, timeoutMs: timeout * 1000 }), flags);
        } finally {
          await store.close();
        }
      });
  },
};
