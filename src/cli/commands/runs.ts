import { listRuns } from '../../reports/runs.js';
import { emitListing } from '../output.js';
import type { OutputFlags } from '../context.js';
import { withOutputOptions, type CommandSpec } from './command.js';

export const runsCommand: CommandSpec = {
  name: 'runs',
  description: 'List the stored audit runs: number, as-of date, ruleset, timing and counts per kind of finding.',
  examples: ['stayaudit runs', 'stayaudit runs --format json'],
  configure(command, ctx) {
    withOutputOptions(command).action(async (flags: OutputFlags) => {
      const store = ctx.openRead();
      try {
        await emitListing(ctx, listRuns(store), flags);
      } finally {
        store.close();
      }
    });
  },
};
