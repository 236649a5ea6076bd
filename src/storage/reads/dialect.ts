/**
 * Where the SQL of the reads differs between SQLite and PostgreSQL, in one place: each
 * read builds its text from its store's dialect. Placeholders stay `?` in every text
 * (the PostgreSQL store numbers them), so only functions and operators are here. The
 * SQLite forms are the texts the reads always had (their results are pinned by tests).
 */
export interface Dialect {
  readonly engine: 'sqlite' | 'postgres';
  /** A condition as 0 or 1, to add up. */
  flag(condition: string): string;
  /** Whether the condition held for any row of the group (as 0/1 on SQLite, a boolean on PostgreSQL). */
  anyTrue(condition: string): string;
  /** `a IS NOT b` with NULL as a value. */
  differs(a: string, b: string): string;
  /** `a IS b` with NULL as a value. */
  same(a: string, b: string): string;
  /** A value as text, for concatenation and for comparing with ''. */
  text(expression: string): string;
  /** 1-based position of `needle` in `haystack`, 0 when absent. */
  position(haystack: string, needle: string): string;
  /**
   * The distinct values of `value` in a group, comma-separated, in the order of
   * `order` (their first appearance), as SQLite's group_concat(DISTINCT) gives them
   * when it reads the group in that order.
   */
  distinctList(value: string, order: string): string;
  /** A condition that always holds. */
  readonly always: string;
  /**
   * More ORDER BY terms where SQLite leaves ties in its scan order (a run's findings in
   * id order, which follows the stays' entry days): nothing on SQLite, the terms on
   * PostgreSQL (NULLs first, as SQLite sorts them).
   */
  scanOrder(terms: readonly string[]): string;
  /** LIKE folding ASCII letters only (SQLite's LIKE; ILIKE under PostgreSQL's C ctype). */
  readonly like: string;
  /**
   * Every crossing and every person, as a FROM item: on SQLite the clustered table and
   * its recent twin (schema 8: a small import appends there). Only for a query whose
   * outer level is no join (a compound in a join is materialized whole); a join uses
   * `personsJoin`.
   */
  readonly crossings: string;
  readonly persons: string;
  /**
   * `LEFT JOIN` of the person whose key is `key` (as alias p) and its identity columns
   * by name (`column('surname')` selects it AS surname).
   */
  personsJoin(key: string): { join: string; column(name: string): string };
}

/** SQLite: the clustered table UNION ALL its recent twin (see `Dialect.crossings`). */
const withRecent = (table: string): string => `(SELECT * FROM ${table} UNION ALL SELECT * FROM ${table}_recent)`;

/** The tables a small import may leave rows of in a `<table>_recent` twin (schema 8). */
export const RECENT_TWINNED: readonly string[] = ['crossings', 'persons'];

/**
 * A table's rows on SQLite as a FROM item, for code that reads any table by name (copy,
 * the store digest): crossings and persons with their recent twins, another table as
 * `named` (its name, quoted as the caller needs).
 */
export function sqliteRowsOf(table: string, named: string = table): string {
  return RECENT_TWINNED.includes(table) ? withRecent(table) : named;
}

export const SQLITE_DIALECT: Dialect = {
  engine: 'sqlite',
  flag: (condition) => `(${condition})`,
  anyTrue: (condition) => `max(${condition})`,
  differs: (a, b) => `${a} IS NOT ${b}`,
  same: (a, b) => `${a} IS ${b}`,
  text: (expression) => expression,
  position: (haystack, needle) => `instr(${haystack}, ${needle})`,
  // SQLite reads a run's findings of a person in id order (the finding_rows key), so
  // DISTINCT keeps each value's first appearance.
  distinctList: (value) => `group_concat(DISTINCT ${value})`,
  always: '1',
  scanOrder: () => '',
  like: 'LIKE',
  crossings: withRecent('crossings'),
  persons: withRecent('persons'),
  // Two indexed joins: the person is in one table of the pair or in neither.
  personsJoin: (key) => ({
    join: `LEFT JOIN persons p ON p.person_key = ${key} LEFT JOIN persons_recent p_recent ON p_recent.person_key = ${key}`,
    column: (name) => `coalesce(p.${name}, p_recent.${name}) AS ${name}`,
  }),
};

export const POSTGRES_DIALECT: Dialect = {
  engine: 'postgres',
  flag: (condition) => `(${condition})::integer`,
  anyTrue: (condition) => `bool_or(${condition})`,
  differs: (a, b) => `${a} IS DISTINCT FROM ${b}`,
  same: (a, b) => `${a} IS NOT DISTINCT FROM ${b}`,
  text: (expression) => `(${expression})::text`,
  position: (haystack, needle) => `strpos(${haystack}, ${needle})`,
  // string_agg(DISTINCT) would sort the values; SQLite lists them by first appearance.
  distinctList: (value, order) =>
    `(SELECT string_agg(u.v, ',' ORDER BY u.o) FROM (SELECT v, min(o) AS o FROM unnest(array_agg(${value}), array_agg(${order})) AS t(v, o) GROUP BY v) u)`,
  always: 'true',
  scanOrder: (terms) => terms.map((t) => `, ${t} NULLS FIRST`).join(''),
  like: 'ILIKE',
  // PostgreSQL's recent tables stay empty (postgres/schema.ts, version 8).
  crossings: 'crossings',
  persons: 'persons',
  personsJoin: (key) => ({ join: `LEFT JOIN persons p ON p.person_key = ${key}`, column: (name) => `p.${name}` }),
};
