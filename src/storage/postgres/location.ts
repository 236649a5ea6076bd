/**
 * Where a store lives: an SQLite file (a path) or a PostgreSQL database (a
 * `postgres://` or `postgresql://` URL). URLs are only ever shown redacted: a password
 * in them, or in any text that quotes them, never reaches output, logs or errors.
 */
import path from 'node:path';
import { UsageError } from '../../errors.js';

export type StoreLocation =
  | { readonly kind: 'sqlite'; readonly file: string; readonly label: string }
  | { readonly kind: 'postgres'; readonly url: string; readonly label: string };

const POSTGRES_URL = /^postgres(?:ql)?:\/\//i;

export function isPostgresUrl(spec: string): boolean {
  return POSTGRES_URL.test(spec.trim());
}

/** `--db` (or `--from`/`--to`), else $STAYAUDIT_DB, else ./stayaudit.db. */
export function storeSpec(flag: string | undefined, env: NodeJS.ProcessEnv): string {
  return flag ?? env['STAYAUDIT_DB'] ?? 'stayaudit.db';
}

export function storeLocation(spec: string, cwd: string = process.cwd()): StoreLocation {
  if (isPostgresUrl(spec)) return { kind: 'postgres', url: spec.trim(), label: redactUrl(spec.trim()) };
  const file = path.resolve(cwd, spec);
  return { kind: 'sqlite', file, label: file };
}

/**
 * The URL with its password (user-info or `password=` parameter) replaced by `***`.
 * Works on any text, so a message that quotes a URL can go through it too.
 */
export function redactUrl(text: string): string {
  return text
    .replace(/(postgres(?:ql)?:\/\/[^:/?#@\s]*):[^@\s]*@/gi, '$1:***@')
    .replace(/([?&]password=)[^&#\s]*/gi, '$1***');
}

/** The password a URL carries, if any, as written and decoded (for scrubbing messages). */
export function urlPasswords(url: string): string[] {
  const found = new Set<string>();
  const userInfo = /^postgres(?:ql)?:\/\/[^:/?#@\s]*:([^@\s]*)@/i.exec(url.trim());
  const param = /[?&]password=([^&#\s]*)/i.exec(url);
  for (const raw of [userInfo?.[1], param?.[1]]) {
    if (raw === undefined || raw === '') continue;
    found.add(raw);
    try {
      found.add(decodeURIComponent(raw));
    } catch {
      // Not valid percent-encoding: the raw form is scrubbed.
    }
  }
  return [...found];
}

/** Text with the URL's password removed wherever it appears, and every URL redacted. */
export function scrubSecrets(text: string, url: string): string {
  let out = redactUrl(text);
  for (const secret of urlPasswords(url).sort((a, b) => b.length - a.length)) {
    if (secret.length > 0) out = out.split(secret).join('***');
  }
  return out;
}

/**
 * The commands other than init and copy do not run on PostgreSQL yet (issue 17): a
 * URL given to them is a usage error that says what does work.
 */
export function refuseServerStore(spec: string): void {
  if (!isPostgresUrl(spec)) return;
  throw new UsageError(
    `PostgreSQL stores (${redactUrl(spec.trim())}) support only init and copy so far; the other commands arrive with issue 17`,
    'copy the store into an SQLite file and run the command there: stayaudit copy --from URL --to stayaudit.db, then stayaudit --db stayaudit.db COMMAND',
  );
}
