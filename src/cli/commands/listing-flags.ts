import { UsageError } from '../../errors.js';
import { normaliseCitizenship } from '../../import/citizenship.js';
import type { FindingFilter } from '../../reports/filters.js';
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
}

const collect = (value: string, previous: string[] = []): string[] => [...previous, ...value.split(',').map((v) => v.trim()).filter(Boolean)];

/** Filters shared by findings, violators and diff. */
export function withFilterOptions(command: Command): Command {
  return command
    .option('--rule <rules>', 'only these rules (comma-separated or repeated)', collect)
    .option('--citizenship <codes>', 'only these citizenships (codes or names, comma-separated or repeated)', collect)
    .option('--status <status>', 'in-country or departed', collect)
    .option('--min-days <n>', 'only findings of at least N days')
    .option('--from <date>', 'first day on or after DATE')
    .option('--to <date>', 'first day on or before DATE');
}

export function parseRunFlag(value: string | undefined, flag = '--run'): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) throw new UsageError(`${flag} must be a run number, not '${value}'`, 'list the runs with: stayaudit runs');
  return Number(value);
}

export function filterFromFlags(flags: FilterFlags): FindingFilter {
  const filter: FindingFilter = {};
  if (flags.rule) filter.rules = flags.rule;
  if (flags.citizenship) {
    filter.citizenships = flags.citizenship.map((c) => {
      const code = normaliseCitizenship(c);
      if (code === null) throw new UsageError(`unknown citizenship '${c}'`, 'use an ISO code (RUS, RU) or a country name');
      return code;
    });
  }
  if (flags.status) filter.statuses = flags.status;
  if (flags.minDays !== undefined) filter.minDays = parseWholeNumberFlag('--min-days', flags.minDays);
  if (flags.from !== undefined) filter.from = parseDateFlag('--from', flags.from);
  if (flags.to !== undefined) filter.to = parseDateFlag('--to', flags.to);
  return filter;
}
