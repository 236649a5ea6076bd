/**
 * A registrations row: person, the registered period and the notification day;
 * address and receiving party when given.
 */
import type { MappedHeaders } from '../headers.js';
import type { RegistrationRow } from '../rows.js';
import { Cells, cell, dateReader, newPerson, orNull, personReader, type RowBuilder } from './cells.js';

export function registrationBuilder(mapped: MappedHeaders<'registrations'>): RowBuilder<RegistrationRow> {
  const cells = new Cells(mapped);
  const who = newPerson();
  const readPerson = personReader(cells, who);
  const from = dateReader(cells, 'registered_from', true);
  const until = dateReader(cells, 'registered_until', false);
  const notified = dateReader(cells, 'notified_on', false);
  const addressIndex = cells.index('address');
  const hostIdIndex = cells.index('host_id');
  const hostNameIndex = cells.index('host_name');
  return (fields, errors) => {
    const found = readPerson(fields, errors);
    const registeredFrom = from(fields, errors);
    const registeredUntil = until(fields, errors);
    const notifiedOn = notified(fields, errors);
    if (!found || registeredFrom === null || errors.length > 0) return null;
    return {
      personKey: who.personKey,
      personId: who.personId,
      documentNo: who.documentNo,
      citizenship: who.citizenship,
      registeredFrom,
      registeredUntil,
      notifiedOn,
      address: orNull(cell(fields, addressIndex)),
      hostId: orNull(cell(fields, hostIdIndex)),
      hostName: orNull(cell(fields, hostNameIndex)),
    };
  };
}
