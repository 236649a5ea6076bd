/** `diff`: what changed between two runs (by default the previous and the latest). */
import { UsageError } from '../../errors.js';
import { DIFF_COLUMNS, diffRuns } from '../../reports/diff.js';
import { previousRun, resolveRun } from '../../reports/runs.js';
import { emitListing } from '../output.js';
import type { ListingFlags } from '../listing-options.js';
import { parseSort } from '../../reports/shape.js';
import { withOutputOptions, type CommandSpec } from './command.js';
import { filterFromFlags, parseRunFlag, withFilterOptions, type FilterFlags } from './listing-flags.js';

export const diffCommand: CommandSpec = {
  name: 'diff',
  description: 'Findings that appeared, disappeared or changed between two audit runs (default: the previous and the latest), with what changed.',
  examples: ['stayaudit diff', 'stayaudit diff 3 4 --rule stay-limit --format csv'],
  configure(command, ctx) {
    withFilterOptions(withOutputOptions(command.argument('[a]', 'earlier run').argument('[b]', 'later run')))
      .option('--all', 'also list continuing (only days grew) and unchanged findings')
      .action(async (a: string | undefined, b: string | undefined, flags: FilterFlags & ListingFlags & { all?: boolean }) => {
        const store = await ctx.openRead();
        try {
          const later = await resolveRun(store, parseRunFlag(b, 'run B'));
          const earlierId = parseRunFlag(a, 'run A');
          const earlier = earlierId === undefined ? await previousRun(store, later) : await resolveRun(store, earlierId);
          if (!earlier) throw new UsageError('there is only one audit run: nothing to compare', 'run another audit, or name two runs: stayaudit diff A B');
          const sort = flags.sort === undefined ? [] : parseSort(flags.sort, DIFF_COLUMNS);
          const listing = await diffRuns(store, earlier, later, filterFromFlags(flags), flags.all === true, sort);
          await emitListing(ctx, listing, { ...flags, sort: undefined });
        } finally {
          await store.close();
        }
      });
  },
};
