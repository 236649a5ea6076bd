/**
 * The tuned overstay kernel the audit uses (`rules/overstay-kernel.ts`) against the
 * day-by-day reading of the law (`judgeStayDayByDay` in `rules/overstay.ts`): on every
 * stay of a generated two-year population (imported through the CLI, read back as
 * the audit reads it), as of several days and with 0 and 5 grace days, and on the
 * spec's worked examples, both give the same rule, first unlawful day, unlawful days,
 * window count and last covered day.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { personContext } from '../../src/core/person-context.js';
import { compileRuleset, defaultRuleset, parseRuleset, regimeFor, type CompiledRuleset } from '../../src/core/ruleset.js';
import { judgeStay } from '../../src/core/rules/overstay-kernel.js';
import { classifyDay, DAY_PRECEDENCE, judgeStayDayByDay, type DayFacts } from '../../src/core/rules/overstay.js';
import type { Day, PersonTimeline } from '../../src/core/types.js';
import { openConnection } from '../../src/storage/database.js';
import { iterateTimelines } from '../../src/storage/timelines.js';
import { E2E_DATASETS, run, tempDir } from '../e2e/helpers.js';
import { d, person } from './helpers.js';

const PERSONS = 20_000;

let dir: string;
let cleanup: () => void;
let timelines: PersonTimeline[] = [];

beforeAll(async () => {
  ({ dir, cleanup } = tempDir('stayaudit-kernel-'));
  const data = path.join(dir, 'data');
  const db = path.join(dir, 'kernel.db');
  const generated = await run(['generate', '--persons', String(PERSONS), '--seed', '11', '--years', '2', '--year', '2024', '--out', data]);
  expect(generated.code, generated.stderr).toBe(0);
  for (const dataset of E2E_DATASETS) {
    const imported = await run(['--db', db, 'import', dataset, path.join(data, `${dataset}.csv`)]);
    expect([0, 5], imported.stderr).toContain(imported.code); // 5: the generator's few malformed rows
  }
  const connection = openConnection(db, { readonly: true });
  try {
    timelines = [...iterateTimelines(connection)];
  } finally {
    connection.close();
  }
}, 600_000);
afterAll(() => cleanup?.());

/** Judges every stay of every person both ways; returns the stays judged and the first disagreement. */
function compareAll(persons: readonly PersonTimeline[], compiled: CompiledRuleset, asOf: Day): { stays: number; unlawful: number; diff: unknown } {
  let stays = 0;
  let unlawful = 0;
  for (const timeline of persons) {
    const ctx = personContext(timeline, compiled, asOf);
    for (const stay of ctx.built.stays) {
      const end = stay.exitDay ?? asOf;
      const regime = regimeFor(compiled, stay.entryCitizenship ?? timeline.citizenship, stay.entryDay);
      const fast = judgeStay(ctx, stay.entryDay, end, regime);
      const plain = judgeStayDayByDay(ctx, stay.entryDay, end, regime);
      stays++;
      if (fast.unlawfulDays > 0) unlawful++;
      if (JSON.stringify(fast) !== JSON.stringify(plain)) return { stays, unlawful, diff: { person: timeline.personKey, entry: stay.entryDay, end, regime: regime.name, fast, plain } };
    }
  }
  return { stays, unlawful, diff: null };
}

