/**
 * Rulesets: which regime governs which citizenship on which day, plus the settings of
 * the other rules (registration calendar, grace days, ban length, missing exits,
 * checkpoint list).
 *
 * A `Ruleset` is plain JSON-serialisable data (dates as `YYYY-MM-DD` strings) so it
 * can be printed, stored with an audit run and diffed. `compileRuleset` turns it into
 * the form the audit reads (Days, a per-citizenship sorted list of regime periods, a
 * holiday calendar); compiled forms are cached per Ruleset object, so rulesets are
 * frozen and must be treated as immutable. The rules FILE format is documented in
 * `RULES.md` next to this file.
 */
import { dayFromIso } from './dates.js';
import type { Day } from './types.js';
import { createWorkingCalendar, KAZAKHSTAN_HOLIDAYS, monthDayKeyFromText, type WorkingCalendar } from './working-days.js';

// ---------------------------------------------------------------------------
// The data (JSON shape)

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

// ---------------------------------------------------------------------------
// Errors

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

// ---------------------------------------------------------------------------
// The default ruleset (Kazakhstan, SPEC §3)

const NEW_RULES_FROM = '2023-01-27';
const OLD_RULES_UNTIL = '2023-01-26';
const CHINA_VF30_FROM = '2023-11-10';
const CHINA_VF14_UNTIL = '2023-11-09';

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
  }
  return value;
}

function buildDefaultRuleset(): Ruleset {
  const window90: WindowDefinition = { days: 180, max: 90, countFrom: NEW_RULES_FROM };
  const regime = (name: string, members: { groups?: string[]; countries?: string[] }, from: string | null, until: string | null, cap: number, window: WindowDefinition | null, description?: string): RegimeDefinition => ({
    name,
    groups: members.groups ?? [],
    countries: members.countries ?? [],
    from,
    until,
    cap,
    window: window === null ? null : { ...window },
    requiresVisa: false,
    ...(description === undefined ? {} : { description }),
  });
  return {
    name: 'default',
    description: 'Kazakhstan: EAEU and visa-free regimes with the 90-in-180 rule from 2023-01-27',
    groups: {
      EAEU: ['RUS', 'BLR', 'ARM', 'KGZ'],
      'CIS-90': ['AZE', 'GEO', 'MDA', 'UKR', 'TJK'],
      'VF-30': [
        'UZB', 'MNG', 'TUR', 'USA', 'CAN', 'GBR', 'IRL', 'DEU', 'FRA', 'ITA', 'ESP', 'PRT', 'NLD', 'BEL', 'LUX', 'AUT',
        'CHE', 'POL', 'CZE', 'FIN', 'SWE', 'NOR', 'DNK', 'JPN', 'KOR', 'SGP', 'MYS', 'ARE', 'QAT', 'AUS', 'NZL', 'ISR',
      ],
      'VF-14': ['IND', 'IRN'],
    },
    regimes: [
      regime('EAEU', { groups: ['EAEU'] }, null, OLD_RULES_UNTIL, 90, null, 'per-entry cap only'),
      regime('EAEU', { groups: ['EAEU'] }, NEW_RULES_FROM, null, 90, window90),
      regime('CIS-90', { groups: ['CIS-90'] }, null, OLD_RULES_UNTIL, 90, null, 'per-entry cap only'),
      regime('CIS-90', { groups: ['CIS-90'] }, NEW_RULES_FROM, null, 90, window90),
      regime('VF-30', { groups: ['VF-30'] }, null, OLD_RULES_UNTIL, 30, null, 'per-entry cap only'),
      regime('VF-30', { groups: ['VF-30'] }, NEW_RULES_FROM, null, 30, window90),
      regime('VF-14', { countries: ['CHN'] }, null, CHINA_VF14_UNTIL, 14, { days: 180, max: 42, countFrom: null }, 'China before the 30-day visa-free regime'),
      regime('VF-30', { countries: ['CHN'] }, CHINA_VF30_FROM, null, 30, window90),
      regime('VF-14', { groups: ['VF-14'] }, null, null, 14, { days: 180, max: 42, countFrom: null }),
    ],
    defaultRegime: { name: 'visa', cap: null, window: null, requiresVisa: true },
    registration: { workingDays: 3, holidays: [...KAZAKHSTAN_HOLIDAYS], extraHolidays: [] },
    graceDays: 0,
    banYears: 5,
    missingExit: 'unresolved',
    checkpoints: null,
  };
}

