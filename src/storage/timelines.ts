/**
 * Reading every person's timeline for the audit, in person-key order, in chunks.
 *
 * Handing a row from SQLite to JavaScript through better-sqlite3 costs about 0.45 µs
 * whatever it holds, plus about 0.1 µs per column: more than SQLite takes to find the
 * row. So the reader asks for whole chunks of persons: per table, one row whose text
 * is the chunk's records joined with separators (U+001F between fields, U+001E
 * between records), which JavaScript splits. A national year is about 11 million
 * rows; read this way it is some tens of thousands.
 *
 * A chunk's text is kept to about `TARGET_CHARS` characters (UTF-8 bytes for most
 * values; Cyrillic names take two): the chunk size adapts to what the last chunk held. Past 128 KiB, SQLite's buffer for the text is allocated with mmap
 * by the C library, and building it took twice as long (measured: 1.1 s against 0.6 s
 * for the crossings of 1 M persons).
 *
 * The records carry their count, so a separator inside a value (a checkpoint named
 * with a control character, say) cannot go unnoticed: the split then finds the wrong
 * number of fields, and that chunk of that table is read row by row instead. The
 * records must also come in key order; if they ever did not, the same happens.
 */
import { dayFromIso } from '../core/dates.js';
import type { Crossing, Day, Expulsion, Permit, PersonTimeline, Registration } from '../core/types.js';
import type Database from 'better-sqlite3';
import type { Connection } from './database.js';

type Statement = Database.Statement<unknown[]>;

/** Which persons to read: one key, or the keys in [from, to) (null: unbounded). */
export interface KeyScope {
  only?: string;
  from?: string | null;
  to?: string | null;
  /** Keys inside (from, to), ascending, where chunks start; found as reading goes when absent. */
  cuts?: readonly string[];
}

/** How a read went: chunks read, and (table, chunk) pairs that had to be read row by row. */
export interface ReadStats {
  chunks: number;
  rowByRow: number;
}

export interface ReadOptions {
  stats?: ReadStats;
  /** Characters a chunk's text should hold, about (default `TARGET_CHARS`; tests set it low). */
  targetChars?: number;
}

/** Characters a chunk's joined text should hold, about (see the file's comment). */
const TARGET_CHARS = 64 * 1024;
/** Persons between two cuts of `chunkCuts`: a chunk is one or more such slices. */
export const SLICE_PERSONS = 128;
/** Persons in the first chunk when no cuts are given; later ones adapt. */
const FIRST_CHUNK_PERSONS = 256;

/**
 * Compares keys as SQLite's BINARY collation does (UTF-8 bytes, that is code points).
 * UTF-16 order agrees with it except where, at the first difference, one side is a
 * surrogate (an astral character) and the other a BMP character from U+E000 up.
 */
export function compareKeys(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    const xSurrogate = x >= 0xd800 && x <= 0xdfff;
    const ySurrogate = y >= 0xd800 && y <= 0xdfff;
    if (xSurrogate !== ySurrogate && (xSurrogate ? y >= 0xe000 : x >= 0xe000)) return xSurrogate ? 1 : -1;
    return x < y ? -1 : 1;
  }
  return a.length - b.length;
}

/**
 * How a field travels in the joined text:
 * - `text`: never null, as is;
 * - `nullable`: '' means null (dates and numbers, which imports never store empty;
 *   read row by row, an empty one is null too);
 * - `marked`: null is '', a value is '=' and the value (free text, which may be empty).
 */
export type FieldKind = 'text' | 'nullable' | 'marked';

export interface TableSpec {
  table: string;
  /**
   * Columns after person_key, in order, with how each travels and, for columns with
   * a few known values, those values (then shared, not copied out of the text), or
   * 'intern' for columns with some hundreds of values (each kept once, as it is seen).
   */
  fields: readonly (readonly [column: string, kind: FieldKind, values?: readonly string[] | 'intern'])[];
  /** The order within a person (the table's key after person_key). */
  order: readonly string[];
}

