/**
 * The audit of one person as of a day (SPEC §3): overstays, registration, re-entry
 * bans and anomalies, plus a verdict per stay for the statistics.
 *
 * Precedence of a day of presence of a stay with entry day E:
 *   covered > permit-expired > no-basis > stay-limit > rolling-limit > lawful.
 *
 * How it stays fast (a national audit is ~3.4 million persons, most with 1–3 short
 * stays and no permit): days are never walked one by one where a count will do.
 * A person's presence, permit coverage and "counted" days (present and uncovered)
 * are DaySets — a handful of intervals with running totals — so the uncovered days
 * in any window are two lookups. With no permit in force on or after the entry day
 * (the common case) the rolling count of a stay that is extended day by day never
 * decreases (each new day adds one, at most one old day drops out), so the first
 * day over the window maximum is found by binary search and every day after it is
 * unlawful too: judging a stay costs O(log) lookups, no loop over its days. Stays
 * with permits are judged run by run (covered runs are skipped whole; an uncovered
 * run is unlawful from a fixed day on, except for the window, which is checked day
 * by day only up to the cap). Per-person allocation is the output plus a few small
 * interval arrays; ISO texts in finding details come from a memo.
 *
 * Figures (Node 20, one core, compiled with tsc, timeline objects already in memory,
 * ruleset compiled once): 1,000,000 generated persons with 1–3 stays of 1–25 days,
 * 10% with a TRP, 70% with a registration — 1.9 million stays, 1.5 million findings —
 * take 1.0–1.3 s warm (about 1 µs per person; up to ~3 s on a cold first pass while
 * the JIT warms up). 2,000 frequent travellers with 200 short stays each over three
 * years, half of them TRP holders: about 0.65 µs per stay.
 *
 * `authorisedUntil` of a stay is computed on the same pass: the stay is judged as if
 * the person had stayed on from the entry without leaving; the day before the first
 * unlawful day of that extension is the last authorised day.
 */
import { addYearsClamped, isoFromDay, isoOrNull } from './dates.js';
import { DaySet } from './day-set.js';
import { compileRuleset, regimeFor, type CompiledRuleset, type Regime, type Ruleset } from './ruleset.js';
import { buildStays, presenceOf, type StaysResult } from './stays.js';
import type { Crossing, Day, Finding, OverstayRule, Permit, PersonAudit, PersonTimeline, Registration, StayVerdict } from './types.js';
import { registrationDeadline } from './working-days.js';

const NONE = -Infinity;

// ---------------------------------------------------------------------------
// Person context shared by the audit and `explainPerson`

/** What the rules read about a person, computed once per audit of that person. */
export interface PersonContext {
  compiled: CompiledRuleset;
  asOf: Day;
  built: StaysResult;
  /** Days on which a permit is in force. */
  coverage: DaySet;
  /** Days of presence of the judged stays (each once). */
  presence: DaySet;
  /** Days of presence not covered by a permit: what windows count. */
  counted: DaySet;
  /** Permits whose valid_until is before valid_from. */
  reversedPermits: Permit[];
}

/**
 * The days a permit covers: [valid_from, valid_until], a revoked one only before
 * revoked_on, an annulled one never. As of `asOf`, a revocation dated after it is not
 * yet known: the permit stands as it did on that day, active.
 */
export function permitCoverage(p: Permit, asOf: Day = Infinity): [Day, Day] | null {
  if (p.status === 'annulled') return null;
  let until = p.validUntil;
  // A revocation dated after as-of is not yet known (one without a date always is).
  const revoked = p.status === 'revoked' && (p.revokedOn === null || p.revokedOn <= asOf);
  if (revoked) {
    if (p.revokedOn === null) return null;
    if (p.revokedOn - 1 < until) until = p.revokedOn - 1;
  }
  return until < p.validFrom ? null : [p.validFrom, until];
}

