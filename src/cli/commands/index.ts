import type { CommandSpec } from './command.js';
/**
 * The registry: every command of stayaudit, in the order `--help` lists them. Each
 * command's module (and what it imports) is loaded only when the command line names
 * it: an import loads no report, audit or nightly code (start-up, issue 18).
 */
const LOADERS = {
  import: async () => (await import('./import.js')).importCommand,
  inspect: async () => (await import('./inspect.js')).inspectCommand,
  audit: async () => (await import('./audit.js')).auditCommand,
  findings: async () => (await import('./findings.js')).findingsCommand,
  violators: async () => (await import('./violators.js')).violatorsCommand,
  stats: async () => (await import('./stats.js')).statsCommand,
  report: async () => (await import('./report.js')).reportCommand,
  person: async () => (await import('./person.js')).personCommand,
  runs: async () => (await import('./runs.js')).runsCommand,
  diff: async () => (await import('./diff.js')).diffCommand,
  query: async () => (await import('./query.js')).queryCommand,
  rules: async () => (await import('./rules.js')).rulesCommand,
  nightly: async () => (await import('./nightly.js')).nightlyCommand,
  generate: async () => (await import('./generate.js')).generateCommand,
  init: async () => (await import('./init.js')).initCommand,
  copy: async () => (await import('./copy.js')).copyCommand,
  completion: async () => (await import('./completion.js')).completionCommand,
} satisfies Record<string, () => Promise<CommandSpec>>;

export type CommandName = keyof typeof LOADERS;

/** The commands' names, in the order `--help` lists them. */
export const COMMAND_NAMES = Object.keys(LOADERS) as CommandName[];

function isCommandName(word: string): word is CommandName {
  return Object.hasOwn(LOADERS, word);
}

/** Every command of the registry, in order. */
export function allCommands(): Promise<CommandSpec[]> {
  return Promise.all(COMMAND_NAMES.map((name) => LOADERS[name]()));
}

/**
 * The commands a command line needs, in registry order: those its words name (an option's
 * value that happens to be a command's name only loads one more); none for the program's
 * `--version`; every command when it names none (help, a mistyped command, which
 * commander answers with the list) or asks for `completion` (its script lists every
 * command's flags).
 */
export function commandsFor(words: readonly string[]): Promise<CommandSpec[]> {
  const named = new Set(words.filter(isCommandName));
  if (named.size === 0 && (words.includes('--version') || words.includes('-V'))) return Promise.resolve([]);
  if (named.size === 0 || named.has('completion')) return allCommands();
  return Promise.all(COMMAND_NAMES.filter((name) => named.has(name)).map((name) => LOADERS[name]()));
}
