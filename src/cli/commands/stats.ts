import { countryName } from '../../import/citizenship.js';
import { UsageError } from '../../errors.js';
import { resolveRun } from '../../reports/runs.js';
import { computeStats, GROUPINGS, receivingPartyNames, statsListing, type Grouping } from '../../reports/stats.js';
import { collectRows, type Row } from '../../reports/render.js';
import { maskSecret } from '../../storage/reads/meta.js';
import { emitListing } from '../output.js';
import { parseDateFlag } from '../context.js';
import type { ListingFlags } from '../listing-options.js';
import { withOutputOptions, type CommandSpec } from './command.js';
import { citizenshipCodes, collect, parseRunFlag } from './listing-flags.js';

interface StatsFlags extends ListingFlags {
  run?: string;
  by?: string;
  from?: string;
  to?: string;
  citizenship?: string[];
}

export const statsCommand: CommandSpec = {
  name: 'stats',
  description:
    'Statistics for a period: entries, exits, persons entered, violators and their rates, expected departures and the overstay rate, expulsions; grouped, with a TOTAL row.',
  examples: [
    'stayaudit stats',
    'stayaudit stats --by month --from 2024-01-01 --to 2024-06-30 --format csv',
    'stayaudit stats --citizenship RUS,UZB --excel -o stats.csv',
  ],
  configure(command, ctx) {
    withOutputOptions(command)
      .option('--run <n>', 'audit run number (default: the latest)')
      .option('--by <grouping>', `${GROUPINGS.join(', ')}`, 'citizenship')
      .option('--from <date>', 'period start (default: 1 January of the as-of year)')
      .option('--to <date>', 'period end (default: 31 December of the as-of year)')
      .option('--citizenship <codes>', 'only these citizenships (with --by citizenship; codes or names, comma-separated or repeated)', collect)
      .action(async (flags: StatsFlags) => {
        const by = (flags.by ?? 'citizenship') as Grouping;
        const only = flags.citizenship ? new Set(citizenshipCodes(flags.citizenship)) : null;
        if (only !== null && by !== 'citizenship') {
          throw new UsageError('--citizenship on stats works with --by citizenship only', 'drop --by, or filter the findings with: stayaudit findings --citizenship …');
        }
        const store = await ctx.openRead();
        try {
          const run = await resolveRun(store, parseRunFlag(flags.run));
          const options: Parameters<typeof computeStats>[2] = { by };
          if (flags.from !== undefined) options.from = parseDateFlag('--from', flags.from);
          if (flags.to !== undefined) options.to = parseDateFlag('--to', flags.to);
          const result = await computeStats(store, run, options);
          if ((flags.from !== undefined || flags.to !== undefined) && result.to > run.as_of) {
            // Days after the as-of date were not judged: their figures are not zero, they
            // are unknown. (The default period, the as-of year, is documented as counted
            // up to the as-of date, so it gets no warning.)
            ctx.warn(
              result.from > run.as_of
                ? `the period ${result.from}..${result.to} lies after run ${run.id}'s as-of date ${run.as_of}: no day of it was judged, so its figures are empty`
                : `the period ${result.from}..${result.to} reaches past run ${run.id}'s as-of date ${run.as_of}: the days after it were not judged (audit as of a later date to count them)`,
            );
          }
          let hostNames: Map<string, string> | undefined;
          if (result.grouping === 'host') {
            hostNames = await receivingPartyNames(store);
          }
          let listing = statsListing(result, run, hostNames);
          const groupColumn = listing.columns[0]!;
          const isTotal = (row: Row): boolean => row[groupColumn] === 'TOTAL';
          if (only !== null) {
            // The TOTAL row counts distinct persons over every citizenship: it is left
            // out, since persons entered under two of the chosen ones cannot be told apart.
            const rows = (await collectRows(listing.rows)).filter((row) => !isTotal(row) && only.has(String(row[groupColumn])));
            listing = { ...listing, rows, meta: { ...listing.meta, citizenship: [...only].join(',') } };
            if (only.size > 1) ctx.note('stats: no TOTAL row with --citizenship (distinct persons across citizenships are counted only over all of them)');
          } else {
            listing.keepLast = isTotal;
          }
          if (result.grouping === 'citizenship') {
            listing.describe = (column, value) => (column === 'citizenship' && typeof value === 'string' && value !== 'TOTAL' ? countryName(value, 'en') ?? undefined : undefined);
          }
          await emitListing(ctx, listing, flags, await maskSecret(store));
        } finally {
          await store.close();
        }
      });
  },
};