export function personContext(timeline: PersonTimeline, ruleset: Ruleset | CompiledRuleset, asOf: Day): PersonContext {
  const compiled = compileRuleset(ruleset);
  const built = buildStays(timeline.crossings, asOf, compiled.missingExit);
  let coverage = DaySet.EMPTY;
  const reversedPermits: Permit[] = [];
  const permits = timeline.permits;
  if (permits.length > 0) {
    const starts: number[] = [];
    const ends: number[] = [];
    for (const p of permits) {
      if (p.validUntil < p.validFrom) {
        reversedPermits.push(p);
        continue;
      }
      const range = permitCoverage(p, asOf);
      if (range !== null) {
        starts.push(range[0]);
        ends.push(range[1]);
      }
    }
    coverage = DaySet.fromIntervals(starts, ends);
  }
  const presence = presenceOf(built.stays, asOf);
  const counted = presence.minus(coverage);
  return { compiled, asOf, built, coverage, presence, counted, reversedPermits };
}

// ---------------------------------------------------------------------------
// Judging one stay

/** The result of judging one stay; `judgeStay` fills a caller-owned record. */
export interface StayJudgement {
  /** First unlawful day if the person stayed on from the entry without leaving (Infinity: never). */
  firstUnlawful: number;
  rule: OverstayRule | null;
  /** Unlawful days within [entry, exit or as-of]. */
  unlawfulDays: number;
  /** rolling-limit: uncovered counted days in the window on the first unlawful day. */
  windowCount: number;
  /** permit-expired: last covered day before the first unlawful day. */
  lastCovered: number;
}

export function newJudgement(): StayJudgement {
  return { firstUnlawful: Infinity, rule: null, unlawfulDays: 0, windowCount: 0, lastCovered: NONE };
}

/**
 * Uncovered counted days in the window ending on `day`, for a stay entered on
 * `entry` extended without a break up to `day` (day >= entry): days before the entry
 * come from the person's real counted days, days from the entry on are all present.
 */
function windowCount(ctx: PersonContext, entry: Day, day: Day, windowDays: number, countFrom: number): number {
  const lo = Math.max(day - windowDays + 1, countFrom);
  const before = lo <= entry - 1 ? ctx.counted.count(lo, entry - 1) : 0;
  const a = lo > entry ? lo : entry;
  if (day < a) return before;
  return before + (day - a + 1) - ctx.coverage.count(a, day);
}

/** Judges the stay [entry, end] under `regime`; writes into `out` and returns it. */
export function judgeStay(ctx: PersonContext, entry: Day, end: Day, regime: Regime, out: StayJudgement): StayJudgement {
  out.firstUnlawful = Infinity;
  out.rule = null;
  out.unlawfulDays = 0;
  out.windowCount = 0;
  out.lastCovered = NONE;
  const cov = ctx.coverage;
  const firstCov = cov.firstEndingOnOrAfter(entry);
  if (firstCov >= cov.intervalCount) judgeUncovered(ctx, entry, end, regime, out);
  else judgeWithPermits(ctx, entry, end, regime, firstCov, out);
  return out;
}

/** No permit in force on or after the entry day: closed-form judgement. */
function judgeUncovered(ctx: PersonContext, entry: Day, end: Day, regime: Regime, out: StayJudgement): void {
  if (regime.requiresVisa) {
    out.firstUnlawful = entry;
    out.rule = 'no-basis';
    out.unlawfulDays = end - entry + 1;
    return;
  }
  const capEnd = regime.cap === null ? Infinity : entry + regime.cap - 1;
  let firstOver = Infinity;
  const w = regime.window;
  if (w !== null && w.max < w.days) {
    const countFrom = w.countFrom ?? NONE;
    // From max(entry, countFrom) on every day counts, so after `days` days the window is full.
    const hi = Math.min(capEnd, Math.max(entry, countFrom) + w.days - 1);
    if (hi >= entry && windowCount(ctx, entry, hi, w.days, countFrom) > w.max) {
      // The count never decreases along the extended stay: binary search the first day over.
      let lo = entry;
      let top = hi;
      while (lo < top) {
        const mid = lo + Math.floor((top - lo) / 2);
        if (windowCount(ctx, entry, mid, w.days, countFrom) > w.max) top = mid;
        else lo = mid + 1;
      }
      firstOver = lo;
    }
  }
  if (firstOver !== Infinity && firstOver <= capEnd) {
    out.firstUnlawful = firstOver;
    out.rule = 'rolling-limit';
    out.windowCount = windowCount(ctx, entry, firstOver, (w as NonNullable<typeof w>).days, w?.countFrom ?? NONE);
  } else if (capEnd !== Infinity) {
    out.firstUnlawful = capEnd + 1;
    out.rule = 'stay-limit';
  } else {
    return;
  }
  if (out.firstUnlawful <= end) out.unlawfulDays = end - out.firstUnlawful + 1;
}

