/**
 * The rules-file format: validates a parsed rules file field by field and returns the
 * effective ruleset, or throws a `RulesetError` naming the field path and what to
 * write instead. The format is documented in the README (section "Rules files").
 */
import { dayFromIso } from '../dates.js';
import { defaultRuleset } from '../law/kazakhstan.js';
import { monthDayKeyFromText } from '../working-days.js';
import {
  deepFreeze, RulesetError, type DefaultRegimeDefinition, type MissingExitMode, type RegimeDefinition, type RegistrationSettings, type Ruleset,
  type WindowDefinition,
} from './definition.js';

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
    base = defaultRuleset();
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
    ? structuredClone(base?.registration ?? defaultRuleset().registration) as RegistrationSettings
    : readRegistration(r, o.registration, 'registration', base?.registration ?? defaultRuleset().registration);

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
