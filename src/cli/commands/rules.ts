import { loadRuleset } from '../../audit/load-ruleset.js';
import { rulesetRows } from '../../core/ruleset.js';
import type { Row } from '../../reports/render.js';
import { emitListing } from '../output.js';
import type { OutputFlags } from '../context.js';
import { withOutputOptions, type CommandSpec } from './command.js';

export const rulesCommand: CommandSpec = {
  name: 'rules',
  description: 'Print the effective ruleset (built-in Kazakhstan rules, or --rules FILE) as a table: regimes, members, dates, caps, windows.',
  examples: ['stayaudit rules', 'stayaudit rules --rules my-rules.json --format json'],
  configure(command, ctx) {
    withOutputOptions(command.option('--rules <file>', 'rules file to check and show instead of the built-in ruleset')).action(
      async (flags: OutputFlags & { rules?: string }) => {
        const { ruleset, name } = loadRuleset(flags.rules);
        const rows = rulesetRows(ruleset) as unknown as Row[];
        const columns = rows.length > 0 ? Object.keys(rows[0]!) : [];
        await emitListing(ctx, { columns, rows, meta: { ruleset: name } }, flags);
      },
    );
  },
};