/** A permit is in force on or after the entry day: walk the stay run by run. */
function judgeWithPermits(ctx: PersonContext, entry: Day, end: Day, regime: Regime, firstCov: number, out: StayJudgement): void {
  const cov = ctx.coverage;
  const covStarts = cov.starts;
  const covEnds = cov.ends;
  const k = covStarts.length;
  const grace = ctx.compiled.graceDays;
  const capEnd = regime.cap === null ? Infinity : entry + regime.cap - 1;
  const w = regime.window;
  const windowOn = w !== null && w.max < w.days;
  const windowDays = w === null ? 0 : w.days;
  const windowMax = w === null ? 0 : w.max;
  const countFrom = w?.countFrom ?? NONE;
  let ci = firstCov;
  let lastCov = NONE;
  let first = Infinity;
  let unlawful = 0;
  let d = entry;
  outer: for (;;) {
    if (first !== Infinity && d > end) break;
    while (ci < k && (covEnds[ci] as number) < d) ci++;
    if (ci < k && (covStarts[ci] as number) <= d) {
      // Covered run: lawful, and not counted in any window.
      lastCov = covEnds[ci] as number;
      d = lastCov + 1;
      continue;
    }
    const runEnd = ci < k ? (covStarts[ci] as number) - 1 : Infinity;
    // From `from` to runEnd every day carries `label`; days before `from` are lawful
    // except rolling-limit days, which the window loop below finds one by one.
    let from: number;
    let label: OverstayRule;
    if (lastCov !== NONE) {
      from = Math.max(d, lastCov + grace + 1);
      label = 'permit-expired';
    } else if (regime.requiresVisa) {
      from = d;
      label = 'no-basis';
    } else {
      let wEnd = Math.min(runEnd, capEnd);
      if (windowOn) {
        // An endless uncovered run with no cap: the window is full `windowDays` after counting starts.
        if (wEnd === Infinity) wEnd = Math.max(d, countFrom) + windowDays - 1;
        for (let x = d; x <= wEnd; x++) {
          if (first !== Infinity && x > end) break outer;
          const c = windowCount(ctx, entry, x, windowDays, countFrom);
          if (c > windowMax) {
            if (first === Infinity) {
              first = x;
              out.rule = 'rolling-limit';
              out.windowCount = c;
            }
            if (x <= end) unlawful++;
            else break outer;
          }
        }
      } else if (wEnd === Infinity) {
        break; // nothing can ever make this stay unlawful
      }
      from = Math.max(d, capEnd + 1);
      label = 'stay-limit';
    }
    if (from !== Infinity && from <= runEnd) {
      if (first === Infinity) {
        first = from;
        out.rule = label;
        out.lastCovered = lastCov;
      }
      const last = Math.min(runEnd, end);
      if (last >= from) unlawful += last - from + 1;
    }
    if (runEnd === Infinity) break;
    d = runEnd + 1;
  }
  out.firstUnlawful = first;
  out.unlawfulDays = unlawful;
}

// ---------------------------------------------------------------------------
// Findings

function permitEndingOn(permits: readonly Permit[], day: number, asOf: Day): Permit | null {
  let found: Permit | null = null;
  for (const p of permits) {
    const range = permitCoverage(p, asOf);
    if (range !== null && range[0] <= day && range[1] >= day) {
      if (range[1] === day) return p;
      found ??= p;
    }
  }
  return found;
}

