/** `violators`: one row per person with an own offence, most days over first. */
import { listViolators, VIOLATOR_COLUMNS } from '../../reports/findings.js';
import { resolveRun } from '../../reports/runs.js';
import { emitListing } from '../output.js';
import { limitFlag, type ListingFlags } from '../listing-options.js';
import { parseSort } from '../../reports/shape.js';
import { withOutputOptions, type CommandSpec } from './command.js';
import { filterFromFlags, parseRunFlag, withFilterOptions, type FilterFlags } from './listing-flags.js';

export const violatorsCommand: CommandSpec = {
  name: 'violators',
  description: 'One row per person with an overstay or ban-breach finding: identity, findings, days over, worst status, last address and host.',
  examples: [
    'stayaudit violators --limit 20',
    'stayaudit violators --citizenship RUS --status in-country --format csv -o violators.csv',
    'stayaudit violators --address Almaty --from 2022-01-01 --excel -o violators.csv',
  ],
  configure(command, ctx) {
    withFilterOptions(withOutputOptions(command.option('--run <n>', 'audit run number (default: the latest)')))
      .action(async (flags: FilterFlags & ListingFlags) => {
        const filter = filterFromFlags(flags);
        const sort = flags.sort === undefined ? undefined : parseSort(flags.sort, VIOLATOR_COLUMNS);
        const limit = limitFlag(flags);
        const store = await ctx.openRead();
        try {
          const run = await resolveRun(store, parseRunFlag(flags.run));
          // Sorted (most days over first by default) and limited in SQL.
          const listing = await listViolators(store, run, filter, { ...(sort ? { sort } : {}), ...(limit !== undefined ? { limit } : {}) });
          await emitListing(ctx, listing, { ...flags, sort: undefined, limit: undefined });
        } finally {
          await store.close();
        }
      });
  },
};
