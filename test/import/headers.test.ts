import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ImportFileError } from '../../src/import/errors.js';
import {
  FIELDS,
  REQUIRED,
  aliasMap,
  detectDataset,
  loadMapping,
  mapHeaders,
  normaliseHeader,
  parseHeaderMapping,
} from '../../src/import/headers.js';
import { DATASETS } from '../../src/import/rows.js';
import { FIXTURES } from './helpers.js';

function errorOf(fn: () => unknown): ImportFileError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ImportFileError) return error;
    throw error;
  }
  throw new Error('expected an ImportFileError');
}

describe('normaliseHeader', () => {
  it('ignores case, spaces, underscores and punctuation; folds ё', () => {
    expect(normaliseHeader('Document No')).toBe('documentno');
    expect(normaliseHeader(' document_no ')).toBe('documentno');
    expect(normaliseHeader('DOCUMENT-NO.')).toBe('documentno');
    expect(normaliseHeader('Срок запрета (лет)')).toBe('срокзапреталет');
    expect(normaliseHeader('Зарегистрирован(а) с')).toBe('зарегистрированас');
    expect(normaliseHeader('Соединённые')).toBe('соединенные');
  });
});

describe('alias tables', () => {
  it('have no alias claimed by two fields in any dataset', () => {
    for (const dataset of DATASETS) expect(() => aliasMap(dataset)).not.toThrow();
  });

  it('recognise every reference name', () => {
    for (const dataset of DATASETS) {
      const mapped = mapHeaders([...FIELDS[dataset]], dataset);
      expect(Object.keys(mapped.columns).sort()).toEqual([...FIELDS[dataset]].sort());
    }
  });
});