const CROSSINGS: TableSpec = {
  table: 'crossings',
  fields: [
    ['crossed_at', 'text'], ['direction', 'text', ['IN', 'OUT']], ['checkpoint', 'marked', 'intern'], ['citizenship', 'text'],
    ['import_id', 'text', 'intern'],
  ],
  order: ['crossed_at', 'direction'],
};
const PERMITS: TableSpec = {
  table: 'permits',
  fields: [
    ['permit_no', 'text'], ['kind', 'text', ['trp', 'visa']], ['ground', 'marked'], ['valid_from', 'text'], ['valid_until', 'text'],
    ['status', 'text', ['active', 'revoked', 'annulled']], ['revoked_on', 'nullable'], ['host_id', 'marked'], ['citizenship', 'text'],
  ],
  order: ['permit_no'],
};
const REGISTRATIONS: TableSpec = {
  table: 'registrations',
  fields: [
    ['registered_from', 'text'], ['registered_until', 'nullable'], ['notified_on', 'nullable'], ['host_id', 'marked'],
    ['host_name', 'marked'], ['citizenship', 'text'],
  ],
  order: ['registered_from', 'content_hash'],
};
const EXPULSIONS: TableSpec = {
  table: 'expulsions',
  fields: [['decided_on', 'text'], ['expelled_on', 'nullable'], ['ban_years', 'nullable'], ['reason', 'marked'], ['citizenship', 'text']],
  order: ['decided_on', 'content_hash'],
};

/** The four tables of a timeline, as every reader reads them (PostgreSQL's too). */
export const TIMELINE_TABLES = { crossings: CROSSINGS, permits: PERMITS, registrations: REGISTRATIONS, expulsions: EXPULSIONS } as const;

/** A table's columns as a record holds them (person_key first), and the ORDER BY that gives the reader's order. */
export function recordColumns(spec: TableSpec): { columns: string[]; order: string[]; nullable: boolean[] } {
  return {
    columns: ['person_key', ...spec.fields.map(([column]) => column)],
    order: ['person_key', ...spec.order],
    nullable: [false, ...spec.fields.map(([, kind]) => kind === 'nullable')],
  };
}

/** A chunk's records of one table, flat: `width` values per record, person_key first. */
export interface Records {
  values: (string | null)[];
  width: number;
}

/** Where a chunk's rows are: the WHERE clause's shape (which bounds it has). */
type Shape = 'only' | 'from' | 'to' | 'both' | 'all';

function whereOf(shape: Shape): string {
  switch (shape) {
    case 'only':
      return 'WHERE person_key = ?';
    case 'from':
      return 'WHERE person_key >= ?';
    case 'to':
      return 'WHERE person_key < ?';
    case 'both':
      return 'WHERE person_key >= ? AND person_key < ?';
    case 'all':
      return '';
  }
}

/**
 * Turns a table's joined text back into flat records (see `split`), checking that they
 * came in the reader's order; shared by SQLite's reader and PostgreSQL's.
 */
export class RecordDecoder {
  private readonly kinds: FieldKind[];
  private readonly known: (readonly string[] | Interner | undefined)[];
  /** Where the order columns are in a record. */
  private readonly orderAt: number[];
  readonly width: number;
  constructor(readonly spec: TableSpec) {
    this.kinds = ['text', ...spec.fields.map(([, kind]) => kind)];
    this.known = [undefined, ...spec.fields.map(([, , values]) => (values === 'intern' ? new Interner() : values))];
    this.width = this.kinds.length;
    this.orderAt = spec.order.map((column) => 1 + spec.fields.findIndex(([c]) => c === column)).filter((i) => i > 0);
  }

  /** The SQL expressions whose values, joined by U+001F, make a record (see `FieldKind`). */
  joinedParts(dialect: 'sqlite' | 'postgres'): string[] {
    return ['person_key', ...this.spec.fields.map(([column, kind]) => encode(column, kind, dialect))];
  }

  /** `count` records from `text` into `values`; false when the text does not split into them in order. */
  decode(text: string, count: number, values: (string | null)[]): boolean {
    return split(text, count, this.kinds, this.known, values) && this.ordered(values);
  }

