/**
 * A permits row: number, person, kind (trp by default), validity and status (active by
 * default), revocation day; ground, address and host when given.
 */
import type { MappedHeaders } from '../headers.js';
import type { PermitRow } from '../rows.js';
import { parsePermitKind, parsePermitStatus } from '../values.js';
import { Cells, cell, dateReader, newPerson, orNull, personReader, quoteValue, requiredText, type RowBuilder } from './cells.js';

export function permitBuilder(mapped: MappedHeaders<'permits'>): RowBuilder<PermitRow> {
  const cells = new Cells(mapped);
  const who = newPerson();
  const readPerson = personReader(cells, who);
  const permitNo = requiredText(cells, 'permit_no');
  const from = dateReader(cells, 'valid_from', true);
  const until = dateReader(cells, 'valid_until', true);
  const revoked = dateReader(cells, 'revoked_on', false);
  const kindIndex = cells.index('kind');
  const kindLabel = cells.label('kind');
  const statusIndex = cells.index('status');
  const statusLabel = cells.label('status');
  const groundIndex = cells.index('ground');
  const addressIndex = cells.index('address');
  const hostIdIndex = cells.index('host_id');
  return (fields, errors) => {
    const number = permitNo(fields, errors);
    const found = readPerson(fields, errors);
    const rawKind = cell(fields, kindIndex);
    const kind = rawKind === '' ? 'trp' : parsePermitKind(rawKind);
    if (kind === null) errors.push(`${kindLabel}: unknown permit kind ${quoteValue(rawKind)} (use trp or visa)`);
    const validFrom = from(fields, errors);
    const validUntil = until(fields, errors);
    const rawStatus = cell(fields, statusIndex);
    const status = rawStatus === '' ? 'active' : parsePermitStatus(rawStatus);
    if (status === null) {
      errors.push(`${statusLabel}: unknown permit status ${quoteValue(rawStatus)} (use active, revoked or annulled)`);
    }
    const revokedOn = revoked(fields, errors);
    if (
      number === null || !found || kind === null || validFrom === null || validUntil === null ||
      status === null || errors.length > 0
    ) return null;
    return {
      permitNo: number,
      personKey: who.personKey,
      personId: who.personId,
      documentNo: who.documentNo,
      citizenship: who.citizenship,
      kind,
      ground: orNull(cell(fields, groundIndex)),
      validFrom,
      validUntil,
      status,
      revokedOn,
      address: orNull(cell(fields, addressIndex)),
      hostId: orNull(cell(fields, hostIdIndex)),
    };
  };
}
