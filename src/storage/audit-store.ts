import fs from 'node:fs';
import type Database from 'better-sqlite3';

type Statement = Database.Statement<unknown[]>;
import type { Finding } from '../core/types.js';
import { BatchedInsert } from './database.js';
import { writeStatsCells, type RunAggregates } from './stats-store.js';
import { FINDING_DETAIL_KEYS } from './schema.js';
import { WriteTransaction } from './write-transaction.js';

export interface RunHeader {
  asOf: string;
  rulesetName: string;
  rulesetChecksum: string;
  rulesetJson: string;
  startedAt: string;
}

/**
 * A finding as the writer takes it, from person_key to detail (run_id and id are the
 * writer's): made where the finding is (a worker thread, say), so the single writer
 * only binds it. Days are day numbers (days since 1970-01-01), as finding_rows keeps
 * them; the findings view shows them as ISO dates.
 */
export type FindingRow = [
  personKey: string,
  citizenship: string,
  rule: string,
  regime: string | null,
  entryDay: number | null,
  exitDay: number | null,
  firstDay: number | null,
  lastLawfulDay: number | null,
  days: number,
  status: string | null,
  entryCheckpoint: string | null,
  hostId: string | null,
  detail: string,
];

export function findingRow(f: Finding, hostId: string | null): FindingRow {
  return [
    f.personKey,
    f.citizenship,
    f.rule,
    f.regime,
    f.entryDay,
    f.exitDay,
    f.firstDay,
    f.lastLawfulDay,
    f.days,
    f.status,
    f.entryCheckpoint,
    hostId,
    JSON.stringify(f.detail),
  ];
}

export type { CrossingDayCell, DepartureCell, PersonsEnteredCell, RunAggregates } from './stats-store.js';

/** Values bound per finding row (run_id is written into the statement). */
const FINDING_COLUMNS = 14;

/** What a run ends with: its totals, stored in its header. */
export interface RunTotals {
  persons: number;
  stays: number;
  findings: number;
  counts: Record<string, number>;
}

/**
 * Writes one audit run in one transaction: nothing of the run is visible until
 * `commit`, and an interrupted audit leaves no trace. SQLite's writer works at once
 * (plain values); PostgreSQL's waits (promises); callers await either.
 */
export interface RunWriter {
  /** Opens the transaction and stores the run's header; the run's number. */
  begin(header: RunHeader): Awaitable<number>;
  /** Stores findings in the order given, numbering them on. */
  addFindings(rows: readonly FindingRow[]): Awaitable<void>;
  /** Stores the run's statistics cells (once per run). */
  addAggregates(aggregates: RunAggregates): Awaitable<void>;
  /** Stores the totals and commits; the run's number. */
  commit(totals: RunTotals): Awaitable<number>;
  /** Drops everything of the run (nothing happens after a commit). */
  rollback(): Awaitable<void>;
}

type Awaitable<T> = T | Promise<T>;

/**
 * The SQLite run writer: one write transaction on its own connection.
 */
export class SqliteRunWriter extends WriteTransaction implements RunWriter {
  private runId = 0;
  private nextFindingId = 1;
  private findingRows: BatchedInsert | undefined;
  private words: WordIds | undefined;
  private details: DetailIds | undefined;

  begin(header: RunHeader): number {
    return this.guard(() => {
      this.beginImmediate();
      const info = this.db
        .prepare(`INSERT INTO runs (as_of, ruleset_name, ruleset_checksum, ruleset_json, started_at, finished_at, persons, stays, findings, counts_json)
                  VALUES (?, ?, ?, ?, ?, ?, 0, 0, 0, '{}')`)
        .run(header.asOf, header.rulesetName, header.rulesetChecksum, header.rulesetJson, header.startedAt, header.startedAt);
      this.runId = Number(info.lastInsertRowid);
      this.findingRows = new BatchedInsert(
        this.db,
        `INSERT INTO finding_rows (run_id, id, person_key, citizenship, rule, regime, entry_day, exit_delta,
          first_delta, last_lawful_delta, days, status, entry_checkpoint, host_id, detail)`,
        `(${this.runId}${', ?'.repeat(FINDING_COLUMNS)})`,
      );
      this.words = new WordIds(this.db);
      this.details = new DetailIds(this.db, this.runId);
      return this.runId;
    });
  }