function overstayDetail(ctx: PersonContext, timeline: PersonTimeline, entry: Day, regime: Regime, j: StayJudgement): Finding['detail'] {
  switch (j.rule) {
    case 'stay-limit':
      return { cap: regime.cap, capEnd: isoFromDay(entry + (regime.cap as number) - 1) };
    case 'rolling-limit': {
      const w = regime.window;
      return {
        windowDays: w?.days ?? null,
        windowMax: w?.max ?? null,
        windowCount: j.windowCount,
        countFrom: isoOrNull(w?.countFrom ?? null),
      };
    }
    case 'permit-expired': {
      const p = permitEndingOn(timeline.permits, j.lastCovered, ctx.asOf);
      return {
        permitNo: p?.permitNo ?? null,
        permitKind: p?.kind ?? null,
        permitEnd: isoFromDay(j.lastCovered),
        graceDays: ctx.compiled.graceDays,
      };
    }
    case 'no-basis':
      return { requiresVisa: true, permits: timeline.permits.length };
    default:
      return {};
  }
}

/** The day a registration became known: its notification, else its start. */
export function notificationDay(r: Registration): Day {
  return r.notifiedOn ?? r.registeredFrom;
}

/** The earliest-notified registration starting in [from, to] and notified on or before `asOf`. */
function earliestNotification(registrations: readonly Registration[], from: Day, to: Day, asOf: Day): Registration | null {
  let best: Registration | null = null;
  let bestDay = Infinity;
  for (const r of registrations) {
    if (r.registeredFrom < from || r.registeredFrom > to) continue;
    const n = notificationDay(r);
    if (n > asOf) continue; // not yet notified on the audit day
    if (n < bestDay) {
      bestDay = n;
      best = r;
    }
  }
  return best;
}

/**
 * The one citizenship of a person as of `asOf`, where one is needed (the person view,
 * days remaining): that of their latest crossing on or before it, else the timeline's.
 */
export function citizenshipAsOf(timeline: PersonTimeline, asOf: Day): string {
  const crossings = timeline.crossings;
  let best: Crossing | null = null;
  for (const c of crossings) {
    if (c.day > asOf) continue;
    if (best === null || c.day > best.day || (c.day === best.day && c.at >= best.at)) best = c;
  }
  return best?.citizenship ?? timeline.citizenship;
}

/**
 * The host last known on `asOf` (for registration findings that name none): that of
 * the latest registration notified by then, else of the last permit naming one.
 */
export function lastHostAsOf(timeline: PersonTimeline, asOf: Day): string | null {
  let host: string | null = null;
  for (const p of timeline.permits) if (p.hostId !== null) host = p.hostId;
  let latest = -Infinity;
  for (const r of timeline.registrations) {
    if (r.hostId === null || notificationDay(r) > asOf) continue;
    // In date order (registered_from), ties kept in the order given.
    if (r.registeredFrom >= latest) {
      latest = r.registeredFrom;
      host = r.hostId;
    }
  }
  return host;
}

function anomaly(
  timeline: PersonTimeline,
  citizenship: string,
  rule: Finding['rule'],
  entry: { day: Day; checkpoint: string | null } | null,
  exitDay: Day | null,
  firstDay: Day | null,
  detail: Finding['detail'],
): Finding {
  return {
    personKey: timeline.personKey,
    citizenship,
    rule,
    regime: null,
    entryDay: entry?.day ?? null,
    entryCheckpoint: entry?.checkpoint ?? null,
    exitDay,
    firstDay,
    lastLawfulDay: null,
    days: 0,
    status: null,
    detail,
  };
}

const scratchJudgement = newJudgement();

/**
 * Crossings known on `asOf` (on or before it) that are dated after the day they were
 * imported (a keying or clock error): how many (each time and direction once), and
 * the earliest. A crossing merely after as-of is not yet known, so it is not counted.
 */
function futureCrossings(crossings: readonly Crossing[], asOf: Day): { count: number; first: Crossing } | null {
  let count = 0;
  let first: Crossing | null = null;
  let prevAt = '';
  let prevDir = '';
  for (const c of crossings) {
    const imported = c.importedOn;
    if (imported === undefined || imported === null || c.day <= imported || c.day > asOf) continue;
    if (c.at === prevAt && c.direction === prevDir) continue;
    prevAt = c.at;
    prevDir = c.direction;
    count++;
    if (first === null || c.day < first.day || (c.day === first.day && c.at < first.at)) first = c;
  }
  return first === null ? null : { count, first };
}

