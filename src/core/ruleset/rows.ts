/** The rows of the `rules` command: a ruleset's regimes in priority order, and its other settings. */
import type { Ruleset } from './definition.js';

/** One row of the `rules` table; empty strings stand for "none". Column names are part of the CSV/JSON output. */
export interface RulesetRow {
  regime: string;
  groups: string;
  members: string;
  from: string;
  until: string;
  cap: number | string;
  window_max: number | string;
  window_days: number | string;
  count_from: string;
  requires_visa: string;
}

/** The regimes of a ruleset in priority order, then the default regime. */
export function rulesetRows(ruleset: Ruleset): RulesetRow[] {
  const rows: RulesetRow[] = ruleset.regimes.map((def) => {
    const members: string[] = [];
    for (const g of def.groups) for (const c of ruleset.groups[g] ?? []) if (!members.includes(c)) members.push(c);
    for (const c of def.countries) if (!members.includes(c)) members.push(c);
    return {
      regime: def.name,
      groups: def.groups.join(' '),
      members: members.join(' '),
      from: def.from ?? '',
      until: def.until ?? '',
      cap: def.cap ?? '',
      window_max: def.window?.max ?? '',
      window_days: def.window?.days ?? '',
      count_from: def.window === null ? '' : (def.window.countFrom ?? ''),
      requires_visa: def.requiresVisa ? 'yes' : 'no',
    };
  });
  const d = ruleset.defaultRegime;
  rows.push({
    regime: d.name,
    groups: '',
    members: '(every other citizenship)',
    from: '',
    until: '',
    cap: d.cap ?? '',
    window_max: d.window?.max ?? '',
    window_days: d.window?.days ?? '',
    count_from: d.window === null ? '' : (d.window.countFrom ?? ''),
    requires_visa: d.requiresVisa ? 'yes' : 'no',
  });
  return rows;
}

export interface RulesetSettingRow {
  setting: string;
  value: string;
}

/** The non-regime settings, for a second `rules` table. */
export function rulesetSettingRows(ruleset: Ruleset): RulesetSettingRow[] {
  return [
    { setting: 'name', value: ruleset.name },
    { setting: 'description', value: ruleset.description ?? '' },
    { setting: 'registration.workingDays', value: String(ruleset.registration.workingDays) },
    { setting: 'registration.holidays', value: ruleset.registration.holidays.join(' ') },
    { setting: 'registration.extraHolidays', value: ruleset.registration.extraHolidays.join(' ') },
    { setting: 'graceDays', value: String(ruleset.graceDays) },
    { setting: 'banYears', value: String(ruleset.banYears) },
    { setting: 'missingExit', value: ruleset.missingExit },
    { setting: 'checkpoints', value: ruleset.checkpoints === null ? '' : ruleset.checkpoints.join(' ') },
  ];
}
