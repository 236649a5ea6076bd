/**
 * `stayaudit nightly`: the flags, the nightly lock, and the store operations the job
 * runs on (src/nightly/nightly.ts); the exit code from its outcome.
 */
import path from 'node:path';
import { loadRuleset } from '../../audit/load-ruleset.js';
import { runAudit } from '../../audit/run-audit.js';
import { ExitCode, UsageError } from '../../errors.js';
import { acquireNightlyLock } from '../../nightly/lock.js';
import { DEFAULT_PATTERNS, safeText } from '../../nightly/inbox.js';
import { runNightly } from '../../nightly/nightly.js';
import { DEFAULT_KEEP_RUNS } from '../../reports/runs.js';
import { connectImportStore } from '../../storage/import-store.js';
import { pruneStoredRuns, withAuditStores } from '../../storage/reads/index.js';
import { parseDateFlag, parseWholeNumberFlag, today } from '../context.js';
import type { CommandSpec } from './command.js';

interface NightlyFlags {
  inbox: string;
  reports: string;
  asOf?: string;
  rules?: string;
  wait?: string;
  top?: string;
  keepRuns?: string;
  failOnFindings?: boolean;
  pattern?: string[];
  quarantine?: string | false;
  followSymlinks?: boolean;
  mask?: boolean;
}

const collect = (value: string, previous: string[] = []): string[] => [...previous, ...value.split(',').map((v) => v.trim()).filter(Boolean)];

export const nightlyCommand: CommandSpec = {
  name: 'nightly',
  description:
    'The nightly job: import every new file of the inbox, audit as of the date, write dated reports (violators, findings, stats, summary) and print the summary.',
  examples: [
    'stayaudit nightly --inbox /data/inbox --reports /data/reports',
    'stayaudit --db /data/audit.db nightly --inbox fixtures/demo --reports reports --as-of 2022-12-31 --fail-on-findings',
  ],
  configure(command, ctx) {
    command
      .requiredOption('--inbox <dir>', 'folder of CSV exports; files already imported (same checksum) are skipped')
      .requiredOption('--reports <dir>', 'reports go to DIR/<as-of>/')
      .option('--as-of <date>', 'audit date: YYYY-MM-DD, DD.MM.YYYY, today or yesterday (default: today)')
      .option('--rules <file>', 'rules file (default: the built-in Kazakhstan ruleset)')
      .option('--wait <seconds>', 'if another nightly job runs, wait up to SECONDS for it (default: fail at once)')
      .option('--top <n>', 'violators listed in the summary', '10')
      .option('--keep-runs <n>', `audit runs to keep; older ones are pruned after the reports are written (default ${DEFAULT_KEEP_RUNS})`, String(DEFAULT_KEEP_RUNS))
      .option('--fail-on-findings', 'exit with code 6 when the run has overstay or ban-breach findings')
      .option('--pattern <globs>', `inbox files to import (comma-separated or repeated; default ${DEFAULT_PATTERNS.join(',')}); others are listed as ignored`, collect)
      .option('--quarantine <dir>', 'where a failed inbox file is moved (default: INBOX/quarantine)')
      .option('--no-quarantine', 'leave failed files in the inbox')
      .option('--follow-symlinks', 'import files that inbox symbolic links point to (default: a link is a failed file)')
      .option('--mask', 'pseudonymise personal data in the reports, the summary and the rejects files')
      .action(async (flags: NightlyFlags) => {
        const asOf = flags.asOf === undefined ? today() : parseDateFlag('--as-of', flags.asOf);
        const waitSeconds = Number(flags.wait ?? '0');
        if (!Number.isFinite(waitSeconds) || waitSeconds < 0) throw new UsageError(`--wait must be seconds, not '${flags.wait}'`);
        const top = parseWholeNumberFlag('--top', flags.top ?? '10');
        const keepRuns = parseWholeNumberFlag('--keep-runs', flags.keepRuns ?? String(DEFAULT_KEEP_RUNS));
        if (keepRuns < 1) throw new UsageError('--keep-runs must be at least 1', `the default is ${DEFAULT_KEEP_RUNS}`);
        const ruleset = loadRuleset(flags.rules);
        const address = ctx.storeAddress();
        const lock = await acquireNightlyLock(address, waitSeconds * 1000);
        try {
          const result = await runNightly(
            {
              file: address.location.label,
              importStore: () => connectImportStore(address),
              audit: (audit) => withAuditStores(ctx.storeAddress(), (stores) => runAudit(stores, audit), { create: true }),
              readStore: () => ctx.openRead(),
              pruneRuns: (keep) => pruneStoredRuns(ctx.storeAddress(), { keep }),
            },
            {
              inbox: path.resolve(ctx.io.cwd, flags.inbox),
              reports: path.resolve(ctx.io.cwd, flags.reports),
              asOf,
              ruleset,
              top,
              patterns: flags.pattern && flags.pattern.length > 0 ? flags.pattern : DEFAULT_PATTERNS,
              quarantine: flags.quarantine === false ? null : flags.quarantine === undefined ? undefined : path.resolve(ctx.io.cwd, flags.quarantine),
              followSymlinks: flags.followSymlinks === true,
              mask: flags.mask === true,
              keepRuns,
              log: (line) => ctx.note(line),
            },
          );
          ctx.io.stdout.write(result.summaryText);
          ctx.note(`reports written to ${safeText(result.reportDir)}`);
          for (const failure of result.failed) ctx.io.stderr.write(`error: ${safeText(failure.error.message)}\n`);
          if (result.failed.length > 0) ctx.exitCode = ExitCode.input;
          else if (result.rejectedRows > 0) ctx.exitCode = ExitCode.rowsRejected;
          else if (flags.failOnFindings && result.ownFindings > 0) ctx.exitCode = ExitCode.findingsPresent;
        } finally {
          await lock.release();
        }
      });
  },
};
