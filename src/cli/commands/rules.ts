import { loadRuleset } from '../../audit/load-ruleset.js';
import { rulesetRows, rulesetSettingRows } from '../../core/ruleset.js';
import type { Row } from '../../reports/render.js';
import { emitListing } from '../output.js';
import { outputOptions, type OutputFlags } from '../context.js';
import { withOutputOptions, type CommandSpec } from './command.js';

export const rulesCommand: CommandSpec = {
  name: 'rules',
  description:
    'Print the effective ruleset (built-in Kazakhstan rules, or --rules FILE, checked field by field) as a table: regimes, members, dates, caps, windows; then the settings.',
  examples: ['stayaudit rules', 'stayaudit rules --rules my-rules.json --settings --format json'],
  configure(command, ctx) {
    withOutputOptions(command.option('--rules <file>', 'rules file to check and show instead of the built-in ruleset'))
      .option('--settings', 'list the settings (registration, holidays, grace days, ban years…) instead of the regimes')
      .action(async (flags: OutputFlags & { rules?: string; settings?: boolean }) => {
        const ruleset = loadRuleset(flags.rules);
        const meta = { ruleset: ruleset.name };
        const regimes = rulesetRows(ruleset) as unknown as Row[];
        const settings = rulesetSettingRows(ruleset) as unknown as Row[];
        const columnsOf = (rows: Row[]): string[] => (rows.length > 0 ? Object.keys(rows[0]!) : []);
        const table = outputOptions(ctx, flags, null).format === 'table';
        if (flags.settings) {
          await emitListing(ctx, { columns: columnsOf(settings), rows: settings, meta }, flags);
          return;
        }
        await emitListing(ctx, { columns: columnsOf(regimes), rows: regimes, meta }, flags);
        if (table && flags.output === undefined) {
          await emitListing(ctx, { columns: columnsOf(settings), rows: settings, meta }, flags);
        }
      });
  },
};
