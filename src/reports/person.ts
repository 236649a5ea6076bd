/**
 * `person`: everything known about one person, read from the store in one snapshot
 * (storage/reads/persons.ts), judged as of a run with its ruleset, with why for each
 * finding and where the person stands on the as-of day.
 */
import { ruleInfo } from '../core/rules/registry.js';
import { auditPerson } from '../core/audit.js';
import { dayFromIso, isoFromDay } from '../core/dates.js';
import { explainPerson } from '../core/explain.js';
import { compileRuleset, defaultRuleset, type Ruleset } from '../core/ruleset.js';
import type { Day } from '../core/types.js';
import { UsageError } from '../errors.js';
import { normaliseCitizenship } from '../import/citizenship.js';
import { normaliseDocumentNo } from '../import/values.js';
import { maskSecret, matchPersons, personRecords, type ReadStore } from '../storage/reads/index.js';
import type { Row } from './render.js';
import { rulesetLabel, type RunRow } from './runs.js';

export interface PersonReport {
  personKey: string;
  /** The key of the --mask pseudonyms of this store. */
  maskKey: string;
  identity: Row;
  asOf: string;
  run: number | null;
  ruleset: string;
  crossings: Row[];
  stays: Row[];
  permits: Row[];
  registrations: Row[];
  expulsions: Row[];
  findings: Row[];
  now: Row;
}

/**
 * Finds the person a user means: an exact person key, a person_id, a document number
 * (any spelling: spaces, dashes, case), or CITIZENSHIP:DOCUMENT with any citizenship
 * spelling. Several persons with that document number is an error listing them.
 */
async function resolvePersonKey(store: ReadStore, key: string): Promise<string> {
  const colon = key.indexOf(':');
  const citizenship = colon > 0 ? normaliseCitizenship(key.slice(0, colon)) : null;
  const matches = await matchPersons(store, {
    key,
    documentNo: normaliseDocumentNo(key),
    ...(citizenship !== null ? { citizenshipDocument: { citizenship, documentNo: normaliseDocumentNo(key.slice(colon + 1)) } } : {}),
  });
  if (matches.exact !== undefined) return matches.exact;
  if (matches.byId.length === 1) return matches.byId[0]!;
  if (matches.byCitizenshipDocument !== undefined) return matches.byCitizenshipDocument;
  if (matches.byDocument.length === 1) return matches.byDocument[0]!;
  if (matches.byDocument.length > 1 || matches.byId.length > 1) {
    const keys = matches.byDocument.length > 1 ? matches.byDocument : matches.byId;
    throw new UsageError(`'${key}' matches ${keys.length} persons: ${keys.slice(0, 10).join(', ')}`, 'give the full key, e.g. CITIZENSHIP:DOCUMENT');
  }
  throw new UsageError(`no person '${key}' in the database`, 'give a person_id, a document number or CITIZENSHIP:DOCUMENT');
}

const iso = (day: Day | null | undefined): string | null => (day === null || day === undefined || !Number.isFinite(day) ? null : isoFromDay(day));

/**
 * Everything known about one person, judged as of the run's date with the run's ruleset,
 * read in one snapshot: an import committing meanwhile cannot mix old and new rows.
 */
export function personReport(store: ReadStore, key: string, run: RunRow | undefined, fallbackAsOf: string): Promise<PersonReport> {
  return store.snapshot(() => reportOf(store, key, run, fallbackAsOf));
}

async function reportOf(store: ReadStore, key: string, run: RunRow | undefined, fallbackAsOf: string): Promise<PersonReport> {
  const personKey = await resolvePersonKey(store, key);
  const ruleset: Ruleset = run ? (JSON.parse(run.ruleset_json) as Ruleset) : defaultRuleset();
  const compiled = compileRuleset(ruleset);
  const asOf = run?.as_of ?? fallbackAsOf;
  const asOfDay = dayFromIso(asOf);
  const records = await personRecords(store, personKey, run?.id ?? null);
  const loaded = records.timeline;
  const stored: Row = records.identity ?? { person_key: personKey };
  const timeline = loaded ?? { personKey, citizenship: String(stored['citizenship'] ?? ''), crossings: [], permits: [], registrations: [], expulsions: [] };
  const audit = auditPerson(timeline, compiled, asOfDay);
  const explanation = explainPerson(timeline, compiled, asOfDay);
  // The person's one citizenship is that of their latest crossing on or before as-of (SPEC §2).
  const identity: Row = { ...stored, citizenship: explanation.citizenship };

  const crossings: Row[] = records.crossings;
  const stays: Row[] = audit.stays.map((s) => ({
    citizenship: s.citizenship,
    entry_date: iso(s.entryDay),
    exit_date: iso(s.exitDay),
    status: s.status,
    days_present: s.daysPresent,
    regime: s.regime,
    authorised_until: iso(s.authorisedUntil),
    overstay: s.overstay ? 'yes' : 'no',
    entry_checkpoint: s.entryCheckpoint,
  }));
  const permits: Row[] = records.permits;
  const registrations: Row[] = records.registrations;
  const expulsions: Row[] = records.expulsions;
  // The stored findings of the run are the record; "why" comes from their detail.
  const findings: Row[] = run
    ? records.findings.map((f) => ({ ...f, why: explainFinding(String(f['rule']), JSON.parse(String(f['detail'] ?? '{}')) as Record<string, unknown>) }))
    : audit.findings.map((f) => ({
        rule: f.rule,
        citizenship: f.citizenship,
        regime: f.regime,
        entry_date: iso(f.entryDay),
        exit_date: iso(f.exitDay),
        first_day: iso(f.firstDay),
        last_lawful_day: iso(f.lastLawfulDay),
        days: f.days,
        status: f.status,
        detail: JSON.stringify(f.detail),
        why: explainFinding(f.rule, f.detail),
      }));
  const now: Row = {
    as_of: asOf,
    citizenship: explanation.citizenship,
    present: explanation.present ? 'yes' : 'no',
    regime: explanation.regime,
    covered_by_permit: explanation.covered ? 'yes' : 'no',
    entry_date: iso(explanation.entryDay),
    days_in_stay: explanation.daysInStay,
    cap: explanation.cap,
    cap_end: iso(explanation.capEnd),
    window: explanation.windowDays === null ? null : `${explanation.windowMax} in ${explanation.windowDays} days`,
    days_used_in_window: explanation.daysUsedInWindow,
    days_remaining: explanation.daysRemaining,
    last_lawful_day_if_stays_on: iso(explanation.lastLawfulDayIfStaysOn),
  };
  return {
    personKey,
    maskKey: await maskSecret(store),
    identity,
    asOf,
    run: run?.id ?? null,
    ruleset: run ? rulesetLabel(run) : 'default',
    crossings,
    stays,
    permits,
    registrations,
    expulsions,
    findings,
    now,
  };
}

/** One sentence saying why a finding was made, from what the audit stored: the rule's own explanation (src/core/rules). */
function explainFinding(rule: string, d: Record<string, unknown>): string {
  const info = ruleInfo(rule);
  if (info !== undefined) return info.explain(d as Parameters<typeof info.explain>[0]);
  return Object.entries(d)
    .map(([k, value]) => `${k}=${String(value)}`)
    .join(', ');
}
