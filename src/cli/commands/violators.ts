import { listViolators } from '../../reports/findings.js';
import { resolveRun } from '../../reports/runs.js';
import { maskKey } from '../../storage/read-store.js';
import { emitListing } from '../output.js';
import { parseWholeNumberFlag, type OutputFlags } from '../context.js';
import { withOutputOptions, type CommandSpec } from './command.js';
import { filterFromFlags, parseRunFlag, withFilterOptions, type FilterFlags } from './listing-flags.js';

export const violatorsCommand: CommandSpec = {
  name: 'violators',
  description: 'One row per person with an overstay or ban-breach finding: identity, findings, days over, worst status, last address and host.',
  examples: ['stayaudit violators --limit 20', 'stayaudit violators --citizenship RUS --status in-country --format csv -o violators.csv'],
  configure(command, ctx) {
    withFilterOptions(withOutputOptions(command.option('--run <n>', 'audit run number (default: the latest)')))
      .option('--limit <n>', 'at most N persons (most days over first)')
      .action(async (flags: FilterFlags & OutputFlags & { limit?: string }) => {
        const limit = flags.limit === undefined ? undefined : parseWholeNumberFlag('--limit', flags.limit);
        const store = ctx.openRead();
        try {
          const run = resolveRun(store, parseRunFlag(flags.run));
          await emitListing(ctx, listViolators(store, run, filterFromFlags(flags), limit), flags, maskKey(store));
        } finally {
          store.close();
        }
      });
  },
};
