/**
 * The `findings` and `violators` listings: which rows the store reads for a run and a
 * filter (storage/reads/findings.ts), and how they are shown (columns, table priority,
 * the run's stamp, the mask key).
 */
import { findingRows, FINDING_COLUMNS, maskSecret, VIOLATOR_COLUMNS, violatorRows, type ListingOrder, type ReadStore, type RunRow } from '../storage/reads/index.js';
import { checkFilter, OWN_OFFENCE_RULES, type FindingFilter } from './filters.js';
import { UsageError } from '../errors.js';
import { streamed, type Listing } from './render.js';
import { runMeta } from './runs.js';

export type { ListingOrder } from '../storage/reads/index.js';
export { FINDING_COLUMNS, VIOLATOR_COLUMNS } from '../storage/reads/index.js';

/** Columns a narrow terminal keeps first. */
const FINDING_PRIORITY = ['person_key', 'rule', 'citizenship', 'first_day', 'days', 'status', 'entry_date', 'exit_date', 'regime', 'surname', 'last_lawful_day', 'given_names', 'document_no', 'entry_checkpoint', 'host_id', 'person_id', 'birth_date', 'detail'];

/** SPEC §5's columns first, with these exact names; identity and explanation after. */
export async function listFindings(store: ReadStore, run: RunRow, filter: FindingFilter, order: ListingOrder = {}): Promise<Listing> {
  const rows = streamed(findingRows(store, run.id, checkFilter(filter), order));
  return { columns: FINDING_COLUMNS, rows, meta: runMeta(run), tablePriority: FINDING_PRIORITY, maskKey: await maskSecret(store) };
}

const VIOLATOR_PRIORITY = ['person_key', 'surname', 'citizenship', 'days_over', 'status', 'rules', 'first_unlawful_day', 'given_names', 'document_no', 'findings', 'last_address', 'last_host', 'birth_date'];

/**
 * One row per person with an overstay or ban-breach finding (the foreigner's own
 * offences), most days over first; `--rule` narrows to some of those.
 */
export async function listViolators(store: ReadStore, run: RunRow, filter: FindingFilter, order: ListingOrder | number = {}): Promise<Listing> {
  if (typeof order === 'number') order = { limit: order };
  checkFilter(filter);
  const own = OWN_OFFENCE_RULES as readonly string[];
  const rules = filter.rules && filter.rules.length > 0 ? filter.rules.filter((r) => own.includes(r)) : own;
  if (rules.length === 0) {
    throw new UsageError(`violators are persons with ${own.join(', ')} findings: --rule ${filter.rules!.join(',')} lists none of those`, 'list other findings with: stayaudit findings --rule …');
  }
  const rows = streamed(violatorRows(store, run, { ...filter, rules }, order));
  return { columns: VIOLATOR_COLUMNS, rows, meta: runMeta(run), tablePriority: VIOLATOR_PRIORITY, maskKey: await maskSecret(store) };
}
