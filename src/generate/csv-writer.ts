/**
 * Turns planned persons into CSV rows in the four files.
 *
 * Speed matters here (8.4 million crossing rows for a national year), so rows are
 * not built as JavaScript strings: every field is copied as bytes into a fixed
 * buffer per file, which is written with `fs.writeSync` when nearly full. Texts from
 * the small pools (names, words, addresses) are encoded once and cached (dialect.ts),
 * dates and times come from byte tables, and the part of a crossing row that is the
 * same for all of a person's crossings is written once and copied. Memory stays flat
 * and the garbage collector has almost nothing to do.
 *
 * Malformed rows are extra copies of good rows with one realistic defect (an
 * impossible date, an unknown direction or citizenship, a missing document number):
 * the good data stays complete, so the expected verdicts do not depend on them.
 */
import fs from 'node:fs';
import path from 'node:path';
import { yearOf } from './calendar.js';
import { DATASETS, DATE_BYTES, TIME_BYTES, type Dialect, type GeneratedDataset } from './dialect.js';
import type { Host } from './hosts.js';
import type { PermitPlan, PersonPlan } from './plan.js';
import { CHECKPOINTS, EXPULSION_REASONS, TRP_GROUNDS, VISA_GROUNDS } from './population.js';
import { mix32, Random } from './random.js';

/** Buffer per file. */
const CHUNK_BYTES = 4 * 1024 * 1024;
/** Upper bound of one row's bytes (the longest names and addresses are well under it). */
const MAX_ROW_BYTES = 1024;

export interface WrittenFile {
  dataset: GeneratedDataset;
  path: string;
  /** Data rows (header excluded), malformed ones included. */
  rows: number;
  /** Of which malformed. */
  malformed: number;
  bytes: number;
}

/**
 * One output file. Callers `reserve` room for what they are about to write (at most
 * the buffer's size), then append bytes; a reserved region is never split by a flush,
 * so a row written earlier in it can be copied again with `repeat`. A full buffer is
 * written with `fs.writeSync` (measured: asynchronous writes overlapping generation
 * gained nothing on two cores and cost memory).
 */
class ByteSink {
  private readonly buffer = Buffer.allocUnsafe(CHUNK_BYTES);
  pos = 0;
  private readonly fd: number;
  rows = 0;
  malformed = 0;
  bytes = 0;

  constructor(readonly dataset: GeneratedDataset, readonly path: string) {
    this.fd = fs.openSync(path, 'w');
  }

  reserve(n: number): void {
    if (n > CHUNK_BYTES) throw new RangeError(`cannot reserve ${n} bytes`);
    if (this.pos + n > CHUNK_BYTES) this.flush();
  }

  byte(b: number): void {
    this.buffer[this.pos++] = b;
  }

  bytesOf(src: Uint8Array): void {
    const buffer = this.buffer;
    let p = this.pos;
    for (let i = 0; i < src.length; i++) buffer[p++] = src[i]!;
    this.pos = p;
  }

  /** `length` bytes of `table` from `offset` (date and time tables). */
  slice(table: Uint8Array, offset: number, length: number): void {
    const buffer = this.buffer;
    let p = this.pos;
    for (let i = 0; i < length; i++) buffer[p++] = table[offset + i]!;
    this.pos = p;
  }

  /** An ASCII string (digits, document numbers, codes). */
  ascii(s: string): void {
    const buffer = this.buffer;
    let p = this.pos;
    for (let i = 0; i < s.length; i++) buffer[p++] = s.charCodeAt(i);
    this.pos = p;
  }

  /** Copies bytes [from, to) written earlier in the reserved region. */
  repeat(from: number, to: number): void {
    const buffer = this.buffer;
    let p = this.pos;
    for (let i = from; i < to; i++) buffer[p++] = buffer[i]!;
    this.pos = p;
  }

  flush(): void {
    let offset = 0;
    while (offset < this.pos) offset += fs.writeSync(this.fd, this.buffer, offset, this.pos - offset);
    this.bytes += this.pos;
    this.pos = 0;
  }

  close(): void {
    try {
      this.flush();
    } finally {
      fs.closeSync(this.fd);
    }
  }
}

/** Defects, by dataset; each malformed row gets one. */
export type Defect = 'bad-date' | 'bad-direction' | 'bad-citizenship' | 'no-document';
const DEFECTS: Readonly<Record<GeneratedDataset, readonly Defect[]>> = {
  crossings: ['bad-date', 'bad-direction', 'bad-citizenship', 'no-document'],
  registrations: ['bad-date', 'bad-citizenship', 'no-document'],
  permits: ['bad-date', 'bad-citizenship', 'no-document'],
  expulsions: ['bad-date', 'bad-citizenship', 'no-document'],
};

