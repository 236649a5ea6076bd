/** The filter flags of findings, violators and diff, turned into a typed FindingFilter. */
import { UsageError } from '../../errors.js';
import { citizenshipCodes, type FindingFilter } from '../../reports/filters.js';

/** `stats --citizenship` reads it from here. */
export { citizenshipCodes } from '../../reports/filters.js';
import { parseDateFlag, parseWholeNumberFlag } from '../context.js';
import type { Command } from 'commander';

export interface FilterFlags {
  run?: string;
  rule?: string[];
  citizenship?: string[];
  status?: string[];
  minDays?: string;
  from?: string;
  to?: string;
  entryFrom?: string;
  entryTo?: string;
  address?: string;
  region?: string[];
  host?: string[];
  checkpoint?: string[];
}

export const collect = (value: string, previous: string[] = []): string[] => [...previous, ...value.split(',').map((v) => v.trim()).filter(Boolean)];

/** Filters shared by findings, violators and diff. */
export function withFilterOptions(command: Command): Command {
  return command
    .option('--rule <rules>', 'only these rules (comma-separated or repeated)', collect)
    .option('--citizenship <codes>', 'only these citizenships (codes or names, comma-separated or repeated)', collect)
    .option('--status <status>', 'in-country or departed', collect)
    .option('--min-days <n>', 'only findings of at least N days')
    .option('--from <date>', 'first (unlawful) day on or after DATE (YYYY-MM-DD, DD.MM.YYYY, today, yesterday)')
    .option('--to <date>', 'first (unlawful) day on or before DATE')
    .option('--entry-from <date>', "the stay's entry on or after DATE")
    .option('--entry-to <date>', "the stay's entry on or before DATE")
    .option('--address <text>', "persons with TEXT in the address of a registration or permit (any case)")
    .option('--region <names>', 'persons with a registration or permit address in this city or region (the address up to its first comma)', collect)
    .option('--host <ids>', 'findings of this receiving party, or persons registered or permitted by it (host_id)', collect)
    .option('--checkpoint <codes>', "the stay's entry checkpoint", collect);
}

export function parseRunFlag(value: string | undefined, flag = '--run'): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) throw new UsageError(`${flag} must be a run number, not '${value}'`, 'list the runs with: stayaudit runs');
  return Number(value);
}

export function filterFromFlags(flags: FilterFlags): FindingFilter {
  const filter: FindingFilter = {};
  if (flags.rule) filter.rules = flags.rule;
  if (flags.citizenship) filter.citizenships = citizenshipCodes(flags.citizenship);
  if (flags.status) filter.statuses = flags.status;
  if (flags.minDays !== undefined) filter.minDays = parseWholeNumberFlag('--min-days', flags.minDays);
  if (flags.from !== undefined) filter.from = parseDateFlag('--from', flags.from);
  if (flags.to !== undefined) filter.to = parseDateFlag('--to', flags.to);
  if (flags.entryFrom !== undefined) filter.entryFrom = parseDateFlag('--entry-from', flags.entryFrom);
  if (flags.entryTo !== undefined) filter.entryTo = parseDateFlag('--entry-to', flags.entryTo);
  if (flags.address !== undefined) filter.address = flags.address;
  if (flags.region) filter.regions = flags.region;
  if (flags.host) filter.hosts = flags.host;
  if (flags.checkpoint) filter.checkpoints = flags.checkpoint;
  return filter;
}
