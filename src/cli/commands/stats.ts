import { countryName } from '../../import/citizenship.js';
import { resolveRun } from '../../reports/runs.js';
import { computeStats, GROUPINGS, statsListing, type Grouping } from '../../reports/stats.js';
import { maskKey } from '../../storage/read-store.js';
import { emitListing } from '../output.js';
import { parseDateFlag, type OutputFlags } from '../context.js';
import { withOutputOptions, type CommandSpec } from './command.js';
import { parseRunFlag } from './listing-flags.js';

interface StatsFlags extends OutputFlags {
  run?: string;
  by?: string;
  from?: string;
  to?: string;
}

export const statsCommand: CommandSpec = {
  name: 'stats',
  description: 'Statistics of SPEC §4 for a period: entries, persons, violators and rates, expected departures and overstay rate, expulsions; with totals.',
  examples: ['stayaudit stats', 'stayaudit stats --by month --from 2024-01-01 --to 2024-06-30 --format csv'],
  configure(command, ctx) {
    withOutputOptions(command)
      .option('--run <n>', 'audit run number (default: the latest)')
      .option('--by <grouping>', `${GROUPINGS.join(', ')}`, 'citizenship')
      .option('--from <date>', 'period start (default: 1 January of the as-of year)')
      .option('--to <date>', 'period end (default: 31 December of the as-of year)')
      .action(async (flags: StatsFlags) => {
        const store = ctx.openRead();
        try {
          const run = resolveRun(store, parseRunFlag(flags.run));
          const options: Parameters<typeof computeStats>[2] = { by: (flags.by ?? 'citizenship') as Grouping };
          if (flags.from !== undefined) options.from = parseDateFlag('--from', flags.from);
          if (flags.to !== undefined) options.to = parseDateFlag('--to', flags.to);
          const result = computeStats(store, run, options);
          let hostNames: Map<string, string> | undefined;
          if (result.grouping === 'host') {
            hostNames = new Map(
              store
                .all<{ host_id: string; host_name: string }>(`SELECT host_id, max(host_name) AS host_name FROM registrations WHERE host_id IS NOT NULL GROUP BY host_id`)
                .map((r) => [r.host_id, r.host_name]),
            );
          }
          const listing = statsListing(result, run, hostNames);
          if (result.grouping === 'citizenship') {
            listing.describe = (column, value) => (column === 'citizenship' && typeof value === 'string' && value !== 'TOTAL' ? countryName(value, 'en') ?? undefined : undefined);
          }
          await emitListing(ctx, listing, flags, maskKey(store));
        } finally {
          store.close();
        }
      });
  },
};
