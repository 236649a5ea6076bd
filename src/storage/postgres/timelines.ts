/**
 * Persons' timelines from a PostgreSQL store, for the audit and for `person`: per chunk
 * of persons (a person-key range), one query per table ordered as SQLite's reader
 * orders (the primary key), filling the same flat records that timelines.ts merges
 * (`mergeChunk`), so both engines build identical timelines. Keys compare as bytes
 * (the store is in collation C), as SQLite's BINARY collation and `compareKeys` do.
 *
 * An audit reads inside one REPEATABLE READ snapshot; its worker threads import that
 * snapshot (`pg_export_snapshot` / `SET TRANSACTION SNAPSHOT`) on connections of their
 * own, so every thread sees the same data.
 */
import type { Day, PersonTimeline } from '../../core/types.js';
import type { TimelineSource, WorkerSourceSpec } from '../audit-source.js';
import { compareKeys, importDays, mergeChunk, recordColumns, RecordDecoder, SLICE_PERSONS, TIMELINE_TABLES, type KeyScope, type Records, type TableSpec } from '../timelines.js';
import { closePostgres, connectPostgres, pgFailure, type PgClient, type PostgresLocation } from './connection.js';

/** Persons per chunk: each chunk costs four round trips, whatever it holds. */
const CHUNK_PERSONS = 1024;

type Shape = 'only' | 'from' | 'to' | 'both' | 'all';

interface ChunkBounds {
  shape: Shape;
  params: string[];
}

function whereOf(shape: Shape): string {
  switch (shape) {
    case 'only':
      return 'WHERE person_key = $1';
    case 'from':
      return 'WHERE person_key >= $1';
    case 'to':
      return 'WHERE person_key < $1';
    case 'both':
      return 'WHERE person_key >= $1 AND person_key < $2';
    case 'all':
      return '';
  }
}

function bounds(from: string | null, end: string | null): ChunkBounds {
  if (from !== null && end !== null) return { shape: 'both', params: [from, end] };
  if (from !== null) return { shape: 'from', params: [from] };
  if (end !== null) return { shape: 'to', params: [end] };
  return { shape: 'all', params: [] };
}

/**
 * Reads one table's records of a chunk, in the reader's order: as SQLite's reader does,
 * the chunk's records joined into one text (U+001F between fields, U+001E between
 * records) that `RecordDecoder` splits, which costs far less than a row each; a chunk
 * whose text does not split (a separator inside a value) is read row by row.
 */
class PgTableReader {
  private readonly decoder: RecordDecoder;
  private readonly rows: string;
  /**
   * The table's part of a chunk's query, its record count and joined text, for a WHERE
   * clause (`whereOf`'s parameters). The records are joined in the order an ordered
   * subquery (the primary key's index scan) hands them over: `string_agg(… ORDER BY …)`
   * would sort every chunk again (crossings of 1 M persons: 2.7 s of server time against
   * 1.2 s). PostgreSQL does not promise that order to the aggregate, so the decoder
   * checks it, and a chunk that is not in key order is read row by row.
   */
  joined(where: string): string {
    return `SELECT count(*)::integer, string_agg(r, chr(30)) FROM (SELECT ${this.record} AS r FROM ${this.spec.table} ${where} ORDER BY ${this.order}) s`;
  }
  private readonly record: string;
  private readonly order: string;
  readonly width: number;

  constructor(private readonly client: PgClient, private readonly spec: TableSpec) {
    this.decoder = new RecordDecoder(spec);
    const { columns, order } = recordColumns(spec);
    const parts = this.decoder.joinedParts('postgres');
    this.record = `concat_ws(chr(31), ${parts.join(', ')})`;
    this.order = order.join(', ');
    this.rows = `SELECT ${columns.join(', ')} FROM ${spec.table} {where} ORDER BY ${order.join(', ')}`;
    this.width = columns.length;
  }

  /** The chunk's records from its count and joined text, read row by row when the text does not split. */
  async take(count: number, text: string | null, chunk: ChunkBounds, out: Records): Promise<void> {
    const values = out.values;
    out.width = this.width;
    if (count === 0) {
      values.length = 0;
      return;
    }
    if (text !== null && this.decoder.decode(text, count, values)) return;
    values.length = 0;
    const result = await this.client.query<unknown[]>({
      name: `stayaudit_rows_${this.spec.table}_${chunk.shape}`,
      text: this.rows.replace('{where}', whereOf(chunk.shape)),
      values: chunk.params,
      rowMode: 'array',
    });
    const decoder = this.decoder;
    for (const row of result.rows) {
      for (let f = 0; f < row.length; f++) values.push(decoder.rowValue(row[f], f));
    }
  }
}

