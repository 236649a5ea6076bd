import fs from 'node:fs';
import { defaultRuleset, parseRuleset, RulesetError, type Ruleset } from '../core/ruleset.js';
import { InputError } from '../errors.js';
import { normaliseCitizenship } from '../import/citizenship.js';

/** A rules file's citizenship must be a code the import stores, or no crossing would ever match it. */
function checkCountryCode(code: string): string | null {
  const stored = normaliseCitizenship(code);
  if (stored === code) return null;
  return stored === null ? 'no such ISO 3166-1 alpha-3 or ICAO code (e.g. RUS, UZB, XXA)' : `imports store it as ${stored}; write ${stored}`;
}

/**
 * The built-in Kazakhstan ruleset, or a rules file checked field by field before
 * anything runs. Its `name` is 'default', or the file's `name`, else derived from the
 * file name.
 */
export function loadRuleset(file: string | undefined): Ruleset {
  if (file === undefined) return defaultRuleset();
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new InputError(`cannot read rules file ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, { file, hint: 'check the --rules path' });
  }
  let json: unknown;
  try {
    json = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new InputError(`rules file ${file} is not valid JSON: ${(error as Error).message}`, { file, hint: 'see "Rules files" in the README for the format' });
  }
  try {
    return parseRuleset(json, file, checkCountryCode);
  } catch (error) {
    if (error instanceof RulesetError) throw new InputError(error.message, { file, hint: 'see "Rules files" in the README for every field' });
    throw error;
  }
}