  /** A value of field `f` read row by row, as the joined text would give it. */
  rowValue(value: unknown, f: number): string | null {
    return value === null || (value === '' && this.kinds[f] === 'nullable') ? null : String(value);
  }

  /** Whether the records are in key order: person_key, then the order columns. */
  private ordered(values: readonly (string | null)[]): boolean {
    const width = this.width;
    const orderAt = this.orderAt;
    for (let r = width; r < values.length; r += width) {
      const byKey = compareKeys(values[r - width]!, values[r]!);
      if (byKey < 0) continue;
      if (byKey > 0) return false;
      for (const i of orderAt) {
        const a = values[r - width + i] ?? '';
        const b = values[r + i] ?? '';
        if (a === b) continue;
        if (compareKeys(a, b) > 0) return false;
        break;
      }
    }
    return true;
  }
}

/** Reads one table's records, a chunk at a time. */
class TableReader {
  private readonly joined = new Map<Shape, Statement>();
  private readonly rows = new Map<Shape, Statement>();
  private readonly decoder: RecordDecoder;
  readonly width: number;
  constructor(private readonly db: Connection, private readonly spec: TableSpec, private readonly stats: ReadStats) {
    this.decoder = new RecordDecoder(spec);
    this.width = this.decoder.width;
  }

  private joinedStatement(shape: Shape): Statement {
    let statement = this.joined.get(shape);
    if (statement === undefined) {
      // Rows come in the clustered key's order, the order the reader needs; no ORDER BY,
      // which would cost a co-routine. `ordered` checks person_key and the order
      // columns read; rows that tie on those (registrations or expulsions of one day)
      // come in the key's last column, content_hash, as the row-by-row ORDER BY has them.
      const parts = this.decoder.joinedParts('sqlite');
      statement = this.db
        .prepare(`SELECT count(*), group_concat(concat_ws(char(31), ${parts.join(', ')}), char(30)) FROM ${this.spec.table} ${whereOf(shape)}`)
        .raw();
      this.joined.set(shape, statement);
    }
    return statement;
  }

  private rowStatement(shape: Shape): Statement {
    let statement = this.rows.get(shape);
    if (statement === undefined) {
      const columns = ['person_key', ...this.spec.fields.map(([column]) => column)].join(', ');
      const order = ['person_key', ...this.spec.order].join(', ');
      statement = this.db.prepare(`SELECT ${columns} FROM ${this.spec.table} ${whereOf(shape)} ORDER BY ${order}`).raw();
      this.rows.set(shape, statement);
    }
    return statement;
  }

  /** The records of the chunk into `out.values`; returns the length of the joined text. */
  read(shape: Shape, params: readonly string[], out: Records): number {
    const [count, text] = this.joinedStatement(shape).get(...params) as [number, string | null];
    out.width = this.width;
    if (count === 0) {
      out.values.length = 0;
      return 0;
    }
    if (text !== null && this.decoder.decode(text, count, out.values)) return text.length;
    // A separator inside a value, or rows out of order: read this chunk row by row.
    this.stats.rowByRow++;
    const values = out.values;
    values.length = 0;
    const decoder = this.decoder;
    for (const row of this.rowStatement(shape).iterate(...params) as IterableIterator<unknown[]>) {
      for (let f = 0; f < row.length; f++) values.push(decoder.rowValue(row[f], f));
    }
    return text?.length ?? 0;
  }
}

/** The SQL that writes a column into the joined text (see `FieldKind`), in either engine's dialect. */
function encode(column: string, kind: FieldKind, dialect: 'sqlite' | 'postgres'): string {
  const orEmpty = (sql: string): string => (dialect === 'sqlite' ? `ifnull(${sql}, '')` : `coalesce(${sql}, '')`);
  switch (kind) {
    case 'text':
      return column;
    case 'nullable':
      return orEmpty(dialect === 'sqlite' ? column : `${column}::text`);
    case 'marked':
      return orEmpty(`'=' || ${column}`);
  }
}

