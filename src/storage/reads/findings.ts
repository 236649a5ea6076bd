/**
 * The findings of a run and its violators (one row per person), filtered, sorted and
 * cut by SQLite so that a listing of any size streams.
 */
import type { ReadStore } from '../read-store.js';
import type { Dialect } from './dialect.js';
import { filterClause } from './finding-filter.js';
import { ordered, type ListingOrder } from './order.js';
import type { FindingFilter, StoredRow } from './types.js';

/** The columns of a findings row, in order. */
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

/** A run's findings with the person's identity, in finding order unless sorted. */
export function findingRows(store: ReadStore, runId: number, filter: FindingFilter, order: ListingOrder = {}): AsyncIterable<StoredRow[]> {
  const where = filterClause(filter, store.dialect);
  const p = store.dialect.personsJoin('f.person_key');
  const query = ordered(
    `SELECT f.person_key, f.citizenship, f.rule, f.regime, f.entry_date, f.exit_date, f.first_day, f.days, f.status,
            f.last_lawful_day, ${['person_id', 'document_no', 'surname', 'given_names', 'birth_date'].map(p.column).join(', ')},
            f.entry_checkpoint, f.host_id, f.detail, f.id AS _order
     FROM findings f ${p.join}
     WHERE f.run_id = ?${where.sql}`,
    order,
    FINDING_COLUMNS,
    store.dialect,
  );
  return store.batches<StoredRow>(query.sql, [runId, ...where.params, ...query.params]);
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
 * One row per person with a finding the filter keeps, most days over first unless
 * sorted. The last address and host are those of the latest registration or permit
 * known on the run's as-of date (SPEC §2): a registration notified (else starting) on
 * or before it, a permit valid from on or before it. The citizenship is that of the
 * offending stays' entries, comma-separated when they differ.
 */
export function violatorRows(store: ReadStore, run: { id: number; as_of: string }, filter: FindingFilter, order: ListingOrder = {}): AsyncIterable<StoredRow[]> {
  const { sql, params } = violatorsStatement(run, filter, order, store.dialect);
  return store.batches<StoredRow>(sql, params);
}

/**
 * The violators' statement and its parameters. Each violator's last address and last
 * host are looked up among that person's own registrations and permits (both stored in
 * person-key order): a list of every violator's places, built once and then searched
 * for each violator, was scanned whole per violator on SQLite 3.53 (the national year's
 * 8,942 violators: 11.3 s, quadratic in the violators).
 */
export function violatorsStatement(run: { id: number; as_of: string }, filter: FindingFilter, order: ListingOrder, d: Dialect): { sql: string; params: unknown[] } {
  const where = filterClause(filter, d);
  const p = d.personsJoin('v.person_key');
  const latest = (column: 'address' | 'host_id'): string =>
    `(SELECT ${column} FROM (
         SELECT ${column}, registered_from AS since FROM registrations r
         WHERE r.person_key = v.person_key AND coalesce(r.notified_on, r.registered_from) <= ? AND r.${column} IS NOT NULL
         UNION ALL
         SELECT ${column}, valid_from FROM permits m
         WHERE m.person_key = v.person_key AND m.valid_from <= ? AND m.${column} IS NOT NULL
       ) l ORDER BY since DESC LIMIT 1)`;
  const query = ordered(
    `WITH v AS (
       SELECT f.person_key, ${d.distinctList('f.citizenship', 'f.id')} AS citizenship, count(*) AS findings,
              ${d.distinctList('f.rule', 'f.id')} AS rules, sum(f.days) AS days_over,
              CASE WHEN ${d.anyTrue("f.status = 'in-country'")} THEN 'in-country' ELSE 'departed' END AS status,
              min(f.first_day) AS first_unlawful_day
       FROM findings f
       WHERE f.run_id = ?${where.sql}
       GROUP BY f.person_key
     )
     SELECT v.person_key, ${['document_no', 'surname', 'given_names', 'birth_date'].map(p.column).join(', ')}, v.citizenship, v.findings, v.rules,
            v.days_over, v.status, v.first_unlawful_day,
            ${latest('address')} AS last_address,
            ${latest('host_id')} AS last_host,
            row_number() OVER (ORDER BY v.days_over DESC, v.person_key) AS _order
     FROM v ${p.join}`,
    order,
    VIOLATOR_COLUMNS,
    d,
  );
  const asOf = run.as_of;
  return { sql: query.sql, params: [run.id, ...where.params, asOf, asOf, asOf, asOf, ...query.params] };
}
