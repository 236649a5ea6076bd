/**
 * The audit run writer on PostgreSQL: the run's header, its findings (COPY into the
 * compact finding_rows, with the SQLite writer's word ids and detail dictionary), its
 * statistics cells (COPY) and the totals, all in one transaction on one connection:
 * readers see the run whole or not at all, and a failed audit leaves nothing.
 *
 * Run, word and detail ids are handed out here as SQLite hands out rowids (the largest
 * so far plus one), under an EXCLUSIVE lock on those three tables that keeps a second
 * audit (or a prune) waiting until this run is committed, while readers go on. The
 * identity sequences are moved past them at commit, for anything that inserts later.
 * A SHARE lock on the imported tables keeps imports out meanwhile, as SQLite's one
 * writer does; either lock not had within the busy timeout is a BusyError (exit 7).
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { from as copyFrom } from 'pg-copy-streams';
import { StorageError } from '../../errors.js';
import {
  compactFinding,
  DETAIL_MEMO_LIMIT,
  encodeDetail,
  textHash,
  type FindingRow,
  type RunHeader,
  type RunTotals,
  type RunWriter,
} from '../audit-store.js';
import type { RunAggregates } from '../stats-store.js';
import { pgFailure, type PgClient, type PostgresLocation } from './connection.js';

/** COPY text of findings gathered before it is sent, in characters. */
const FLUSH_CHARS = 1 << 20;

const FINDING_COLUMNS = 'run_id, id, person_key, citizenship, rule, regime, entry_day, exit_delta, first_delta, last_lawful_delta, days, status, entry_checkpoint, host_id, detail';

type Value = string | number | null;

/** One value in COPY's text format (PostgreSQL documentation, COPY, Text Format). */
function copyValue(value: Value, where: string): string {
  if (value === null) return '\\N';
  if (typeof value === 'number') return String(value);
  if (value.includes('\u0000')) throw new StorageError(`${where}: a value holds a NUL character, which PostgreSQL cannot store (${JSON.stringify(value.slice(0, 40))})`);
  return value.replace(/[\\\n\r\t]/g, (ch) => (ch === '\\' ? '\\\\' : ch === '\n' ? '\\n' : ch === '\r' ? '\\r' : '\\t'));
}

function copyLine(values: readonly Value[], where: string): string {
  let line = '';
  for (let i = 0; i < values.length; i++) line += (i === 0 ? '' : '\t') + copyValue(values[i]!, where);
  return line + '\n';
}

export class PostgresRunWriter implements RunWriter {
  private open = false;
  private runId = 0;
  private nextFindingId = 1;
  /** COPY text of the findings not sent yet. */
  private findings = '';
  private readonly words = new PgWordIds();
  private details: PgDetailIds | undefined;

  constructor(
    private readonly client: PgClient,
    private readonly location: PostgresLocation,
    /** How long to wait for another audit's (or prune's) lock, in milliseconds. */
    private readonly lockTimeoutMs = 60_000,
  ) {}

