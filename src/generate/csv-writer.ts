/**
 * Turns planned persons into CSV rows in the four files. Rows are appended to one
 * string per file and written with `fs.writeSync` in chunks of a few megabytes, so
 * memory stays flat however many rows are written; strings are already in the
 * dialect's encoding (see cp1251.ts), so a chunk is converted to bytes in one call.
 *
 * Malformed rows are extra copies of good rows with one realistic defect (an
 * impossible date, an unknown direction or citizenship, a missing document number):
 * the good data stays complete, so the expected verdicts do not depend on them.
 */
import fs from 'node:fs';
import path from 'node:path';
import { yearOf } from './calendar.js';
import { DATASETS, type Dialect, type GeneratedDataset } from './dialect.js';
import type { Host } from './hosts.js';
import type { PermitPlan, PersonPlan } from './plan.js';
import { CHECKPOINTS, EXPULSION_REASONS, TRP_GROUNDS, VISA_GROUNDS } from './population.js';
import { mix32, Random } from './random.js';

/**
 * Characters collected before each write. Small enough that the pending rows are
 * still young garbage when they are written (a multi-megabyte string rope ends up in
 * the old generation and costs full collections), large enough for few system calls.
 */
const CHUNK_CHARS = 65536;

export interface WrittenFile {
  dataset: GeneratedDataset;
  path: string;
  /** Data rows (header excluded), malformed ones included. */
  rows: number;
  /** Of which malformed. */
  malformed: number;
  bytes: number;
}

/** One output file; rows are collected as strings and written in chunks. */
class CsvSink {
  private pending: string[] = [];
  private pendingChars = 0;
  private readonly fd: number;
  rows = 0;
  malformed = 0;
  bytes = 0;

  constructor(
    readonly dataset: GeneratedDataset,
    readonly path: string,
    private readonly encoding: 'utf8' | 'latin1',
  ) {
    this.fd = fs.openSync(path, 'w');
  }

  write(text: string): void {
    this.pending.push(text);
    this.pendingChars += text.length;
    if (this.pendingChars >= CHUNK_CHARS) this.flush();
  }