/**
 * Every finding about one person as of `asOf`, and a verdict per judged stay.
 * Pure: reads only its arguments. Pass a `CompiledRuleset` (or the same Ruleset
 * object every time, whose compiled form is cached) when auditing many persons.
 *
 * As of `asOf` is a snapshot (SPEC §2): crossings after it, registrations notified
 * after it, expulsions decided after it and revocations dated after it are left out,
 * so no finding has a day after it. Each stay is judged under the citizenship on its
 * entry crossing, and its findings show that citizenship.
 *
 * Findings come stay by stay (overstay, registration, ban-breach), then anomalies.
 * Anomalies have `regime` null, `days` 0, `status` null, `lastLawfulDay` null, and:
 * - orphan-exit: exitDay = firstDay = the OUT's day; detail {at, checkpoint}.
 * - missing-exit: entryDay = the entry left without exit, firstDay = the day of the
 *   IN that came while it was open; detail {entryAt, nextEntryAt, checkpoint, resolution}.
 * - permit-dates-reversed: firstDay = valid_from; detail {permitNo, validFrom, validUntil}.
 * - future-crossing: one per person, for crossings on or before as-of dated after the
 *   day they were imported; firstDay = the earliest; detail {count, firstAt, importedOn}.
 * - unknown-checkpoint: one per crossing, firstDay = its day (and entryDay or exitDay
 *   by direction); detail {checkpoint, direction, at}.
 * `StayVerdict.authorisedUntil` is null when the stay is unbounded and when it was
 * unlawful from its entry day (never authorised, e.g. a visa regime without a visa).
 */
