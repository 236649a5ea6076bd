import type { ReadStore } from '../storage/read-store.js';
import { filterClause, OWN_OFFENCE_RULES, type FindingFilter } from './filters.js';
import type { Listing, Row } from './render.js';
import { runMeta, type RunRow } from './runs.js';

/** SPEC §5's columns first, with these exact names; identity and explanation after. */
const FINDING_COLUMNS = [
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

export function listFindings(store: ReadStore, run: RunRow, filter: FindingFilter): Listing {
  const where = filterClause(filter);
  const rows = store.rows<Row>(
    `SELECT f.person_key, f.citizenship, f.rule, f.regime, f.entry_date, f.exit_date, f.first_day, f.days, f.status,
            f.last_lawful_day, p.person_id, p.document_no, p.surname, p.given_names, p.birth_date, f.entry_checkpoint, f.host_id, f.detail
     FROM findings f LEFT JOIN persons p ON p.person_key = f.person_key
     WHERE f.run_id = ?${where.sql}
     ORDER BY f.id`,
    [run.id, ...where.params],
  );
  return { columns: FINDING_COLUMNS, rows, meta: runMeta(run) };
}

const VIOLATOR_COLUMNS = [
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
export function listViolators(store: ReadStore, run: RunRow, filter: FindingFilter, limit?: number): Listing {
  const rules = filter.rules && filter.rules.length > 0 ? filter.rules.filter((r) => (OWN_OFFENCE_RULES as readonly string[]).includes(r)) : [...OWN_OFFENCE_RULES];
  const where = filterClause({ ...filter, rules: rules.length > 0 ? rules : ['-none-'] as never });
  const rows = store.rows<Row>(
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
            (SELECT host_id FROM places l WHERE l.person_key = v.person_key AND host_id IS NOT NULL ORDER BY since DESC LIMIT 1) AS last_host
     FROM v LEFT JOIN persons p ON p.person_key = v.person_key
     ORDER BY v.days_over DESC, v.person_key
     ${limit === undefined ? '' : 'LIMIT ?'}`,
    [run.id, ...where.params, ...(limit === undefined ? [] : [limit])],
  );
  return { columns: VIOLATOR_COLUMNS, rows, meta: runMeta(run) };
}
