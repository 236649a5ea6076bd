/**
 * Bytes → text, detecting the encoding from the start of the input.
 *
 * UTF-8 (a BOM is stripped) or Windows-1251 (Excel "CSV" in a Russian locale). The
 * start of the input (the first chunk, at least 64 KiB) decides: valid UTF-8 with
 * non-ASCII characters, or UTF-8 with only a few invalid sequences, is UTF-8 (rows
 * with the invalid bytes are then rejected); mostly invalid UTF-8 is Windows-1251.
 * While everything seen is plain ASCII the choice is left open (both
 * encodings read ASCII the same) and made on the first chunk with other bytes.
 * NUL bytes or many control characters at the start mean the input is not CSV text.
 */
import { isAscii, isUtf8 } from 'node:buffer';
import { TextDecoder } from 'node:util';
import { ImportFileError } from './errors.js';

export type Encoding = 'utf-8' | 'windows-1251';

const SAMPLE_BYTES = 64 * 1024;

/** Length of `buf` without a trailing incomplete UTF-8 sequence. */
function completeUtf8Length(buf: Uint8Array): number {
  const n = buf.length;
  // Walk back over at most 3 continuation bytes to the lead byte.
  for (let back = 1; back <= Math.min(4, n); back++) {
    const b = buf[n - back]!;
    if ((b & 0xc0) === 0x80) continue; // continuation
    const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
    return need > back ? n - back : n;
  }
  return n;
}

/**
 * The encoding of bytes that are not all ASCII. Valid UTF-8 is UTF-8; so is UTF-8 with
 * a few bad sequences among many good ones (a UTF-8 export with a pasted Windows-1251
 * row): taking such a file for Windows-1251 would garble every name in it without a
 * word, whereas as UTF-8 only the bad rows are rejected. Windows-1251 text hardly ever
 * forms valid UTF-8 sequences, so it still reads as mostly invalid.
 */
function guessEncoding(bytes: Uint8Array): Encoding {
  const complete = bytes.subarray(0, completeUtf8Length(bytes));
  if (isUtf8(complete)) return 'utf-8';
  let valid = 0;
  let invalid = 0;
  for (const char of new TextDecoder('utf-8').decode(complete)) {
    const code = char.charCodeAt(0);
    if (code === 0xfffd) invalid++;
    else if (code > 0x7f) valid++;
  }
  return invalid * 10 < valid ? 'utf-8' : 'windows-1251';
}

function describeBinary(sample: Uint8Array): string | null {
  const startsWith = (...bytes: number[]): boolean => bytes.every((b, i) => sample[i] === b);
  if (startsWith(0x50, 0x4b, 0x03, 0x04)) return 'a ZIP archive (an .xlsx workbook?)';
  if (startsWith(0xd0, 0xcf, 0x11, 0xe0)) return 'an Office document (an .xls workbook?)';
  if (startsWith(0x1f, 0x8b)) return 'gzip-compressed data';
  if (startsWith(0x25, 0x50, 0x44, 0x46)) return 'a PDF document';
  if (startsWith(0x53, 0x51, 0x4c, 0x69, 0x74, 0x65)) return 'an SQLite database';
  let control = 0;
  const n = Math.min(sample.length, SAMPLE_BYTES);
  for (let i = 0; i < n; i++) {
    const b = sample[i]!;
    if (b === 0) return 'binary data (NUL bytes)';
    if (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d && b !== 0x0c) control++;
  }
  return control > 8 && control * 100 > n ? 'binary data (control characters)' : null;
}

/**
 * Streaming decoder. `write` returns the text decoded so far (possibly '' while it is
 * still gathering the sample that decides the encoding); `end` returns the rest.
 */
export class InputDecoder {
  /** The encoding used; null until decided (and stays null for an empty input). */
  encoding: Encoding | null = null;
  /** Whether any decoded text contained U+FFFD (invalid bytes for the chosen encoding). */
  sawInvalid = false;
  /**
   * Whether a NUL byte was decoded. NUL at the start makes the whole input binary (see
   * describeBinary); one further on only costs the rows that contain it.
   */
  sawNul = false;