  private async guard<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      await this.rollback();
      throw pgFailure(error, this.location);
    }
  }

  begin(header: RunHeader): Promise<number> {
    return this.guard(async () => {
      const client = this.client;
      await client.query('BEGIN');
      this.open = true;
      await client.query(`SET LOCAL lock_timeout = ${Math.max(1, Math.round(this.lockTimeoutMs))}`);
      await client.query('LOCK TABLE runs, finding_words, finding_details IN EXCLUSIVE MODE');
      // As SQLite's write lock: no import commits while the run is made (one in progress
      // is waited for), so the imports before the run are exactly those the audit reads.
      await client.query('LOCK TABLE imports, persons, crossings, registrations, permits, expulsions IN SHARE MODE');
      const next = await client.query<{ id: number }>('SELECT (coalesce(max(id), 0) + 1)::float8 AS id FROM runs');
      this.runId = next.rows[0]!.id;
      await client.query(
        `INSERT INTO runs (id, as_of, ruleset_name, ruleset_checksum, ruleset_json, started_at, finished_at, persons, stays, findings, counts_json)
         VALUES ($1, $2, $3, $4, $5, $6, $6, 0, 0, 0, '{}')`,
        [this.runId, header.asOf, header.rulesetName, header.rulesetChecksum, header.rulesetJson, header.startedAt],
      );
      await this.words.load(client);
      this.details = new PgDetailIds(this.runId);
      await this.details.load(client);
      return this.runId;
    });
  }

  /** Findings in the order given, numbered on; sent with COPY in pieces of about FLUSH_CHARS. */
  addFindings(rows: readonly FindingRow[]): Promise<void> {
    return this.guard(async () => {
      const details = this.details!;
      await details.prepare(this.client, rows);
      const prefix = `${this.runId}\t`;
      let text = this.findings;
      for (const r of rows) text += prefix + copyLine(compactFinding(r, this.nextFindingId++, this.words, details), 'finding_rows');
      details.forget();
      this.findings = text;
      if (text.length >= FLUSH_CHARS) await this.flush();
    });
  }

  /** Sends what is gathered: new words, new detail texts, detail texts this run used again, findings. */
  private async flush(): Promise<void> {
    const client = this.client;
    await this.words.flush(client);
    await this.details!.flush(client);
    if (this.findings.length > 0) {
      const text = this.findings;
      this.findings = '';
      await copyText(client, `COPY finding_rows (${FINDING_COLUMNS}) FROM STDIN`, text);
    }
  }

  /** The run's statistics cells, with COPY (once per run). */
  addAggregates(aggregates: RunAggregates): Promise<void> {
    return this.guard(() => writePostgresStatsCells(this.client, this.runId, aggregates));
  }

  commit(totals: RunTotals): Promise<number> {
    return this.guard(async () => {
      await this.flush();
      await this.client.query('UPDATE runs SET finished_at = $1, persons = $2, stays = $3, findings = $4, counts_json = $5 WHERE id = $6', [
        new Date().toISOString(),
        totals.persons,
        totals.stays,
        totals.findings,
        JSON.stringify(totals.counts),
        this.runId,
      ]);
      for (const table of ['runs', 'finding_words', 'finding_details']) {
        await this.client.query(`SELECT setval(pg_get_serial_sequence($1, 'id'), coalesce((SELECT max(id) FROM ${table}), 0) + 1, false)`, [table]);
      }
      await this.client.query('COMMIT');
      this.open = false;
      return this.runId;
    });
  }

  async rollback(): Promise<void> {
    if (!this.open) return;
    this.open = false;
    await this.client.query('ROLLBACK').catch(() => {});
  }
}

/** Sends COPY text to a COPY … FROM STDIN statement. */
async function copyText(client: PgClient, statement: string, text: string): Promise<void> {
  await pipeline(Readable.from([text]), client.query(copyFrom(statement)));
}

/** `writeStatsCells`' PostgreSQL twin: the run's statistics cells; the caller holds the run's transaction. */
export async function writePostgresStatsCells(client: PgClient, runId: number, aggregates: RunAggregates): Promise<void> {
  let text = '';
  for (const d of aggregates.departures) {
    text += copyLine([runId, d.citizenship, d.checkpoint, d.authorisedUntil, d.expected, d.overstaysDeparted, d.overstaysInCountry], 'run_departures');
  }
  await copyText(client, 'COPY run_departures (run_id, citizenship, checkpoint, authorised_until, expected, overstays_departed, overstays_in_country) FROM STDIN', text);
  text = '';
  for (const d of aggregates.crossingDays) text += copyLine([runId, d.citizenship, d.checkpoint, d.day, d.entries, d.exits, d.matchedExits], 'run_crossing_days');
  await copyText(client, 'COPY run_crossing_days (run_id, citizenship, checkpoint, day, entries, exits, matched_exits) FROM STDIN', text);
  text = '';
  for (const p of aggregates.personsEntered) text += copyLine([runId, p.period, p.grouping, p.key, p.persons], 'run_persons_entered');
  await copyText(client, 'COPY run_persons_entered (run_id, period, grouping, key, persons) FROM STDIN', text);
}

/** Word ids as the SQLite writer's WordIds hands them out; new words are inserted at the next flush. */
class PgWordIds {
  private readonly ids = new Map<string, number>();
  private last = 0;
  private pending: [number, string][] = [];

  async load(client: PgClient): Promise<void> {
    const rows = await client.query<[number, string]>({ text: 'SELECT id::float8, word FROM finding_words', rowMode: 'array' });
    for (const [id, word] of rows.rows) {
      this.ids.set(word, id);
      if (id > this.last) this.last = id;
    }
  }

  id(word: string): number {
    let id = this.ids.get(word);
    if (id === undefined) {
      id = ++this.last;
      this.ids.set(word, id);
      this.pending.push([id, word]);
    }
    return id;
  }

  idOrNull(word: string | null): number | null {
    return word === null ? null : this.id(word);
  }

