/** `runs` lists the stored audit runs; `runs prune` deletes old ones (retention). */
import { checkPruneOptions, listRuns, pruneRunsAt, pruneSummary, type PruneOptions } from '../../reports/runs.js';
import { emitListing } from '../output.js';
import { parseDateFlag, parseWholeNumberFlag, type OutputFlags } from '../context.js';
import { withOutputOptions, type CommandSpec } from './command.js';

interface PruneFlags {
  keep?: string;
  before?: string;
  dryRun?: boolean;
  vacuum?: boolean;
  json?: boolean;
}

export const runsCommand: CommandSpec = {
  name: 'runs',
  description: 'List the stored audit runs: number, as-of date, ruleset, timing and counts per kind of finding. `runs prune` deletes old ones.',
  examples: ['stayaudit runs', 'stayaudit runs --format json', 'stayaudit runs prune --keep 7', 'stayaudit runs prune --before 2024-01-01 --dry-run'],
  configure(command, ctx) {
    withOutputOptions(command).action(async (flags: OutputFlags) => {
      const store = await ctx.openRead();
      try {
        await emitListing(ctx, listRuns(store), flags);
      } finally {
        await store.close();
      }
    });
    command
      .command('prune')
      .description('Delete old runs with their findings and statistics, and give the space back. Imported data is never touched.')
      .option('--keep <n>', 'keep the N newest runs')
      .option('--before <date>', 'delete runs whose as-of date is before DATE (with --keep: only those outside the N newest)')
      .option('--dry-run', 'only say which runs would go')
      .option('--vacuum', 'rewrite the database once so that it gives freed space back (databases made before stayaudit schema 3; needs its size in free disk)')
      .option('--json', 'print what was pruned as JSON')
      .addHelpText('after', '\nExamples:\n  $ stayaudit runs prune --keep 7\n  $ stayaudit runs prune --before 2024-01-01 --dry-run\n')
      .action(async (flags: PruneFlags) => {
        const options: PruneOptions = { dryRun: flags.dryRun === true, vacuum: flags.vacuum === true };
        if (flags.keep !== undefined) options.keep = parseWholeNumberFlag('--keep', flags.keep);
        if (flags.before !== undefined) options.before = parseDateFlag('--before', flags.before);
        checkPruneOptions(options);
        // A missing database is an error, not a new empty one.
        const outcome = await pruneRunsAt(ctx.storeAddress(), options);
        ctx.note(pruneSummary(outcome, options.dryRun === true));
        if (flags.json) ctx.io.stdout.write(JSON.stringify({ version: 1, dryRun: options.dryRun, ...outcome }, null, 2) + '\n');
      });
  },
};