/** A chunk's records of the four tables: crossings, permits, registrations, expulsions. */
type ChunkRecords = readonly [Records, Records, Records, Records];

function chunkRecords(): ChunkRecords {
  return [
    { values: [], width: 0 },
    { values: [], width: 0 },
    { values: [], width: 0 },
    { values: [], width: 0 },
  ];
}

/** The four tables' readers and the imports' days: everything a chunk's merge needs. */
class ChunkReader {
  private readonly readers: readonly PgTableReader[];
  private days: Map<string, Day | null> = new Map();

  constructor(private readonly client: PgClient) {
    const { crossings, permits, registrations, expulsions } = TIMELINE_TABLES;
    this.readers = [crossings, permits, registrations, expulsions].map((spec) => new PgTableReader(client, spec));
  }

  async loadDays(): Promise<void> {
    const imports = await this.client.query<[string, string]>({ text: 'SELECT id::text, started_at FROM imports', rowMode: 'array' });
    this.days = importDays(imports.rows);
  }

  /** Reads a chunk of the four tables into `into`: one query (one round trip) for all four. */
  async fetch(chunk: ChunkBounds, into: ChunkRecords): Promise<void> {
    const where = whereOf(chunk.shape);
    const result = await this.client.query<unknown[]>({
      name: `stayaudit_chunk_${chunk.shape}`,
      text: `SELECT * FROM ${this.readers.map((reader, i) => `(${reader.joined(where)}) t${i}`).join(', ')}`,
      values: chunk.params,
      rowMode: 'array',
    });
    const row = result.rows[0]!;
    for (const [i, reader] of this.readers.entries()) await reader.take(row[2 * i] as number, row[2 * i + 1] as string | null, chunk, into[i]!);
  }

  /** Hands the chunk's timelines to `visit`, synchronously. */
  merge(from: ChunkRecords, visit: (timeline: PersonTimeline) => void): void {
    mergeChunk(from[0], from[1], from[2], from[3], this.days, visit);
  }
}

/** The key `size` persons on from `from` (null: the start), as timelines.ts's nextCut finds it. */
async function nextCut(client: PgClient, from: string | null, size: number): Promise<string | undefined> {
  const result = await client.query<[string]>({
    name: 'stayaudit_next_cut',
    text: 'SELECT person_key FROM persons WHERE person_key > $1 ORDER BY person_key LIMIT 1 OFFSET $2',
    values: [from ?? '', from === null ? size : size - 1],
    rowMode: 'array',
  });
  return result.rows[0]?.[0];
}

/** The chunks of a scope, in key order: whole slices between given cuts, else cuts found as reading goes. */
async function* chunksOf(client: PgClient, scope: KeyScope): AsyncGenerator<ChunkBounds> {
  if (scope.only !== undefined) {
    yield { shape: 'only', params: [scope.only] };
    return;
  }
  const to = scope.to ?? null;
  let from = scope.from ?? null;
  if (scope.cuts !== undefined) {
    const cuts = scope.cuts;
    const slices = Math.max(1, Math.floor(CHUNK_PERSONS / SLICE_PERSONS));
    for (let i = 0; i <= cuts.length; ) {
      const last = Math.min(i + slices, cuts.length + 1) - 1; // slice j is [cuts[j - 1], cuts[j])
      yield bounds(from, cuts[last] ?? to);
      from = cuts[last] ?? to;
      i = last + 1;
    }
    return;
  }
  for (;;) {
    const cut = await nextCut(client, from, CHUNK_PERSONS);
    if (cut === undefined || (to !== null && compareKeys(cut, to) >= 0)) {
      yield bounds(from, to);
      return;
    }
    yield bounds(from, cut);
    from = cut;
  }
}

/**
 * Every person of `scope` in key order, a chunk read and then visited at a time. The
 * next chunk is asked for before this one is visited, so the server reads while the
 * audit judges. The caller holds the snapshot.
 */