/** Chooses which rows get a malformed copy. */
export interface DefectPicker {
  /** The defect for a malformed copy of the person's `row`-th row in `dataset`, or null. */
  next(dataset: GeneratedDataset, row: number): Defect | null;
}

/** A share of rows, at random from the person's own stream. */
class RandomDefects implements DefectPicker {
  share = 0;
  constructor(private readonly r: Random) {}
  next(dataset: GeneratedDataset): Defect | null {
    if (this.share <= 0 || this.r.next() >= this.share) return null;
    return this.r.pick(DEFECTS[dataset]);
  }
}

/** An explicit list (the demo): `[dataset, row of the person in that dataset, defect]`. */
export class ListedDefects implements DefectPicker {
  constructor(private readonly list: readonly (readonly [GeneratedDataset, number, Defect])[]) {}
  next(dataset: GeneratedDataset, row: number): Defect | null {
    for (const [d, r, defect] of this.list) if (d === dataset && r === row) return defect;
    return null;
  }
}

const SIDEWAYS = Buffer.from('SIDEWAYS', 'latin1');
const UNKNOWN_CITIZENSHIP = Buffer.from('ZZZ', 'latin1');

export class CsvWriter {
  private readonly sinks: Record<GeneratedDataset, ByteSink>;
  private readonly format = new Random(0);
  private readonly defects = new Random(0);
  private readonly randomDefects = new RandomDefects(this.defects);
  private readonly delimiter: number;
  private readonly eol: Uint8Array;
  private readonly checkpoints: Uint8Array[];
  private readonly trpGrounds: Uint8Array[];
  private readonly visaGrounds: Uint8Array[];
  private readonly reasons: Uint8Array[];
  private readonly codes = new Map<string, Uint8Array>();

  constructor(
    outDir: string,
    private readonly dialect: Dialect,
    private readonly hosts: readonly Host[],
    private readonly seed: number,
    malformedShare: number,
  ) {
    this.randomDefects.share = malformedShare;
    this.delimiter = dialect.delimiter.charCodeAt(0);
    this.eol = Buffer.from(dialect.eol, 'latin1');
    const language = dialect.russian ? 1 : 0;
    this.checkpoints = CHECKPOINTS.map((c) => dialect.bytes(c));
    this.trpGrounds = TRP_GROUNDS.map((g) => dialect.bytes(g[language]));
    this.visaGrounds = VISA_GROUNDS.map((g) => dialect.bytes(g[language]));
    this.reasons = EXPULSION_REASONS.map((g) => dialect.bytes(g[language]));
    fs.mkdirSync(outDir, { recursive: true });
    const opened: Partial<Record<GeneratedDataset, ByteSink>> = {};
    try {
      for (const dataset of DATASETS) {
        const sink = new ByteSink(dataset, path.join(outDir, `${dataset}.csv`));
        opened[dataset] = sink;
        const header = dialect.header(dataset);
        sink.reserve(header.length);
        sink.bytesOf(header);
      }
    } catch (error) {
      for (const sink of Object.values(opened)) sink.close();
      throw error;
    }
    this.sinks = opened as Record<GeneratedDataset, ByteSink>;
  }

  /** Writes one person's rows; `index` seeds its formatting and defect streams. */
  writePerson(p: PersonPlan, index: number, defects?: DefectPicker): void {
    const f = this.format;
    f.reset(mix32(this.seed ^ 0x2545f491, index));
    this.defects.reset(mix32(this.seed ^ 0x68e31da4, index));
    const pick = defects ?? this.randomDefects;
    this.writeCrossings(p, f, pick);
    if (p.registrations.length > 0) this.writeRegistrations(p, f, pick);
    if (p.permits.length > 0) this.writePermits(p, f, pick);
    if (p.expulsions.length > 0) this.writeExpulsions(p, f, pick);
  }

  /** Writes what is left and closes every file (all of them, even when one fails). */
  close(): WrittenFile[] {
    const files: WrittenFile[] = [];
    let failure: unknown = null;
    for (const dataset of DATASETS) {
      const sink = this.sinks[dataset];
      try {
        sink.close();
      } catch (error) {
        failure ??= error;
      }
      files.push({ dataset, path: sink.path, rows: sink.rows, malformed: sink.malformed, bytes: sink.bytes });
    }
    if (failure !== null) throw failure;
    return files;
  }

  // ------------------------------------------------------------ fields

  /** The document number as this file spells it: mostly as issued, some with spaces, dashes, lower case. */
  private documentText(p: PersonPlan, f: Random): string {
    const doc = p.documentNo;
    const n = p.documentPrefixLength;
    const v = f.next();
    if (v < 0.92) return doc;
    if (v < 0.95) return `${doc.slice(0, n)} ${doc.slice(n)}`;
    if (v < 0.97) return `${doc.slice(0, n)} ${doc.slice(n, n + 3)}-${doc.slice(n + 3)}`;
    if (v < 0.99) return `${doc.slice(0, n)}-${doc.slice(n)}`;
    return doc.toLowerCase();
  }

