/**
 * What every listing takes besides its filters: `--columns a,b,c`, `--sort col[:desc]`
 * and `--limit N`. Columns and limit stream; a sort that the store did not do
 * holds the rows in memory (the listings sorted this way are small: stats, runs,
 * rules, a person, a query).
 */
import { UsageError } from '../errors.js';
import type { SortKey } from '../storage/reads/index.js';
import { collectRows, streamed, type Cell, type Listing, type Row } from './render.js';

export type { SortKey } from '../storage/reads/index.js';

/** Parses `a,b:desc,-c` into sort keys, checking each column against `columns`. */
export function parseSort(value: string, columns: readonly string[]): SortKey[] {
  const keys = value.split(',').map((part) => part.trim()).filter(Boolean).map((part): SortKey => {
    let column = part;
    let descending = false;
    if (column.startsWith('-')) {
      descending = true;
      column = column.slice(1);
    }
    const suffix = /:(asc|desc)$/i.exec(column);
    if (suffix) {
      descending = suffix[1]!.toLowerCase() === 'desc';
      column = column.slice(0, suffix.index);
    }
    if (!columns.includes(column)) throw new UsageError(`--sort: unknown column '${column}'`, `sort by one of: ${columns.join(', ')} (add :desc for descending)`);
    return { column, descending };
  });
  if (keys.length === 0) throw new UsageError('--sort needs a column', `sort by one of: ${columns.join(', ')}`);
  return keys;
}

/** Parses `a,b,c` into columns of the listing, in the order given. */
export function parseColumns(value: string, columns: readonly string[]): string[] {
  const picked = value.split(',').map((c) => c.trim()).filter(Boolean);
  if (picked.length === 0) throw new UsageError('--columns needs at least one column', `columns: ${columns.join(', ')}`);
  for (const c of picked) {
    if (!columns.includes(c)) throw new UsageError(`--columns: unknown column '${c}'`, `columns: ${columns.join(', ')}`);
  }
  return [...new Set(picked)];
}

/** Only these columns, in this order, in every format (tables too). */
export function selectColumns(listing: Listing, columns: readonly string[]): Listing {
  return { ...listing, columns, tableColumns: columns, tablePriority: columns };
}

/**
 * At most `limit` rows; the source stops being read once they are out. Rows the
 * listing keeps last (a TOTAL) do not count and are still listed.
 */
export function limitRows(listing: Listing, limit: number): Listing {
  const source = listing.rows;
  const keepLast = listing.keepLast;
  /** Whether a row goes out; false once the limit is out and nothing is kept last (stop reading). */
  let n = 0;
  const take = (row: Row): boolean => {
    if (keepLast?.(row)) return true;
    if (n >= limit) return false;
    n++;
    return true;
  };
  const done = (): boolean => n >= limit && keepLast === undefined;
  if (!('batches' in source)) {
    return {
      ...listing,
      rows: {
        *[Symbol.iterator]() {
          if (limit <= 0 && keepLast === undefined) return;
          for (const row of source) {
            if (take(row)) yield row;
            // Without rows to keep last, not one row more is read.
            if (done()) return;
          }
        },
      },
    };
  }
  return {
    ...listing,
    rows: streamed(
      (async function* () {
        if (limit <= 0 && keepLast === undefined) return;
        for await (const batch of source.batches) {
          const out = batch.filter(take);
          if (out.length > 0) yield out;
          // Without rows to keep last, not one batch more is read.
          if (done()) return;
        }
      })(),
    ),
  };
}

/** Compares cells: numbers as numbers, text as text, empty values last either way. */
export function compareCells(a: Cell, b: Cell): number {
  const emptyA = a === null || a === undefined || a === '';
  const emptyB = b === null || b === undefined || b === '';
  if (emptyA || emptyB) return emptyA === emptyB ? 0 : emptyA ? 1 : -1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const x = String(a);
  const y = String(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Rows sorted in memory by `keys` (stable); rows `keepLast` accepts (a TOTAL) stay at the end. */
export function sortRows(listing: Listing, keys: readonly SortKey[], keepLast?: (row: Row) => boolean): Listing {
  const source = listing.rows;
  if (!('batches' in source)) return { ...listing, rows: sortedRows([...source], keys, keepLast) };
  return {
    ...listing,
    rows: streamed(
      (async function* () {
        const sorted = sortedRows(await collectRows(source), keys, keepLast);
        if (sorted.length > 0) yield sorted;
      })(),
    ),
  };
}

function sortedRows(all: readonly Row[], keys: readonly SortKey[], keepLast?: (row: Row) => boolean): Row[] {
  const rows = [...all];
  const last = keepLast ? rows.filter(keepLast) : [];
  const rest = keepLast ? rows.filter((r) => !keepLast(r)) : rows;
  rest.sort((a, b) => {
    for (const key of keys) {
      const emptyA = a[key.column] === null || a[key.column] === undefined || a[key.column] === '';
      const emptyB = b[key.column] === null || b[key.column] === undefined || b[key.column] === '';
      // Empty values last, also when descending.
      const c = emptyA || emptyB ? compareCells(a[key.column], b[key.column]) : (key.descending ? -1 : 1) * compareCells(a[key.column], b[key.column]);
      if (c !== 0) return c;
    }
    return 0;
  });
  return [...rest, ...last];
}
