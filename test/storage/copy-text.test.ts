/** COPY text written into bytes (src/storage/postgres/copy-text.ts), checked against the format's rules. */
import { describe, expect, it } from 'vitest';
import { CopyBuffer, NulInValue } from '../../src/storage/postgres/copy-text.js';

describe('CopyBuffer', () => {
  it('writes tab-separated rows, \\N for null, escapes, numbers and UTF-8 as COPY text', () => {
    const rows = new CopyBuffer(8); // tiny, so it must grow
    rows.row(['a', null, 12, undefined, 'Алматы']);
    rows.row(['tab\there', 'new\nline', 'cr\rx', 'back\\slash', '']);
    expect(rows.take()!.toString('utf8')).toBe('a\t\\N\t12\t\\N\tАлматы\n' + 'tab\\there\tnew\\nline\tcr\\rx\tback\\\\slash\t\n');
    expect(rows.bytes).toBe(0);
    expect(rows.take()).toBeNull();
  });

  it('short plain values and every kind of exception to them: non-ASCII, escapes, control characters, long values', () => {
    const rows = new CopyBuffer(4);
    const long = 'L'.repeat(47) + '\\' + 'é'.repeat(30);
    const values = ['2024-01-05 10:00:00', 'Ivanov', 'Иванов', 'aé', 'x\\', 'end\t', '\u0001ctl', '~\u007f', long, 'q'.repeat(48), 'q'.repeat(49)];
    rows.row(values);
    const escape = (v: string): string => v.replace(/\\/g, '\\\\').replace(/\t/g, '\\t');
    expect(rows.take()!.toString('utf8')).toBe(values.map(escape).join('\t') + '\n');
  });

  it('refuses a NUL and keeps the rows written before it', () => {
    const rows = new CopyBuffer();
    rows.row(['kept']);
    expect(() => rows.row(['x', 'bad\u0000value'])).toThrow(NulInValue);
    expect(() => rows.row(['\u0000'])).toThrow(NulInValue);
    expect(() => rows.row(['long'.repeat(20) + '\u0000'])).toThrow(NulInValue);
    expect(rows.take()!.toString('utf8')).toBe('kept\n');
  });

  it('writes integers digit by digit, other numbers as JavaScript prints them', () => {
    const rows = new CopyBuffer(4);
    const numbers = [0, 7, 10, 99, 100, 2_147_483_648, 123_456_789_012, Number.MAX_SAFE_INTEGER, -3, 1.5, 2 ** 60, 12n];
    rows.row(numbers);
    expect(rows.take()!.toString('utf8')).toBe(numbers.map(String).join('\t') + '\n');
  });

  it('bytes taken stay as they were while later rows are written, until the next take', () => {
    const rows = new CopyBuffer(16);
    rows.row(['first']);
    const taken = rows.take()!;
    rows.row(['second', 'x'.repeat(100)]);
    expect(taken.toString('utf8')).toBe('first\n');
    const second = rows.take()!;
    expect(second.toString('utf8')).toBe(`second\t${'x'.repeat(100)}\n`);
    // The two buffers take turns (room enough that neither grows): each taken batch is
    // whole while the next is written.
    const turns = new CopyBuffer(1024);
    for (let round = 0; round < 5; round++) {
      turns.row([`round ${round}`, 'y'.repeat(round * 40)]);
      const before = turns.take()!;
      turns.row(['overwrites the other buffer', 'z'.repeat(30)]);
      expect(before.toString('utf8')).toBe(`round ${round}\t${'y'.repeat(round * 40)}\n`);
      expect(turns.take()!.toString('utf8')).toBe(`overwrites the other buffer\t${'z'.repeat(30)}\n`);
    }
  });
});