  /** Alpha-3, or in the Russian variant often the country's Russian name. */
  private citizenshipBytes(p: PersonPlan, f: Random): Uint8Array {
    const names = p.nationality.russianNames;
    const v = f.next();
    if (this.dialect.russian && names !== undefined && v < 0.7) {
      return this.dialect.bytes(names[Math.floor((v / 0.7) * names.length)] ?? p.nationality.code);
    }
    let code = this.codes.get(p.nationality.code);
    if (code === undefined) {
      code = this.dialect.bytes(p.nationality.code);
      this.codes.set(p.nationality.code, code);
    }
    return code;
  }

  private date(sink: ByteSink, day: number | null): void {
    if (day === null) return;
    if (day < this.dialect.firstDay || day > this.dialect.lastDay) {
      throw new RangeError(`day ${day} outside the generator's calendar`);
    }
    sink.slice(this.dialect.dates, (day - this.dialect.firstDay) * DATE_BYTES, DATE_BYTES);
  }

  /** A required date, or an impossible one in a malformed row. */
  private dateOrDefect(sink: ByteSink, day: number, bad: boolean, withTime: boolean): void {
    if (bad) sink.ascii(this.dialect.impossibleDate(yearOf(day), withTime, this.defects.chance(0.5)));
    else this.date(sink, day);
  }

  /** person_id, document_no, citizenship — with a defect when asked. */
  private identity(sink: ByteSink, p: PersonPlan, doc: string, cit: Uint8Array, defect: Defect | null): void {
    const d = this.delimiter;
    sink.ascii(p.personId);
    sink.byte(d);
    if (defect !== 'no-document') sink.ascii(doc);
    sink.byte(d);
    sink.bytesOf(defect === 'bad-citizenship' ? UNKNOWN_CITIZENSHIP : cit);
  }

  /** surname, given_names, birth_date, sex of a crossing row, between delimiters. */
  private personDetails(sink: ByteSink, p: PersonPlan, surname: Uint8Array, given: Uint8Array, sex: Uint8Array): void {
    const d = this.delimiter;
    sink.byte(d);
    sink.bytesOf(surname);
    sink.byte(d);
    sink.bytesOf(given);
    sink.byte(d);
    this.date(sink, p.birth);
    sink.byte(d);
    sink.bytesOf(sex);
    sink.byte(d);
  }

  private endRow(sink: ByteSink, malformed: boolean): void {
    sink.bytesOf(this.eol);
    sink.rows++;
    if (malformed) sink.malformed++;
  }

  // ------------------------------------------------------------ datasets

  private writeCrossings(p: PersonPlan, f: Random, pick: DefectPicker): void {
    const sink = this.sinks.crossings;
    const d = this.delimiter;
    const dialect = this.dialect;
    const words = dialect.words;
    const doc = this.documentText(p, f);
    const cit = this.citizenshipBytes(p, f);
    const surname = dialect.bytes(p.surname);
    const given = dialect.bytes(p.givenNames);
    const sex = p.male ? words.male : words.female;
    // Room for every row, malformed copies included, so the prefix can be copied.
    sink.reserve((p.stays.length * 4 + 1) * MAX_ROW_BYTES);
    const prefixStart = sink.pos;
    let prefixEnd = -1;
    let row = 0;
    for (const stay of p.stays) {
      for (let leg = 0; leg < 2; leg++) {
        const entering = leg === 0;
        if (!entering && stay.exit === null) break;
        const day = entering ? stay.entry : (stay.exit as number);
        const minute = entering ? stay.entryMinute : stay.exitMinute;
        const direction = entering ? words.in : words.out;
        const checkpoint = this.checkpoints[entering ? stay.entryCheckpoint : stay.exitCheckpoint]!;
        const defect = pick.next('crossings', row++);
        for (let copy = 0; copy < (defect === null ? 1 : 2); copy++) {
          const bad = copy === 1 ? defect : null;
          if (prefixEnd < 0) {
            this.identity(sink, p, doc, cit, null);
            this.personDetails(sink, p, surname, given, sex);
            prefixEnd = sink.pos;
          } else if (bad === 'no-document' || bad === 'bad-citizenship') {
            this.identity(sink, p, doc, cit, bad);
            this.personDetails(sink, p, surname, given, sex);
          } else {
            sink.repeat(prefixStart, prefixEnd);
          }
          sink.bytesOf(bad === 'bad-direction' ? SIDEWAYS : direction);
          sink.byte(d);
          if (bad === 'bad-date') {
            this.dateOrDefect(sink, day, true, true);
          } else {
            this.date(sink, day);
            sink.byte(32);
            sink.slice(dialect.times, minute * TIME_BYTES, TIME_BYTES);
          }
          sink.byte(d);
          sink.bytesOf(checkpoint);
          this.endRow(sink, bad !== null);
        }
      }
    }
  }