describe('mapHeaders', () => {
  it('maps English aliases in any case and spacing', () => {
    const mapped = mapHeaders(
      ['Document Number', 'NATIONALITY', 'doc_type', 'Direction', 'Crossing Date', 'Check Point', 'DOB', 'Gender'],
      'crossings',
    );
    expect(mapped.columns).toEqual({
      document_no: 0, citizenship: 1, direction: 3, crossed_at: 4, checkpoint: 5, birth_date: 6, sex: 7,
    });
    expect(mapped.ignored).toEqual(['doc_type']);
  });

  it('maps Russian crossing headers', () => {
    const headers = [
      'ИД', 'Номер документа', 'Гражданство', 'Фамилия', 'Имя', 'Отчество', 'Дата рождения', 'Пол',
      'Направление', 'Дата пересечения', 'Время пересечения', 'Пункт пропуска',
    ];
    expect(mapHeaders(headers, 'crossings').columns).toEqual({
      person_id: 0, document_no: 1, citizenship: 2, surname: 3, given_names: 4, patronymic: 5, birth_date: 6,
      sex: 7, direction: 8, crossed_at: 9, crossed_time: 10, checkpoint: 11,
    });
    expect(mapHeaders(['№ документа', 'Гражданство', 'Направление', 'Дата и время пересечения', 'КПП'], 'crossings').columns)
      .toEqual({ document_no: 0, citizenship: 1, direction: 2, crossed_at: 3, checkpoint: 4 });
  });

  it('maps Russian headers of the other datasets', () => {
    expect(
      mapHeaders(
        ['Номер документа', 'Гражданство', 'Дата регистрации', 'Зарегистрирован по', 'Дата уведомления', 'Адрес',
          'ИИН/БИН принимающей стороны', 'Принимающая сторона'],
        'registrations',
      ).columns,
    ).toEqual({
      document_no: 0, citizenship: 1, registered_from: 2, registered_until: 3, notified_on: 4, address: 5,
      host_id: 6, host_name: 7,
    });
    expect(
      mapHeaders(
        ['Номер разрешения', 'Номер документа', 'Гражданство', 'Вид', 'Основание', 'Действует с', 'Действует по',
          'Статус', 'Дата аннулирования/отзыва'],
        'permits',
      ).columns,
    ).toEqual({
      permit_no: 0, document_no: 1, citizenship: 2, kind: 3, ground: 4, valid_from: 5, valid_until: 6, status: 7,
      revoked_on: 8,
    });
    expect(
      mapHeaders(
        ['Номер документа', 'Гражданство', 'Дата решения', 'Дата выдворения', 'Срок запрета (лет)', 'Причина'],
        'expulsions',
      ).columns,
    ).toEqual({ document_no: 0, citizenship: 1, decided_on: 2, expelled_on: 3, ban_years: 4, reason: 5 });
  });

  it('maps dataset-specific aliases by dataset', () => {
    expect(mapHeaders(['Паспорт', 'Страна', 'Дата начала', 'Дата окончания'], 'registrations').columns).toEqual({
      document_no: 0, citizenship: 1, registered_from: 2, registered_until: 3,
    });
    expect(
      mapHeaders(['Номер РВП', 'Паспорт', 'Страна', 'Дата начала', 'Дата окончания'], 'permits').columns,
    ).toEqual({ permit_no: 0, document_no: 1, citizenship: 2, valid_from: 3, valid_until: 4 });
  });

  it('maps Kazakh headers', () => {
    expect(mapHeaders(['Құжат нөмірі', 'Азаматтығы', 'Бағыты', 'Өткен күні'], 'crossings').columns).toEqual({
      document_no: 0, citizenship: 1, direction: 2, crossed_at: 3,
    });
  });

  it('lists missing required columns and what was found, with a --mapping hint', () => {
    const error = errorOf(() => mapHeaders(['doc', 'country', 'when'], 'crossings', undefined, { file: 'x.csv' }));
    expect(error.message).toBe(
      "x.csv, line 1: missing required columns for crossings: document_no, direction, crossed_at; found 'doc', 'country', 'when'",
    );
    expect(error.file).toBe('x.csv');
    expect(error.line).toBe(1);
    expect(error.hint).toMatch(/--mapping FILE/);
    expect(error.hint).toMatch(/--delimiter/);
    expect(error.hint).toMatch(/--encoding/);
  });

  it('says which dataset a header fits when it is not the one asked for', () => {
    const error = errorOf(() => mapHeaders(['document_no', 'citizenship', 'decided_on'], 'crossings'));
    expect(error.message).toMatch(/\(the header fits the expulsions dataset\)$/);
    expect(error.hint).toMatch(/stayaudit import expulsions FILE/);
  });

  it('suggests --delimiter for a one-column header with delimiters in it', () => {
    const error = errorOf(() => mapHeaders(['document_no|citizenship|direction|crossed_at'], 'crossings'));
    expect(error.hint).toMatch(/single column: give the delimiter with --delimiter/);
  });

  it('suggests --encoding for a garbled header', () => {
    const error = errorOf(() => mapHeaders(['РќРѕРјРµСЂ РґРѕРєСѓРјРµРЅС‚Р°', 'x'], 'crossings'));
    expect(error.hint).toMatch(/garbled: give the encoding with --encoding/);
  });

  it('refuses two columns for one field', () => {
    const error = errorOf(() =>
      mapHeaders(['document_no', 'Номер паспорта', 'citizenship', 'direction', 'crossed_at'], 'crossings'),
    );
    expect(error.message).toMatch(/columns 'document_no' and 'Номер паспорта' both map to document_no/);
    expect(error.hint).toMatch(/\{"Номер паспорта": null\}/);
  });

  it('lets a mapping override aliases, add names and ignore columns', () => {
    const mapping = parseHeaderMapping(
      { 'Pass #': 'document_no', 'Nat.': 'citizenship', crossings: { Mvmt: 'direction', when: 'crossed_at', Date: null } },
      'm.json',
    );
    const mapped = mapHeaders(['PASS #', 'nat', 'Mvmt', 'When', 'Date', 'extra'], 'crossings', mapping);
    expect(mapped.columns).toEqual({ document_no: 0, citizenship: 1, direction: 2, crossed_at: 3 });
    expect(mapped.ignored).toEqual(['Date', 'extra']);
  });

  it('applies only this dataset\'s fields from a flat mapping', () => {
    const mapping = { Nummer: 'document_no', Land: 'citizenship', Ab: 'decided_on', Wann: 'crossed_at' };
    const mapped = mapHeaders(['Nummer', 'Land', 'Ab'], 'expulsions', mapping);
    expect(mapped.columns).toEqual({ document_no: 0, citizenship: 1, decided_on: 2 });
  });
});