  async flush(client: PgClient): Promise<void> {
    if (this.pending.length === 0) return;
    const pending = this.pending;
    this.pending = [];
    await client.query('INSERT INTO finding_words (id, word) SELECT * FROM unnest($1::bigint[], $2::text[])', [pending.map(([id]) => id), pending.map(([, word]) => word)]);
  }
}

/**
 * Detail ids with the SQLite writer's DetailIds semantics (one stored text per distinct
 * text, found again by its hash, marked as used by this run): the stored texts a batch
 * may match are read in one query before the batch (`prepare`), so handing out ids
 * needs no round trip; new texts and the marks go out at the next flush.
 */
class PgDetailIds {
  private readonly memo = new Map<string, number>();
  private readonly stored = new Map<number, number | number[]>();
  /** Stored texts read for the batch at hand (id → encoded text and last run), and those not sent yet. */
  private readonly texts = new Map<number, { detail: string; lastRun: number }>();
  private pending: [number, number, string][] = [];
  private touched: number[] = [];
  private last = 0;

  constructor(private readonly runId: number) {}

  async load(client: PgClient): Promise<void> {
    const rows = await client.query<[number, number]>({ text: 'SELECT hash::float8, id::float8 FROM finding_details WHERE hash <> 0', rowMode: 'array' });
    for (const [hash, id] of rows.rows) this.remember(hash, id);
    const max = await client.query<[number]>({ text: 'SELECT coalesce(max(id), 0)::float8 FROM finding_details', rowMode: 'array' });
    this.last = max.rows[0]![0];
  }

  private remember(hash: number, id: number): void {
    const ids = this.stored.get(hash);
    this.stored.set(hash, ids === undefined ? id : Array.isArray(ids) ? [...ids, id] : [ids, id]);
  }

  /** Reads the stored texts that the batch's details could be, by hash, that are not known yet. */
  async prepare(client: PgClient, rows: readonly FindingRow[]): Promise<void> {
    const wanted = new Set<number>();
    for (const r of rows) {
      const detail = r[12];
      if (this.memo.has(detail)) continue;
      const candidates = this.stored.get(textHash(detail));
      if (candidates === undefined) continue;
      for (const id of Array.isArray(candidates) ? candidates : [candidates]) if (!this.texts.has(id)) wanted.add(id);
    }
    if (wanted.size === 0) return;
    const found = await client.query<[number, string, number]>({
      text: 'SELECT id::float8, detail, last_run::float8 FROM finding_details WHERE id = ANY($1::bigint[])',
      values: [[...wanted]],
      rowMode: 'array',
    });
    for (const [id, detail, lastRun] of found.rows) this.texts.set(id, { detail, lastRun });
  }

  id(detail: string): number {
    const known = this.memo.get(detail);
    if (known !== undefined) return known;
    const hash = textHash(detail);
    const encoded = encodeDetail(detail);
    let id: number | undefined;
    const candidates = this.stored.get(hash);
    if (candidates !== undefined) {
      for (const candidate of Array.isArray(candidates) ? candidates : [candidates]) {
        const row = this.texts.get(candidate)!;
        if (row.detail !== encoded) continue;
        id = candidate;
        if (row.lastRun < this.runId) {
          row.lastRun = this.runId;
          this.touched.push(id);
        }
        break;
      }
    }
    if (id === undefined) {
      id = ++this.last;
      this.pending.push([id, hash, encoded]);
      this.texts.set(id, { detail: encoded, lastRun: this.runId });
      this.remember(hash, id);
    }
    if (this.memo.size < DETAIL_MEMO_LIMIT) this.memo.set(detail, id);
    return id;
  }

  /** Lets go of the stored texts read for a batch (the memo keeps what they gave); the unsent ones stay. */
  forget(): void {
    this.texts.clear();
    for (const [id, , detail] of this.pending) this.texts.set(id, { detail, lastRun: this.runId });
  }

  async flush(client: PgClient): Promise<void> {
    if (this.pending.length > 0) {
      let text = '';
      for (const [id, hash, detail] of this.pending) {
        text += copyLine([id, hash, this.runId, this.runId, detail], 'finding_details');
        this.texts.delete(id); // sent: read back from the store when needed again (`prepare`)
      }
      this.pending = [];
      await copyText(client, 'COPY finding_details (id, hash, first_run, last_run, detail) FROM STDIN', text);
    }
    if (this.touched.length > 0) {
      const touched = this.touched;
      this.touched = [];
      await client.query('UPDATE finding_details SET last_run = $1 WHERE id = ANY($2::bigint[])', [this.runId, touched]);
    }
  }
}