/**
 * Splits joined records into `out` (values by record, then field), decoding nulls.
 * False when the text does not hold exactly `count` records of `kinds.length` fields.
 *
 * A value equal to the same field of the record before (the person key, mostly, and
 * the citizenship) is that record's string again, and a value among a field's `known`
 * ones is that constant: most values then cost no new string.
 */
function split(
  text: string,
  count: number,
  kinds: readonly FieldKind[],
  known: readonly (readonly string[] | Interner | undefined)[],
  out: (string | null)[],
): boolean {
  out.length = 0;
  const n = text.length;
  const width = kinds.length;
  let nextField = text.indexOf('\x1f');
  let nextRecord = text.indexOf('\x1e');
  if (nextField < 0) nextField = n;
  if (nextRecord < 0) nextRecord = n;
  let start = 0;
  let records = 0;
  for (;;) {
    for (let f = 0; f < width; f++) {
      let end: number;
      if (f < width - 1) {
        end = nextField;
        if (end >= nextRecord) return false; // too few fields in this record
        nextField = text.indexOf('\x1f', end + 1);
        if (nextField < 0) nextField = n;
      } else {
        end = nextRecord;
        if (nextField < end) return false; // too many fields
        nextRecord = text.indexOf('\x1e', end + 1);
        if (nextRecord < 0) nextRecord = n;
      }
      const kind = kinds[f]!;
      if (start === end) out.push(kind === 'text' ? '' : null);
      else if (kind !== 'marked') out.push(valueAt(text, start, end, records > 0 ? out[out.length - width] : null, known[f]));
      else if (text.charCodeAt(start) === 61 /* = */) out.push(valueAt(text, start + 1, end, records > 0 ? out[out.length - width] : null, known[f]));
      else return false;
      start = end + 1;
    }
    records++;
    if (start > n) break;
  }
  return records === count;
}

/** text[start, end): the previous record's value or a known one when equal, else a new string. */
function valueAt(text: string, start: number, end: number, previous: string | null | undefined, known: readonly string[] | Interner | undefined): string {
  const length = end - start;
  if (typeof previous === 'string' && previous.length === length && text.startsWith(previous, start)) return previous;
  if (known instanceof Interner) return known.get(text, start, end);
  if (known !== undefined) {
    for (const value of known) if (value.length === length && text.startsWith(value, start)) return value;
  }
  return text.slice(start, end);
}

/**
 * Keeps each value of a column once (checkpoints: some hundreds), so that a value
 * seen before costs no new string, and maps keyed by it find its hash already made.
 */
class Interner {
  private readonly byHash = new Map<number, string[]>();
  private size = 0;

  get(text: string, start: number, end: number): string {
    let hash = end - start;
    for (let i = start; i < end; i++) hash = (Math.imul(hash, 31) + text.charCodeAt(i)) | 0;
    const length = end - start;
    const candidates = this.byHash.get(hash);
    if (candidates !== undefined) {
      for (const value of candidates) if (value.length === length && text.startsWith(value, start)) return value;
    }
    const value = text.slice(start, end);
    if (this.size < 65_536) {
      // Flattened: a slice would keep the whole chunk's text alive.
      const kept = flat(value);
      if (candidates === undefined) this.byHash.set(hash, [kept]);
      else candidates.push(kept);
      this.size++;
      return kept;
    }
    return value;
  }
}

/** A copy of a string that shares no memory with the string it was cut from. */
function flat(value: string): string {
  return value.length < 13 ? value : (' ' + value).slice(1).split('').join('');
}

/** Where a chunk is: the SQL shape and parameters of its bounds. */
interface ChunkBounds {
  shape: Shape;
  params: string[];
}

function bounds(from: string | null, end: string | null): ChunkBounds {
  if (from !== null && end !== null) return { shape: 'both', params: [from, end] };
  if (from !== null) return { shape: 'from', params: [from] };
  if (end !== null) return { shape: 'to', params: [end] };
  return { shape: 'all', params: [] };
}

/**
 * The chunks of a scope, in key order. After each chunk is read, the caller sets
 * `feedback.chars` to the longest text it got, and the next chunk is sized from it.
 */
