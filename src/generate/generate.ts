/**
 * Synthetic data for stayaudit: a year (or several) of border crossings,
 * registrations, permits and expulsions for a population of foreigners, written in
 * the reference interchange format of SPEC §1 or as a Russian-locale cp1251 export.
 *
 * The data is deterministic (same options, same bytes), streamed (memory stays flat
 * at millions of persons), and shaped like the Kazakhstan Migration Service
 * Committee's statements: see DEFAULT_SHAPE and population.ts for the figures. The
 * summary carries the verdicts the default ruleset must reach as of 31 December of
 * the last year, computed by the generator's own reading of SPEC §3 (judge.ts).
 */
import { GENERATE_VARIANTS, type GenerateVariant } from './dialect.js';
import { DEFAULT_SHAPE } from './person-planner.js';
import { GenerationRun, type GenerateSummary, type RunSettings } from './run.js';

export type { GenerateVariant } from './dialect.js';
export type { ShapeParameters } from './person-planner.js';
export type { ExpectedRule } from './judge.js';
export type { CitizenshipFigures, GeneratedFile, GenerateSummary } from './run.js';
export { DEFAULT_SHAPE } from './person-planner.js';
export { generateDemo, DEMO_CASES, DEMO_YEAR } from './demo.js';

export interface GenerateOptions {
  /** Distinct persons to generate. */
  persons: number;
  /** Any integer; the same seed (and options) gives byte-identical files. */
  seed: number;
  /** Directory for crossings.csv, registrations.csv, permits.csv, expulsions.csv (created if missing). */
  outDir: string;
  /** Last calendar year of the data (default 2024); the expected verdicts are as of 31 December. */
  year?: number;
  /** `reference` (SPEC §1, UTF-8, `,`) or `russian-cp1251` (Russian headers, `;`, DD.MM.YYYY, CRLF, cp1251). */
  variant?: GenerateVariant;
  /** Share of rows that get a malformed copy (default 0.001). */
  malformedShare?: number;
  /**
   * Number of calendar years the data spans, ending with `year` (default 1). Each
   * person is active in one of them, so `persons` is the total over the span.
   */
  startYearSpan?: number;
  /**
   * Share of the stays that need a registration whose receiving party registers them
   * (on time or late); default 0.97. A low share gives a findings-heavy year (many
   * `unregistered` findings), as messy real inboxes do.
   */
  registrationRate?: number;
  /** Progress callback: every 65,536 persons and at the end. */
  onProgress?: (personsDone: number, personsTotal: number) => void;
}

/** A mistake in the options, with what to do about it. */
export class GenerateOptionsError extends Error {
  constructor(message: string, readonly hint: string) {
    super(message);
    this.name = 'GenerateOptionsError';
  }
}

const MAX_PERSONS = 100_000_000;
const PROGRESS_EVERY = 65_536;

function check(condition: boolean, message: string, hint: string): void {
  if (!condition) throw new GenerateOptionsError(message, hint);
}

function resolve(options: GenerateOptions): RunSettings & { persons: number } {
  const { persons, seed, outDir } = options;
  const year = options.year ?? 2024;
  const span = options.startYearSpan ?? 1;
  const variant = options.variant ?? 'reference';
  const malformedShare = options.malformedShare ?? 0.001;
  const registrationRate = options.registrationRate ?? 1 - DEFAULT_SHAPE.registrationMissingShare;
  check(Number.isInteger(persons) && persons >= 0 && persons <= MAX_PERSONS,
    `persons must be a whole number from 0 to ${MAX_PERSONS}, not ${persons}`, 'pass e.g. persons: 100000');
  check(Number.isSafeInteger(seed) && seed >= 0, `seed must be a non-negative integer, not ${seed}`, 'pass e.g. seed: 42');
  check(typeof outDir === 'string' && outDir.length > 0, 'outDir is required', 'pass the directory to write into');
  check(Number.isInteger(year) && year >= 2000 && year <= 2100, `year must be from 2000 to 2100, not ${year}`,
    'pass e.g. year: 2024');
  check(Number.isInteger(span) && span >= 1 && span <= 20, `startYearSpan must be from 1 to 20, not ${span}`,
    'pass the number of years the data should span, e.g. 3');
  check(GENERATE_VARIANTS.includes(variant), `unknown variant '${String(variant)}'`,
    `use one of: ${GENERATE_VARIANTS.join(', ')}`);
  check(Number.isFinite(malformedShare) && malformedShare >= 0 && malformedShare <= 0.5,
    `malformedShare must be from 0 to 0.5, not ${malformedShare}`, 'pass e.g. malformedShare: 0.001');
  check(Number.isFinite(registrationRate) && registrationRate >= 0 && registrationRate <= 1,
    `registrationRate must be from 0 to 1, not ${registrationRate}`, 'pass e.g. registrationRate: 0.4');
  // The late share stays as it is (within what is registered at all).
  const registrationMissingShare = 1 - registrationRate;
  const shape = Math.abs(registrationMissingShare - DEFAULT_SHAPE.registrationMissingShare) < 1e-9
    ? DEFAULT_SHAPE
    : { ...DEFAULT_SHAPE, registrationMissingShare, registrationLateShare: Math.min(DEFAULT_SHAPE.registrationLateShare, registrationRate) };
  return {
    persons, outDir, seed, variant, malformedShare, fromYear: year - span + 1, toYear: year, shape,
  };
}

function nextTick(): Promise<void> {
  return new Promise((done) => setImmediate(done));
}

/** Generates the four CSV files; see GenerateOptions. */
export async function generateData(options: GenerateOptions): Promise<GenerateSummary> {
  const settings = resolve(options);
  const run = new GenerationRun(settings);
  try {
    for (let i = 0; i < settings.persons; i++) {
      const { plan, verdict } = run.planner.plan(i);
      run.add(plan, verdict, i);
      if ((i + 1) % PROGRESS_EVERY === 0) {
        options.onProgress?.(i + 1, settings.persons);
        await nextTick();
      }
    }
  } catch (error) {
    run.abort();
    throw error;
  }
  const summary = run.finish();
  options.onProgress?.(settings.persons, settings.persons);
  return summary;
}
