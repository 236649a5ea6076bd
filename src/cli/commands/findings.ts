/** `findings`: a run's findings, filtered, sorted and cut by the store so that they stream. */
import { FINDING_COLUMNS, listFindings } from '../../reports/findings.js';
import { resolveRun } from '../../reports/runs.js';
import { emitListing } from '../output.js';
import { limitFlag, type ListingFlags } from '../listing-options.js';
import { parseSort } from '../../reports/shape.js';
import { withOutputOptions, type CommandSpec } from './command.js';
import { filterFromFlags, parseRunFlag, withFilterOptions, type FilterFlags } from './listing-flags.js';

export const findingsCommand: CommandSpec = {
  name: 'findings',
  description: 'List every finding of the latest audit run (or --run N), filtered by rule, citizenship, status, days, period, address, region, host and checkpoint.',
  examples: [
    'stayaudit findings --rule stay-limit,rolling-limit --status in-country',
    'stayaudit findings --citizenship RUS --min-days 30 --format csv -o overstays.csv',
    'stayaudit findings --region Almaty --from 01.01.2022 --sort days:desc --limit 20 --columns person_key,rule,days,status',
  ],
  configure(command, ctx) {
    withFilterOptions(withOutputOptions(command.option('--run <n>', 'audit run number (default: the latest)'))).action(
      async (flags: FilterFlags & ListingFlags) => {
        const store = await ctx.openRead();
        try {
          const run = await resolveRun(store, parseRunFlag(flags.run));
          const filter = filterFromFlags(flags);
          // Sorted and limited in SQL, so the listing still streams.
          const sort = flags.sort === undefined ? undefined : parseSort(flags.sort, FINDING_COLUMNS);
          const listing = await listFindings(store, run, filter, { ...(sort ? { sort } : {}), ...(flags.limit !== undefined ? { limit: limitFlag(flags)! } : {}) });
          await emitListing(ctx, listing, { ...flags, sort: undefined, limit: undefined });
        } finally {
          await store.close();
        }
      },
    );
  },
};
