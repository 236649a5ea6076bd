/**
 * Kazakhstan's law as the audit applies it (SPEC §3), in one place: who may stay how
 * long without a visa and since when, the public holidays that registration deadlines
 * skip, and the re-entry ban. To add a visa-free country put it in its group; to add a
 * holiday add a line to HOLIDAYS; to change a regime edit REGIMES (first match wins).
 * Other countries' law would be another file beside this one, or a rules file.
 *
 * The generator keeps its own copy of this law, written differently on purpose
 * (`src/generate/regimes.ts`, `src/generate/calendar.ts`): its expected findings are
 * the tests' independent check of the audit, so it must not import this file. A change
 * here needs the same change there; the generator tests fail until both agree.
 */
import { deepFreeze, type DefaultRegimeDefinition, type RegimeDefinition, type Ruleset, type WindowDefinition } from '../ruleset/definition.js';

// ---------------------------------------------------------------------------
// Dates

/** The 90-in-180 rule took effect for every visa-free citizen on this day. */
export const NEW_RULES_FROM = '2023-01-27';
/** The last day of the old regime: a cap per entry only, a departure reset it. */
export const OLD_RULES_UNTIL = '2023-01-26';
/** China joined the 30-day visa-free regime on this day. */
export const CHINA_VF30_FROM = '2023-11-10';
/** The last day China had the 14-day regime (42 days in 180). */
export const CHINA_VF14_UNTIL = '2023-11-09';

// ---------------------------------------------------------------------------
// Who: country groups (alpha-3 citizenship codes)

export const COUNTRY_GROUPS: Record<string, string[]> = {
  /** Eurasian Economic Union member states. */
  EAEU: ['RUS', 'BLR', 'ARM', 'KGZ'],
  /** CIS states with a 90-day visa-free stay. */
  'CIS-90': ['AZE', 'GEO', 'MDA', 'UKR', 'TJK'],
  /** States whose citizens stay 30 days per entry without a visa. */
  'VF-30': [
    'UZB', 'MNG', 'TUR', 'USA', 'CAN', 'GBR', 'IRL', 'DEU', 'FRA', 'ITA', 'ESP', 'PRT', 'NLD', 'BEL', 'LUX', 'AUT',
    'CHE', 'POL', 'CZE', 'FIN', 'SWE', 'NOR', 'DNK', 'JPN', 'KOR', 'SGP', 'MYS', 'ARE', 'QAT', 'AUS', 'NZL', 'ISR',
  ],
  /** States whose citizens stay 14 days per entry, 42 in any 180. */
  'VF-14': ['IND', 'IRN'],
};

// ---------------------------------------------------------------------------
// How long: regimes, in priority order (for a citizenship and day the first in force wins)

/** 90 uncovered days in any 180, counting only days from the 2023 change on. */
const NINETY_IN_180: WindowDefinition = { days: 180, max: 90, countFrom: NEW_RULES_FROM };
/** 42 uncovered days in any 180, every day counting. */
const FORTY_TWO_IN_180: WindowDefinition = { days: 180, max: 42, countFrom: null };

interface RegimeLaw {
  name: string;
  groups?: string[];
  countries?: string[];
  from?: string;
  until?: string;
  cap: number;
  window?: WindowDefinition;
  requiresVisa?: boolean;
  description?: string;
}

/** A regime with every field of the rules-file format, in its order (the ruleset's checksum depends on it). */
function regime(law: RegimeLaw): RegimeDefinition {
  return {
    name: law.name,
    groups: law.groups ?? [],
    countries: law.countries ?? [],
    from: law.from ?? null,
    until: law.until ?? null,
    cap: law.cap,
    window: law.window === undefined ? null : { ...law.window },
    requiresVisa: law.requiresVisa ?? false,
    ...(law.description === undefined ? {} : { description: law.description }),
  };
}

