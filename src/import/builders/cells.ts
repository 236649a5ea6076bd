/**
 * What the row builders share: column access by field, how reasons name a column, and
 * the readers of person columns, dates and required text. A reader is made once per
 * header and called for every row, so the per-row work is an index and a parse.
 */
import { normaliseCitizenship } from '../citizenship.js';
import { normaliseHeader, type FieldOf, type MappedHeaders } from '../headers.js';
import type { DatasetName } from '../rows.js';
import { normaliseDocumentNo, parseDate, personKeyOf } from '../values.js';

/** Turns a record into a row, or pushes reasons to `errors` and returns null. */
export type RowBuilder<T> = (fields: string[], errors: string[]) => T | null;

export const DATE_FORMS = 'use YYYY-MM-DD or DD.MM.YYYY';
export const DATETIME_FORMS = 'use YYYY-MM-DD HH:MM[:SS] or DD.MM.YYYY HH:MM[:SS]';

/** Column access and value checks for one mapped header, shared by the builders. */
export class Cells<D extends DatasetName> {
  private readonly mapped: MappedHeaders<D>;

  constructor(mapped: MappedHeaders<D>) {
    this.mapped = mapped;
  }

  index(field: FieldOf<D>): number {
    return this.mapped.columns[field] ?? -1;
  }

  /** How reasons name a column: the field, plus the file's header when it differs. */
  label(field: FieldOf<D>): string {
    const header = this.mapped.headerOf[field];
    return header === undefined || normaliseHeader(header) === normaliseHeader(field) ? field : `${field} (${header})`;
  }
}

export function cell(fields: string[], index: number): string {
  if (index < 0) return '';
  const value = fields[index]!.trim();
  // A leading apostrophe before = + - @ is how our exports (and spreadsheets) keep a
  // cell from running as a formula: the value is what follows it.
  return value.charCodeAt(0) === 39 && /^'[=+\-@]/.test(value) ? value.slice(1) : value;
}

export function orNull(value: string): string | null {
  return value === '' ? null : value;
}

export function quoteValue(value: string): string {
  return `'${value.length > 60 ? `${value.slice(0, 60)}…` : value}'`;
}

export interface DateCheck {
  (fields: string[], errors: string[]): string | null;
}

export function dateReader<D extends DatasetName>(cells: Cells<D>, field: FieldOf<D>, required: boolean): DateCheck {
  const index = cells.index(field);
  const label = cells.label(field);
  return (fields, errors) => {
    const value = cell(fields, index);
    if (value === '') {
      if (required) errors.push(`${label}: required value is empty`);
      return null;
    }
    const date = parseDate(value);
    if (date === null) errors.push(`${label}: ${quoteValue(value)} is not a valid date (${DATE_FORMS})`);
    return date;
  };
}

/** Person columns of the current row; one per builder, overwritten row by row. */
export interface Person {
  personId: string | null;
  documentNo: string;
  citizenship: string;
  personKey: string;
}

/**
 * Reads person_id, document_no and citizenship into `person`; false (with reasons in
 * `errors`) when they are unusable.
 */
export function personReader<D extends DatasetName>(
  cells: Cells<D>,
  person: Person,
): (fields: string[], errors: string[]) => boolean {
  const idIndex = cells.index('person_id' as FieldOf<D>);
  const docIndex = cells.index('document_no' as FieldOf<D>);
  const docLabel = cells.label('document_no' as FieldOf<D>);
  const czIndex = cells.index('citizenship' as FieldOf<D>);
  const czLabel = cells.label('citizenship' as FieldOf<D>);
  return (fields, errors) => {
    const personId = orNull(cell(fields, idIndex));
    const rawDoc = cell(fields, docIndex);
    const documentNo = rawDoc === '' ? '' : normaliseDocumentNo(rawDoc);
    if (documentNo === '') errors.push(`${docLabel}: required value is empty`);
    const rawCz = cell(fields, czIndex);
    let citizenship: string | null = null;
    if (rawCz === '') errors.push(`${czLabel}: required value is empty`);
    else {
      citizenship = normaliseCitizenship(rawCz);
      if (citizenship === null) errors.push(`${czLabel}: unknown country ${quoteValue(rawCz)}`);
    }
    if (citizenship === null || documentNo === '') return false;
    person.personId = personId;
    person.documentNo = documentNo;
    person.citizenship = citizenship;
    person.personKey = personKeyOf(personId, citizenship, documentNo);
    return true;
  };
}

export function newPerson(): Person {
  return { personId: null, documentNo: '', citizenship: '', personKey: '' };
}

export function requiredText<D extends DatasetName>(cells: Cells<D>, field: FieldOf<D>): DateCheck {
  const index = cells.index(field);
  const label = cells.label(field);
  return (fields, errors) => {
    const value = cell(fields, index);
    if (value === '') {
      errors.push(`${label}: required value is empty`);
      return null;
    }
    return value;
  };
}