function* chunksOf(db: Connection, scope: KeyScope, target: number, feedback: { chars: number }): Generator<ChunkBounds> {
  if (scope.only !== undefined) {
    yield { shape: 'only', params: [scope.only] };
    return;
  }
  const to = scope.to ?? null;
  let from = scope.from ?? null;
  /** The next size from the last one and what it held, within [min, max]. */
  const resize = (size: number, min: number, max: number): number =>
    Math.max(min, Math.min(max, feedback.chars === 0 ? size * 2 : Math.floor((size * target) / feedback.chars)));
  if (scope.cuts !== undefined) {
    // Whole slices between the given cuts.
    const cuts = scope.cuts;
    let slices = 2;
    for (let i = 0; i <= cuts.length; ) {
      const last = Math.min(i + slices, cuts.length + 1) - 1; // slice j is [cuts[j - 1], cuts[j])
      yield bounds(from, cuts[last] ?? to);
      from = cuts[last] ?? to;
      i = last + 1;
      slices = resize(slices, 1, 64);
    }
    return;
  }
  // No cuts: each found as reading goes.
  const next = nextCut(db);
  let size = FIRST_CHUNK_PERSONS;
  for (;;) {
    const cut = next(from, size);
    if (cut === undefined || (to !== null && compareKeys(cut, to) >= 0)) {
      yield bounds(from, to);
      return;
    }
    yield bounds(from, cut);
    from = cut;
    size = resize(size, 16, 8192);
  }
}

/**
 * Keys that cut all persons into slices of `size` persons (default `SLICE_PERSONS`),
 * ascending: the `cuts` of a scope over the whole database.
 */
export function chunkCuts(db: Connection, size = SLICE_PERSONS): string[] {
  const cuts: string[] = [];
  const next = nextCut(db);
  let from: string | null = null;
  for (;;) {
    const cut = next(from, size);
    if (cut === undefined) return cuts;
    cuts.push(cut);
    from = cut;
  }
}

/**
 * The key `size` persons on from `from` (a cut, or null for the start), in the persons
 * table's own order; undefined when fewer persons are left.
 */
function nextCut(db: Connection): (from: string | null, size: number) => string | undefined {
  const statement = db.prepare('SELECT person_key FROM persons WHERE person_key > ? ORDER BY person_key LIMIT 1 OFFSET ?').pluck();
  return (from, size) => statement.get(from ?? '', from === null ? size : size - 1) as string | undefined;
}

/** Whether the database holds more than `n` persons. */
export function holdsMoreThan(db: Connection, n: number): boolean {
  return db.prepare('SELECT 1 FROM persons ORDER BY person_key LIMIT 1 OFFSET ?').get(n) !== undefined;
}

/**
 * Every person's timeline, one at a time, in person-key order: each chunk of persons
 * is read from the four tables (each clustered by person_key first) and merged, so the
 * database is read once and never held in memory.
 * The caller should hold a read transaction for a consistent snapshot.
 */
export function* iterateTimelines(db: Connection, scope: KeyScope = {}, options: ReadOptions = {}): Generator<PersonTimeline> {
  const chunk: PersonTimeline[] = [];
  for (const read of readChunks(db, scope, options)) {
    chunk.length = 0;
    read((timeline) => chunk.push(timeline));
    yield* chunk;
  }
}

/**
 * Like `iterateTimelines`, calling `visit` for each person: no generator between the
 * reader and the audit, which calls it a million times.
 */
export function forEachTimeline(
  db: Connection,
  scope: KeyScope,
  visit: (timeline: PersonTimeline) => void,
  options: ReadOptions = {},
): void {
  for (const read of readChunks(db, scope, options)) read(visit);
}

