/**
 * A mirror of the default Kazakhstan ruleset (SPEC §3), used only to *shape* the
 * synthetic data (which stays are lawful, which overstay) and to compute the
 * generator's own expected verdicts. The audit never reads it: the audit's ruleset
 * lives in src/core, and the generator's expected figures are an independent check
 * of it.
 *
 * The audit's copy of this law is `src/core/law/kazakhstan.ts` (regimes, groups,
 * dates). Keep the two in step by hand; never import it here (the independence is
 * the point).
 */
import { isoDay } from './calendar.js';

export interface RegimeShape {
  name: string;
  /** Per-entry cap in days; null for none (visa regime). */
  cap: number | null;
  /** Maximum uncovered days in any 180-day window; null for no window. */
  windowMax: number | null;
  /** First day counted in the window (the 90-day windows start on 2023-01-27). */
  countFrom: number;
  /** A visa or TRP is required (every day without one is no-basis). */
  visa: boolean;
}

const REFORM = isoDay('2023-01-27');
const CHINA_VISA_FREE_30 = isoDay('2023-11-10');
const EVER = -1_000_000;

const EAEU = new Set(['RUS', 'BLR', 'ARM', 'KGZ']);
const CIS_90 = new Set(['AZE', 'GEO', 'MDA', 'UKR', 'TJK']);
const VF_30 = new Set([
  'UZB', 'MNG', 'TUR', 'USA', 'CAN', 'GBR', 'IRL', 'DEU', 'FRA', 'ITA', 'ESP', 'PRT', 'NLD', 'BEL', 'LUX', 'AUT',
  'CHE', 'POL', 'CZE', 'FIN', 'SWE', 'NOR', 'DNK', 'JPN', 'KOR', 'SGP', 'MYS', 'ARE', 'QAT', 'AUS', 'NZL', 'ISR',
]);
const VF_14 = new Set(['IND', 'IRN']);

const shapes = {
  eaeuCapOnly: { name: 'EAEU', cap: 90, windowMax: null, countFrom: EVER, visa: false },
  eaeu: { name: 'EAEU', cap: 90, windowMax: 90, countFrom: REFORM, visa: false },
  cisCapOnly: { name: 'CIS-90', cap: 90, windowMax: null, countFrom: EVER, visa: false },
  cis: { name: 'CIS-90', cap: 90, windowMax: 90, countFrom: REFORM, visa: false },
  vf30CapOnly: { name: 'VF-30', cap: 30, windowMax: null, countFrom: EVER, visa: false },
  vf30: { name: 'VF-30', cap: 30, windowMax: 90, countFrom: REFORM, visa: false },
  vf14: { name: 'VF-14', cap: 14, windowMax: 42, countFrom: EVER, visa: false },
  visa: { name: 'visa', cap: null, windowMax: null, countFrom: EVER, visa: true },
} as const satisfies Record<string, RegimeShape>;

/** The regime in force on the entry day, which governs the whole stay. */
export function regimeOn(citizenship: string, entry: number): RegimeShape {
  const reformed = entry >= REFORM;
  if (EAEU.has(citizenship)) return reformed ? shapes.eaeu : shapes.eaeuCapOnly;
  if (CIS_90.has(citizenship)) return reformed ? shapes.cis : shapes.cisCapOnly;
  if (VF_30.has(citizenship)) return reformed ? shapes.vf30 : shapes.vf30CapOnly;
  if (citizenship === 'CHN') return entry >= CHINA_VISA_FREE_30 ? shapes.vf30 : shapes.vf14;
  if (VF_14.has(citizenship)) return shapes.vf14;
  return shapes.visa;
}

export function needsVisa(citizenship: string): boolean {
  return regimeOn(citizenship, REFORM).visa;
}