export function auditPerson(timeline: PersonTimeline, ruleset: Ruleset | CompiledRuleset, asOf: Day): PersonAudit {
  const ctx = personContext(timeline, ruleset, asOf);
  const rs = ctx.compiled;
  const findings: Finding[] = [];
  const verdicts: StayVerdict[] = [];
  const { personKey, registrations } = timeline;
  const j = scratchJudgement;
  // Expulsions decided after as-of are not yet known.
  let expulsions = timeline.expulsions;
  for (const ex of expulsions) {
    if (ex.decidedOn > asOf) {
      expulsions = expulsions.filter((e) => e.decidedOn <= asOf);
      break;
    }
  }

  for (const stay of ctx.built.stays) {
    const entry = stay.entryDay;
    const exit = stay.exitDay;
    const end = exit ?? asOf;
    const status = exit === null ? 'in-country' : 'departed';
    const citizenship = stay.entryCitizenship ?? timeline.citizenship;
    const regime = regimeFor(rs, citizenship, entry);
    judgeStay(ctx, entry, end, regime, j);
    const overstay = j.firstUnlawful <= end;

    if (overstay) {
      findings.push({
        personKey,
        citizenship,
        rule: j.rule as OverstayRule,
        regime: regime.name,
        entryDay: entry,
        entryCheckpoint: stay.entryCheckpoint,
        exitDay: exit,
        firstDay: j.firstUnlawful,
        lastLawfulDay: j.firstUnlawful - 1,
        days: j.unlawfulDays,
        status,
        detail: overstayDetail(ctx, timeline, entry, regime, j),
      });
    }

    // Registration: the receiving party's duty to notify within the working days.
    const deadline = registrationDeadline(entry, rs.workingDays, rs.calendar);
    if (end > deadline && !ctx.coverage.has(deadline)) {
      const reg = earliestNotification(registrations, entry, end, asOf);
      if (reg === null) {
        findings.push({
          personKey,
          citizenship,
          rule: 'unregistered',
          regime: regime.name,
          entryDay: entry,
          entryCheckpoint: stay.entryCheckpoint,
          exitDay: exit,
          firstDay: deadline + 1,
          lastLawfulDay: deadline,
          days: end - deadline,
          status,
          detail: { deadline: isoFromDay(deadline), workingDays: rs.workingDays },
        });
      } else {
        const notified = notificationDay(reg);
        if (notified > deadline) {
          findings.push({
            personKey,
            citizenship,
            rule: 'late-registration',
            regime: regime.name,
            entryDay: entry,
            entryCheckpoint: stay.entryCheckpoint,
            exitDay: exit,
            firstDay: notified,
            lastLawfulDay: deadline,
            days: notified - deadline,
            status,
            detail: {
              deadline: isoFromDay(deadline),
              workingDays: rs.workingDays,
              notifiedOn: isoFromDay(notified),
              registeredFrom: isoFromDay(reg.registeredFrom),
              hostId: reg.hostId,
              hostName: reg.hostName,
            },
          });
        }
      }
    }

    // Re-entry ban: an entry strictly inside (ban start, ban start + years).
    if (expulsions.length > 0) {
      let banStart = 0;
      let banEnd = NONE;
      let years = 0;
      let decidedOn = 0;
      for (const ex of expulsions) {
        const start = ex.expelledOn ?? ex.decidedOn;
        const y = ex.banYears ?? rs.banYears;
        const stop = addYearsClamped(start, y);
        // Of several bans the entry breaks, report the one that lasts longest.
        if (entry > start && entry < stop && stop > banEnd) {
          banStart = start;
          banEnd = stop;
          years = y;
          decidedOn = ex.decidedOn;
        }
      }
      if (banEnd !== NONE) {
        findings.push({
          personKey,
          citizenship,
          rule: 'ban-breach',
          regime: regime.name,
          entryDay: entry,
          entryCheckpoint: stay.entryCheckpoint,
          exitDay: exit,
          firstDay: entry,
          lastLawfulDay: null,
          days: Math.min(end, banEnd - 1) - entry + 1,
          status,
          detail: { banStart: isoFromDay(banStart), banEnd: isoFromDay(banEnd), banYears: years, decidedOn: isoFromDay(decidedOn) },
        });
      }
    }

    const f = j.firstUnlawful;
    verdicts.push({
      personKey,
      citizenship,
      entryDay: entry,
      exitDay: exit,
      entryCheckpoint: stay.entryCheckpoint,
      regime: regime.name,
      authorisedUntil: f === Infinity || f <= entry ? null : f - 1,
      overstay,
      status,
      daysPresent: end - entry + 1,
    });
  }

  // Anomalies.
  const fallback = timeline.citizenship;
  for (const a of ctx.built.anomalies) {
    if (a.rule === 'orphan-exit') {
      findings.push(anomaly(timeline, a.citizenship ?? fallback, 'orphan-exit', null, a.day, a.day, { at: a.at, checkpoint: a.checkpoint }));
    } else {
      const entry = a.openEntryDay === null ? null : { day: a.openEntryDay, checkpoint: a.openEntryCheckpoint };
      findings.push(anomaly(timeline, a.openEntryCitizenship ?? fallback, 'missing-exit', entry, null, a.day, {
        entryAt: a.openEntryAt,
        nextEntryAt: a.at,
        checkpoint: a.checkpoint,
        resolution: rs.missingExit,
      }));
    }
  }
  for (const p of ctx.reversedPermits) {
    findings.push(anomaly(timeline, p.citizenship ?? citizenshipAsOf(timeline, asOf), 'permit-dates-reversed', null, null, p.validFrom, {
      permitNo: p.permitNo,
      validFrom: isoFromDay(p.validFrom),
      validUntil: isoFromDay(p.validUntil),
    }));
  }
  const future = futureCrossings(timeline.crossings, asOf);
  if (future !== null) {
    findings.push(anomaly(timeline, future.first.citizenship ?? fallback, 'future-crossing', null, null, future.first.day, {
      count: future.count,
      firstAt: future.first.at,
      importedOn: isoOrNull(future.first.importedOn ?? null),
    }));
  }
  const known = rs.checkpoints;
  if (known !== null) {
    let prevAt = '';
    let prevDir = '';
    for (const c of timeline.crossings) {
      if (c.day > asOf || c.checkpoint === null) continue;
      if (c.at === prevAt && c.direction === prevDir) continue;
      prevAt = c.at;
      prevDir = c.direction;
      const code = c.checkpoint.trim().toUpperCase();
      if (code === '' || known.has(code)) continue;
      findings.push(anomaly(timeline, c.citizenship ?? fallback, 'unknown-checkpoint', c.direction === 'IN' ? c : null, c.direction === 'OUT' ? c.day : null, c.day, {
        checkpoint: c.checkpoint,
        direction: c.direction,
        at: c.at,
      }));
    }
  }
  return { findings, stays: verdicts };
}
