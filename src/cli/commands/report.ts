import path from 'node:path';
import { UsageError } from '../../errors.js';
import { LANGUAGES, type Language } from '../../reports/html/languages.js';
import type { WriteReportOptions } from '../../reports/html/write-report.js';
import { resolveRun } from '../../reports/runs.js';
import { parseDateFlag, parseWholeNumberFlag } from '../context.js';
import { VERSION } from '../program.js';
import type { CommandSpec } from './command.js';
import { parseRunFlag } from './listing-flags.js';

interface ReportFlags {
  run?: string;
  from?: string;
  to?: string;
  output?: string;
  lang?: string;
  violators?: string;
  mask?: boolean;
  pdf?: string;
}

export const reportCommand: CommandSpec = {
  name: 'report',
  description:
    'One self-contained HTML file for people who look rather than read: the statement in Russian, Kazakh or English, charts, data quality and changes since the previous run (aggregates only unless --violators).',
  examples: ['stayaudit report', 'stayaudit report --run 3 --lang en --output audit.html --pdf audit.pdf', 'stayaudit report --from 2022-07-01 --to 2022-12-31 --violators 20'],
  configure(command, ctx) {
    command
      .option('--run <n>', 'audit run number (default: the latest)')
      .option('--from <date>', 'period start (default: 1 January of the as-of year)')
      .option('--to <date>', 'period end (default: 31 December of the as-of year)')
      .option('-o, --output <file>', 'the HTML file (default: report-<as-of>.html; - writes to stdout)')
      .option('--lang <lang>', `language of the text: ${LANGUAGES.join(', ')}`, 'ru')
      .option('--violators <n>', 'add the top N violators (masked unless --no-mask)')
      .option('--no-mask', 'name the violators (with --violators) and the receiving parties: personal data')
      .option('--pdf <file>', 'also print the report to an A4 PDF with headless Chromium (/usr/bin/chromium or $STAYAUDIT_CHROMIUM)')
      .action(async (flags: ReportFlags) => {
        const lang = flags.lang ?? 'ru';
        if (!(LANGUAGES as readonly string[]).includes(lang)) throw new UsageError(`unknown --lang '${lang}'`, `use one of ${LANGUAGES.join(', ')}`);
        const options: WriteReportOptions = { lang: lang as Language, tool: `stayaudit ${VERSION}` };
        if (flags.from !== undefined) options.from = parseDateFlag('--from', flags.from);
        if (flags.to !== undefined) options.to = parseDateFlag('--to', flags.to);
        if (flags.violators !== undefined) options.violators = parseWholeNumberFlag('--violators', flags.violators);
        if (flags.mask === false) options.noMask = true;
        if (flags.output === '-' && flags.pdf !== undefined) throw new UsageError('--pdf needs the HTML in a file', 'give --output FILE (or leave it out) together with --pdf');
        // Loaded here, not at start-up: every other command would pay for it (~0.2 s).
        const { defaultReportName, htmlReport, writeHtmlReport } = await import('../../reports/html/write-report.js');
        const store = await ctx.openRead();
        let target: string;
        try {
          const run = await resolveRun(store, parseRunFlag(flags.run));
          if (flags.output === '-') {
            ctx.io.stdout.write(await htmlReport(store, run, options));
            return;
          }
          target = path.resolve(ctx.io.cwd, flags.output ?? defaultReportName(run));
          const { bytes } = await writeHtmlReport(store, run, target, options);
          ctx.note(`report of run ${run.id} (as of ${run.as_of}) written to ${target} (${Math.ceil(bytes / 1024)} KiB)`);
        } finally {
          await store.close();
        }
        if (flags.pdf !== undefined) {
          const pdf = path.resolve(ctx.io.cwd, flags.pdf);
          // Loaded only here: the browser driver is not needed by anything else.
          const { printToPdf } = await import('../../reports/html/browser.js');
          await printToPdf(target, pdf, ctx.io.env);
          ctx.note(`PDF written to ${pdf}`);
        }
      });
  },
};