  private writeRegistrations(p: PersonPlan, f: Random, pick: DefectPicker): void {
    const sink = this.sinks.registrations;
    const d = this.delimiter;
    const doc = this.documentText(p, f);
    const cit = this.citizenshipBytes(p, f);
    let row = 0;
    for (const r of p.registrations) {
      const host = this.hosts[r.host]!;
      const defect = pick.next('registrations', row++);
      for (let copy = 0; copy < (defect === null ? 1 : 2); copy++) {
        const bad = copy === 1 ? defect : null;
        sink.reserve(MAX_ROW_BYTES);
        this.identity(sink, p, doc, cit, bad);
        sink.byte(d);
        this.dateOrDefect(sink, r.from, bad === 'bad-date', false);
        sink.byte(d);
        this.date(sink, r.until);
        sink.byte(d);
        this.date(sink, r.notified);
        sink.byte(d);
        sink.bytesOf(host.address);
        sink.byte(d);
        sink.bytesOf(host.id);
        sink.byte(d);
        sink.bytesOf(host.name);
        this.endRow(sink, bad !== null);
      }
    }
  }

  private permitKind(permit: PermitPlan, f: Random): Uint8Array | null {
    const w = this.dialect.words;
    if (permit.kind === 'visa') return w.visa;
    return f.chance(0.2) ? null : w.trp; // empty means trp
  }

  private permitStatus(permit: PermitPlan, f: Random): Uint8Array | null {
    const w = this.dialect.words;
    if (permit.status === 'revoked') return w.revoked;
    if (permit.status === 'annulled') return w.annulled;
    return f.chance(0.3) ? null : w.active; // empty means active
  }

  private writePermits(p: PersonPlan, f: Random, pick: DefectPicker): void {
    const sink = this.sinks.permits;
    const d = this.delimiter;
    const doc = this.documentText(p, f);
    const cit = this.citizenshipBytes(p, f);
    let row = 0;
    for (const permit of p.permits) {
      const ground = (permit.kind === 'trp' ? this.trpGrounds : this.visaGrounds)[permit.ground];
      const host = permit.host === null ? null : this.hosts[permit.host]!;
      const kind = this.permitKind(permit, f);
      const status = this.permitStatus(permit, f);
      const defect = pick.next('permits', row++);
      for (let copy = 0; copy < (defect === null ? 1 : 2); copy++) {
        const bad = copy === 1 ? defect : null;
        sink.reserve(MAX_ROW_BYTES);
        sink.ascii(permit.permitNo);
        sink.byte(d);
        this.identity(sink, p, doc, cit, bad);
        sink.byte(d);
        if (kind !== null) sink.bytesOf(kind);
        sink.byte(d);
        if (ground !== undefined) sink.bytesOf(ground);
        sink.byte(d);
        this.dateOrDefect(sink, permit.validFrom, bad === 'bad-date', false);
        sink.byte(d);
        this.date(sink, permit.validUntil);
        sink.byte(d);
        if (status !== null) sink.bytesOf(status);
        sink.byte(d);
        this.date(sink, permit.revokedOn);
        sink.byte(d);
        if (host !== null) sink.bytesOf(host.address);
        sink.byte(d);
        if (host !== null) sink.bytesOf(host.id);
        this.endRow(sink, bad !== null);
      }
    }
  }

  private writeExpulsions(p: PersonPlan, f: Random, pick: DefectPicker): void {
    const sink = this.sinks.expulsions;
    const d = this.delimiter;
    const doc = this.documentText(p, f);
    const cit = this.citizenshipBytes(p, f);
    let row = 0;
    for (const e of p.expulsions) {
      const defect = pick.next('expulsions', row++);
      for (let copy = 0; copy < (defect === null ? 1 : 2); copy++) {
        const bad = copy === 1 ? defect : null;
        sink.reserve(MAX_ROW_BYTES);
        this.identity(sink, p, doc, cit, bad);
        sink.byte(d);
        this.dateOrDefect(sink, e.decided, bad === 'bad-date', false);
        sink.byte(d);
        this.date(sink, e.expelled);
        sink.byte(d);
        if (e.banYears !== null) sink.ascii(String(e.banYears));
        sink.byte(d);
        const reason = this.reasons[e.reason];
        if (reason !== undefined) sink.bytesOf(reason);
        this.endRow(sink, bad !== null);
      }
    }
  }
}
