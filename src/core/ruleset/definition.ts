/**
 * The ruleset as data: the JSON shape a rules file has, the built-in Kazakhstan
 * ruleset (`law/kazakhstan.ts`) has, and an audit run stores (its checksum is that of
 * `JSON.stringify(ruleset)`, so field order matters). Dates are `YYYY-MM-DD` strings.
 * Rulesets are frozen: their compiled form is cached per object.
 */

export interface WindowDefinition {
  /** Length of the rolling window in days (180: the window [day − 179, day]). */
  days: number;
  /** Most uncovered days of presence allowed inside the window. */
  max: number;
  /** Only days of presence on or after this date count (`YYYY-MM-DD`); null: all days count. */
  countFrom: string | null;
}

export interface RegimeDefinition {
  /** Label written on findings (several periods of one group share a name, e.g. `EAEU`). */
  name: string;
  /** Country groups (names of `Ruleset.groups`) the regime applies to. */
  groups: string[];
  /** Further alpha-3 citizenships the regime applies to directly. */
  countries: string[];
  /** First day the regime is in force (`YYYY-MM-DD`, inclusive); null: since ever. */
  from: string | null;
  /** Last day the regime is in force (`YYYY-MM-DD`, inclusive); null: open-ended. */
  until: string | null;
  /** Per-entry cap in days (the entry day is day 1); null: no cap. */
  cap: number | null;
  window: WindowDefinition | null;
  /** A visa or TRP is needed: uncovered days are `no-basis`. */
  requiresVisa: boolean;
  description?: string;
}

/** The regime of every citizenship (and day) no regime names. */
export interface DefaultRegimeDefinition {
  name: string;
  cap: number | null;
  window: WindowDefinition | null;
  requiresVisa: boolean;
}

export interface RegistrationSettings {
  /** Working days the receiving party has to notify an arrival (3). */
  workingDays: number;
  /** Recurring fixed-date public holidays, `MM-DD`. */
  holidays: string[];
  /** One-off holidays or transferred days off, `YYYY-MM-DD`. */
  extraHolidays: string[];
}

export type MissingExitMode = 'unresolved' | 'present-throughout';

export interface Ruleset {
  /** Stamped on audit runs and statistics ("the ruleset used"). */
  name: string;
  description?: string;
  /** Group name -> alpha-3 citizenships. */
  groups: Record<string, string[]>;
  /** In priority order: for a citizenship and day the first regime in force wins. */
  regimes: RegimeDefinition[];
  defaultRegime: DefaultRegimeDefinition;
  registration: RegistrationSettings;
  /** Days after the last covered day of a stay before `permit-expired` starts. */
  graceDays: number;
  /** Re-entry ban length when an expulsion gives none. */
  banYears: number;
  /** What an IN while a stay is open means (SPEC §2). */
  missingExit: MissingExitMode;
  /** Known checkpoint codes; `unknown-checkpoint` is reported only when a list is given. */
  checkpoints: string[] | null;
}

/** A rules file (or ruleset object) that is not valid: names the source, the field path and the reason. */
export class RulesetError extends Error {
  override readonly name = 'RulesetError';
  readonly source: string;
  /** Field path such as `regimes[2].cap`; empty for the whole document. */
  readonly path: string;
  readonly reason: string;
  readonly hint: string;

  constructor(source: string, path: string, reason: string, hint = 'see the rules-file format in the README (section "Rules files")') {
    super(`${source}: ${path === '' ? '' : `${path}: `}${reason}`);
    this.source = source;
    this.path = path;
    this.reason = reason;
    this.hint = hint;
  }
}

/** Freezes a ruleset and everything in it (rulesets are shared and their compiled form cached). */
export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
  }
  return value;
}
