/**
 * The filters shared by `findings`, `violators` and `diff`: every rule's name,
 * citizenships as codes, and the check that a filter names only known rules and statuses. The store turns a checked
 * filter into its query (storage/reads/finding-filter.ts).
 */
import { RULES } from '../core/rules/registry.js';
import { UsageError } from '../errors.js';
import { normaliseCitizenship } from '../import/citizenship.js';
import type { FindingFilter } from '../storage/reads/index.js';

export type { FindingFilter } from '../storage/reads/index.js';

/** Every rule's name, from the registry (src/core/rules/registry.ts), family by family. */
export const ALL_RULES: readonly string[] = RULES.map((r) => r.name);

export { OWN_OFFENCE_RULES } from '../core/types.js';

/** The filter, if every rule and status it names is known; else a usage error naming the unknown one. */
export function checkFilter(filter: FindingFilter): FindingFilter {
  for (const rule of filter.rules ?? []) {
    if (!ALL_RULES.includes(rule)) throw new UsageError(`unknown rule '${rule}'`, `rules are: ${ALL_RULES.join(', ')}`);
  }
  for (const status of filter.statuses ?? []) {
    if (status !== 'in-country' && status !== 'departed') throw new UsageError(`unknown status '${status}'`, 'use in-country or departed');
  }
  return filter;
}

/** Citizenships as typed (codes or names) as alpha-3 codes, or a usage error naming the unknown one. */
export function citizenshipCodes(values: readonly string[]): string[] {
  return values.map((c) => {
    const code = normaliseCitizenship(c);
    if (code === null) throw new UsageError(`unknown citizenship '${c}'`, 'use an ISO code (RUS, RU) or a country name');
    return code;
  });
}
