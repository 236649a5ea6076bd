/**
 * A streaming CSV parser (RFC 4180 quoting) that reports the physical line where
 * each record starts.
 *
 * Speed comes from not looking at characters one by one where it is not needed: a
 * line without a double quote is cut with `indexOf('\n')` and `split(delimiter)`;
 * only lines that contain a quote go through the character-level state machine,
 * which handles quoted fields, `""` escapes and newlines inside quotes.
 *
 * Leniency, as spreadsheets and hand-edited files need it: a quote that does not open
 * a field is an ordinary character (`ООО "Ромашка"`); spaces around a quoted field are
 * ignored. A record that cannot be parsed is reported through `sink.bad` and parsing
 * resumes on the next physical line, so one stray quote costs one row, not the file.
 *
 * Memory is bounded: a record longer than `maxRecordChars` or with more than
 * `maxFields` fields is rejected instead of being accumulated.
 */

export type Delimiter = ',' | ';' | '\t';

export interface CsvLimits {
  /** Longest record, in characters (UTF-16 code units). */
  maxRecordChars: number;
  /** Most fields in one record. */
  maxFields: number;
}

export const DEFAULT_LIMITS: Readonly<CsvLimits> = { maxRecordChars: 1 << 20, maxFields: 1000 };

/** Receives records in file order. */
export interface CsvSink {
  /** A parsed record starting on physical line `line` (1-based). Empty lines are skipped. */
  record(fields: string[], line: number): void;
  /** A record that could not be parsed, with what could be read of it. */
  bad(line: number, raw: string[], reason: string): void;
}

const QUOTE = 34;
const LF = 10;
const CR = 13;
const SPACE = 32;

/** Outcome of the character-level parse of one record. */
const NEED_MORE = -1;

/** The longest raw text kept for a rejected oversized record. */
const PREVIEW_CHARS = 200;

function preview(text: string): string {
  return text.length > PREVIEW_CHARS ? `${text.slice(0, PREVIEW_CHARS)}…` : text;
}

function countNewlines(text: string, from: number, to: number): number {
  let count = 0;
  for (let i = text.indexOf('\n', from); i !== -1 && i < to; i = text.indexOf('\n', i + 1)) count++;
  return count;
}

/**
 * The delimiter of the header (the first non-blank line): the most frequent of `;`,
 * tab and `,` outside quotes (ties in that order), `,` when there is none.
 */
export function detectDelimiter(text: string): Delimiter {
  // The header is the first line that is not blank.
  let start = 0;
  let end = text.indexOf('\n');
  while (end !== -1 && text.slice(start, end).trim() === '') {
    start = end + 1;
    end = text.indexOf('\n', start);
  }
  if (end === -1) end = text.length;
  const counts = { ';': 0, '\t': 0, ',': 0 };
  let quoted = false;
  for (let i = start; i < end; i++) {
    const c = text[i];
    if (c === '"') quoted = !quoted;
    else if (!quoted && (c === ';' || c === '\t' || c === ',')) counts[c]++;
  }
  let best: Delimiter = ',';
  let bestCount = 0;
  for (const d of [';', '\t', ','] as const) {
    if (counts[d] > bestCount) {
      best = d;
      bestCount = counts[d];
    }
  }
  return best;
}

export class CsvParser {
  readonly delimiter: Delimiter;
  private readonly limits: CsvLimits;
  /** Unparsed text: the start of a record whose end has not arrived yet. */
  private rest = '';
  /** Physical line number at which `rest` starts. */
  private line = 1;
  /** Discarding the remainder of an oversized line (already reported). */
  private skipping = false;
  /**
   * After a quoted record failed (unterminated or over a limit) on line L, the lines
   * its scan ran over, up to this one, are parsed one physical line at a time: a quote
   * there cannot open a field spanning lines. Resuming on line L + 1 with full quoting
   * would rescan the same stretch once per line (quadratic: a 6 MB file of `a"b,"`
   * lines took 45 s).
   */
  private singleLineUntil = 0;
  /** Where parseQuoted stopped scanning when it gave up (returned 0). */
  private stoppedAt = 0;
  // Result registers of parseQuoted (avoid an object per quoted record).
  private fields: string[] = [];
  private reason: string | null = null;

  constructor(delimiter: Delimiter, limits: Partial<CsvLimits> = {}) {
    this.delimiter = delimiter;
    this.limits = { ...DEFAULT_LIMITS, ...limits };
  }

  /** Physical lines consumed so far (complete lines only). */
  get linesRead(): number {
    return this.line - 1;
  }

