/**
 * Date flags (`--as-of`, `--from`, `--to`): what the data accepts (`YYYY-MM-DD`,
 * `DD.MM.YYYY`) and, for cron, `today` and `yesterday` (this machine's local date).
 * Parsed with date-fns at the edge; the audit itself works on integer day numbers.
 */
import { format, isMatch, parse, subDays } from 'date-fns';
import { UsageError } from '../errors.js';

const FORMS: readonly { pattern: RegExp; dateFns: string }[] = [
  { pattern: /^\d{4}-\d{2}-\d{2}$/, dateFns: 'yyyy-MM-dd' },
  { pattern: /^\d{2}\.\d{2}\.\d{4}$/, dateFns: 'dd.MM.yyyy' },
];

const ISO = 'yyyy-MM-dd';

/** Today's calendar date on this machine (local time), as YYYY-MM-DD. */
export function today(now: Date = new Date()): string {
  return format(now, ISO);
}

/**
 * A date flag's value as YYYY-MM-DD; `now` is injectable for tests. Refuses other
 * forms and impossible dates (31.02.2024) with a usage error naming the flag.
 */
export function parseDateFlag(flag: string, value: string, now: Date = new Date()): string {
  const text = value.trim();
  const word = text.toLowerCase();
  if (word === 'today') return today(now);
  if (word === 'yesterday') return today(subDays(now, 1));
  const form = FORMS.find((f) => f.pattern.test(text));
  if (form === undefined) {
    throw new UsageError(`${flag} must be a date YYYY-MM-DD or DD.MM.YYYY (or today, yesterday), not '${value}'`);
  }
  if (!isMatch(text, form.dateFns)) throw new UsageError(`${flag}: ${value} is not a calendar date`);
  return format(parse(text, form.dateFns, new Date(2000, 0, 1)), ISO);
}
