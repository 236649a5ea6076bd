import { describe, expect, it } from 'vitest';
import { displayWidth, fitColumns, visibleText, type Listing, type Row } from '../../src/reports/render.js';
import { compareCells, limitRows, parseColumns, parseSort, sortRows } from '../../src/reports/shape.js';
import { snakeCaseKeys } from '../../src/cli/json-output.js';
import { dateForm } from '../../src/import/inspect.js';
import { parseDateFlag } from '../../src/cli/date-flags.js';

const listing = (rows: Row[], keepLast?: (row: Row) => boolean): Listing => ({ columns: ['k', 'n'], rows, meta: {}, ...(keepLast ? { keepLast } : {}) });

describe('listing shape', () => {
  it('sorts numbers as numbers, text as text, empty values last in both directions, stably', () => {
    const rows: Row[] = [{ k: 'b', n: 10 }, { k: 'a', n: 9 }, { k: 'c', n: null }, { k: 'd', n: 10 }];
    const asc = [...sortRows(listing(rows), parseSort('n', ['k', 'n'])).rows].map((r) => r['k']);
    expect(asc).toEqual(['a', 'b', 'd', 'c']);
    const desc = [...sortRows(listing(rows), parseSort('n:desc,k', ['k', 'n'])).rows].map((r) => r['k']);
    expect(desc).toEqual(['b', 'd', 'a', 'c']);
    expect([...sortRows(listing(rows), parseSort('-k', ['k', 'n'])).rows].map((r) => r['k'])).toEqual(['d', 'c', 'b', 'a']);
    expect(compareCells(2, 10)).toBeLessThan(0);
    expect(compareCells('2', '10')).toBeGreaterThan(0);
  });

  it('keeps a TOTAL row last through sort and limit', () => {
    const rows: Row[] = [{ k: 'x', n: 3 }, { k: 'y', n: 1 }, { k: 'z', n: 2 }, { k: 'TOTAL', n: 6 }];
    const total = (r: Row): boolean => r['k'] === 'TOTAL';
    const sorted = sortRows(listing(rows, total), parseSort('n:desc', ['k', 'n']), total);
    expect([...limitRows(sorted, 1).rows].map((r) => r['k'])).toEqual(['x', 'TOTAL']);
    expect([...limitRows(listing(rows), 2).rows].map((r) => r['k'])).toEqual(['x', 'y']);
    expect([...limitRows(listing(rows), 0).rows]).toEqual([]);
  });

  it('stops reading the source once the limit is out', () => {
    let read = 0;
    function* source(): Generator<Row> {
      for (let i = 0; i < 1000; i++) {
        read++;
        yield { k: String(i), n: i };
      }
    }
    expect([...limitRows(listing(source() as unknown as Row[]), 3).rows]).toHaveLength(3);
    expect(read).toBe(3);
  });

  it('refuses unknown columns', () => {
    expect(() => parseSort('nope', ['k'])).toThrow(/unknown column 'nope'/);
    expect(() => parseColumns('k,nope', ['k'])).toThrow(/unknown column 'nope'/);
    expect(parseColumns('n, k,n', ['k', 'n'])).toEqual(['n', 'k']);
  });
});

describe('tables on a terminal', () => {
  it('shows control characters and bidirectional overrides as escapes', () => {
    expect(visibleText('a\u001b[2Jb\u0007\n\t\u0000\u007f\u0085\u202e\u2066ok')).toBe('a\\e[2Jb\\a\\n\\t\\x00\\x7f\\x85\\u202e\\u2066ok');
    expect(visibleText('Иванов Жібек 王')).toBe('Иванов Жібек 王');
  });

  it('counts wide characters twice', () => {
    expect(displayWidth('abc')).toBe(3);
    expect(displayWidth('Жібек')).toBe(5);
    expect(displayWidth('王伟')).toBe(4);
  });

  it('keeps the most important columns that fit, in their order, and wraps a lone column too wide', () => {
    const body = [[{ text: 'aaaaaaaaaa', extra: undefined }, { text: 'bb', extra: undefined }, { text: 'cccc', extra: undefined }]];
    // Costs: a 10+3, b 3+3 (header 'b' is 1, value 2 → 2+3=5), c 4+3; plus 1 border.
    // c (8 with the border) fits, a (13 more) does not, b (5 more) does.
    expect(fitColumns(['a', 'b', 'c'], body, ['c', 'a', 'b'], 20)).toEqual({ shown: [1, 2], dropped: [0] });
    expect(fitColumns(['a', 'b', 'c'], body, ['c', 'a', 'b'], 21)).toEqual({ shown: [0, 2], dropped: [1] });
    expect(fitColumns(['a', 'b', 'c'], body, ['a', 'b', 'c'], 1 + 13 + 5 + 7)).toEqual({ shown: [0, 1, 2], dropped: [] });
    expect(fitColumns(['a', 'b', 'c'], body, ['a', 'b', 'c'], 1 + 13 + 5 + 6)).toEqual({ shown: [0, 1], dropped: [2] });
    // Nothing fits whole: the most important column alone, wrapped (at least 8 wide).
    expect(fitColumns(['a', 'b', 'c'], body, ['a'], 5)).toEqual({ shown: [0], dropped: [1, 2], wrapWidth: 8 });
    expect(fitColumns(['a'], [[{ text: 'x'.repeat(40), extra: undefined }]], ['a'], 30)).toEqual({ shown: [0], dropped: [], wrapWidth: 28 });
    // Otherwise a less important column that fits is drawn rather than none.
    expect(fitColumns(['a', 'b', 'c'], body, ['a'], 10)).toEqual({ shown: [1], dropped: [0, 2] });
    expect(fitColumns(['a', 'b', 'c'], body, ['a'], null)).toEqual({ shown: [0, 1, 2], dropped: [] });
  });
});

describe('edges', () => {
  it('JSON summaries rename camelCase keys only', () => {
    expect(snakeCaseKeys({ runId: 1, counts: { 'stay-limit': 2, RUS: 3 }, files: [{ importId: 4, ignoredColumns: ['PID'] }] })).toEqual({
      run_id: 1,
      counts: { 'stay-limit': 2, RUS: 3 },
      files: [{ import_id: 4, ignored_columns: ['PID'] }],
    });
  });

  it('names the written form of a date', () => {
    expect(dateForm('2024-01-02')).toBe('YYYY-MM-DD');
    expect(dateForm('02.01.2024 10:15')).toBe('DD.MM.YYYY HH:MM');
    expect(dateForm('2024-01-02T10:15:30')).toBe('YYYY-MM-DDTHH:MM:SS');
    expect(dateForm('Jan 2')).toBe('other');
  });

  it('date flags: ISO, DD.MM.YYYY, today, yesterday, a written month; impossible dates refused', () => {
    const now = new Date(2024, 2, 1, 0, 5);
    expect(parseDateFlag('--as-of', 'yesterday', now)).toBe('2024-02-29');
    expect(parseDateFlag('--as-of', 'TODAY', now)).toBe('2024-03-01');
    expect(parseDateFlag('--as-of', '29.02.2024', now)).toBe('2024-02-29');
    expect(parseDateFlag('--as-of', '31 декабря 2022', now)).toBe('2022-12-31');
    expect(parseDateFlag('--as-of', '31 желтоқсан 2022', now)).toBe('2022-12-31');
    for (const bad of ['29.02.2023', '2023-02-29', '31.02.2024', '2024-13-01', '2024-04-31', '2024-1-1', '1.1.2024', '31 февраля 2022', '']) expect(() => parseDateFlag('--as-of', bad, now), bad).toThrow(/--as-of/);
  });
});