/** Reads chunk after chunk; each comes as a function that hands its timelines to a visitor. */
function* readChunks(
  db: Connection,
  scope: KeyScope,
  options: ReadOptions,
): Generator<(visit: (timeline: PersonTimeline) => void) => void> {
  const stats = options.stats ?? { chunks: 0, rowByRow: 0 };
  const crossingReader = new TableReader(db, CROSSINGS, stats);
  // A small import's crossings wait in crossings_recent (import-store.ts, RECENT_SHARE):
  // read when it holds any, and merged in key order (a key is in one table only).
  const recentReader = db.prepare('SELECT 1 FROM crossings_recent LIMIT 1').get() === undefined ? null : new TableReader(db, RECENT_CROSSINGS, stats);
  const recent: Records = { values: [], width: 0 };
  const permitReader = new TableReader(db, PERMITS, stats);
  const registrationReader = new TableReader(db, REGISTRATIONS, stats);
  const expulsionReader = new TableReader(db, EXPULSIONS, stats);
  const c: Records = { values: [], width: 0 };
  const p: Records = { values: [], width: 0 };
  const r: Records = { values: [], width: 0 };
  const e: Records = { values: [], width: 0 };
  const feedback = { chars: 0 };
  const importDays = importDaysOf(db);
  for (const { shape, params } of chunksOf(db, scope, options.targetChars ?? TARGET_CHARS, feedback)) {
    stats.chunks++;
    feedback.chars = Math.max(
      crossingReader.read(shape, params, c) + (recentReader === null ? 0 : recentReader.read(shape, params, recent)),
      permitReader.read(shape, params, p),
      registrationReader.read(shape, params, r),
      expulsionReader.read(shape, params, e),
    );
    if (recentReader !== null && recent.values.length > 0) c.values = mergeRecords(c, recent);
    yield (visit) => mergeChunk(c, p, r, e, importDays, visit);
  }
}

/** crossings_recent as the timeline reader reads it: crossings' columns and order. */
const RECENT_CROSSINGS: TableSpec = { ...CROSSINGS, table: 'crossings_recent' };

/**
 * Two tables' records of one chunk (crossings, each in key order: person_key,
 * crossed_at, direction) as one list in that order. Keys are never in both.
 */
function mergeRecords(a: Records, b: Records): (string | null)[] {
  const w = a.values.length > 0 ? a.width : b.width;
  const av = a.values;
  const bv = b.values;
  const out: (string | null)[] = new Array(av.length + bv.length);
  let i = 0;
  let j = 0;
  let o = 0;
  const before = (x: number, y: number): boolean => {
    for (let f = 0; f < 3; f++) {
      const order = compareKeys(av[x + f]!, bv[y + f]!);
      if (order !== 0) return order < 0;
    }
    return true;
  };
  while (i < av.length || j < bv.length) {
    const fromA = j >= bv.length || (i < av.length && before(i, j));
    const src = fromA ? av : bv;
    const at = fromA ? i : j;
    for (let f = 0; f < w; f++) out[o++] = src[at + f]!;
    if (fromA) i += w;
    else j += w;
  }
  return out;
}

/**
 * The calendar day of each import (by its id as text): the date of its start in the
 * earliest time zone (UTC+14). A crossing's day is a local date at the border and the
 * start is an instant, so a crossing is "dated after the day it was imported" only
 * when its date had not begun anywhere when the import started.
 */
function importDaysOf(db: Connection): Map<string, Day | null> {
  return importDays(db.prepare('SELECT id, started_at FROM imports').raw().all() as [number | string, string][]);
}

/** `importDaysOf` from the imports' (id, started_at) rows, however they were read. */
export function importDays(rows: Iterable<readonly [id: number | string, startedAt: string]>): Map<string, Day | null> {
  const days = new Map<string, Day | null>();
  for (const [id, startedAt] of rows) {
    const instant = Date.parse(startedAt);
    days.set(String(id), Number.isNaN(instant) ? null : dayFromIso(new Date(instant + LATEST_ZONE_MS).toISOString().slice(0, 10)));
  }
  return days;
}

/** UTC+14, the time zone where a date begins first. */
const LATEST_ZONE_MS = 14 * 3600 * 1000;

