/**
 * The stored rows of the four datasets, normalised, as the import hands them to
 * storage. They live in storage because storage owns what it stores (the import
 * depends on storage, never the reverse).
 *
 * Conventions: dates are ISO `YYYY-MM-DD`, date-times `YYYY-MM-DD HH:MM:SS`
 * (the calendar date and clock time written in the file, no time zone arithmetic);
 * every optional value is `null` when the column is absent or the cell is empty
 * after trimming. `citizenship` is an ISO 3166-1 alpha-3 code (or one of the ICAO
 * non-country codes such as `XXA`, see src/import/citizenship.ts). `documentNo` is the
 * normalised number (upper-case, spaces and dashes removed).
 */

export type DatasetName = 'crossings' | 'registrations' | 'permits' | 'expulsions';

export const DATASETS: readonly DatasetName[] = ['crossings', 'registrations', 'permits', 'expulsions'];

export function isDatasetName(value: string): value is DatasetName {
  return (DATASETS as readonly string[]).includes(value);
}

export type Sex = 'M' | 'F';

interface PersonColumns {
  /** `personId` when non-empty, else `CITIZENSHIP:DOCUMENTNO` (normalised). */
  personKey: string;
  personId: string | null;
  documentNo: string;
  citizenship: string;
}

export interface CrossingRow extends PersonColumns {
  surname: string | null;
  givenNames: string | null;
  birthDate: string | null;
  sex: Sex | null;
  direction: 'IN' | 'OUT';
  /** `YYYY-MM-DD HH:MM:SS`; `00:00:00` when the file gave only a date. */
  crossedAt: string;
  /** The date part of `crossedAt`. */
  day: string;
  checkpoint: string | null;
}

export interface RegistrationRow extends PersonColumns {
  registeredFrom: string;
  registeredUntil: string | null;
  notifiedOn: string | null;
  address: string | null;
  hostId: string | null;
  hostName: string | null;
}

export interface PermitRow extends PersonColumns {
  permitNo: string;
  kind: 'trp' | 'visa';
  ground: string | null;
  validFrom: string;
  validUntil: string;
  status: 'active' | 'revoked' | 'annulled';
  revokedOn: string | null;
  address: string | null;
  hostId: string | null;
}

export interface ExpulsionRow extends PersonColumns {
  decidedOn: string;
  expelledOn: string | null;
  banYears: number | null;
  reason: string | null;
}

export interface RowTypes {
  crossings: CrossingRow;
  registrations: RegistrationRow;
  permits: PermitRow;
  expulsions: ExpulsionRow;
}

export type RowFor<D extends DatasetName> = RowTypes[D];