export async function forEachPostgresTimeline(client: PgClient, scope: KeyScope, visit: (timeline: PersonTimeline) => void): Promise<void> {
  const reader = new ChunkReader(client);
  await reader.loadDays();
  const buffers = [chunkRecords(), chunkRecords()] as const;
  const chunks = chunksOf(client, scope);
  const first = await chunks.next();
  if (first.done === true) return;
  let turn = 0;
  let reading = reader.fetch(first.value, buffers[0]);
  for (;;) {
    await reading;
    const current = buffers[turn]!;
    const next = await chunks.next();
    if (next.done !== true) {
      turn ^= 1;
      reading = reader.fetch(next.value, buffers[turn]!);
      reading.catch(() => {}); // awaited on the next turn; not unhandled if `visit` throws first
    }
    try {
      reader.merge(current, visit);
    } catch (error) {
      // The connection is free again before the caller ends the transaction.
      await reading.catch(() => {});
      throw error;
    }
    if (next.done === true) return;
  }
}

/**
 * One person's timeline (for `person`), or undefined when nothing is known; equal to
 * SQLite's `loadTimeline` for the same data. The caller should hold a read transaction.
 */
export async function loadPostgresTimeline(client: PgClient, personKey: string): Promise<PersonTimeline | undefined> {
  const reader = new ChunkReader(client);
  await reader.loadDays();
  const records = chunkRecords();
  await reader.fetch({ shape: 'only', params: [personKey] }, records);
  let found: PersonTimeline | undefined;
  reader.merge(records, (timeline) => (found ??= timeline));
  return found;
}

/** The timeline source of an audit on PostgreSQL: one connection, one REPEATABLE READ snapshot. */
export class PostgresTimelineSource implements TimelineSource {
  constructor(
    private readonly client: PgClient,
    private readonly location: PostgresLocation,
    /** A worker's source is opened inside the coordinator's snapshot already. */
    private inSnapshot = false,
  ) {}

  get label(): string {
    return this.location.label;
  }

  forEach(scope: KeyScope, visit: (timeline: PersonTimeline) => void): Promise<void> {
    return forEachPostgresTimeline(this.client, scope, visit);
  }

  /** Every `size`-th key after the first (as timelines.ts's `chunkCuts`), in one query. */
  async cuts(size = SLICE_PERSONS): Promise<string[]> {
    const result = await this.client.query<[string]>({
      text: `SELECT person_key FROM (SELECT person_key, row_number() OVER (ORDER BY person_key) - 1 AS i FROM persons WHERE person_key > '') t
             WHERE i > 0 AND i % $1 = 0 ORDER BY person_key`,
      values: [size],
      rowMode: 'array',
    });
    return result.rows.map((row) => row[0]);
  }

  async holdsMoreThan(persons: number): Promise<boolean> {
    const result = await this.client.query('SELECT 1 FROM persons ORDER BY person_key LIMIT 1 OFFSET $1', [persons]);
    return result.rows.length > 0;
  }

  async readAsync<T>(fn: () => Promise<T>): Promise<T> {
    if (this.inSnapshot) return fn();
    await this.client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    this.inSnapshot = true;
    try {
      return await fn();
    } finally {
      this.inSnapshot = false;
      await this.client.query('COMMIT').catch(() => {});
    }
  }

  /** The snapshot exported for the workers (valid while `readAsync`'s transaction lasts). */
  async workerSpec(): Promise<WorkerSourceSpec> {
    const result = await this.client.query<[string]>({ text: 'SELECT pg_export_snapshot()', rowMode: 'array' });
    return { kind: 'postgres', location: this.location, snapshot: result.rows[0]![0] };
  }

  failure(error: unknown): Error {
    return pgFailure(error, this.location);
  }

  async close(): Promise<void> {
    if (this.inSnapshot) await this.client.query('COMMIT').catch(() => {});
    await closePostgres(this.client);
  }
}

/** A worker's source: its own connection reading the coordinator's exported snapshot. */
export async function openPostgresWorkerSource(location: PostgresLocation, snapshot: string): Promise<TimelineSource> {
  if (!/^[0-9A-Fa-f]+(-[0-9A-Fa-f]+)+$/.test(snapshot)) throw new Error(`not a PostgreSQL snapshot id: ${snapshot}`);
  const client = await connectPostgres(location);
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    await client.query(`SET TRANSACTION SNAPSHOT '${snapshot}'`);
  } catch (error) {
    await closePostgres(client);
    throw pgFailure(error, location);
  }
  return new PostgresTimelineSource(client, location, true);
}

/** A driver error met while auditing a PostgreSQL store. */
export const postgresAuditFailure = pgFailure;