  /**
   * Stores findings in the order given, numbering them on. Three days are stored as
   * differences (schema 7): first_day from entry_day, last_lawful_day from first_day - 1,
   * exit_day from first_day + days - 1, a missing base counting as 0.
   */
  addFindings(rows: readonly FindingRow[]): void {
    const words = this.words!;
    const details = this.details!;
    const findingRows = this.findingRows!;
    this.guard(() => {
      for (const r of rows) findingRows.add(compactFinding(r, this.nextFindingId++, words, details));
      findingRows.flush();
    });
  }

  /** Stores the run's statistics cells (once per run). */
  addAggregates(aggregates: RunAggregates): void {
    this.guard(() => writeStatsCells(this.db, this.runId, aggregates));
  }

  commit(totals: RunTotals): number {
    return this.guard(() => {
      this.db
        .prepare(`UPDATE runs SET finished_at = ?, persons = ?, stays = ?, findings = ?, counts_json = ? WHERE id = ?`)
        .run(new Date().toISOString(), totals.persons, totals.stays, totals.findings, JSON.stringify(totals.counts), this.runId);
      this.commitNow();
      return this.runId;
    });
  }
}

/** Ids of words and detail texts, as a run writer hands them out. */
export interface FindingIds {
  words: { id(word: string): number; idOrNull(word: string | null): number | null };
  details: { id(detail: string): number };
}

/**
 * A finding row as finding_rows stores it after run_id (schema 7): id, person_key, word
 * ids, entry_day, three days as differences (first_day from entry_day, last_lawful_day
 * from first_day - 1, exit_day from first_day + days - 1, a missing base counting as 0),
 * days, word ids, host_id, detail id. Both engines' writers store exactly this.
 */
export function compactFinding(r: FindingRow, id: number, words: FindingIds['words'], details: FindingIds['details']): (string | number | null)[] {
  const entry = r[4];
  const first = r[6];
  const firstBase = first ?? 0;
  return [
    id,
    r[0],
    words.id(r[1]),
    words.id(r[2]),
    words.idOrNull(r[3]),
    entry,
    r[5] === null ? null : r[5] - firstBase - r[8] + 1,
    first === null ? null : first - (entry ?? 0),
    r[7] === null ? null : r[7] - firstBase + 1,
    r[8],
    words.idOrNull(r[9]),
    words.idOrNull(r[10]),
    r[11],
    details.id(r[12]),
  ];
}

/**
 * Ids of the short words of findings (rule, regime, status, checkpoint): a few hundred
 * in all, read once per run and added as new ones come.
 */
class WordIds {
  private readonly ids = new Map<string, number>();
  private readonly insert: Statement;

  constructor(db: Database.Database) {
    for (const w of db.prepare('SELECT id, word FROM finding_words').iterate() as IterableIterator<{ id: number; word: string }>) this.ids.set(w.word, w.id);
    this.insert = db.prepare('INSERT INTO finding_words (word) VALUES (?)');
  }

  id(word: string): number {
    let id = this.ids.get(word);
    if (id === undefined) {
      id = Number(this.insert.run(word).lastInsertRowid);
      this.ids.set(word, id);
    }
    return id;
  }

  idOrNull(word: string | null): number | null {
    return word === null ? null : this.id(word);
  }
}

/** Buckets of DetailIds' stored texts: 2^30, so that a bucket is a small integer (a V8 Smi). */
const DETAIL_BUCKETS = 2 ** 30;
/** Stored texts' hashes read a page at a time (about 1.4 MB of text a page). */
const DETAIL_PAGE = 65_536;

/** Distinct texts remembered per run; past this many, further ones are compared with the stored text. */
export const DETAIL_MEMO_LIMIT = 250_000;

/**
 * Ids of detail texts. Findings of one rule often share a text (an unregistered stay's
 * is its deadline and the working days), and a finding that stays the same from night
 * to night keeps its text: each distinct text is stored once (in the form of
 * `encodeDetail`), found again by its hash, and marked as used by this run (last_run) so
 * that pruning knows which texts a kept run may still need. The hashes of the stored
 * texts (those of the kept runs) are read once per run, so a new text costs one insert.
 */
