/**
 * Date flags (`--as-of`, `--from`, `--to`): what the data accepts (`YYYY-MM-DD`,
 * `DD.MM.YYYY`), for cron `today` and `yesterday` (this machine's local date), and a
 * day with the month written out in Russian, Kazakh or English (date-fns locales).
 * The numeric forms are checked with the audit's own day numbers (core/dates.ts); today,
 * yesterday and written-out months are parsed with date-fns, loaded for them only.
 */
import { createRequire } from 'node:module';
import { dayFromIso } from '../core/dates.js';
import { UsageError } from '../errors.js';

/**
 * date-fns, loaded on the first date flag, not at start-up: its parser and three
 * locales are ~100 modules (0.12 s), which a command without a date (import, query,
 * person …) need not pay. Each function from its own module (the package's index loads
 * all ~300); required synchronously, as parsing a flag is synchronous.
 */
interface DateFns {
  format: typeof import('date-fns/format').format;
  isValid: typeof import('date-fns/isValid').isValid;
  parse: typeof import('date-fns/parse').parse;
  subDays: typeof import('date-fns/subDays').subDays;
  /** Where a month may be written out: Russian, Kazakh, English. */
  wordLocales: readonly import('date-fns').Locale[];
}

const require = createRequire(import.meta.url);
let loaded: DateFns | undefined;

function dateFns(): DateFns {
  if (loaded === undefined) {
    const locale = (name: string): import('date-fns').Locale => (require(`date-fns/locale/${name}`) as Record<string, import('date-fns').Locale>)[name === 'en-US' ? 'enUS' : name]!;
    loaded = {
      format: (require('date-fns/format') as typeof import('date-fns/format')).format,
      isValid: (require('date-fns/isValid') as typeof import('date-fns/isValid')).isValid,
      parse: (require('date-fns/parse') as typeof import('date-fns/parse')).parse,
      subDays: (require('date-fns/subDays') as typeof import('date-fns/subDays')).subDays,
      wordLocales: [locale('ru'), locale('kk'), locale('en-US')],
    };
  }
  return loaded;
}

/** A day with its month written out, as a Russian or Kazakh analyst types it: "31 декабря 2022", "31 желтоқсан 2022". */
const WORDED = /^\d{1,2}\s+\p{L}+\.?\s+\d{4}$/u;

const ISO = 'yyyy-MM-dd';

/** Today's calendar date on this machine (local time), as YYYY-MM-DD. */
export function today(now: Date = new Date()): string {
  return dateFns().format(now, ISO);
}

/**
 * A date flag's value as YYYY-MM-DD; `now` is injectable for tests. Refuses other
 * forms and impossible dates (31.02.2024) with a usage error naming the flag.
 */
export function parseDateFlag(flag: string, value: string, now: Date = new Date()): string {
  const text = value.trim();
  // The numeric forms are checked by the day arithmetic the audit uses (31.02 is no day),
  // without loading date-fns: an audit --as-of YYYY-MM-DD from cron starts ~50 ms sooner.
  const iso = /^\d{4}-\d{2}-\d{2}$/.test(text) ? text : /^\d{2}\.\d{2}\.\d{4}$/.test(text) ? `${text.slice(6)}-${text.slice(3, 5)}-${text.slice(0, 2)}` : null;
  if (iso !== null) {
    if (Number.isNaN(dayFromIso(iso))) throw new UsageError(`${flag}: ${value} is not a calendar date`);
    return iso;
  }
  const word = text.toLowerCase();
  const { format, parse, subDays, isValid, wordLocales } = dateFns();
  if (word === 'today') return today(now);
  if (word === 'yesterday') return today(subDays(now, 1));
  if (WORDED.test(text)) {
    const spaced = text.replace(/\s+/g, ' ').replace('.', '');
    for (const locale of wordLocales) {
      for (const pattern of ['d MMMM yyyy', 'd MMM yyyy']) {
        const date = parse(spaced, pattern, new Date(2000, 0, 1), { locale });
        if (isValid(date)) return format(date, ISO);
      }
    }
  }
  throw new UsageError(
    `${flag} must be a date YYYY-MM-DD or DD.MM.YYYY (or today, yesterday), not '${value}'`,
    'a month written out works too, in Russian, Kazakh or English: "31 декабря 2022", "31 желтоқсан 2022", "31 December 2022"',
  );
}
