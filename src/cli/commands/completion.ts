import { UsageError } from '../../errors.js';
import { DATASETS } from '../../import/rows.js';
import { ALL_RULES } from '../../reports/filters.js';
import { FORMATS } from '../../reports/render.js';
import { GROUPINGS } from '../../reports/stats.js';
import { completionScript, SHELLS, type Shell } from '../completion-script.js';
import type { CommandSpec } from './command.js';

export const completionCommand: CommandSpec = {
  name: 'completion',
  description: 'Print a shell completion script (bash or zsh) for commands, datasets, rules and flags; load it from your shell profile.',
  examples: ['stayaudit completion bash >> ~/.bashrc', 'source <(stayaudit completion zsh)'],
  configure(command, ctx) {
    command.argument('<shell>', SHELLS.join(' or ')).action((shell: string) => {
      if (!(SHELLS as readonly string[]).includes(shell)) throw new UsageError(`unknown shell '${shell}'`, `use ${SHELLS.join(' or ')}`);
      const program = command.parent;
      if (program === null) throw new Error('the completion command is not part of the program');
      ctx.io.stdout.write(completionScript(program, shell as Shell, { datasets: DATASETS, rules: ALL_RULES, formats: FORMATS, groupings: GROUPINGS }));
    });
  },
};