  push(text: string, sink: CsvSink): void {
    if (this.rest.length === 0) {
      this.run(text, sink, false);
      return;
    }
    // Join the unfinished record with the first line of the new text only: searching a
    // concatenated (cons) string is several times slower than a flat one in V8.
    const nl = text.indexOf('\n');
    if (nl === -1) {
      this.run(this.rest + text, sink, false);
      return;
    }
    this.run(this.rest + text.slice(0, nl + 1), sink, false);
    const tail = text.slice(nl + 1);
    // Still unfinished: a quoted record spanning more lines (rare), so concatenate after all.
    this.run(this.rest.length === 0 ? tail : this.rest + tail, sink, false);
  }

  /** Flushes the last record (a last line without a newline is a line all the same). */
  end(sink: CsvSink): void {
    const rest = this.rest;
    this.rest = '';
    if (this.skipping) {
      // The oversized last line had no newline; it was reported already.
      this.skipping = false;
      this.line++;
      return;
    }
    if (rest.length === 0) return;
    this.run(rest.charCodeAt(rest.length - 1) === LF ? rest : `${rest}\n`, sink, true);
  }

  private run(buf: string, sink: CsvSink, final: boolean): void {
    const n = buf.length;
    const delimiter = this.delimiter;
    const { maxRecordChars, maxFields } = this.limits;
    let pos = 0;
    let line = this.line;
    let quote = buf.indexOf('"');

    while (pos < n) {
      if (this.skipping) {
        const nl = buf.indexOf('\n', pos);
        if (nl === -1) {
          pos = n;
          break;
        }
        pos = nl + 1;
        line++;
        this.skipping = false;
        continue;
      }
      const nl = buf.indexOf('\n', pos);
      if (nl === -1) break;
      if (quote !== -1 && quote < pos) quote = buf.indexOf('"', pos);

      if (quote === -1 || quote > nl) {
        // Fast path: no quote on this line.
        let end = nl;
        if (end > pos && buf.charCodeAt(end - 1) === CR) end--;
        if (end > pos) {
          if (end - pos > maxRecordChars) {
            sink.bad(line, [preview(buf.slice(pos, end))], `record is longer than ${maxRecordChars} characters`);
          } else {
            const fields = buf.slice(pos, end).split(delimiter);
            if (fields.length > maxFields) {
              sink.bad(line, fields.slice(0, maxFields), `record has more than ${maxFields} fields`);
            } else {
              sink.record(fields, line);
            }
          }
        }
        pos = nl + 1;
        line++;
        continue;
      }

      if (line <= this.singleLineUntil) {
        // Recovering from a failed quoted record: this line on its own.
        const lineText = buf.slice(pos, nl + 1);
        const end = this.parseQuoted(lineText, 0, true);
        if (this.reason === null && end === lineText.length) sink.record(this.fields, line);
        else {
          const raw = end > 0 ? this.fields : lineText.length > maxRecordChars ? [preview(lineText)] : lineText.replace(/\r?\n$/, '').split(delimiter).slice(0, maxFields);
          sink.bad(line, raw, this.reason ?? `unterminated quoted field in column ${this.fields.length + 1}`);
        }
        pos = nl + 1;
        line++;
        continue;
      }

      // Slow path: the record contains a quote and may span several lines.
      const next = this.parseQuoted(buf, pos, final);
      if (next === NEED_MORE) break;
      const reason = this.reason;
      if (reason === null) {
        sink.record(this.fields, line);
        line += countNewlines(buf, pos, next);
        pos = next;
        continue;
      }
      if (next > 0) {
        // A complete but malformed record.
        sink.bad(line, this.fields, reason);
        line += countNewlines(buf, pos, next);
        pos = next;
        continue;
      }
      // Unterminated or oversized: report it and resume on the next physical line,
      // reading the lines the failed scan ran over one at a time (see singleLineUntil).
      this.singleLineUntil = line + countNewlines(buf, pos, Math.min(this.stoppedAt, n));
      let lineEnd = nl;
      if (lineEnd > pos && buf.charCodeAt(lineEnd - 1) === CR) lineEnd--;
      const firstLine = buf.slice(pos, lineEnd);
      const raw = firstLine.length > maxRecordChars ? [preview(firstLine)] : firstLine.split(delimiter).slice(0, maxFields);
      sink.bad(line, raw, reason);
      pos = nl + 1;
      line++;
    }

    this.line = line;
    this.rest = pos === 0 ? buf : pos < n ? buf.slice(pos) : '';
    if (!final && this.rest.length > maxRecordChars) {
      // Only a single line without a newline can get here (the slow path gives up on
      // its own past the limit): report it now and drop the rest of it as it arrives.
      sink.bad(line, [preview(this.rest)], `record is longer than ${maxRecordChars} characters`);
      this.rest = '';
      this.skipping = true;
    }
  }