const DEFAULT_RULESET: Ruleset = deepFreeze(buildDefaultRuleset());

/** The Kazakhstan ruleset of SPEC §3. Always the same frozen object (so its compiled form is cached). */
export function defaultRuleset(): Ruleset {
  return DEFAULT_RULESET;
}

// ---------------------------------------------------------------------------
// Parsing and validating rules files

type Json = unknown;

function isObject(value: Json): value is Record<string, Json> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function describe(value: Json): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return `the string ${JSON.stringify(value)}`;
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${String(value)}`;
}

/**
 * Checks a citizenship code against the country list (kept outside core, which does
 * no I/O): null when the code is known, else why not (e.g. "imports store it as GBR").
 */
export type CountryCheck = (code: string) => string | null;

class Reader {
  constructor(
    readonly source: string,
    readonly countryCheck?: CountryCheck,
  ) {}

  fail(path: string, reason: string, hint?: string): never {
    throw new RulesetError(this.source, path, reason, hint);
  }

  object(value: Json, path: string, allowed: readonly string[]): Record<string, Json> {
    if (!isObject(value)) this.fail(path, `must be an object, got ${describe(value)}`);
    for (const key of Object.keys(value)) {
      if (!allowed.includes(key)) {
        this.fail(join(path, key), `unknown field (allowed: ${allowed.join(', ')})`);
      }
    }
    return value;
  }

  string(value: Json, path: string): string {
    if (typeof value !== 'string' || value.trim() === '') this.fail(path, `must be a non-empty string, got ${describe(value)}`);
    return value.trim();
  }

  integer(value: Json, path: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
    if (typeof value !== 'number' || !Number.isInteger(value)) this.fail(path, `must be a whole number, got ${describe(value)}`);
    if (value < min || value > max) this.fail(path, `must be between ${min} and ${max}, got ${value}`);
    return value;
  }

  integerOrNull(value: Json, path: string, min: number, max?: number): number | null {
    return value === null ? null : this.integer(value, path, min, max);
  }

  boolean(value: Json, path: string): boolean {
    if (typeof value !== 'boolean') this.fail(path, `must be true or false, got ${describe(value)}`);
    return value;
  }

  isoDate(value: Json, path: string): string {
    if (typeof value !== 'string') this.fail(path, `must be a date YYYY-MM-DD, got ${describe(value)}`);
    const text = value.trim();
    if (text.length !== 10 || Number.isNaN(dayFromIso(text))) this.fail(path, `${JSON.stringify(value)} is not a valid date YYYY-MM-DD`);
    return text;
  }

  isoDateOrNull(value: Json, path: string): string | null {
    return value === null ? null : this.isoDate(value, path);
  }

  array(value: Json, path: string): Json[] {
    if (!Array.isArray(value)) this.fail(path, `must be an array, got ${describe(value)}`);
    return value;
  }

  country(value: Json, path: string): string {
    if (typeof value !== 'string') this.fail(path, `must be an alpha-3 citizenship code, got ${describe(value)}`);
    const code = value.trim().toUpperCase();
    if (!/^[A-Z]{3}$/.test(code)) this.fail(path, `${JSON.stringify(value)} is not an alpha-3 citizenship code (three letters, e.g. RUS)`);
    const unknown = this.countryCheck?.(code);
    if (unknown) this.fail(path, `${JSON.stringify(value)} is not a known citizenship code: ${unknown}`);
    return code;
  }

  countries(value: Json, path: string): string[] {
    const out: string[] = [];
    this.array(value, path).forEach((item, i) => {
      const code = this.country(item, `${path}[${i}]`);
      if (!out.includes(code)) out.push(code);
    });
    return out;
  }
}

function join(path: string, key: string): string {
  const part = /^[A-Za-z_$][\w$]*$/.test(key) ? key : JSON.stringify(key);
  if (path === '') return part;
  return /^[A-Za-z_$][\w$]*$/.test(key) ? `${path}.${key}` : `${path}[${part}]`;
}

const TOP_LEVEL_FIELDS = [
  '$schema', 'extends', 'name', 'description', 'groups', 'regimes', 'defaultRegime', 'registration',
  'graceDays', 'banYears', 'missingExit', 'checkpoints',
] as const;
const REGIME_FIELDS = ['name', 'description', 'groups', 'countries', 'from', 'until', 'cap', 'window', 'requiresVisa'] as const;
const DEFAULT_REGIME_FIELDS = ['name', 'cap', 'window', 'requiresVisa'] as const;
const WINDOW_FIELDS = ['days', 'max', 'countFrom'] as const;
const REGISTRATION_FIELDS = ['workingDays', 'holidays', 'extraHolidays'] as const;
const MISSING_EXIT_MODES: readonly MissingExitMode[] = ['unresolved', 'present-throughout'];

function readWindow(r: Reader, value: Json, path: string): WindowDefinition | null {
  if (value === null) return null;
  const o = r.object(value, path, WINDOW_FIELDS);
  if (o.days === undefined) r.fail(join(path, 'days'), 'is required (the window length, e.g. 180)');
  if (o.max === undefined) r.fail(join(path, 'max'), 'is required (most days allowed in the window, e.g. 90)');
  const days = r.integer(o.days, join(path, 'days'), 1, 3660);
  const max = r.integer(o.max, join(path, 'max'), 0, 3660);
  const countFrom = o.countFrom === undefined ? null : r.isoDateOrNull(o.countFrom, join(path, 'countFrom'));
  return { days, max, countFrom };
}

function readRegime(r: Reader, value: Json, path: string): RegimeDefinition {
  const o = r.object(value, path, REGIME_FIELDS);
  if (o.name === undefined) r.fail(join(path, 'name'), 'is required (the label findings carry, e.g. "EAEU")');
  const name = r.string(o.name, join(path, 'name'));
  let groups: string[] = [];
  if (o.groups !== undefined) {
    const raw = typeof o.groups === 'string' ? [o.groups] : r.array(o.groups, join(path, 'groups'));
    groups = raw.map((g, i) => r.string(g, typeof o.groups === 'string' ? join(path, 'groups') : `${join(path, 'groups')}[${i}]`));
  }
  const countries = o.countries === undefined ? [] : r.countries(o.countries, join(path, 'countries'));
  if (groups.length === 0 && countries.length === 0) r.fail(path, 'names no group and no country: give "groups" or "countries"');
  const from = o.from === undefined ? null : r.isoDateOrNull(o.from, join(path, 'from'));
  const until = o.until === undefined ? null : r.isoDateOrNull(o.until, join(path, 'until'));
  if (from !== null && until !== null && until < from) r.fail(join(path, 'until'), `${until} is before "from" ${from}`);
  const cap = o.cap === undefined ? null : r.integerOrNull(o.cap, join(path, 'cap'), 1, 36600);
  const window = o.window === undefined ? null : readWindow(r, o.window, join(path, 'window'));
  const requiresVisa = o.requiresVisa === undefined ? false : r.boolean(o.requiresVisa, join(path, 'requiresVisa'));
  const regime: RegimeDefinition = { name, groups, countries, from, until, cap, window, requiresVisa };
  if (o.description !== undefined) regime.description = r.string(o.description, join(path, 'description'));
  return regime;
}

function readDefaultRegime(r: Reader, value: Json, path: string, base: DefaultRegimeDefinition | null): DefaultRegimeDefinition {
  const o = r.object(value, path, DEFAULT_REGIME_FIELDS);
  if (base === null && o.name === undefined) r.fail(join(path, 'name'), 'is required (e.g. "visa")');
  return {
    name: o.name === undefined ? (base as DefaultRegimeDefinition).name : r.string(o.name, join(path, 'name')),
    cap: o.cap === undefined ? (base?.cap ?? null) : r.integerOrNull(o.cap, join(path, 'cap'), 1, 36600),
    window: o.window === undefined ? (base?.window ?? null) : readWindow(r, o.window, join(path, 'window')),
    requiresVisa: o.requiresVisa === undefined ? (base?.requiresVisa ?? false) : r.boolean(o.requiresVisa, join(path, 'requiresVisa')),
  };
}

function readRegistration(r: Reader, value: Json, path: string, base: RegistrationSettings): RegistrationSettings {
  const o = r.object(value, path, REGISTRATION_FIELDS);
  const workingDays = o.workingDays === undefined ? base.workingDays : r.integer(o.workingDays, join(path, 'workingDays'), 1, 60);
  let holidays = base.holidays;
  if (o.holidays !== undefined) {
    holidays = r.array(o.holidays, join(path, 'holidays')).map((h, i) => {
      const p = `${join(path, 'holidays')}[${i}]`;
      if (typeof h !== 'string' || Number.isNaN(monthDayKeyFromText(h.trim()))) r.fail(p, `${describe(h)} is not a month-day MM-DD (e.g. "03-21")`);
      return h.trim();
    });
  }
  const extraHolidays = o.extraHolidays === undefined
    ? base.extraHolidays
    : r.array(o.extraHolidays, join(path, 'extraHolidays')).map((h, i) => r.isoDate(h, `${join(path, 'extraHolidays')}[${i}]`));
  return { workingDays, holidays: [...holidays], extraHolidays: [...extraHolidays] };
}

function checkReferences(r: Reader, ruleset: Ruleset, regimePaths: readonly string[]): void {
  ruleset.regimes.forEach((regime, i) => {
    regime.groups.forEach((group, j) => {
      if (!Object.hasOwn(ruleset.groups, group)) {
        const known = Object.keys(ruleset.groups);
        r.fail(`${regimePaths[i] ?? `regimes[${i}]`}.groups[${j}]`, `unknown group ${JSON.stringify(group)} (groups: ${known.length === 0 ? 'none defined' : known.join(', ')})`);
      }
    });
  });
}

/**
 * Validates a parsed rules file and returns the effective ruleset. Throws a
 * `RulesetError` naming `source`, the field path and the reason.
 *
 * With `"extends": "default"` the file changes the default ruleset: groups are merged
 * by name (a group given replaces the default group of that name); the file's regimes
 * are put in front of the default regimes (so they win where both apply);
 * `registration` and `defaultRegime` are merged field by field; every other field
 * given replaces the default's. Without `extends` the file is the whole ruleset:
 * `regimes` and `defaultRegime` are required, other settings fall back to
 * 3 working days with Kazakhstan's holidays, graceDays 0, banYears 5,
 * missingExit "unresolved", no checkpoint list.
 */
export function parseRuleset(json: unknown, source: string, countryCheck?: CountryCheck): Ruleset {
  const r: Reader = new Reader(source, countryCheck);
  const o = r.object(json, '', TOP_LEVEL_FIELDS);
  let base: Ruleset | null = null;
  if (o.extends !== undefined) {
    if (o.extends !== 'default') r.fail('extends', `must be "default" (the built-in Kazakhstan ruleset), got ${describe(o.extends)}; leave it out to replace the whole ruleset`);
    base = DEFAULT_RULESET;
  }
  if (base === null && o.regimes === undefined) r.fail('regimes', 'is required in a rules file without "extends": "default"', 'add "extends": "default" to change only parts of the default ruleset');
  if (base === null && o.defaultRegime === undefined) r.fail('defaultRegime', 'is required in a rules file without "extends": "default" (the regime of every other citizenship, e.g. {"name": "visa", "requiresVisa": true})');

  const name = o.name === undefined ? (base === null ? source : `${base.name}+${source}`) : r.string(o.name, 'name');

  const groups: Record<string, string[]> = {};
  if (base !== null) for (const [k, v] of Object.entries(base.groups)) groups[k] = [...v];
  if (o.groups !== undefined) {
    if (!isObject(o.groups)) r.fail('groups', `must be an object mapping group names to citizenship lists, got ${describe(o.groups)}`);
    for (const [key, members] of Object.entries(o.groups)) {
      const path = join('groups', key);
      if (key.trim() === '') r.fail(path, 'a group name must not be empty');
      groups[key] = r.countries(members, path);
    }
  }

  const fileRegimes = o.regimes === undefined ? [] : r.array(o.regimes, 'regimes').map((v, i) => readRegime(r, v, `regimes[${i}]`));
  const baseRegimes = base === null ? [] : base.regimes.map((reg) => structuredClone(reg) as RegimeDefinition);
  const regimes = [...fileRegimes, ...baseRegimes];
  const regimePaths = [...fileRegimes.map((_, i) => `regimes[${i}]`), ...baseRegimes.map((_, i) => `(default ruleset) regimes[${i}]`)];

  const defaultRegime = o.defaultRegime === undefined
    ? structuredClone((base as Ruleset).defaultRegime) as DefaultRegimeDefinition
    : readDefaultRegime(r, o.defaultRegime, 'defaultRegime', base?.defaultRegime ?? null);

  const registration = o.registration === undefined
    ? structuredClone(base?.registration ?? DEFAULT_RULESET.registration) as RegistrationSettings
    : readRegistration(r, o.registration, 'registration', base?.registration ?? DEFAULT_RULESET.registration);

  const graceDays = o.graceDays === undefined ? (base?.graceDays ?? 0) : r.integer(o.graceDays, 'graceDays', 0, 3660);
  const banYears = o.banYears === undefined ? (base?.banYears ?? 5) : r.integer(o.banYears, 'banYears', 1, 100);
  let missingExit: MissingExitMode = base?.missingExit ?? 'unresolved';
  if (o.missingExit !== undefined) {
    if (typeof o.missingExit !== 'string' || !(MISSING_EXIT_MODES as readonly string[]).includes(o.missingExit)) {
      r.fail('missingExit', `must be one of ${MISSING_EXIT_MODES.map((m) => JSON.stringify(m)).join(', ')}, got ${describe(o.missingExit)}`);
    }
    missingExit = o.missingExit as MissingExitMode;
  }
  let checkpoints: string[] | null = base === null ? null : (base.checkpoints === null ? null : [...base.checkpoints]);
  if (o.checkpoints !== undefined) {
    checkpoints = o.checkpoints === null
      ? null
      : r.array(o.checkpoints, 'checkpoints').map((c, i) => r.string(c, `checkpoints[${i}]`));
  }

  const ruleset: Ruleset = { name, groups, regimes, defaultRegime, registration, graceDays, banYears, missingExit, checkpoints };
  const description = o.description !== undefined ? r.string(o.description, 'description') : base?.description;
  if (description !== undefined) ruleset.description = description;
  checkReferences(r, ruleset, regimePaths);
  return deepFreeze(ruleset);
}

/** `parseRuleset` of a JSON text; a syntax error becomes a `RulesetError` too. */
export function parseRulesetText(text: string, source: string): Ruleset {
  let json: unknown;
  try {
    json = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (error) {
    throw new RulesetError(source, '', `is not valid JSON (${(error as Error).message})`);
  }
  return parseRuleset(json, source);
}

// ---------------------------------------------------------------------------
// Compiled form

export interface CompiledWindow {
  days: number;
  max: number;
  /** First counted day; null: every day counts. */
  countFrom: Day | null;
}

/** A regime as the audit reads it. */
export interface Regime {
  name: string;
  /** Position in `Ruleset.regimes`; −1 for the default regime. */
  index: number;
  from: Day | null;
  until: Day | null;
  cap: number | null;
  window: CompiledWindow | null;
  requiresVisa: boolean;
}

/** One period of one citizenship's regime timeline (bounds inclusive, ±Infinity when open). */
export interface RegimePeriod {
  from: number;
  until: number;
  regime: Regime;
}

export interface CompiledRuleset {
  readonly ruleset: Ruleset;
  readonly regimes: readonly Regime[];
  readonly defaultRegime: Regime;
  /** Citizenship -> its regime periods, sorted by `from`, disjoint; days outside them get the default regime. */
  readonly periodsByCitizenship: ReadonlyMap<string, readonly RegimePeriod[]>;
  readonly calendar: WorkingCalendar;
  readonly workingDays: number;
  readonly graceDays: number;
  readonly banYears: number;
  readonly missingExit: MissingExitMode;
  /** Upper-cased checkpoint codes, or null when no list is given. */
  readonly checkpoints: ReadonlySet<string> | null;
}

function compileWindow(w: WindowDefinition | null): CompiledWindow | null {
  if (w === null) return null;
  return { days: w.days, max: w.max, countFrom: w.countFrom === null ? null : dayFromIso(w.countFrom) };
}

/** Subtracts the (sorted, disjoint) taken periods from [from, until]; returns the remaining pieces. */
function remainder(from: number, until: number, taken: readonly RegimePeriod[]): Array<[number, number]> {
  const pieces: Array<[number, number]> = [];
  let start = from;
  for (const t of taken) {
    if (t.until < start) continue;
    if (t.from > until) break;
    if (t.from > start) pieces.push([start, t.from - 1]);
    start = Math.max(start, t.until + 1);
    if (start > until) return pieces;
  }
  if (start <= until) pieces.push([start, until]);
  return pieces;
}

const compiledCache = new WeakMap<Ruleset, CompiledRuleset>();

/** The compiled form of a ruleset (cached per Ruleset object). */
export function compileRuleset(ruleset: Ruleset | CompiledRuleset): CompiledRuleset {
  if (isCompiled(ruleset)) return ruleset;
  const cached = compiledCache.get(ruleset);
  if (cached !== undefined) return cached;

  const regimes: Regime[] = ruleset.regimes.map((def, index) => ({
    name: def.name,
    index,
    from: def.from === null ? null : dayFromIso(def.from),
    until: def.until === null ? null : dayFromIso(def.until),
    cap: def.cap,
    window: compileWindow(def.window),
    requiresVisa: def.requiresVisa,
  }));
  const defaultRegime: Regime = {
    name: ruleset.defaultRegime.name,
    index: -1,
    from: null,
    until: null,
    cap: ruleset.defaultRegime.cap,
    window: compileWindow(ruleset.defaultRegime.window),
    requiresVisa: ruleset.defaultRegime.requiresVisa,
  };

  // Paint each citizenship's timeline in priority order: a regime only gets the days
  // no earlier regime in the list already has.
  const periods = new Map<string, RegimePeriod[]>();
  ruleset.regimes.forEach((def, i) => {
    const regime = regimes[i] as Regime;
    const members = new Set<string>(def.countries);
    for (const g of def.groups) for (const c of ruleset.groups[g] ?? []) members.add(c);
    const from = regime.from ?? -Infinity;
    const until = regime.until ?? Infinity;
    for (const citizenship of members) {
      let list = periods.get(citizenship);
      if (list === undefined) periods.set(citizenship, (list = []));
      for (const [a, b] of remainder(from, until, list)) list.push({ from: a, until: b, regime });
      list.sort((x, y) => x.from - y.from);
    }
  });

  const compiled: CompiledRuleset = {
    ruleset,
    regimes,
    defaultRegime,
    periodsByCitizenship: periods,
    calendar: createWorkingCalendar(ruleset.registration.holidays, ruleset.registration.extraHolidays),
    workingDays: ruleset.registration.workingDays,
    graceDays: ruleset.graceDays,
    banYears: ruleset.banYears,
    missingExit: ruleset.missingExit,
    checkpoints: ruleset.checkpoints === null ? null : new Set(ruleset.checkpoints.map((c) => c.trim().toUpperCase())),
  };
  compiledCache.set(ruleset, compiled);
  return compiled;
}

export function isCompiled(ruleset: Ruleset | CompiledRuleset): ruleset is CompiledRuleset {
  return (ruleset as CompiledRuleset).periodsByCitizenship !== undefined;
}

/** The regime in force for a citizenship on a day (the entry day's regime governs a whole stay). */
export function regimeFor(ruleset: Ruleset | CompiledRuleset, citizenship: string, day: Day): Regime {
  const compiled = isCompiled(ruleset) ? ruleset : compileRuleset(ruleset);
  const list = compiled.periodsByCitizenship.get(citizenship);
  if (list !== undefined) {
    for (let i = 0; i < list.length; i++) {
      const p = list[i] as RegimePeriod;
      if (day < p.from) break;
      if (day <= p.until) return p.regime;
    }
  }
  return compiled.defaultRegime;
}

// ---------------------------------------------------------------------------
// Table rows for `stayaudit rules`

/** One row of the `rules` table; empty strings stand for "none". Column names are part of the CSV/JSON output. */
export interface RulesetRow {
  regime: string;
  groups: string;
  members: string;
  from: string;
  until: string;
  cap: number | string;
  window_max: number | string;
  window_days: number | string;
  count_from: string;
  requires_visa: string;
}

/** The regimes of a ruleset in priority order, then the default regime. */
export function rulesetRows(ruleset: Ruleset): RulesetRow[] {
  const rows: RulesetRow[] = ruleset.regimes.map((def) => {
    const members: string[] = [];
    for (const g of def.groups) for (const c of ruleset.groups[g] ?? []) if (!members.includes(c)) members.push(c);
    for (const c of def.countries) if (!members.includes(c)) members.push(c);
    return {
      regime: def.name,
      groups: def.groups.join(' '),
      members: members.join(' '),
      from: def.from ?? '',
      until: def.until ?? '',
      cap: def.cap ?? '',
      window_max: def.window?.max ?? '',
      window_days: def.window?.days ?? '',
      count_from: def.window === null ? '' : (def.window.countFrom ?? ''),
      requires_visa: def.requiresVisa ? 'yes' : 'no',
    };
  });
  const d = ruleset.defaultRegime;
  rows.push({
    regime: d.name,
    groups: '',
    members: '(every other citizenship)',
    from: '',
    until: '',
    cap: d.cap ?? '',
    window_max: d.window?.max ?? '',
    window_days: d.window?.days ?? '',
    count_from: d.window === null ? '' : (d.window.countFrom ?? ''),
    requires_visa: d.requiresVisa ? 'yes' : 'no',
  });
  return rows;
}

export interface RulesetSettingRow {
  setting: string;
  value: string;
}

/** The non-regime settings, for a second `rules` table. */
export function rulesetSettingRows(ruleset: Ruleset): RulesetSettingRow[] {
  return [
    { setting: 'name', value: ruleset.name },
    { setting: 'description', value: ruleset.description ?? '' },
    { setting: 'registration.workingDays', value: String(ruleset.registration.workingDays) },
    { setting: 'registration.holidays', value: ruleset.registration.holidays.join(' ') },
    { setting: 'registration.extraHolidays', value: ruleset.registration.extraHolidays.join(' ') },
    { setting: 'graceDays', value: String(ruleset.graceDays) },
    { setting: 'banYears', value: String(ruleset.banYears) },
    { setting: 'missingExit', value: ruleset.missingExit },
    { setting: 'checkpoints', value: ruleset.checkpoints === null ? '' : ruleset.checkpoints.join(' ') },
  ];
}
