/**
 * The figures of SPEC §4 and how they group: what each one counts, which groupings can
 * split it, and the rates made from them. The one list every output (stats, nightly,
 * the HTML report) takes its columns from.
 */

export const GROUPINGS = ['citizenship', 'month', 'checkpoint', 'rule', 'host'] as const;
export type Grouping = (typeof GROUPINGS)[number];

/** The figures of one group (or the totals). */
export interface Figures {
  /** IN crossings of the period (up to the as-of date), under the citizenship on each. */
  entries: number;
  /** OUT crossings of the period (up to the as-of date). */
  exits: number;
  /** Distinct persons with an entry in the period (once per group, once in the total). */
  persons_entered: number;
  /** Distinct persons with an own offence whose first unlawful day is in the period. */
  violators: number;
  /** Own-offence findings whose first unlawful day is in the period. */
  findings: number;
  /** Unregistered and late-registration findings (the receiving party's offences) of the period. */
  registration_findings: number;
  /** Stays whose authorised stay ends in the period (DHS's expected departures). */
  expected_departures: number;
  /** Those of them that overstayed, departed or still in the country. */
  overstays: number;
  overstays_departed: number;
  overstays_in_country: number;
  /** Expulsions decided in the period (up to the as-of date) that the run knew. */
  expulsions: number;
  /** Entries of the period whose stay has a recorded exit as of the as-of date; null for runs stored before it was counted. */
  entries_with_exit: number | null;
}

/** What a grouping can split; a figure it cannot split is only in the totals. */
export interface Splits {
  crossings: boolean;
  ownFindings: boolean;
  registrationFindings: boolean;
  departures: boolean;
  expulsions: boolean;
}

export const SPLITS: Readonly<Record<Grouping, Splits>> = {
  citizenship: { crossings: true, ownFindings: true, registrationFindings: true, departures: true, expulsions: true },
  // Findings by the month of their first unlawful day, departures by the month the authorised stay ends.
  month: { crossings: true, ownFindings: true, registrationFindings: true, departures: true, expulsions: true },
  // Findings and departures by the checkpoint of entry; expulsions have none.
  checkpoint: { crossings: true, ownFindings: true, registrationFindings: true, departures: true, expulsions: false },
  rule: { crossings: false, ownFindings: true, registrationFindings: true, departures: false, expulsions: false },
  // Registration findings are the receiving party's offences: they alone group by host.
  host: { crossings: false, ownFindings: false, registrationFindings: true, departures: false, expulsions: false },
};

/** The statistics columns, in order (rates next to what they are rates of). */
export const STATS_COLUMNS = [
  'entries',
  'exits',
  'persons_entered',
  'violators',
  'violator_rate_pct',
  'entry_rate_pct',
  'findings',
  'registration_findings',
  'expected_departures',
  'overstays',
  'overstays_departed',
  'overstays_in_country',
  'overstay_rate_pct',
  'expulsions',
] as const;

/** Columns added later, after the stamp columns, so that existing consumers of the CSV keep working. */
export const LATER_COLUMNS = ['entries_with_exit', 'exit_match_pct'] as const;

export function emptyFigures(): Figures {
  return {
    entries: 0,
    exits: 0,
    persons_entered: 0,
    violators: 0,
    findings: 0,
    registration_findings: 0,
    expected_departures: 0,
    overstays: 0,
    overstays_departed: 0,
    overstays_in_country: 0,
    expulsions: 0,
    entries_with_exit: 0,
  };
}

/** A share as a percentage with three decimals; null when the base is zero. */
export function percent(numerator: number, denominator: number): number | null {
  if (denominator === 0) return null;
  return Math.round((numerator / denominator) * 100_000) / 1000;
}

/** Share of entries whose stay has a recorded exit (UK exit checks' "matched"); null when unknown or no entries. */
export function exitMatchPercent(f: Figures): number | null {
  return f.entries_with_exit === null ? null : percent(f.entries_with_exit, f.entries);
}

export type FigureRow = Record<(typeof STATS_COLUMNS)[number] | (typeof LATER_COLUMNS)[number], number | null>;

/** The figures with their rates, as the columns name them. */
export function withRates(f: Figures): FigureRow {
  return {
    entries: f.entries,
    exits: f.exits,
    persons_entered: f.persons_entered,
    violators: f.violators,
    violator_rate_pct: percent(f.violators, f.persons_entered),
    entry_rate_pct: percent(f.violators, f.entries),
    findings: f.findings,
    registration_findings: f.registration_findings,
    expected_departures: f.expected_departures,
    overstays: f.overstays,
    overstays_departed: f.overstays_departed,
    overstays_in_country: f.overstays_in_country,
    overstay_rate_pct: percent(f.overstays, f.expected_departures),
    expulsions: f.expulsions,
    entries_with_exit: f.entries_with_exit,
    exit_match_pct: exitMatchPercent(f),
  };
}

/** The columns a grouping leaves empty in its group rows (the figure is in TOTAL only). */
export function inapplicableColumns(grouping: Grouping): string[] {
  const s = SPLITS[grouping];
  const columns: string[] = [];
  if (!s.crossings) columns.push('entries', 'exits', 'persons_entered', 'violator_rate_pct', 'entry_rate_pct', 'entries_with_exit', 'exit_match_pct');
  if (!s.ownFindings) columns.push('violators', 'findings', 'violator_rate_pct', 'entry_rate_pct');
  if (!s.registrationFindings) columns.push('registration_findings');
  if (!s.departures) columns.push('expected_departures', 'overstays', 'overstays_departed', 'overstays_in_country', 'overstay_rate_pct');
  if (!s.expulsions) columns.push('expulsions');
  return columns;
}