export const REGIMES: RegimeDefinition[] = [
  regime({ name: 'EAEU', groups: ['EAEU'], until: OLD_RULES_UNTIL, cap: 90, description: 'per-entry cap only' }),
  regime({ name: 'EAEU', groups: ['EAEU'], from: NEW_RULES_FROM, cap: 90, window: NINETY_IN_180 }),
  regime({ name: 'CIS-90', groups: ['CIS-90'], until: OLD_RULES_UNTIL, cap: 90, description: 'per-entry cap only' }),
  regime({ name: 'CIS-90', groups: ['CIS-90'], from: NEW_RULES_FROM, cap: 90, window: NINETY_IN_180 }),
  regime({ name: 'VF-30', groups: ['VF-30'], until: OLD_RULES_UNTIL, cap: 30, description: 'per-entry cap only' }),
  regime({ name: 'VF-30', groups: ['VF-30'], from: NEW_RULES_FROM, cap: 30, window: NINETY_IN_180 }),
  regime({ name: 'VF-14', countries: ['CHN'], until: CHINA_VF14_UNTIL, cap: 14, window: FORTY_TWO_IN_180, description: 'China before the 30-day visa-free regime' }),
  regime({ name: 'VF-30', countries: ['CHN'], from: CHINA_VF30_FROM, cap: 30, window: NINETY_IN_180 }),
  regime({ name: 'VF-14', groups: ['VF-14'], cap: 14, window: FORTY_TWO_IN_180 }),
];

/** Every other citizenship needs a visa or a residence permit for every day. */
export const OTHERWISE: DefaultRegimeDefinition = { name: 'visa', cap: null, window: null, requiresVisa: true };

// ---------------------------------------------------------------------------
// Registration: the receiving party notifies within working days

/** Working days the receiving party has to notify an arrival, the arrival day counting when it is one. */
export const REGISTRATION_WORKING_DAYS = 3;

/** Fixed-date public holidays (`MM-DD`, every year); weekends are never working days either. */
export const HOLIDAYS: ReadonlyArray<readonly [monthDay: string, name: string]> = [
  ['01-01', 'New Year'],
  ['01-02', 'New Year'],
  ['01-07', 'Orthodox Christmas'],
  ['03-08', "International Women's Day"],
  ['03-21', 'Nauryz'],
  ['03-22', 'Nauryz'],
  ['03-23', 'Nauryz'],
  ['05-01', 'Unity Day'],
  ['05-07', 'Defender of the Fatherland Day'],
  ['05-09', 'Victory Day'],
  ['07-06', 'Capital Day'],
  ['08-30', 'Constitution Day'],
  ['10-25', 'Republic Day'],
  ['12-16', 'Independence Day'],
];

/** The holidays as `MM-DD` texts, the form rules files use. */
export const KAZAKHSTAN_HOLIDAYS: readonly string[] = Object.freeze(HOLIDAYS.map(([monthDay]) => monthDay));

// ---------------------------------------------------------------------------
// Re-entry ban

/** Years an expelled person may not re-enter when the decision gives no length. */
export const BAN_YEARS = 5;

// ---------------------------------------------------------------------------
// The ruleset the audit uses when no rules file is given

const KAZAKHSTAN: Ruleset = deepFreeze({
  name: 'default',
  description: 'Kazakhstan: EAEU and visa-free regimes with the 90-in-180 rule from 2023-01-27',
  groups: COUNTRY_GROUPS,
  regimes: REGIMES,
  defaultRegime: OTHERWISE,
  registration: { workingDays: REGISTRATION_WORKING_DAYS, holidays: [...KAZAKHSTAN_HOLIDAYS], extraHolidays: [] },
  graceDays: 0,
  banYears: BAN_YEARS,
  missingExit: 'unresolved',
  checkpoints: null,
});

/** The Kazakhstan ruleset of SPEC §3. Always the same frozen object (so its compiled form is cached). */
export function defaultRuleset(): Ruleset {
  return KAZAKHSTAN;
}
