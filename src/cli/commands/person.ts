/** `person`: one person's records, stays and findings, as sections (table), one document (JSON) or events (CSV). */
import { personReport, type PersonReport } from '../../reports/person.js';
import { renderListing, rowMasker, type Row } from '../../reports/render.js';
import { latestRun, resolveRun, type RunRow } from '../../reports/runs.js';
import { today, type CliContext } from '../context.js';
import { listingOptions, type ListingFlags } from '../listing-options.js';
import { emitListing, emitText, outputFile } from '../output.js';
import { withOutputOptions, type CommandSpec } from './command.js';
import { parseRunFlag } from './listing-flags.js';

export const personCommand: CommandSpec = {
  name: 'person',
  description: "One person's identity, crossings, stays, permits, registrations, expulsions and findings, with why, and where they stand as of the run.",
  examples: ['stayaudit person RUS:N1234567', 'stayaudit person P-000042 --format json'],
  configure(command, ctx) {
    withOutputOptions(command.argument('<key>', 'person_id, document number, or CITIZENSHIP:DOCUMENT'))
      .option('--run <n>', 'judge as of this audit run (default: the latest)')
      .action(async (key: string, flags: ListingFlags & { run?: string }) => {
        const store = await ctx.openRead();
        try {
          const runId = parseRunFlag(flags.run);
          const run: RunRow | undefined = runId !== undefined ? await resolveRun(store, runId) : await latestRun(store);
          const report = await personReport(store, key, run, today());
          await emitPerson(ctx, report, flags);
        } finally {
          await store.close();
        }
      });
  },
};

const SECTIONS = ['crossings', 'stays', 'permits', 'registrations', 'expulsions', 'findings'] as const;

async function emitPerson(ctx: CliContext, report: PersonReport, flags: ListingFlags): Promise<void> {
  const mask = report.maskKey;
  const options = listingOptions(ctx, flags, mask);
  const meta = { person_key: report.personKey, run: report.run, as_of: report.asOf, ruleset: report.ruleset };
  if (options.format === 'table' && outputFile(ctx, flags) === undefined) {
    const out = ctx.io.stdout;
    const section = async (title: string, rows: Row[]): Promise<void> => {
      out.write(`\n${title}\n`);
      if (rows.length === 0) {
        out.write('  (none)\n');
        return;
      }
      await renderListing({ columns: Object.keys(rows[0]!), rows, meta: {} }, options, out);
    };
    await section('Identity', [report.identity]);
    for (const name of SECTIONS) await section(name[0]!.toUpperCase() + name.slice(1), report[name]);
    await section(`As of ${report.asOf}`, [report.now]);
    return;
  }
  if (options.format === 'json') {
    const mask = rowMasker(options.maskKey);
    const body = {
      version: 1,
      meta: mask(meta),
      identity: mask(report.identity),
      ...Object.fromEntries(SECTIONS.map((s) => [s, report[s].map(mask)])),
      now: report.now,
    };
    await emitText(ctx, JSON.stringify(body, null, 2) + '\n', flags);
    return;
  }
  // CSV / NDJSON: one row per event of the timeline, in a fixed set of columns.
  const columns = ['person_key', 'section', 'date', 'until', 'what', 'days', 'detail'];
  const rows: Row[] = [];
  const base = { person_key: report.personKey };
  for (const c of report.crossings) rows.push({ ...base, section: 'crossing', date: c['crossed_at'], until: null, what: c['direction'], days: null, detail: c['checkpoint'] });
  for (const s of report.stays) rows.push({ ...base, section: 'stay', date: s['entry_date'], until: s['exit_date'], what: s['status'], days: s['days_present'], detail: `${String(s['citizenship'])}, regime ${String(s['regime'])}, authorised until ${String(s['authorised_until'] ?? '-')}` });
  for (const p of report.permits) rows.push({ ...base, section: 'permit', date: p['valid_from'], until: p['valid_until'], what: `${String(p['kind'])} ${String(p['permit_no'])}`, days: null, detail: p['status'] });
  const masked = rowMasker(options.maskKey); // `what` is no masked column: the host id is masked here.
  for (const r of report.registrations) rows.push({ ...base, section: 'registration', date: r['registered_from'], until: r['registered_until'], what: masked(r)['host_id'], days: null, detail: `notified ${String(r['notified_on'] ?? '-')}` });
  for (const e of report.expulsions) rows.push({ ...base, section: 'expulsion', date: e['decided_on'], until: e['expelled_on'], what: `ban ${String(e['ban_years'] ?? 'default')} years`, days: null, detail: e['reason'] });
  for (const f of report.findings) rows.push({ ...base, section: 'finding', date: f['first_day'], until: f['exit_date'], what: f['rule'], days: f['days'], detail: f['why'] });
  await emitListing(ctx, { columns, rows, meta }, flags, mask);
}