class DetailIds {
  private readonly memo = new Map<string, number>();
  /**
   * The stored texts' ids by the low 30 bits of their text's hash (not of the stored
   * form): a small integer, which a Map finds faster than a 53-bit one. Texts sharing a
   * bucket are told apart by their text, as texts sharing a hash are.
   */
  private readonly stored = new Map<number, number | number[]>();
  private readonly text: Statement;
  private readonly touch: Statement;
  private readonly insert: Statement;

  constructor(db: Database.Database, private readonly runId: number) {
    // The stored hashes and ids as one text a page of DETAIL_PAGE texts: a call into
    // SQLite a page rather than one a row, and small Map keys. This runs on the audit's
    // main thread before its first finding (figures: README, "A year of nightly runs").
    const page = db.prepare(
      `SELECT group_concat(hash || ' ' || id, ' ') AS pairs, max(id) AS last
       FROM (SELECT hash, id FROM finding_details WHERE id > ? AND hash <> 0 ORDER BY id LIMIT ${DETAIL_PAGE})`,
    );
    for (let after = 0; ; ) {
      const { pairs, last } = page.get(after) as { pairs: string | null; last: number | null };
      if (pairs === null || last === null) break;
      const parts = pairs.split(' ');
      // Hashes are below 2^53: exact as numbers.
      for (let i = 0; i < parts.length; i += 2) this.remember(Number(parts[i]), Number(parts[i + 1]));
      after = last;
    }
    this.text = db.prepare('SELECT detail, last_run FROM finding_details WHERE id = ?');
    this.touch = db.prepare('UPDATE finding_details SET last_run = ? WHERE id = ?');
    this.insert = db.prepare('INSERT INTO finding_details (hash, first_run, last_run, detail) VALUES (?, ?, ?, ?)');
  }

  private remember(hash: number, id: number): void {
    const bucket = hash % DETAIL_BUCKETS;
    const ids = this.stored.get(bucket);
    this.stored.set(bucket, ids === undefined ? id : Array.isArray(ids) ? [...ids, id] : [ids, id]);
  }

  id(detail: string): number {
    const known = this.memo.get(detail);
    if (known !== undefined) return known;
    const hash = textHash(detail);
    const encoded = encodeDetail(detail);
    let id: number | undefined;
    const candidates = this.stored.get(hash % DETAIL_BUCKETS);
    if (candidates !== undefined) {
      for (const candidate of Array.isArray(candidates) ? candidates : [candidates]) {
        const row = this.text.get(candidate) as { detail: string; last_run: number };
        if (row.detail !== encoded) continue;
        id = candidate;
        if (row.last_run < this.runId) this.touch.run(this.runId, id);
        break;
      }
    }
    if (id === undefined) {
      id = Number(this.insert.run(hash, this.runId, this.runId, encoded).lastInsertRowid);
      this.remember(hash, id);
    }
    if (this.memo.size < DETAIL_MEMO_LIMIT) this.memo.set(detail, id);
    return id;
  }
}

const DETAIL_KEY_PATTERN = new RegExp(FINDING_DETAIL_KEYS.map((k) => k.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'g');
const DETAIL_KEY_CODES = new Map(FINDING_DETAIL_KEYS.map((k, i) => [k, String.fromCharCode(i + 1)]));

/**
 * A detail text as finding_details stores it: each key of FINDING_DETAIL_KEYS as one
 * control character (the findings view turns them back). A JSON text never holds a raw
 * control character; one that did could not be told apart from a key, so it is refused.
 */
export function encodeDetail(detail: string): string {
  if (/[\u0000-\u001f]/.test(detail)) throw new Error(`finding detail holds a control character: ${JSON.stringify(detail)}`);
  return detail.replace(DETAIL_KEY_PATTERN, (key) => DETAIL_KEY_CODES.get(key)!);
}

/** A 53-bit hash of a text (cyrb53), never 0 (0 marks texts moved from an older schema). */
export function textHash(text: string): number {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0) || 1;
}

