/**
 * `--sort` keys as SQL ORDER BY terms, so sorted listings still stream. Keys arrive as
 * typed values; a column is spliced only after it is found among the listing's known
 * columns (identifiers cannot be bound parameters).
 */
import type { Dialect } from './dialect.js';
import type { SortKey } from './types.js';

/** Terms over a SELECT whose result columns include every key's column: empty values last, as in memory. */
export function orderByTerms(keys: readonly SortKey[], columns: readonly string[], dialect: Dialect): string {
  return keys
    .map((k) => {
      if (!columns.includes(k.column)) throw new Error(`sort column '${k.column}' is not a column of this listing`);
      return `("${k.column}" IS NULL OR ${dialect.text(`"${k.column}"`)} = ''), "${k.column}" ${k.descending ? 'DESC' : 'ASC'}`;
    })
    .join(', ');
}

/** Wraps a SELECT that has an `_order` column: sorted by the keys, then by `_order`; limited. */
export function ordered(sql: string, order: ListingOrder, columns: readonly string[], dialect: Dialect): { sql: string; params: unknown[] } {
  const terms = order.sort && order.sort.length > 0 ? `${orderByTerms(order.sort, columns, dialect)}, ` : '';
  return {
    sql: `SELECT * FROM (${sql}) AS listing ORDER BY ${terms}_order${order.limit === undefined ? '' : ' LIMIT ?'}`,
    params: order.limit === undefined ? [] : [order.limit],
  };
}

/** How a listing is ordered and cut by the store. */
export interface ListingOrder {
  sort?: readonly SortKey[];
  limit?: number;
}
