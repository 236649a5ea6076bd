/**
 * A FindingFilter as SQL conditions over the `findings` view (alias `f`), every value
 * a bound parameter. Address, region and host also look at the person's registrations
 * and permits.
 */
import type { Dialect } from './dialect.js';
import type { FindingFilter } from './types.js';

/** The person's registrations and permits (alias `pl`), for matching addresses and hosts. */
const PLACES = `(SELECT address, host_id FROM registrations WHERE person_key = f.person_key
                 UNION ALL SELECT address, host_id FROM permits WHERE person_key = f.person_key) pl`;

/**
 * LIKE patterns for a text: SQLite's LIKE folds only ASCII letters, so Cyrillic is
 * tried as typed, in lower case and in upper case.
 */
function likeForms(text: string, pattern: (escaped: string) => string): string[] {
  const escape = (t: string): string => t.replace(/[\\%_]/g, (c) => `\\${c}`);
  return [...new Set([text, text.toLowerCase(), text.toUpperCase()])].map((t) => pattern(escape(t)));
}

/** SQL conditions (each preceded by AND, alias `f`) and their parameters; '' for no filter. */
export function filterClause(filter: FindingFilter, dialect: Dialect): { sql: string; params: unknown[] } {
  const parts: string[] = [];
  const params: unknown[] = [];
  const inList = (column: string, values: readonly string[] | undefined): void => {
    if (!values || values.length === 0) return;
    parts.push(`${column} IN (${values.map(() => '?').join(', ')})`);
    params.push(...values);
  };
  inList('f.rule', filter.rules);
  inList('f.citizenship', filter.citizenships);
  inList('f.status', filter.statuses);
  if (filter.minDays !== undefined) {
    parts.push('f.days >= ?');
    params.push(filter.minDays);
  }
  if (filter.from !== undefined) {
    parts.push('coalesce(f.first_day, f.entry_date) >= ?');
    params.push(filter.from);
  }
  if (filter.to !== undefined) {
    parts.push('coalesce(f.first_day, f.entry_date) <= ?');
    params.push(filter.to);
  }
  if (filter.entryFrom !== undefined) {
    parts.push('f.entry_date >= ?');
    params.push(filter.entryFrom);
  }
  if (filter.entryTo !== undefined) {
    parts.push('f.entry_date <= ?');
    params.push(filter.entryTo);
  }
  if (filter.checkpoints && filter.checkpoints.length > 0) {
    parts.push(`upper(f.entry_checkpoint) IN (${filter.checkpoints.map(() => 'upper(?)').join(', ')})`);
    params.push(...filter.checkpoints);
  }
  if (filter.hosts && filter.hosts.length > 0) {
    const list = filter.hosts.map(() => '?').join(', ');
    parts.push(`(f.host_id IN (${list}) OR EXISTS (SELECT 1 FROM ${PLACES} WHERE pl.host_id IN (${list})))`);
    params.push(...filter.hosts, ...filter.hosts);
  }
  if (filter.address !== undefined && filter.address.trim() !== '') {
    const forms = likeForms(filter.address.trim(), (t) => `%${t}%`);
    parts.push(`EXISTS (SELECT 1 FROM ${PLACES} WHERE ${forms.map(() => `pl.address ${dialect.like} ? ESCAPE '\\'`).join(' OR ')})`);
    params.push(...forms);
  }
  if (filter.regions && filter.regions.length > 0) {
    const tests: string[] = [];
    for (const region of filter.regions) {
      // "Almaty" matches "Almaty, Abay 1" and "ALMATY", not "Bishkek st 3, Almaty".
      for (const form of likeForms(region.trim(), (t) => t)) {
        const comma = dialect.position('pl.address', "','");
        tests.push(`trim(CASE WHEN ${comma} > 0 THEN substr(pl.address, 1, ${comma} - 1) ELSE pl.address END) ${dialect.like} ? ESCAPE '\\'`);
        params.push(form);
      }
    }
    parts.push(`EXISTS (SELECT 1 FROM ${PLACES} WHERE ${tests.join(' OR ')})`);
  }
  return { sql: parts.length === 0 ? '' : ' AND ' + parts.join(' AND '), params };
}
