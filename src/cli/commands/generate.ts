import path from 'node:path';
import { UsageError } from '../../errors.js';
import { generateData, generateDemo, GenerateOptionsError, type GenerateOptions } from '../../generate/generate.js';
import { parseWholeNumberFlag as wholeNumber } from '../context.js';
import type { CommandSpec } from './command.js';
import { jsonSummary } from '../json-output.js';

interface GenerateFlags {
  persons?: string;
  seed: string;
  out: string;
  year?: string;
  years?: string;
  variant?: string;
  malformed?: string;
  registrationRate?: string;
  demo?: boolean;
  json?: boolean;
}

export const generateCommand: CommandSpec = {
  name: 'generate',
  description:
    'Write deterministic synthetic CSVs of all four datasets (national shapes: nationality mix, short and long stays, overstays, TRPs, visas, registrations, expulsions, a few malformed rows).',
  examples: ['stayaudit generate --persons 1000000 --seed 1 --out /tmp/national', 'stayaudit generate --persons 20000 --seed 7 --out data --variant russian-cp1251 --year 2023'],
  configure(command, ctx) {
    command
      .option('--persons <n>', 'distinct persons (a national year is about 3,400,000)')
      .option('--seed <n>', 'seed: the same options give byte-identical files', '1')
      .requiredOption('--out <dir>', 'directory for crossings.csv, registrations.csv, permits.csv, expulsions.csv')
      .option('--year <yyyy>', 'last calendar year of the data', '2024')
      .option('--years <n>', 'number of years the data spans, ending with --year', '1')
      .option('--variant <name>', 'reference (English headers, comma, YYYY-MM-DD) or russian-cp1251 (Russian headers, ;, DD.MM.YYYY, Windows-1251)', 'reference')
      .option('--malformed <share>', 'share of rows with a malformed copy', '0.001')
      .option('--registration-rate <share>', 'share of the stays needing a registration that get one (on time or late); low values make a findings-heavy year', '0.97')
      .option('--demo', 'write the bundled demo dataset instead (2022, scripted violators)')
      .option('--json', 'print the summary (rows, bytes, the verdicts an audit must find) as JSON')
      .action(async (flags: GenerateFlags) => {
        const outDir = path.resolve(ctx.io.cwd, flags.out);
        try {
          let summary;
          if (flags.demo) {
            summary = await generateDemo(outDir);
          } else {
            if (flags.persons === undefined) throw new UsageError('--persons is required (or --demo)');
            if (flags.variant !== 'reference' && flags.variant !== 'russian-cp1251') {
              throw new UsageError(`unknown --variant '${flags.variant}'`, 'use reference or russian-cp1251');
            }
            const malformed = Number(flags.malformed);
            if (!Number.isFinite(malformed) || malformed < 0 || malformed > 0.5) throw new UsageError(`--malformed must be a share from 0 to 0.5, not '${flags.malformed}'`);
            const registrationRate = Number(flags.registrationRate ?? '0.97');
            if (flags.registrationRate === undefined || flags.registrationRate.trim() === '' || !Number.isFinite(registrationRate) || registrationRate < 0 || registrationRate > 1) {
              throw new UsageError(`--registration-rate must be a share from 0 to 1, not '${flags.registrationRate}'`);
            }
            const options: GenerateOptions = {
              persons: wholeNumber('--persons', flags.persons),
              seed: wholeNumber('--seed', flags.seed),
              outDir,
              year: wholeNumber('--year', flags.year ?? '2024'),
              startYearSpan: wholeNumber('--years', flags.years ?? '1'),
              variant: flags.variant,
              malformedShare: malformed,
              registrationRate,
            };
            if (ctx.showProgress) {
              options.onProgress = (done, total) => ctx.io.stderr.write(`\r\x1b[Kgenerating: ${Math.floor((100 * done) / total)}%`);
            }
            summary = await generateData(options);
            if (ctx.showProgress) ctx.io.stderr.write('\r\x1b[K');
          }
          for (const f of summary.files) ctx.note(`${f.path}: ${f.rows} rows (${f.malformed} malformed), ${(f.bytes / 1e6).toFixed(1)} MB`);
          if (flags.json) ctx.io.stdout.write(jsonSummary({ ...summary }));
        } catch (error) {
          if (error instanceof GenerateOptionsError) throw new UsageError(error.message, error.hint);
          throw error;
        }
      });
  },
};