/** Which runs to delete: every criterion given must hold for a run to go. */
export interface PruneCriteria {
  /** Keep this many of the newest runs (by number). */
  keep?: number;
  /** Runs whose as-of date is before this day (YYYY-MM-DD). */
  before?: string;
  /** Only say what would go. */
  dryRun?: boolean;
}

export interface PrunedRun {
  id: number;
  asOf: string;
  findings: number;
}

export interface PruneOutcome {
  pruned: PrunedRun[];
  kept: number;
  /** Database file plus write-ahead log, before and after (bytes). */
  bytesBefore: number;
  bytesAfter: number;
  /** Whether freed pages go back to the file system (incremental auto-vacuum); else later runs reuse them. */
  givesSpaceBack: boolean;
}

/**
 * Deletes old runs with everything stored for them (findings, statistics cells, detail
 * texts no kept run can use) in one write transaction, then gives the freed pages back
 * to the file system: at once on a database in incremental auto-vacuum mode (every
 * database created since schema 3), with `vacuum` by rewriting an older one. Imported
 * data is never touched.
 */
export class RunPruner extends WriteTransaction {
  prune(criteria: PruneCriteria): PruneOutcome {
    const bytesBefore = this.fileBytes();
    const pruned = this.guard(() => {
      this.beginImmediate();
      const doomed = this.select(criteria);
      if (criteria.dryRun || doomed.length === 0) {
        this.rollback();
        return doomed;
      }
      const rows = this.db.prepare('DELETE FROM finding_rows WHERE run_id = ?');
      const run = this.db.prepare('DELETE FROM runs WHERE id = ?');
      // The statistics cells go with their run (ON DELETE CASCADE; foreign keys are on).
      for (const r of doomed) {
        rows.run(r.id);
        run.run(r.id);
      }
      this.db.exec(`DELETE FROM finding_details WHERE NOT EXISTS (SELECT 1 FROM runs r WHERE r.id BETWEEN first_run AND last_run)`);
      this.commitNow();
      return doomed;
    });
    const kept = (this.db.prepare('SELECT count(*) AS n FROM runs').get() as { n: number }).n;
    const givesSpaceBack = (this.db.pragma('auto_vacuum', { simple: true }) as number) === 2;
    if (pruned.length > 0 && !criteria.dryRun) this.giveSpaceBack(givesSpaceBack);
    return { pruned, kept, bytesBefore, bytesAfter: this.fileBytes(), givesSpaceBack };
  }

  /**
   * Rewrites the whole database in incremental auto-vacuum mode (needs about its size
   * in free disk and waits for every other user); afterwards prunes give space back.
   */
  vacuum(): void {
    this.guard(() => {
      this.db.pragma('auto_vacuum = INCREMENTAL');
      this.db.exec('VACUUM');
      this.db.pragma('wal_checkpoint(TRUNCATE)');
    });
  }

  private select(criteria: PruneCriteria): PrunedRun[] {
    const where: string[] = [];
    const params: (string | number)[] = [];
    if (criteria.keep !== undefined) {
      where.push('id NOT IN (SELECT id FROM runs ORDER BY id DESC LIMIT ?)');
      params.push(criteria.keep);
    }
    if (criteria.before !== undefined) {
      where.push('as_of < ?');
      params.push(criteria.before);
    }
    if (where.length === 0) return [];
    return this.db
      .prepare(`SELECT id, as_of AS asOf, findings FROM runs WHERE ${where.join(' AND ')} ORDER BY id`)
      .all(...params) as PrunedRun[];
  }

  /** The database file and its write-ahead log, in bytes. */
  fileBytes(): number {
    const size = (name: string): number => {
      try {
        return fs.statSync(name).size;
      } catch {
        return 0;
      }
    };
    return size(this.file) + size(`${this.file}-wal`);
  }

  private giveSpaceBack(incremental: boolean): void {
    this.guard(() => {
      if (incremental) this.db.pragma('incremental_vacuum');
      // Best effort: a reader still on an old snapshot keeps the log until it is done.
      this.db.pragma('wal_checkpoint(TRUNCATE)');
    });
  }
}
