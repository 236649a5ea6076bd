import type { Command } from 'commander';
import { initStore, initSummary, storeLocation, storeSpec } from '../../storage/reads/index.js';
import type { CommandSpec } from './command.js';

export const initCommand: CommandSpec = {
  name: 'init',
  description: 'Create the store named by --db (an SQLite file, or a postgres:// URL) with an empty schema, or upgrade it; does nothing to a store that is up to date.',
  examples: ['stayaudit --db stayaudit.db init', 'stayaudit --db postgres://stayaudit@dbhost:5432/stayaudit init'],
  configure(command, ctx) {
    command.action(async (_flags: object, self: Command) => {
      const location = storeLocation(storeSpec(self.optsWithGlobals<{ db?: string }>().db, ctx.io.env), ctx.io.cwd);
      ctx.note(initSummary(await initStore(location)));
    });
  },
};
