/**
 * Date flags (`--as-of`, `--from`, `--to`): what the data accepts (`YYYY-MM-DD`,
 * `DD.MM.YYYY`), for cron `today` and `yesterday` (this machine's local date), and a
 * day with the month written out in Russian, Kazakh or English (date-fns locales).
 * Parsed with date-fns at the edge; the audit itself works on integer day numbers.
 */
// Each function from its own module: the package's index loads all ~300 of them (about
// a third of the command line's start-up).
import type { Locale } from 'date-fns';
import { format } from 'date-fns/format';
import { isMatch } from 'date-fns/isMatch';
import { isValid } from 'date-fns/isValid';
import { parse } from 'date-fns/parse';
import { subDays } from 'date-fns/subDays';
import { enUS } from 'date-fns/locale/en-US';
import { kk } from 'date-fns/locale/kk';
import { ru } from 'date-fns/locale/ru';
import { UsageError } from '../errors.js';

/** A day with its month written out, as a Russian or Kazakh analyst types it: "31 декабря 2022", "31 желтоқсан 2022". */
const WORDED = /^\d{1,2}\s+\p{L}+\.?\s+\d{4}$/u;
const WORD_LOCALES: readonly Locale[] = [ru, kk, enUS];

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
  if (WORDED.test(text)) {
    const spaced = text.replace(/\s+/g, ' ').replace('.', '');
    for (const locale of WORD_LOCALES) {
      for (const pattern of ['d MMMM yyyy', 'd MMM yyyy']) {
        const date = parse(spaced, pattern, new Date(2000, 0, 1), { locale });
        if (isValid(date)) return format(date, ISO);
      }
    }
  }
  const form = FORMS.find((f) => f.pattern.test(text));
  if (form === undefined) {
    throw new UsageError(
      `${flag} must be a date YYYY-MM-DD or DD.MM.YYYY (or today, yesterday), not '${value}'`,
      'a month written out works too, in Russian, Kazakh or English: "31 декабря 2022", "31 желтоқсан 2022", "31 December 2022"',
    );
  }
  if (!isMatch(text, form.dateFns)) throw new UsageError(`${flag}: ${value} is not a calendar date`);
  return format(parse(text, form.dateFns, new Date(2000, 0, 1)), ISO);
}
