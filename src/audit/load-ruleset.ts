import fs from 'node:fs';
import { defaultRuleset, parseRuleset, RulesetError, type Ruleset } from '../core/ruleset.js';
import { InputError } from '../errors.js';

export interface LoadedRuleset {
  ruleset: Ruleset;
  /** The ruleset's own name ('default', or the file's `name`, else derived from the file name). */
  name: string;
}

/** The built-in Kazakhstan ruleset, or a rules file checked field by field before anything runs. */
export function loadRuleset(file: string | undefined): LoadedRuleset {
  if (file === undefined) {
    const ruleset = defaultRuleset();
    return { ruleset, name: ruleset.name };
  }
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
    const ruleset = parseRuleset(json, file);
    return { ruleset, name: ruleset.name };
  } catch (error) {
    if (error instanceof RulesetError) throw new InputError(error.message, { file, hint: 'see "Rules files" in the README for every field' });
    throw error;
  }
}
