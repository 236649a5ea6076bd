/**
 * Every rule the audit knows, in one list. A family is one file under `rules/`; its
 * rules carry their names, whose offence they are and how a finding explains itself.
 * The audit runs the families in this order (findings come stay by stay in this order,
 * then the per-person ones), so adding a rule is a new file and a line here.
 * Overstay precedence is stated in `overstay.ts` (DAY_PRECEDENCE).
 */
import { anomalies } from './anomalies.js';
import { DAY_PRECEDENCE, overstay } from './overstay.js';
import { reentryBan } from './reentry-ban.js';
import { registration } from './registration.js';
import type { RuleFamily, RuleInfo } from './rule.js';

export const FAMILIES = [
  overstay,
  registration,
  reentryBan,
  anomalies,
] as const;

type FamilyRuleName<F> = F extends RuleFamily<infer N> ? N : never;

/** The name of every rule (what findings carry in `rule`). */
export type RuleName = FamilyRuleName<(typeof FAMILIES)[number]>;
export type OverstayRule = FamilyRuleName<typeof overstay>;
export type RegistrationRule = FamilyRuleName<typeof registration>;
export type AnomalyRule = FamilyRuleName<typeof anomalies>;

export interface RegisteredRule extends RuleInfo<RuleName> {
  readonly family: string;
  /** Overstay rules: the rule's place in the precedence of a day (its index in DAY_PRECEDENCE); else null. */
  readonly precedence: number | null;
}

/** Every rule, family by family, overstays in order of precedence. */
export const RULES: readonly RegisteredRule[] = FAMILIES.flatMap((f: RuleFamily<RuleName>) =>
  f.rules.map((r) => {
    const place = DAY_PRECEDENCE.findIndex((t) => t.name === r.name);
    return { ...r, family: f.family, precedence: place < 0 ? null : place };
  }),
);

/** The rule of this name, or undefined. */
export function ruleInfo(name: string): RegisteredRule | undefined {
  return RULES.find((r) => r.name === name);
}

/** The foreigner's own offences: what makes a person a violator (SPEC §4). */
export const OWN_OFFENCE_RULES: readonly RuleName[] = RULES.filter((r) => r.offender === 'person').map((r) => r.name);

export function isOwnOffence(rule: string): boolean {
  return (OWN_OFFENCE_RULES as readonly string[]).includes(rule);
}

/** Findings of the own offences among counts per rule. */
export function ownOffenceCount(counts: Partial<Record<string, number>>): number {
  return OWN_OFFENCE_RULES.reduce((n, rule) => n + (counts[rule] ?? 0), 0);
}
