import { UsageError } from '../../errors.js';
import { diffRuns } from '../../reports/diff.js';
import { previousRun, resolveRun } from '../../reports/runs.js';
import { maskKey } from '../../storage/read-store.js';
import { emitListing } from '../output.js';
import type { OutputFlags } from '../context.js';
import { withOutputOptions, type CommandSpec } from './command.js';
import { filterFromFlags, parseRunFlag, withFilterOptions, type FilterFlags } from './listing-flags.js';

export const diffCommand: CommandSpec = {
  name: 'diff',
  description: 'Findings that appeared, disappeared or changed between two audit runs (default: the previous and the latest).',
  examples: ['stayaudit diff', 'stayaudit diff 3 4 --rule stay-limit --format csv'],
  configure(command, ctx) {
    withFilterOptions(withOutputOptions(command.argument('[a]', 'earlier run').argument('[b]', 'later run')))
      .option('--all', 'also list continuing (only days grew) and unchanged findings')
      .action(async (a: string | undefined, b: string | undefined, flags: FilterFlags & OutputFlags & { all?: boolean }) => {
        const store = ctx.openRead();
        try {
          const later = resolveRun(store, parseRunFlag(b, 'run B'));
          const earlierId = parseRunFlag(a, 'run A');
          const earlier = earlierId === undefined ? previousRun(store, later) : resolveRun(store, earlierId);
          if (!earlier) throw new UsageError('there is only one audit run: nothing to compare', 'run another audit, or name two runs: stayaudit diff A B');
          await emitListing(ctx, diffRuns(store, earlier, later, filterFromFlags(flags), flags.all === true), flags, maskKey(store));
        } finally {
          store.close();
        }
      });
  },
};