  private readonly file: string;
  private readonly forced: Encoding | undefined;
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private sampled = false;
  /** True while every byte seen was ASCII (the encoding is then still open). */
  private asciiSoFar = false;
  /** Non-streaming: chunks are cut at sequence boundaries here (see `carry`). */
  private readonly utf8 = new TextDecoder('utf-8');
  private cp1251: TextDecoder | null = null;
  /** Bytes of a UTF-8 sequence split across chunks. */
  private carry: Buffer | null = null;

  constructor(file: string, encoding?: Encoding) {
    this.file = file;
    this.forced = encoding;
  }

  write(chunk: Buffer): string {
    if (!this.sampled) {
      this.pending.push(chunk);
      this.pendingBytes += chunk.length;
      if (this.pendingBytes < SAMPLE_BYTES) return '';
      return this.decideAndFlush();
    }
    return this.decode(chunk);
  }

  end(): string {
    let text = '';
    if (!this.sampled) text = this.decideAndFlush();
    if (this.carry !== null) {
      // An incomplete sequence at the very end is invalid UTF-8.
      text += this.utf8.decode(this.carry);
      this.carry = null;
      this.sawInvalid = true;
    }
    return text;
  }

  private decideAndFlush(): string {
    this.sampled = true;
    let sample = this.pending.length === 1 ? this.pending[0]! : Buffer.concat(this.pending);
    this.pending = [];
    if (sample.length === 0) return '';
    // Byte order marks first: they decide, and UTF-16 would otherwise look like binary.
    if ((sample[0] === 0xff && sample[1] === 0xfe) || (sample[0] === 0xfe && sample[1] === 0xff)) {
      throw new ImportFileError(this.file, 'the file is UTF-16 text, not UTF-8 or Windows-1251', {
        hint: 'save it as "CSV UTF-8" (Excel) or convert it, e.g. iconv -f UTF-16 -t UTF-8',
      });
    }
    const hasBom = sample[0] === 0xef && sample[1] === 0xbb && sample[2] === 0xbf;
    if (hasBom) sample = sample.subarray(3);
    const binary = describeBinary(sample);
    if (binary !== null) {
      throw new ImportFileError(this.file, `not a CSV text file: it looks like ${binary}`, {
        hint: 'export the data as CSV (comma, semicolon or tab separated text)',
      });
    }
    if (this.forced !== undefined) this.choose(this.forced);
    else if (hasBom) this.choose('utf-8');
    else if (isAscii(sample)) this.asciiSoFar = true;
    else {
      this.choose(guessEncoding(sample));
    }
    return this.decode(sample);
  }

  private choose(encoding: Encoding): void {
    this.encoding = encoding;
    this.asciiSoFar = false;
    if (encoding === 'windows-1251') {
      try {
        this.cp1251 = new TextDecoder('windows-1251');
      } catch {
        throw new ImportFileError(this.file, 'this Node.js cannot decode Windows-1251 (it was built without full ICU)', {
          hint: 'convert the file to UTF-8 first, e.g. iconv -f WINDOWS-1251 -t UTF-8',
        });
      }
    }
  }

  private decode(chunk: Buffer): string {
    if (!this.sawNul && chunk.indexOf(0) !== -1) this.sawNul = true;
    if (this.carry !== null) {
      chunk = Buffer.concat([this.carry, chunk]);
      this.carry = null;
    }
    if (this.asciiSoFar && !isAscii(chunk)) {
      // The first non-ASCII bytes decide; everything before decodes the same either way.
      this.choose(guessEncoding(chunk));
    }
    // Both encodings are ASCII supersets, and latin1 is by far Node's fastest decoder
    // (a plain copy), so ASCII chunks take that path whatever the encoding.
    if (this.cp1251 !== null) {
      return isAscii(chunk) ? chunk.toString('latin1') : this.cp1251.decode(chunk);
    }
    // UTF-8: keep an incomplete trailing sequence for the next chunk.
    const complete = completeUtf8Length(chunk);
    if (complete < chunk.length) {
      this.carry = Buffer.from(chunk.subarray(complete));
      chunk = chunk.subarray(0, complete);
    }
    if (isAscii(chunk)) return chunk.toString('latin1');
    const text = this.utf8.decode(chunk);
    if (!this.sawInvalid && text.includes('\uFFFD')) this.sawInvalid = true;
    return text;
  }

  /** The encoding to report: UTF-8 for an all-ASCII input. */
  get detected(): Encoding | null {
    if (this.encoding !== null) return this.encoding;
    return this.asciiSoFar ? 'utf-8' : null;
  }
}
