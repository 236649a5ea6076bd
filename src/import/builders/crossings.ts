/**
 * A crossings row: person, direction, and the date-time (one column, or a date and a
 * time column); names, birth date, sex and checkpoint when given.
 */
import type { MappedHeaders } from '../headers.js';
import type { CrossingRow } from '../rows.js';
import { DIRECTION_WORDS, combineDateAndTime, hasTimeZone, parseDate, parseDateTime, parseDirection, parseSex } from '../values.js';
import { Cells, cell, dateReader, newPerson, orNull, personReader, quoteValue, DATE_FORMS, DATETIME_FORMS, type RowBuilder } from './cells.js';

export function crossingBuilder(mapped: MappedHeaders<'crossings'>): RowBuilder<CrossingRow> {
  const cells = new Cells(mapped);
  const who = newPerson();
  const readPerson = personReader(cells, who);
  const surnameIndex = cells.index('surname');
  const givenIndex = cells.index('given_names');
  const patronymicIndex = cells.index('patronymic');
  const checkpointIndex = cells.index('checkpoint');
  const sexIndex = cells.index('sex');
  const birthDate = dateReader(cells, 'birth_date', false);
  const directionIndex = cells.index('direction');
  const directionLabel = cells.label('direction');
  const atIndex = cells.index('crossed_at');
  const atLabel = cells.label('crossed_at');
  const timeIndex = cells.index('crossed_time');
  const timeLabel = cells.label('crossed_time');

  return (fields, errors) => {
    const found = readPerson(fields, errors);

    const rawDirection = cell(fields, directionIndex);
    const direction = rawDirection === '' ? null : parseDirection(rawDirection);
    if (rawDirection === '') errors.push(`${directionLabel}: required value is empty`);
    else if (direction === null) {
      errors.push(`${directionLabel}: unknown direction ${quoteValue(rawDirection)} (use ${DIRECTION_WORDS})`);
    }

    let crossedAt: string | null = null;
    const rawAt = cell(fields, atIndex);
    const rawTime = cell(fields, timeIndex);
    if (rawAt === '') errors.push(`${atLabel}: required value is empty`);
    else if (rawTime !== '') {
      const date = parseDate(rawAt);
      if (date === null) errors.push(`${atLabel}: ${quoteValue(rawAt)} is not a valid date (${DATE_FORMS})`);
      else {
        crossedAt = combineDateAndTime(date, rawTime);
        if (crossedAt === null) errors.push(`${timeLabel}: ${quoteValue(rawTime)} is not a valid time (use HH:MM[:SS])`);
      }
    } else {
      crossedAt = parseDateTime(rawAt);
      if (crossedAt === null) {
        errors.push(
          hasTimeZone(rawAt)
            ? `${atLabel}: ${quoteValue(rawAt)} has a time zone; give the local date and time at the border`
            : `${atLabel}: ${quoteValue(rawAt)} is not a valid date-time (${DATETIME_FORMS})`,
        );
      }
    }

    const birth = birthDate(fields, errors);
    if (!found || direction === null || crossedAt === null || errors.length > 0) return null;

    const given = cell(fields, givenIndex);
    const patronymic = cell(fields, patronymicIndex);
    const rawSex = cell(fields, sexIndex);
    return {
      personKey: who.personKey,
      personId: who.personId,
      documentNo: who.documentNo,
      citizenship: who.citizenship,
      surname: orNull(cell(fields, surnameIndex)),
      givenNames: patronymic === '' ? orNull(given) : given === '' ? patronymic : `${given} ${patronymic}`,
      birthDate: birth,
      sex: rawSex === '' ? null : parseSex(rawSex),
      direction,
      crossedAt,
      day: crossedAt.slice(0, 10),
      checkpoint: orNull(cell(fields, checkpointIndex)),
    };
  };
}
