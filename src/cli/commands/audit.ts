import { ExitCode, UsageError } from '../../errors.js';
import { loadRuleset } from '../../audit/load-ruleset.js';
import { runAudit, type AuditOptions, type AuditSummary } from '../../audit/run-audit.js';
import { withAuditStores } from '../../storage/reads/index.js';
import { ownOffenceCount } from '../../core/types.js';
import { parseDateFlag, today, type CliContext } from '../context.js';
import type { CommandSpec } from './command.js';
import { jsonSummary } from '../json-output.js';

interface AuditFlags {
  asOf?: string;
  rules?: string;
  json?: boolean;
  failOnFindings?: boolean;
  workers?: string;
}

export const auditCommand: CommandSpec = {
  name: 'audit',
  description: 'Run every rule (stay limits, permits, registration, re-entry bans) as of a date and store the results as a numbered run.',
  examples: ['stayaudit audit --as-of 2024-12-31', 'stayaudit audit --as-of 30.06.2025 --rules my-rules.json --json', 'stayaudit audit --as-of yesterday'],
  configure(command, ctx) {
    command
      .option('--as-of <date>', 'audit date: YYYY-MM-DD, DD.MM.YYYY, today or yesterday; crossings after it are ignored (default: today)')
      .option('--rules <file>', 'rules file replacing or extending the built-in Kazakhstan ruleset')
      .option('--json', 'print the run summary as JSON')
      .option('--workers <n>', 'threads auditing in parallel, the main one included (default: one per core, at most 4; one for small databases)')
      .option('--fail-on-findings', 'exit with code 6 when the run has overstay or ban-breach findings')
      .action(async (flags: AuditFlags) => {
        const summary = await audit(ctx, flags);
        printSummary(ctx, summary, flags.json === true);
        if (flags.failOnFindings && ownOffenceCount(summary.counts) > 0) {
          ctx.exitCode = ExitCode.findingsPresent;
        }
      });
  },
};

/** Opens the writer first (it migrates), then a read-only snapshot reader. */
export async function audit(ctx: CliContext, flags: AuditFlags): Promise<AuditSummary> {
  const asOf = flags.asOf === undefined ? today() : parseDateFlag('--as-of', flags.asOf);
  const ruleset = loadRuleset(flags.rules);
  return withAuditStores(ctx.storeAddress(), async (stores) => {
    const options: AuditOptions = { asOf, ruleset };
    if (flags.workers !== undefined) {
      if (!/^[1-9]\d?$/.test(flags.workers)) throw new UsageError(`--workers must be a number from 1 to 99, not '${flags.workers}'`);
      options.workers = Number(flags.workers);
    }
    // Persons per slice of a parallel audit's units: how tests make many small units.
    const slice = ctx.io.env['STAYAUDIT_SLICE_PERSONS'];
    if (slice !== undefined && slice !== '') {
      if (!/^[1-9]\d{0,6}$/.test(slice)) throw new UsageError(`STAYAUDIT_SLICE_PERSONS must be a whole number from 1 to 9999999, not '${slice}'`);
      options.slicePersons = Number(slice);
    }
    if (ctx.showProgress) options.onProgress = (n) => ctx.io.stderr.write(`\r\x1b[Kauditing: ${n.toLocaleString('en-US')} persons`);
    const summary = await runAudit(stores, options);
    if (ctx.showProgress) ctx.io.stderr.write('\r\x1b[K');
    return summary;
  });
}

function printSummary(ctx: CliContext, s: AuditSummary, json: boolean): void {
  if (json) {
    ctx.io.stdout.write(jsonSummary({ ...s }));
    return;
  }
  const lines = [
    `run ${s.runId}: as of ${s.asOf}, ruleset ${s.rulesetName} (${s.rulesetChecksum})`,
    `${s.persons} persons, ${s.stays} stays, ${s.findings} findings, ${s.violators} violators (${s.seconds.toFixed(1)} s)`,
  ];
  const rules = Object.entries(s.counts).sort(([a], [b]) => a.localeCompare(b));
  for (const [rule, n] of rules) lines.push(`  ${rule.padEnd(20)} ${String(n).padStart(9)}`);
  ctx.io.stdout.write(lines.join('\n') + '\n');
}