/** The timelines of one chunk, from its records of the four tables (each in key order). */
export function mergeChunk(
  c: Records,
  p: Records,
  r: Records,
  e: Records,
  importDays: ReadonlyMap<string, Day | null>,
  visit: (timeline: PersonTimeline) => void,
): void {
  const cv = c.values;
  const pv = p.values;
  const rv = r.values;
  const ev = e.values;
  let ci = 0;
  let pi = 0;
  let ri = 0;
  let ei = 0;
  // Crossings come in runs from one import: its id (interned) is looked up once a run.
  let importId: string | null = null;
  let importedOn: Day | null = null;
  while (ci < cv.length || pi < pv.length || ri < rv.length || ei < ev.length) {
    // The smallest key among the four heads.
    let key: string | null = ci < cv.length ? cv[ci]! : null;
    if (pi < pv.length && (key === null || compareKeys(pv[pi]!, key) < 0)) key = pv[pi]!;
    if (ri < rv.length && (key === null || compareKeys(rv[ri]!, key) < 0)) key = rv[ri]!;
    if (ei < ev.length && (key === null || compareKeys(ev[ei]!, key) < 0)) key = ev[ei]!;
    const personKey = key!;
    // The timeline's own citizenship is only a fallback (each crossing carries its
    // own): a permit's, else a registration's or an expulsion's, else the first crossing's.
    let citizenship: string | null = null;

    const crossings: Crossing[] = [];
    for (; ci < cv.length && cv[ci] === personKey; ci += c.width) {
      const at = cv[ci + 1]!;
      if (cv[ci + 5] !== importId) {
        importId = cv[ci + 5]!;
        importedOn = importDays.get(importId) ?? null;
      }
      crossings.push({
        direction: cv[ci + 2] === 'IN' ? 'IN' : 'OUT',
        day: dayFromIso(at),
        at,
        checkpoint: cv[ci + 3]!,
        citizenship: cv[ci + 4]!,
        importedOn,
      });
    }

    const permits: Permit[] = [];
    for (; pi < pv.length && pv[pi] === personKey; pi += p.width) {
      const revokedOn = pv[pi + 7]!;
      const hostId = pv[pi + 8]!;
      permits.push({
        permitNo: pv[pi + 1]!,
        kind: pv[pi + 2] as Permit['kind'],
        ground: pv[pi + 3]!,
        validFrom: dayFromIso(pv[pi + 4]!),
        validUntil: dayFromIso(pv[pi + 5]!),
        status: pv[pi + 6] as Permit['status'],
        revokedOn: revokedOn === null ? null : dayFromIso(revokedOn),
        hostId,
        citizenship: pv[pi + 9]!,
      });
      citizenship ??= pv[pi + 9]!;
    }

    const registrations: Registration[] = [];
    for (; ri < rv.length && rv[ri] === personKey; ri += r.width) {
      const until = rv[ri + 2]!;
      const notified = rv[ri + 3]!;
      const hostId = rv[ri + 4]!;
      registrations.push({
        registeredFrom: dayFromIso(rv[ri + 1]!),
        registeredUntil: until === null ? null : dayFromIso(until),
        notifiedOn: notified === null ? null : dayFromIso(notified),
        hostId,
        hostName: rv[ri + 5]!,
      });
      citizenship ??= rv[ri + 6]!;
    }

    const expulsions: Expulsion[] = [];
    for (; ei < ev.length && ev[ei] === personKey; ei += e.width) {
      const expelled = ev[ei + 2]!;
      const banYears = ev[ei + 3]!;
      expulsions.push({
        decidedOn: dayFromIso(ev[ei + 1]!),
        expelledOn: expelled === null ? null : dayFromIso(expelled),
        banYears: banYears === null ? null : Number(banYears),
        reason: ev[ei + 4]!,
      });
      citizenship ??= ev[ei + 5]!;
    }

    citizenship ??= crossings[0]?.citizenship ?? '';
    visit({ personKey, citizenship, crossings, permits, registrations, expulsions });
  }
}

/**
 * Loads one person's timeline (for `person`), or undefined when nothing is known.
 * The caller should hold a read transaction, as for `iterateTimelines`.
 */
export function loadTimeline(db: Connection, personKey: string): PersonTimeline | undefined {
  for (const entry of iterateTimelines(db, { only: personKey })) return entry;
  return undefined;
}
