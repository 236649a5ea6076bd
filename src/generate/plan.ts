/**
 * The generator's model of one person: identity, stays, permits, registrations and
 * expulsions, in calendar days. Planning (person-planner.ts, demo.ts) fills it,
 * the judge (judge.ts) derives the expected findings, the writer (csv-writer.ts)
 * turns it into rows.
 */
import type { Nationality } from './population.js';

export interface StayPlan {
  entry: number;
  /** Exit day; null when the person is still in the country at the end of the data. */
  exit: number | null;
  entryMinute: number;
  exitMinute: number;
  /** Indexes into CHECKPOINTS. */
  entryCheckpoint: number;
  exitCheckpoint: number;
}

export type PermitKindPlan = 'trp' | 'visa';
export type PermitStatusPlan = 'active' | 'revoked' | 'annulled';

export interface PermitPlan {
  permitNo: string;
  kind: PermitKindPlan;
  /** Index into TRP_GROUNDS or VISA_GROUNDS (by kind). */
  ground: number;
  validFrom: number;
  validUntil: number;
  status: PermitStatusPlan;
  revokedOn: number | null;
  /** Index into the host pool (employer or inviting party), or null. */
  host: number | null;
}

export interface RegistrationPlan {
  from: number;
  until: number | null;
  notified: number | null;
  host: number;
}

export interface ExpulsionPlan {
  decided: number;
  expelled: number | null;
  banYears: number | null;
  /** Index into EXPULSION_REASONS. */
  reason: number;
}

export interface PersonPlan {
  nationality: Nationality;
  /** Empty when the person is keyed by citizenship and document number. */
  personId: string;
  /** Canonical document number (upper-case, no spaces or dashes). */
  documentNo: string;
  /** Length of the letter/series prefix, where a space or dash may be written. */
  documentPrefixLength: number;
  surname: string;
  givenNames: string;
  birth: number;
  male: boolean;
  stays: StayPlan[];
  permits: PermitPlan[];
  registrations: RegistrationPlan[];
  expulsions: ExpulsionPlan[];
}