  flush(): void {
    if (this.pendingChars === 0) return;
    const bytes = Buffer.from(this.pending.join(''), this.encoding);
    this.pending = [];
    this.pendingChars = 0;
    let offset = 0;
    while (offset < bytes.length) offset += fs.writeSync(this.fd, bytes, offset, bytes.length - offset);
    this.bytes += bytes.length;
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
type Defect = 'bad-date' | 'bad-direction' | 'bad-citizenship' | 'no-document';
const DEFECTS: Readonly<Record<GeneratedDataset, readonly Defect[]>> = {
  crossings: ['bad-date', 'bad-direction', 'bad-citizenship', 'no-document'],
  registrations: ['bad-date', 'bad-citizenship', 'no-document'],
  permits: ['bad-date', 'bad-citizenship', 'no-document'],
  expulsions: ['bad-date', 'bad-citizenship', 'no-document'],
};

/**
 * Chooses which rows get a malformed copy: a share at random (per person, from
 * its own stream), or an explicit list for the demo.
 */
export interface DefectPicker {
  /** The defect for a malformed copy of this row, or null for none. */
  next(dataset: GeneratedDataset, row: number): Defect | null;
}

export class RandomDefects implements DefectPicker {
  constructor(private readonly r: Random, private readonly share: number) {}
  next(dataset: GeneratedDataset): Defect | null {
    if (this.share <= 0 || this.r.next() >= this.share) return null;
    return this.r.pick(DEFECTS[dataset]);
  }
}

/** Malformed copies of chosen rows of one person: `[dataset, row of that person in the dataset, defect]`. */
export class ListedDefects implements DefectPicker {
  constructor(private readonly list: readonly (readonly [GeneratedDataset, number, Defect])[]) {}
  next(dataset: GeneratedDataset, row: number): Defect | null {
    for (const [d, r, defect] of this.list) if (d === dataset && r === row) return defect;
    return null;
  }
}
export type { Defect };

export class CsvWriter {
  private readonly sinks: Record<GeneratedDataset, CsvSink>;
  private readonly format = new Random(0);
  private readonly defects = new Random(0);
  private readonly d: string;
  private readonly eol: string;

  constructor(
    outDir: string,
    private readonly dialect: Dialect,
    private readonly hosts: readonly Host[],
    private readonly seed: number,
    private readonly malformedShare: number,
  ) {
    fs.mkdirSync(outDir, { recursive: true });
    this.d = dialect.delimiter;
    this.eol = dialect.eol;
    const opened: Partial<Record<GeneratedDataset, CsvSink>> = {};
    try {
      for (const dataset of DATASETS) {
        const sink = new CsvSink(dataset, path.join(outDir, `${dataset}.csv`), dialect.encoding);
        opened[dataset] = sink;
        sink.write(dialect.header(dataset));
      }
    } catch (error) {
      for (const sink of Object.values(opened)) sink.close();
      throw error;
    }
    this.sinks = opened as Record<GeneratedDataset, CsvSink>;
  }

  /** Writes one person's rows; `index` seeds its formatting and defect streams. */
  writePerson(p: PersonPlan, index: number, defects?: DefectPicker): void {
    const f = this.format;
    f.reset(mix32(this.seed ^ 0x2545f491, index));
    this.defects.reset(mix32(this.seed ^ 0x68e31da4, index));
    const pick = defects ?? new RandomDefects(this.defects, this.malformedShare);
    this.writeCrossings(p, f, pick);
    if (p.registrations.length > 0) this.writeRegistrations(p, f, pick);
    if (p.permits.length > 0) this.writePermits(p, f, pick);
    if (p.expulsions.length > 0) this.writeExpulsions(p, f, pick);
  }

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

  // ------------------------------------------------------------ field spelling

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

  private citizenshipText(p: PersonPlan, f: Random): string {
    const names = p.nationality.russianNames;
    const v = f.next();
    if (!this.dialect.russian || names === undefined || v >= 0.7) return p.nationality.code;
    return this.dialect.text(names[Math.floor((v / 0.7) * names.length)] ?? p.nationality.code);
  }

  private badDate(day: number, withTime: boolean): string {
    return this.dialect.impossibleDate(yearOf(day), withTime, this.defects.chance(0.5));
  }

  // ------------------------------------------------------------ datasets

  private writeCrossings(p: PersonPlan, f: Random, pick: DefectPicker): void {
    const sink = this.sinks.crossings;
    const { d, eol, dialect } = this;
    const doc = this.documentText(p, f);
    const cit = this.citizenshipText(p, f);
    const words = dialect.words;
    const tail = `${d}${dialect.text(p.surname)}${d}${dialect.text(p.givenNames)}${d}${dialect.date(p.birth)}${d}${
      p.male ? words.male : words.female}${d}`;
    const prefix = `${p.personId}${d}${doc}${d}${cit}${tail}`;
    let row = 0;
    for (const stay of p.stays) {
      for (let leg = 0; leg < 2; leg++) {
        const entering = leg === 0;
        if (!entering && stay.exit === null) break;
        const day = entering ? stay.entry : (stay.exit as number);
        const minute = entering ? stay.entryMinute : stay.exitMinute;
        const dir = entering ? words.in : words.out;
        const at = dialect.dateTime(day, minute);
        const cp = CHECKPOINTS[entering ? stay.entryCheckpoint : stay.exitCheckpoint];
        sink.write(`${prefix}${dir}${d}${at}${d}${cp}${eol}`);
        sink.rows++;
        const defect = pick.next('crossings', row++);
        if (defect !== null) {
          let bad: string;
          if (defect === 'bad-date') bad = `${prefix}${dir}${d}${this.badDate(day, true)}${d}${cp}${eol}`;
          else if (defect === 'bad-direction') bad = `${prefix}SIDEWAYS${d}${at}${d}${cp}${eol}`;
          else if (defect === 'bad-citizenship') bad = `${p.personId}${d}${doc}${d}ZZZ${tail}${dir}${d}${at}${d}${cp}${eol}`;
          else bad = `${p.personId}${d}${d}${cit}${tail}${dir}${d}${at}${d}${cp}${eol}`;
          sink.write(bad);
          sink.rows++;
          sink.malformed++;
        }
      }
    }
  }

  private writeRegistrations(p: PersonPlan, f: Random, pick: DefectPicker): void {
    const sink = this.sinks.registrations;
    const { d, eol, dialect } = this;
    const doc = this.documentText(p, f);
    const cit = this.citizenshipText(p, f);
    let row = 0;
    for (const r of p.registrations) {
      const host = this.hosts[r.host] as Host;
      const rest = `${d}${dialect.date(r.until)}${d}${dialect.date(r.notified)}${d}${host.address}${d}${host.id}${d}${
        host.name}${eol}`;
      sink.write(`${p.personId}${d}${doc}${d}${cit}${d}${dialect.date(r.from)}${rest}`);
      sink.rows++;
      const defect = pick.next('registrations', row++);
      if (defect !== null) {
        const from = defect === 'bad-date' ? this.badDate(r.from, false) : dialect.date(r.from);
        const badDoc = defect === 'no-document' ? '' : doc;
        const badCit = defect === 'bad-citizenship' ? 'ZZZ' : cit;
        sink.write(`${p.personId}${d}${badDoc}${d}${badCit}${d}${from}${rest}`);
        sink.rows++;
        sink.malformed++;
      }
    }
  }

  private permitKind(permit: PermitPlan, f: Random): string {
    const w = this.dialect.words;
    if (permit.kind === 'visa') return w.visa;
    return f.chance(0.2) ? '' : w.trp; // empty means trp
  }

  private permitStatus(permit: PermitPlan, f: Random): string {
    const w = this.dialect.words;
    if (permit.status === 'revoked') return w.revoked;
    if (permit.status === 'annulled') return w.annulled;
    return f.chance(0.3) ? '' : w.active; // empty means active
  }

  private writePermits(p: PersonPlan, f: Random, pick: DefectPicker): void {
    const sink = this.sinks.permits;
    const { d, eol, dialect } = this;
    const doc = this.documentText(p, f);
    const cit = this.citizenshipText(p, f);
    let row = 0;
    for (const permit of p.permits) {
      const grounds = permit.kind === 'trp' ? TRP_GROUNDS : VISA_GROUNDS;
      const ground = dialect.text(grounds[permit.ground]?.[dialect.russian ? 1 : 0] ?? '');
      const host = permit.host === null ? null : (this.hosts[permit.host] as Host);
      const head = `${permit.permitNo}${d}${p.personId}${d}`;
      const mid = `${d}${this.permitKind(permit, f)}${d}${ground}${d}`;
      const rest = `${d}${dialect.date(permit.validUntil)}${d}${this.permitStatus(permit, f)}${d}${
        dialect.date(permit.revokedOn)}${d}${host?.address ?? ''}${d}${host?.id ?? ''}${eol}`;
      sink.write(`${head}${doc}${d}${cit}${mid}${dialect.date(permit.validFrom)}${rest}`);
      sink.rows++;
      const defect = pick.next('permits', row++);
      if (defect !== null) {
        const from = defect === 'bad-date' ? this.badDate(permit.validFrom, false) : dialect.date(permit.validFrom);
        const badDoc = defect === 'no-document' ? '' : doc;
        const badCit = defect === 'bad-citizenship' ? 'ZZZ' : cit;
        sink.write(`${head}${badDoc}${d}${badCit}${mid}${from}${rest}`);
        sink.rows++;
        sink.malformed++;
      }
    }
  }

  private writeExpulsions(p: PersonPlan, f: Random, pick: DefectPicker): void {
    const sink = this.sinks.expulsions;
    const { d, eol, dialect } = this;
    const doc = this.documentText(p, f);
    const cit = this.citizenshipText(p, f);
    let row = 0;
    for (const e of p.expulsions) {
      const reason = dialect.text(EXPULSION_REASONS[e.reason]?.[dialect.russian ? 1 : 0] ?? '');
      const rest = `${d}${dialect.date(e.expelled)}${d}${e.banYears ?? ''}${d}${reason}${eol}`;
      sink.write(`${p.personId}${d}${doc}${d}${cit}${d}${dialect.date(e.decided)}${rest}`);
      sink.rows++;
      const defect = pick.next('expulsions', row++);
      if (defect !== null) {
        const decided = defect === 'bad-date' ? this.badDate(e.decided, false) : dialect.date(e.decided);
        const badDoc = defect === 'no-document' ? '' : doc;
        const badCit = defect === 'bad-citizenship' ? 'ZZZ' : cit;
        sink.write(`${p.personId}${d}${badDoc}${d}${badCit}${d}${decided}${rest}`);
        sink.rows++;
        sink.malformed++;
      }
    }
  }
}
