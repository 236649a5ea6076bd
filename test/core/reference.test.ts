/**
 * Random persons, judged by the optimised audit and by the naive day-by-day reading
 * of the spec in reference.ts: citizenship and regime, overstay rule, first unlawful
 * day, days over and authorised-until must agree for every stay. A third of the
 * persons change passports between trips (each stay is judged under the citizenship
 * on its entry), and the audit day falls anywhere, also before later crossings and
 * permit revocations (as-of is a snapshot).
 */
import { describe, expect, it } from 'vitest';
import { auditPerson } from '../../src/core/audit.js';
import { isoFromDay } from '../../src/core/dates.js';
import { defaultRuleset, parseRuleset, type Ruleset } from '../../src/core/ruleset.js';
import type { Crossing, Permit, PersonTimeline } from '../../src/core/types.js';
import { Random } from '../../src/generate/random.js';
import { d, OVERSTAY_RULES } from './helpers.js';
import { referenceAudit } from './reference.js';

function rng(seed: number): () => number {
  const random = new Random(seed);
  return () => random.next();
}

const CITIZENSHIPS = ['RUS', 'KGZ', 'DEU', 'CHN', 'IND', 'NGA', 'TJK', 'AAA', 'BBB'];

function randomPerson(rand: () => number, i: number): { p: PersonTimeline; asOf: number } {
  const int = (lo: number, hi: number): number => lo + Math.floor(rand() * (hi - lo + 1));
  const pick = (): string => CITIZENSHIPS[int(0, CITIZENSHIPS.length - 1)] as string;
  let cit = pick();
  const dual = rand() < 0.35;
  let day = int(d('2022-09-01'), d('2024-06-01'));
  const crossings: Crossing[] = [];
  const stays = int(1, 4);
  for (let s = 0; s < stays; s++) {
    const len = rand() < 0.5 ? int(1, 20) : int(1, 140);
    // A dual national may travel on either passport; the exit is on the passport used at entry, or not.
    if (dual && rand() < 0.6) cit = pick();
    crossings.push({ direction: 'IN', day, at: `${isoFromDay(day)} 08:00:00`, checkpoint: null, citizenship: cit });
    const out = day + len - 1;
    const outCit = dual && rand() < 0.2 ? pick() : cit;
    if (s < stays - 1 || rand() < 0.6) crossings.push({ direction: 'OUT', day: out, at: `${isoFromDay(out)} 20:00:00`, checkpoint: null, citizenship: outCit });
    else break;
    day = out + (rand() < 0.15 ? 0 : int(1, 70));
  }
  // Data faults: a lost exit in the middle (missing-exit), an exit with no entry (orphan-exit).
  if (rand() < 0.15 && crossings.length > 3) {
    const k = 1 + 2 * int(0, Math.floor((crossings.length - 3) / 2));
    if (crossings[k]?.direction === 'OUT') crossings.splice(k, 1);
  }
  if (rand() < 0.1) {
    const first = crossings[0]!.day - int(1, 30);
    crossings.unshift({ direction: 'OUT', day: first, at: `${isoFromDay(first)} 12:00:00`, checkpoint: null });
  }
  const permits: Permit[] = [];
  if (rand() < 0.45) {
    const n = int(1, 3);
    for (let k = 0; k < n; k++) {
      const from = int(crossings[0]!.day - 30, day + 60);
      const until = from + int(0, 220);
      const r = rand();
      const status = r < 0.7 ? 'active' : r < 0.9 ? 'revoked' : 'annulled';
      const revokedOn = status === 'revoked' && rand() < 0.8 ? int(from - 5, until + 5) : null;
      permits.push({ permitNo: `P${k}`, kind: rand() < 0.5 ? 'trp' : 'visa', ground: null, validFrom: from, validUntil: until, status, revokedOn, hostId: null });
    }
  }
  const lastDay = crossings[crossings.length - 1]!.day;
  const asOf = rand() < 0.2 ? int(crossings[0]!.day, lastDay) : lastDay + int(0, 150);
  // The timeline's own citizenship is only a fallback: every crossing here carries one.
  return { p: { personKey: `P${i}`, citizenship: 'ZZZ', crossings, permits, registrations: [], expulsions: [] }, asOf };
}

function compare(ruleset: Ruleset, seed: number, count: number): void {
  const rand = rng(seed);
  for (let i = 0; i < count; i++) {
    const { p, asOf } = randomPerson(rand, i);
    const audit = auditPerson(p, ruleset, asOf);
    const ref = referenceAudit(p, ruleset, asOf);
    const got = audit.stays.map((s) => {
      const f = audit.findings.find((x) => OVERSTAY_RULES.has(x.rule) && x.entryDay === s.entryDay);
      return {
        entry: s.entryDay,
        citizenship: s.citizenship,
        regime: s.regime,
        rule: f?.rule ?? null,
        findingCitizenship: f?.citizenship ?? null,
        first: f?.firstDay ?? null,
        days: f?.days ?? 0,
        authorisedUntil: s.authorisedUntil,
      };
    });
    const want = ref.map((r) => ({
      entry: r.entry,
      citizenship: r.citizenship,
      regime: r.regime,
      rule: r.rule,
      findingCitizenship: r.rule === null ? null : r.citizenship,
      first: r.first,
      days: r.days,
      authorisedUntil: r.authorisedUntil,
    }));
    // Nothing after the audit day: no finding's days or dates lie after it.
    for (const f of audit.findings) {
      for (const day of [f.entryDay, f.exitDay, f.firstDay, f.lastLawfulDay]) if (day !== null) expect(day).toBeLessThanOrEqual(asOf);
    }
    if (JSON.stringify(got) !== JSON.stringify(want)) {
      expect({ person: p, asOf, got }).toEqual({ person: p, asOf, got: want });
    }
  }
}

// Extra regimes: a window without a cap (AAA, counting from mid-2023) and no limit at all (BBB).
const withExtras = (base: 'default' | Ruleset, graceDays: number): Ruleset =>
  parseRuleset(
    {
      extends: 'default',
      name: `random-${graceDays}`,
      graceDays,
      regimes: [
        { name: 'WINDOW-ONLY', countries: ['AAA'], window: { days: 180, max: 60, countFrom: '2023-06-01' } },
        { name: 'FREE', countries: ['BBB'] },
      ],
      ...(base === 'default' ? {} : {}),
    },
    'test',
  );

describe('optimised audit agrees with the naive reference', () => {
  it('default ruleset + extras, grace 0 (600 random persons)', () => {
    compare(withExtras('default', 0), 1, 600);
  });
  it('grace 5 days (600 random persons)', () => {
    compare(withExtras('default', 5), 2, 600);
  });
  it('present-throughout missing exits (300 random persons)', () => {
    compare(parseRuleset({ extends: 'default', missingExit: 'present-throughout' }, 'test'), 3, 300);
  });
  it('plain default ruleset (300 random persons)', () => {
    compare(defaultRuleset(), 4, 300);
  });
});