  /**
   * Parses one record starting at `start` (which contains a quote). Returns the index
   * after the record's line end and sets `fields` (and `reason` for a malformed but
   * complete record); returns NEED_MORE when the buffer ends first; returns 0 with
   * `reason` set when the record is unterminated at the end of input or exceeds the
   * limits (the caller then skips one physical line).
   */
  private parseQuoted(buf: string, start: number, final: boolean): number {
    const n = buf.length;
    const delim = this.delimiter.charCodeAt(0);
    const { maxRecordChars, maxFields } = this.limits;
    const limit = start + maxRecordChars;
    const fields: string[] = [];
    this.fields = fields;
    this.reason = null;
    let malformed: string | null = null;
    let i = start;

    for (;;) {
      if (fields.length >= maxFields) {
        this.reason = `record has more than ${maxFields} fields`;
        this.stoppedAt = i;
        return 0;
      }
      // Spaces before an opening quote are ignored.
      let j = i;
      while (j < n && buf.charCodeAt(j) === SPACE) j++;
      if (j < n && buf.charCodeAt(j) === QUOTE) {
        let value = '';
        let k = j + 1;
        for (;;) {
          const q = buf.indexOf('"', k);
          if (q === -1 || q >= limit) {
            if (q >= limit || n >= limit) {
              this.reason = `record is longer than ${maxRecordChars} characters (a quoted field opened here is never closed?)`;
              this.stoppedAt = limit;
              return 0;
            }
            if (final) {
              this.reason = `unterminated quoted field in column ${fields.length + 1}`;
              this.stoppedAt = n;
              return 0;
            }
            return NEED_MORE;
          }
          if (q + 1 >= n) return final ? this.unterminated(fields) : NEED_MORE;
          if (buf.charCodeAt(q + 1) === QUOTE) {
            value += buf.slice(k, q + 1);
            k = q + 2;
            continue;
          }
          value += buf.slice(k, q);
          i = q + 1;
          break;
        }
        while (i < n && buf.charCodeAt(i) === SPACE) i++;
        if (i >= n) return final ? this.unterminated(fields) : NEED_MORE;
        const c = buf.charCodeAt(i);
        if (c === delim) {
          fields.push(value);
          i++;
          continue;
        }
        if (c === LF) {
          fields.push(value);
          return this.finish(malformed, i + 1);
        }
        if (c === CR) {
          if (i + 1 >= n) return final ? this.finish(malformed, i + 1) : NEED_MORE;
          if (buf.charCodeAt(i + 1) === LF) {
            fields.push(value);
            return this.finish(malformed, i + 2);
          }
        }
        // Text after the closing quote: keep it in the field, reject the record.
        malformed ??= `malformed quoted field in column ${fields.length + 1}: text after the closing quote`;
        const end = this.scanUnquoted(buf, i, delim);
        if (end === NEED_MORE) return final ? this.unterminated(fields) : NEED_MORE;
        if (end >= limit) {
          this.reason = `record is longer than ${maxRecordChars} characters`;
          this.stoppedAt = end;
          return 0;
        }
        fields.push(value + this.cellText(buf, i, end));
        if (buf.charCodeAt(end) === delim) {
          i = end + 1;
          continue;
        }
        return this.finish(malformed, end + 1);
      }
      // Unquoted field: up to the next delimiter or line end; quotes inside are literal.
      const end = this.scanUnquoted(buf, i, delim);
      if (end === NEED_MORE) return final ? this.unterminated(fields) : NEED_MORE;
      if (end >= limit) {
        this.reason = `record is longer than ${maxRecordChars} characters`;
        this.stoppedAt = end;
        return 0;
      }
      fields.push(this.cellText(buf, i, end));
      if (buf.charCodeAt(end) === delim) {
        i = end + 1;
        continue;
      }
      return this.finish(malformed, end + 1);
    }
  }

  /** Index of the next delimiter or LF at or after `from`, or NEED_MORE. */
  private scanUnquoted(buf: string, from: number, delim: number): number {
    const n = buf.length;
    for (let k = from; k < n; k++) {
      const c = buf.charCodeAt(k);
      if (c === delim || c === LF) return k;
    }
    return NEED_MORE;
  }

  /** Cell text from `from` to `end`, without the CR of a CRLF line end. */
  private cellText(buf: string, from: number, end: number): string {
    if (buf.charCodeAt(end) === LF && end > from && buf.charCodeAt(end - 1) === CR) end--;
    return buf.slice(from, end);
  }

  private finish(malformed: string | null, next: number): number {
    this.reason = malformed;
    return next;
  }

  private unterminated(fields: string[]): number {
    this.reason = `unterminated quoted field in column ${fields.length + 1}`;
    this.stoppedAt = Number.MAX_SAFE_INTEGER; // the end of the input
    return 0;
  }
}