describe('detectDataset', () => {
  it.each([
    [['document_no', 'citizenship', 'direction', 'crossed_at'], 'crossings'],
    [['permit_no', 'document_no', 'citizenship', 'valid_from', 'valid_until'], 'permits'],
    [['document_no', 'citizenship', 'decided_on'], 'expulsions'],
    [['document_no', 'citizenship', 'registered_from'], 'registrations'],
    [['Номер документа', 'Гражданство', 'Направление', 'Дата пересечения'], 'crossings'],
    [['Номер разрешения', 'Номер документа', 'Гражданство', 'Дата начала', 'Дата окончания'], 'permits'],
    [['Номер документа', 'Гражданство', 'Дата начала'], 'registrations'],
    [['a', 'b'], null],
    [['document_no', 'citizenship'], null],
  ] as const)('%j -> %s', (headers, expected) => {
    expect(detectDataset(headers)).toBe(expected);
  });

  it('uses a mapping', () => {
    expect(detectDataset(['Pass #', 'Nat.', 'Mvmt', 'When'], { 'Pass #': 'document_no', 'Nat.': 'citizenship', Mvmt: 'direction', When: 'crossed_at' })).toBe('crossings');
  });

  it('requires every required column of SPEC §1', () => {
    expect(REQUIRED.crossings).toEqual(['document_no', 'citizenship', 'direction', 'crossed_at']);
    expect(REQUIRED.permits).toEqual(['permit_no', 'document_no', 'citizenship', 'valid_from', 'valid_until']);
  });
});

describe('mapping files', () => {
  it('loads the example mapping', () => {
    expect(loadMapping(path.join(FIXTURES, 'mapping-example.json'))).toEqual({
      'Pass #': 'document_no',
      'Nat.': 'citizenship',
      crossings: { Mvmt: 'direction', When: 'crossed_at', Post: 'checkpoint', Remarks: null },
    });
  });

  it.each([
    [[], /not a JSON object/],
    [{ a: 'nonsense' }, /"a": unknown field 'nonsense'/],
    [{ a: 5 }, /"a": the value must be a field name or null/],
    [{ crossings: { a: 'decided_on' } }, /crossings: "a": decided_on is not a crossings field/],
    [{ crossings: ['x'] }, /"crossings" must be an object/],
  ])('refuses %j', (value, message) => {
    const error = errorOf(() => parseHeaderMapping(value, 'm.json'));
    expect(error.message).toMatch(message);
    expect(error.file).toBe('m.json');
    expect(error.hint).toMatch(/their header|crossings fields: person_id/);
  });

  it('reports unreadable and invalid files', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stayaudit-mapping-'));
    try {
      expect(errorOf(() => loadMapping(path.join(dir, 'missing.json'))).message).toMatch(/cannot read the mapping file: no such file/);
      fs.writeFileSync(path.join(dir, 'bad.json'), '{"a": ');
      expect(errorOf(() => loadMapping(path.join(dir, 'bad.json'))).message).toMatch(/not valid JSON/);
      fs.writeFileSync(path.join(dir, 'bom.json'), '\ufeff{"Номер": "document_no"}');
      expect(loadMapping(path.join(dir, 'bom.json'))).toEqual({ Номер: 'document_no' });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('hints stay quiet when they do not apply', () => {
  it('does not call Kazakh headers garbled', () => {
    const error = errorOf(() => mapHeaders(['Құжат нөмірі', 'Кіру/шығу күні', 'Біреу'], 'crossings'));
    expect(error.hint).not.toMatch(/garbled/);
    expect(error.hint).not.toMatch(/single column/);
  });
});
