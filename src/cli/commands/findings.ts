import { listFindings } from '../../reports/findings.js';
import { resolveRun } from '../../reports/runs.js';
import { maskKey } from '../../storage/read-store.js';
import { emitListing } from '../output.js';
import type { OutputFlags } from '../context.js';
import { withOutputOptions, type CommandSpec } from './command.js';
import { filterFromFlags, parseRunFlag, withFilterOptions, type FilterFlags } from './listing-flags.js';

export const findingsCommand: CommandSpec = {
  name: 'findings',
  description: 'List every finding of the latest audit run (or --run N), filtered by rule, citizenship, status, days and period.',
  examples: [
    'stayaudit findings --rule stay-limit,rolling-limit --status in-country',
    'stayaudit findings --citizenship RUS --min-days 30 --format csv -o overstays.csv',
  ],
  configure(command, ctx) {
    withFilterOptions(withOutputOptions(command.option('--run <n>', 'audit run number (default: the latest)'))).action(
      async (flags: FilterFlags & OutputFlags) => {
        const store = ctx.openRead();
        try {
          const run = resolveRun(store, parseRunFlag(flags.run));
          await emitListing(ctx, listFindings(store, run, filterFromFlags(flags)), flags, maskKey(store));
        } finally {
          store.close();
        }
      },
    );
  },
};
