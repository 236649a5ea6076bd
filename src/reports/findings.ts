import type { ReadStore } from '../storage/read-store.js';
import { filterClause, OWN_OFFENCE_RULES, type FindingFilter } from './filters.js';
import type { Listing, Row } from './render.js';
import { runMeta, type RunRow } from './runs.js';
import { orderByTerms, type SortKey } from './shape.js';

/** How a listing is ordered and cut in SQL (so it still streams). */
export interface ListingOrder {
  /** Sort keys, checked against the listing's columns (see `parseSort`). */
  sort?: readonly SortKey[];
  limit?: number;
}

/** Wraps a SELECT that has a `_order` column: sorted by the keys, then by `_order`; limited. */
function ordered(sql: string, order: ListingOrder): { sql: string; params: unknown[] } {
  const terms = order.sort && order.sort.length > 0 ? `${orderByTerms(order.sort)}, ` : '';
  return {
    sql: `SELECT * FROM (${sql}) ORDER BY ${terms}_order${order.limit === undefined ? '' : ' LIMIT ?'}`,
    params: order.limit === undefined ? [] : [order.limit],
  };
}

/** SPEC §5's columns first, with these exact names; identity and explanation after. */
export const FINDING_COLUMNS = [
  'person_key',
  'citizenship',
  'rule',
  'regime',
  'entry_date',
  'exit_date',
  'first_day',
  'days',
  'status',
  'last_lawful_day',
  'person_id',
  'document_no',
  'surname',
  'given_names',
  'birth_date',
  'entry_checkpoint',
  'host_id',
  'detail',
] as const;

/** Columns a narrow terminal keeps first. */
const FINDING_PRIORITY = ['person_key', 'rule', 'citizenship', 'first_day', 'days', 'status', 'entry_date', 'exit_date', 'regime', 'surname', 'last_lawful_day', 'given_names', 'document_no', 'entry_checkpoint', 'host_id', 'person_id', 'birth_date', 'detail'];

export function listFindings(store: ReadStore, run: RunRow, filter: FindingFilter, order: ListingOrder = {}): Listing {
  const where = filterClause(filter);
  const query = ordered(
    `SELECT f.person_key, f.citizenship, f.rule, f.regime, f.entry_date, f.exit_date, f.first_day, f.days, f.status,
            f.last_lawful_day, p.person_id, p.document_no, p.surname, p.given_names, p.birth_date, f.entry_checkpoint, f.host_id, f.detail,
            f.id AS _order
     FROM findings f LEFT JOIN persons p ON p.person_key = f.person_key
     WHERE f.run_id = ?${where.sql}`,
    order,
  );
  const rows = store.rows<Row>(query.sql, [run.id, ...where.params, ...query.params]);
  return { columns: FINDING_COLUMNS, rows, meta: runMeta(run), tablePriority: FINDING_PRIORITY };
}

export const VIOLATOR_COLUMNS = [
  'person_key',
  'document_no',
  'surname',
  'given_names',
  'birth_date',
  'citizenship',
  'findings',
  'rules',
  'days_over',
  'status',
  'first_unlawful_day',
  'last_address',
  'last_host',
] as const;

/**
 * One row per person with an overstay or ban-breach finding (the foreigner's own
 * offences), most days over first; the last known address and host come from the
 * latest registration or permit. The citizenship is that of the entries of the
 * offending stays (SPEC §4), comma-separated when they differ.
 */
const VIOLATOR_PRIORITY = ['person_key', 'surname', 'citizenship', 'days_over', 'status', 'rules', 'first_unlawful_day', 'given_names', 'document_no', 'findings', 'last_address', 'last_host', 'birth_date'];

export function listViolators(store: ReadStore, run: RunRow, filter: FindingFilter, order: ListingOrder | number = {}): Listing {
  if (typeof order === 'number') order = { limit: order };
  const rules = filter.rules && filter.rules.length > 0 ? filter.rules.filter((r) => (OWN_OFFENCE_RULES as readonly string[]).includes(r)) : [...OWN_OFFENCE_RULES];
  const where = filterClause({ ...filter, rules: rules.length > 0 ? rules : ['-none-'] as never });
  // Most days over first unless --sort says otherwise.
  const query = ordered(
    `WITH v AS (
       SELECT f.person_key, group_concat(DISTINCT f.citizenship) AS citizenship, count(*) AS findings,
              group_concat(DISTINCT f.rule) AS rules, sum(f.days) AS days_over,
              CASE WHEN max(f.status = 'in-country') THEN 'in-country' ELSE 'departed' END AS status,
              min(f.first_day) AS first_unlawful_day
       FROM findings f
       WHERE f.run_id = ?${where.sql}
       GROUP BY f.person_key
     ),
     places AS (
       SELECT person_key, address, host_id, registered_from AS since FROM registrations WHERE person_key IN (SELECT person_key FROM v)
       UNION ALL
       SELECT person_key, address, host_id, valid_from FROM permits WHERE person_key IN (SELECT person_key FROM v)
     )
     SELECT v.person_key, p.document_no, p.surname, p.given_names, p.birth_date, v.citizenship, v.findings, v.rules,
            v.days_over, v.status, v.first_unlawful_day,
            (SELECT address FROM places l WHERE l.person_key = v.person_key AND address IS NOT NULL ORDER BY since DESC LIMIT 1) AS last_address,
            (SELECT host_id FROM places l WHERE l.person_key = v.person_key AND host_id IS NOT NULL ORDER BY since DESC LIMIT 1) AS last_host,
            row_number() OVER (ORDER BY v.days_over DESC, v.person_key) AS _order
     FROM v LEFT JOIN persons p ON p.person_key = v.person_key`,
    order,
  );
  const rows = store.rows<Row>(query.sql, [run.id, ...where.params, ...query.params]);
  return { columns: VIOLATOR_COLUMNS, rows, meta: runMeta(run), tablePriority: VIOLATOR_PRIORITY };
}
