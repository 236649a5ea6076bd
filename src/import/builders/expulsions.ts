/**
 * An expulsions row: person, decision day, expulsion day, ban years and reason.
 */
import type { MappedHeaders } from '../headers.js';
import type { ExpulsionRow } from '../rows.js';
import { parseBanYears } from '../values.js';
import { Cells, cell, dateReader, newPerson, orNull, personReader, quoteValue, type RowBuilder } from './cells.js';

export function expulsionBuilder(mapped: MappedHeaders<'expulsions'>): RowBuilder<ExpulsionRow> {
  const cells = new Cells(mapped);
  const who = newPerson();
  const readPerson = personReader(cells, who);
  const decided = dateReader(cells, 'decided_on', true);
  const expelled = dateReader(cells, 'expelled_on', false);
  const banIndex = cells.index('ban_years');
  const banLabel = cells.label('ban_years');
  const reasonIndex = cells.index('reason');
  return (fields, errors) => {
    const found = readPerson(fields, errors);
    const decidedOn = decided(fields, errors);
    const expelledOn = expelled(fields, errors);
    const rawBan = cell(fields, banIndex);
    const banYears = rawBan === '' ? null : parseBanYears(rawBan);
    if (rawBan !== '' && banYears === null) {
      errors.push(`${banLabel}: ${quoteValue(rawBan)} is not a whole number of years (0-99)`);
    }
    if (!found || decidedOn === null || errors.length > 0) return null;
    return {
      personKey: who.personKey,
      personId: who.personId,
      documentNo: who.documentNo,
      citizenship: who.citizenship,
      decidedOn,
      expelledOn,
      banYears,
      reason: orNull(cell(fields, reasonIndex)),
    };
  };
}
