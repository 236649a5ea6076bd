/**
 * Rulesets, in one import: the data shape (`ruleset/definition.ts`), the built-in
 * Kazakhstan ruleset (`law/kazakhstan.ts`), the rules-file format
 * (`ruleset/rules-file.ts`), the compiled form the audit reads (`ruleset/compile.ts`)
 * and the rows of the `rules` command (`ruleset/rows.ts`).
 */
export * from './ruleset/definition.js';
export { defaultRuleset } from './law/kazakhstan.js';
export * from './ruleset/rules-file.js';
export * from './ruleset/compile.js';
export * from './ruleset/rows.js';
