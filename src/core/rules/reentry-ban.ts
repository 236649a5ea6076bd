/**
 * Re-entry ban (SPEC §3): an entry strictly after the ban start (expelled_on, else
 * decided_on) and strictly before the same date ban_years later (the ruleset's ban
 * years when the decision gives none) breaks the ban. One finding per breaching
 * entry; where bans overlap, the one that ends last counts. The foreigner's offence.
 */
import { addYearsClamped, isoFromDay } from '../dates.js';
import { field, stayFinding, type RuleFamily } from './rule.js';

export const BAN_BREACH = {
  name: 'ban-breach',
  offender: 'person',
  explain: (d) => `entry during the re-entry ban ${field(d, 'banStart')}..${field(d, 'banEnd')}`,
} as const satisfies RuleFamily['rules'][number];

export const reentryBan: RuleFamily<typeof BAN_BREACH.name> = {
  family: 're-entry ban',
  rules: [BAN_BREACH],
  judgeStay(person, s, findings) {
    if (person.expulsions.length === 0) return;
    const entry = s.entry;
    let banStart = 0;
    let banEnd = -Infinity;
    let years = 0;
    let decidedOn = 0;
    for (const ex of person.expulsions) {
      const start = ex.expelledOn ?? ex.decidedOn;
      const y = ex.banYears ?? person.compiled.banYears;
      const stop = addYearsClamped(start, y);
      // Of several bans the entry breaks, report the one that lasts longest.
      if (entry > start && entry < stop && stop > banEnd) {
        banStart = start;
        banEnd = stop;
        years = y;
        decidedOn = ex.decidedOn;
      }
    }
    if (banEnd === -Infinity) return;
    findings.push(stayFinding(person, s, BAN_BREACH.name, {
      firstDay: entry,
      lastLawfulDay: null,
      days: Math.min(s.end, banEnd - 1) - entry + 1,
      detail: { banStart: isoFromDay(banStart), banEnd: isoFromDay(banEnd), banYears: years, decidedOn: isoFromDay(decidedOn) },
    }));
  },
};