describe('the tuned overstay kernel equals the day-by-day reading of the law', () => {
  const rulesets = {
    'default ruleset': compileRuleset(defaultRuleset()),
    '5 grace days': compileRuleset(parseRuleset({ extends: 'default', graceDays: 5 }, 'grace-5')),
  };
  for (const [label, compiled] of Object.entries(rulesets)) {
    for (const asOf of ['2024-03-31', '2024-12-31']) {
      it(`${label}, as of ${asOf}: every stay of ${PERSONS.toLocaleString('en')} generated persons`, () => {
        expect(timelines.length).toBeGreaterThan(PERSONS * 0.9);
        const result = compareAll(timelines, compiled, d(asOf));
        expect(result.diff).toBeNull();
        expect(result.stays).toBeGreaterThan(PERSONS / 4);
        expect(result.unlawful).toBeGreaterThan(20); // the generated years have overstays
      });
    }
  }

  it('the worked examples of SPEC §3', () => {
    const examples: Array<[PersonTimeline, string]> = [
      [person({ cit: 'RUS', crossings: ['IN 2024-01-01'] }), '2024-04-02'],
      [person({ cit: 'RUS', crossings: ['IN 2024-01-01', 'OUT 2024-03-01', 'IN 2024-03-15'] }), '2024-04-14'],
      [person({ cit: 'RUS', crossings: ['IN 2025-04-01', 'OUT 2025-05-10', 'IN 2025-05-17'] }), '2025-07-06'],
      [person({ cit: 'DEU', crossings: ['IN 2024-06-01'] }), '2024-07-01'],
      [person({ cit: 'RUS', crossings: ['IN 2022-03-01', 'OUT 2022-05-20', 'IN 2022-05-21', 'OUT 2022-07-01'] }), '2022-12-31'],
      [person({ cit: 'KGZ', crossings: ['IN 2024-01-10'], permits: [{ from: '2024-03-01', until: '2024-12-31' }] }), '2024-11-01'],
      [person({ cit: 'KGZ', crossings: ['IN 2024-01-10'], permits: [{ from: '2024-03-01', until: '2024-06-30' }] }), '2024-07-10'],
    ];
    const compiled = compileRuleset(defaultRuleset());
    const rules: Array<string | null> = [];
    for (const [p, asOf] of examples) {
      expect(compareAll([p], compiled, d(asOf)).diff).toBeNull();
      const ctx = personContext(p, compiled, d(asOf));
      const last = ctx.built.stays[ctx.built.stays.length - 1]!;
      const j = judgeStayDayByDay(ctx, last.entryDay, last.exitDay ?? d(asOf), regimeFor(compiled, p.citizenship, last.entryDay));
      rules.push(j.unlawfulDays > 0 ? j.rule : null);
    }
    expect(rules).toEqual(['stay-limit', 'rolling-limit', 'rolling-limit', 'stay-limit', null, null, 'permit-expired']);
  });
});

describe('the precedence of a day (SPEC §3)', () => {
  const regime = regimeFor(defaultRuleset(), 'RUS', d('2024-01-01'));
  const day = (facts: Partial<DayFacts>): string | null =>
    classifyDay({ day: d('2024-06-01'), entry: d('2024-01-01'), regime, covered: false, lastCovered: null, graceDays: 0, windowCount: 0, ...facts })?.name ?? null;

  it('is covered, grace, permit-expired, no-basis, stay-limit, rolling-limit; only the rules are unlawful', () => {
    expect(DAY_PRECEDENCE.map((t) => t.name)).toEqual(['covered', 'grace', 'permit-expired', 'no-basis', 'stay-limit', 'rolling-limit']);
    expect(DAY_PRECEDENCE.filter((t) => !t.lawful).map((t) => t.name)).toEqual(['permit-expired', 'no-basis', 'stay-limit', 'rolling-limit']);
  });

  it('names a day after the first test that holds', () => {
    // Past the cap, over the window, after a permit: covered wins, then permit-expired, then stay-limit.
    expect(day({ covered: true, lastCovered: d('2024-05-01'), windowCount: 150 })).toBe('covered');
    expect(day({ lastCovered: d('2024-05-01'), windowCount: 150 })).toBe('permit-expired');
    // Within the grace days after a permit no other rule judges the day.
    expect(day({ lastCovered: d('2024-05-30'), graceDays: 5, windowCount: 150 })).toBe('grace');
    expect(day({ lastCovered: d('2024-05-26'), graceDays: 5, windowCount: 150 })).toBe('permit-expired');
    expect(day({ windowCount: 150 })).toBe('stay-limit');
    expect(day({ day: d('2024-03-01'), windowCount: 91 })).toBe('rolling-limit');
    expect(day({ day: d('2024-03-01'), windowCount: 90 })).toBeNull();
    expect(day({ regime: regimeFor(defaultRuleset(), 'NGA', d('2024-01-01')), windowCount: 150 })).toBe('no-basis');
  });
});
