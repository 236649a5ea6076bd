/**
 * Shell completion scripts, generated from the program itself so that every command
 * and flag of the registry completes, with values for datasets, rules, formats,
 * statuses and groupings, and file names where a flag takes a path.
 */
import type { Command } from 'commander';

export interface CompletionValues {
  datasets: readonly string[];
  rules: readonly string[];
  formats: readonly string[];
  groupings: readonly string[];
}

export const SHELLS = ['bash', 'zsh'] as const;
export type Shell = (typeof SHELLS)[number];

/** Flags whose value is a path: completed with file names. */
const PATH_FLAGS = ['--db', '--output', '-o', '--rules', '--mapping', '--rejects', '--inbox', '--reports', '--out'];

function flagsOf(command: Command): string[] {
  const flags: string[] = [];
  for (const option of command.options) {
    if (option.short) flags.push(option.short);
    if (option.long) flags.push(option.long);
  }
  flags.push('--help');
  return flags;
}

/** Flags that take a value (so the word after them is not the command). */
function valueFlags(command: Command): string[] {
  return command.options.filter((o) => o.required || o.optional).flatMap((o) => [o.short, o.long].filter((f): f is string => !!f));
}

const quote = (words: readonly string[]): string => words.join(' ');

/** The bash completion function; zsh loads the same through bashcompinit. */
export function completionScript(program: Command, shell: Shell, values: CompletionValues): string {
  const commands = program.commands.filter((c) => c.name() !== 'help');
  const perCommand = commands
    .map((c) => `    ${c.name()}) flags=${JSON.stringify(quote(flagsOf(c)))} ;;`)
    .join('\n');
  const positionalDatasets = commands.filter((c) => c.registeredArguments[0]?.name() === 'dataset').map((c) => c.name());
  const bash = `# stayaudit completion for ${shell}: commands, datasets, rules and flags.
_stayaudit() {
  local cur prev cmd="" flags="" i
  cur="\${COMP_WORDS[COMP_CWORD]}"
  prev="\${COMP_WORDS[COMP_CWORD-1]}"
  local commands=${JSON.stringify(quote(commands.map((c) => c.name())))}
  local globals=${JSON.stringify(quote([...flagsOf(program), '--version']))}
  local global_values=${JSON.stringify(quote(valueFlags(program)))}
  # The command is the first word that is neither a flag nor a global flag's value.
  for ((i = 1; i < COMP_CWORD; i++)); do
    case " $global_values " in *" \${COMP_WORDS[i]} "*) ((i++)); continue ;; esac
    case "\${COMP_WORDS[i]}" in -*) ;; *) cmd="\${COMP_WORDS[i]}"; break ;; esac
  done
  case "$prev" in
    ${PATH_FLAGS.join('|')}) COMPREPLY=($(compgen -f -- "$cur")); return ;;
    --rule) COMPREPLY=($(compgen -W ${JSON.stringify(quote(values.rules))} -- "$cur")); return ;;
    --format) COMPREPLY=($(compgen -W ${JSON.stringify(quote(values.formats))} -- "$cur")); return ;;
    --status) COMPREPLY=($(compgen -W "in-country departed" -- "$cur")); return ;;
    --by) COMPREPLY=($(compgen -W ${JSON.stringify(quote(values.groupings))} -- "$cur")); return ;;
    --delimiter) COMPREPLY=($(compgen -W "comma semicolon tab" -- "$cur")); return ;;
    --encoding) COMPREPLY=($(compgen -W "utf-8 windows-1251" -- "$cur")); return ;;
    --as-of|--from|--to) COMPREPLY=($(compgen -W "today yesterday" -- "$cur")); return ;;
  esac
  if [[ -z "$cmd" ]]; then
    COMPREPLY=($(compgen -W "$commands $globals" -- "$cur"))
    return
  fi
  if [[ "$cmd" == completion && "$cur" != -* ]]; then
    COMPREPLY=($(compgen -W ${JSON.stringify(quote(SHELLS))} -- "$cur"))
    return
  fi
  case "$cmd" in
${perCommand}
  esac
  if [[ "$cur" == -* ]]; then
    COMPREPLY=($(compgen -W "$flags" -- "$cur"))
  elif [[ " ${quote(positionalDatasets)} " == *" $cmd "* && "$prev" == "$cmd" ]]; then
    COMPREPLY=($(compgen -W ${JSON.stringify(quote(values.datasets))} -- "$cur"))
  else
    COMPREPLY=($(compgen -f -- "$cur"))
  fi
}
complete -o filenames -F _stayaudit stayaudit
`;
  if (shell === 'bash') return bash;
  return `#compdef stayaudit
# zsh runs the bash completion through bashcompinit.
autoload -U +X compinit && compinit
autoload -U +X bashcompinit && bashcompinit
${bash}`;
}
