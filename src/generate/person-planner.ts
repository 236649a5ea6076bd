/**
 * Plans one random person: nationality, identity, trips, permits, expulsions and
 * registrations. Lawful people are lawful by construction, checked by the judge
 * and repaired if a combination of trips slipped over a limit; violators are
 * built to break one rule on purpose. Everything is drawn from the person's own
 * seeded stream.
 */
import { addYears, dayOf, type Calendar } from './calendar.js';
import { HOST_POOL_SIZE, pickHost } from './hosts.js';
import { Judge, coveredOn, type PersonVerdict } from './judge.js';
import type { PermitPlan, PersonPlan, StayPlan } from './plan.js';
import { EXPULSION_REASONS, NATIONALITIES, SLAVIC_CYRILLIC, TRP_GROUNDS, VISA_GROUNDS,
  type NameGroup, type Nationality } from './population.js';
import { cumulative, mix32, Random } from './random.js';
import { needsVisa, regimeOn, type RegimeShape } from './regimes.js';

/** The knobs that shape the data. DEFAULT_SHAPE documents the chosen values. */
export interface ShapeParameters {
  /** Share of persons per nationality (alpha-3 → weight); defaults to the population.ts mix. */
  nationalityWeights?: Readonly<Record<string, number>>;
  /** Relative weights of 1, 2, 3, 4 trips per person. */
  tripCountWeights: readonly number[];
  /** Persons written with a person_id (the rest are keyed by citizenship + document). */
  personIdShare: number;
  /** TRP holders, and among them: annulled permits, lawful revocations, still in the country. */
  trpShare: number;
  trpAnnulledShare: number;
  trpRevokedShare: number;
  trpOpenShare: number;
  /** Persons (not TRP holders) still in the country at the end of the data. */
  openStayShare: number;
  /** Visa nationals still in the country at the end of the data. */
  visaOpenShare: number;
  /** Visa nationals whose trips share one multiple-entry visa. */
  visaMultiEntryShare: number;
  /** Expelled persons; among them re-entering during the ban, and expelled in the data's year. */
  expelledShare: number;
  reentryShare: number;
  expelledThisYearShare: number;
  /** Stays that need a registration: notified late, not registered at all. */
  registrationLateShare: number;
  registrationMissingShare: number;
  /** Stays exempt (covered by a permit) that are registered anyway. */
  exemptRegisteredShare: number;
  /** Multiplies each nationality's violator share (0: nobody overstays on purpose). */
  violatorScale: number;
  /** Russians whose names are written in Cyrillic, per variant. */
  cyrillicShare: { reference: number; 'russian-cp1251': number };
}

export const DEFAULT_SHAPE: ShapeParameters = {
  // mean 1.265 entries per person: 4.3 M entries for 3.4 M persons
  tripCountWeights: [0.805, 0.14, 0.04, 0.015],
  personIdShare: 0.9,
  trpShare: 0.02,
  trpAnnulledShare: 0.03,
  trpRevokedShare: 0.08,
  trpOpenShare: 0.7,
  // with the TRP holders, ~5.9% of persons are still in the country: 4.1 M exits for 4.3 M entries
  openStayShare: 0.046,
  visaOpenShare: 0.06,
  visaMultiEntryShare: 0.25,
  expelledShare: 0.0005,
  reentryShare: 0.05,
  expelledThisYearShare: 0.5,
  registrationLateShare: 0.05,
  registrationMissingShare: 0.03,
  exemptRegisteredShare: 0.4,
  violatorScale: 1,
  cyrillicShare: { reference: 0.03, 'russian-cp1251': 0.3 },
};

export interface PlannerSettings {
  seed: number;
  /** First and last calendar year of the data; the audit date is 31 December of the last. */
  fromYear: number;
  toYear: number;
  variant: 'reference' | 'russian-cp1251';
  shape: ShapeParameters;
}

export interface PlannedPerson {
  plan: PersonPlan;
  verdict: PersonVerdict;
}

type Profile = 'regular' | 'visa' | 'trp';

export class PersonPlanner {
  readonly asOf: number;
  readonly judge: Judge;
  private readonly r = new Random(0);
  private readonly nationalities: readonly Nationality[];
  private readonly nationalityCumulative: number[];
  private readonly tripCumulative: number[];
  private readonly checkpointTables: Map<Nationality, { ids: number[]; cumulative: number[] }> = new Map();
  private readonly pidOffset: number;
  private readonly docOffset: number;
  private permitSerial = 0;
  /** 1 January of each year of the data, and of the year after. */
  private readonly yearStarts: number[] = [];

  constructor(private readonly calendar: Calendar, private readonly settings: PlannerSettings) {
    this.asOf = dayOf(settings.toYear, 12, 31);
    for (let y = settings.fromYear; y <= settings.toYear + 1; y++) this.yearStarts.push(dayOf(y, 1, 1));
    this.judge = new Judge(calendar, this.asOf);
    const weights = settings.shape.nationalityWeights;
    this.nationalities = weights === undefined
      ? NATIONALITIES
      : NATIONALITIES.filter((n) => (weights[n.code] ?? 0) > 0);
    this.nationalityCumulative = cumulative(this.nationalities.map((n) => weights?.[n.code] ?? n.weight));
    this.tripCumulative = cumulative(settings.shape.tripCountWeights);
    for (const n of this.nationalities) {
      this.checkpointTables.set(n, {
        ids: n.checkpoints.map(([i]) => i),
        cumulative: cumulative(n.checkpoints.map(([, w]) => w)),
      });
    }
    const s = settings.seed;
    this.pidOffset = mix32(s, 0x1d) % 100_000_000_000;
    this.docOffset = mix32(s, 0x2d) % 100_000_000;
  }

  /** Plans person `index` and judges it (the verdict object is reused by the next call). */
  plan(index: number): PlannedPerson {
    const r = this.r;
    const shape = this.settings.shape;
    r.reset(mix32(this.settings.seed, index));
    const nationality = this.nationalities[r.weighted(this.nationalityCumulative)]!;
    const code = nationality.code;
    const activeYear = this.settings.fromYear + r.int(this.settings.toYear - this.settings.fromYear + 1);
    const y0 = this.yearStarts[activeYear - this.settings.fromYear]!;
    const y1 = this.yearStarts[activeYear - this.settings.fromYear + 1]! - 1;
    const isLastYear = activeYear === this.settings.toYear;

    const plan = this.identity(index, nationality, y0);

    const roll = r.next();
    const expelled = roll < shape.expelledShare;
    const trp = !expelled && roll < shape.expelledShare + shape.trpShare;
    const annulled = trp && r.chance(shape.trpAnnulledShare);
    const violator = !expelled && r.chance(nationality.violatorShare * shape.violatorScale);
    const visa = needsVisa(code);
    const profile: Profile = trp && !annulled ? 'trp' : visa ? 'visa' : 'regular';
    const trips = 1 + r.weighted(this.tripCumulative);
    const openShare = profile === 'trp' ? shape.trpOpenShare : visa ? shape.visaOpenShare : shape.openStayShare;
    const open = isLastYear && r.chance(openShare);

    let plannedViolation = false;
    if (profile === 'regular') {
      if (violator) {
        plannedViolation = true;
        plan.stays = this.regularViolation(code, y0, y1, isLastYear);
      } else {
        plan.stays = this.placeStays(trips, y0, y1, open, (s) => regularDuration(r, regimeOn(code, s)));
      }
    } else if (profile === 'visa') {
      plan.stays = this.placeStays(trips, y0, y1, open, () => visaDuration(r));
    } else {
      plan.stays = this.placeStays(trips, y0, y1, open, () => trpDuration(r));
    }
    if (expelled) plannedViolation = this.expel(plan, y0, y1, profile) || plannedViolation;
    if (profile === 'visa') plannedViolation = this.coverWithVisas(plan, y1, violator) || plannedViolation;
    if (profile === 'trp') plannedViolation = this.coverWithTrp(plan, y1, violator) || plannedViolation;
    if (annulled) plan.permits.push(this.annulledTrp(y0));
    this.register(plan);
    this.decorate(plan);

    let verdict = this.judge.judge(plan);
    if (verdict.offences > 0 && !plannedViolation && profile === 'regular') {
      // An unlucky combination of trips crossed a window: shorten them and re-judge.
      this.shortenStays(plan);
      for (const e of plan.expulsions) {
        // expelled on the day of leaving, which may now be earlier
        const exit = plan.stays[plan.stays.length - 1]!.exit;
        if (e.decided >= y0 && exit !== null && e.expelled !== null && e.expelled > exit) {
          e.expelled = exit;
          e.decided = Math.min(e.decided, exit);
        }
      }
      plan.registrations = [];
      this.register(plan);
      this.decorate(plan);
      verdict = this.judge.judge(plan);
    }
    return { plan, verdict };
  }

  // ------------------------------------------------------------ identity

  private identity(index: number, nationality: Nationality, y0: number): PersonPlan {
    const r = this.r;
    const shape = this.settings.shape;
    // A bijection of the index onto 11 digits, so ids never repeat; built from two
    // small integers because formatting a 12-digit double is slow.
    let personId = '';
    if (r.chance(shape.personIdShare)) {
      const id = (index * 73_939_133 + this.pidOffset) % 100_000_000_000;
      const high = Math.floor(id / 1_000_000);
      personId = String(100_000 + high) + String(1_000_000 + (id - high * 1_000_000)).slice(1);
    }
    const serial = (index * 7_368_787 + this.docOffset) % 100_000_000;
    const prefix = nationality.docPrefixes[Math.floor(serial / 10_000_000)] ?? 'N';
    const documentNo = prefix + String(serial % 10_000_000).padStart(7, '0');
    const male = r.chance(0.56);
    const cyrillicRoll = r.next();
    const cyrillic = nationality.code === 'RUS' && cyrillicRoll < shape.cyrillicShare[this.settings.variant];
    const names = cyrillic ? SLAVIC_CYRILLIC : nationality.names;
    const s = r.int(names.surnames.length);
    const g = r.int(male ? names.male.length : names.female.length);
    const surname = (male ? names.surnames : feminineSurnames(names))[s]!;
    const givenNames = (male ? names.male[g] : names.female[g])!;
    const ageRoll = r.next();
    const age = ageRoll < 0.07 ? r.between(0, 17) : ageRoll < 0.95 ? r.between(18, 64) : r.between(65, 85);
    const birth = y0 - Math.floor(age * 365.25) - r.int(365);
    return {
      nationality, personId, documentNo, documentPrefixLength: prefix.length, surname, givenNames, birth, male,
      stays: [], permits: [], registrations: [], expulsions: [],
    };
  }

  // ------------------------------------------------------------ trips

  /**
   * `count` non-overlapping stays within [y0, y1]; with `open`, the last one is still
   * running at y1 (the audit date). Start days are uniform; each duration is cut
   * short where it would run into the next stay.
   */
  private placeStays(
    count: number, y0: number, y1: number, open: boolean, duration: (start: number) => number,
  ): StayPlan[] {
    const r = this.r;
    const stays: StayPlan[] = [];
    let limit = y1;
    let openStay: StayPlan | null = null;
    let closed = count;
    if (open) {
      const length = Math.min(duration(y1), y1 - y0 + 1);
      openStay = stay(y1 - length + 1, null);
      limit = openStay.entry - 1;
      closed--;
    }
    if (closed > 0 && limit >= y0) {
      const starts: number[] = [];
      for (let k = 0; k < closed; k++) starts.push(y0 + r.int(limit - y0 + 1));
      starts.sort((a, b) => a - b);
      let previousExit = -Infinity;
      for (let k = 0; k < closed; k++) {
        const start = starts[k]!;
        if (start <= previousExit) continue; // collided with the previous stay: one trip fewer
        const next = k + 1 < closed ? starts[k + 1]! : limit + 1;
        const length = Math.min(duration(start), Math.max(1, next - start), limit - start + 1);
        const exit = start + length - 1;
        stays.push(stay(start, exit));
        previousExit = exit;
      }
    }
    if (openStay !== null) stays.push(openStay);
    return stays;
  }

  /** Cuts every stay to an equal share of the tightest window, which makes any set of stays lawful. */
  private shortenStays(plan: PersonPlan): void {
    const code = plan.nationality.code;
    const n = plan.stays.length;
    let tightest = Infinity;
    for (const s of plan.stays) tightest = Math.min(tightest, regimeOn(code, s.entry).windowMax ?? Infinity);
    const share = tightest === Infinity ? Infinity : Math.max(1, Math.floor(tightest / n));
    for (const s of plan.stays) {
      const length = Math.min(share, regimeOn(code, s.entry).cap ?? Infinity);
      if (s.exit !== null) s.exit = Math.min(s.exit, s.entry + length - 1);
      else s.entry = Math.max(s.entry, this.asOf - length + 1);
    }
  }

  /** A stay-limit or rolling-limit overstay for a visa-free nationality. */
  private regularViolation(code: string, y0: number, y1: number, isLastYear: boolean): StayPlan[] {
    const r = this.r;
    const regime = regimeOn(code, y0 + 182);
    const cap = regime.cap ?? 90;
    if (regime.windowMax !== null && r.chance(0.45)) return this.rollingViolation(regime, cap, y0, y1, isLastYear);
    const k = r.chance(0.5) ? r.between(1, 5) : r.chance(0.7) ? r.between(6, 30) : r.between(31, 120);
    const length = Math.min(cap + k, y1 - y0 - 40);
    const open = isLastYear && r.chance(0.25);
    const entry = open ? y1 - length + 1 : r.between(y0, y1 - length + 1);
    const exit = open ? null : entry + length - 1;
    const stays = [stay(entry, exit)];
    if (r.chance(0.3)) {
      const short = r.between(1, 7);
      if (entry - y0 >= 30) {
        const s = r.between(y0, entry - 14 - short);
        stays.unshift(stay(s, s + short - 1));
      } else if (exit !== null && y1 - exit >= 30) {
        const s = r.between(exit + 14, y1 - short + 1);
        stays.push(stay(s, s + short - 1));
      }
    }
    return stays;
  }

  /** Trips that each respect the cap but together pass the 180-day window's maximum. */
  private rollingViolation(regime: RegimeShape, cap: number, y0: number, y1: number, isLastYear: boolean): StayPlan[] {
    const r = this.r;
    const max = regime.windowMax ?? 90;
    const full = Math.ceil(max / cap);
    const shortest = cap >= 90 ? 45 : cap - Math.floor(cap / 6);
    const lengths: number[] = [];
    let sum = 0;
    for (let j = 0; j < full; j++) {
      const t = r.between(shortest, cap);
      lengths.push(t);
      sum += t;
    }
    const over = r.between(1, Math.max(1, Math.min(20, cap - (max - sum))));
    const lastLength = Math.max(1, max - sum + over);
    lengths.push(lastLength);
    sum += lastLength;
    const gapMax = Math.max(1, Math.floor((180 - sum) / full));
    const gaps = lengths.slice(1).map(() => r.between(1, gapMax));
    const span = sum + gaps.reduce((a, b) => a + b, 0);
    const open = isLastYear && r.chance(0.2);
    let day = open ? y1 - span + 1 : r.between(y0, y1 - span + 1);
    const stays: StayPlan[] = [];
    lengths.forEach((length, j) => {
      const last = j === lengths.length - 1;
      stays.push(stay(day, last && open ? null : day + length - 1));
      day += length + (gaps[j] ?? 0);
    });
    return stays;
  }

  // ------------------------------------------------------------ permits

  private nextPermitNo(kind: 'trp' | 'visa'): string {
    const serial = (this.permitSerial++ * 48_271 + this.docOffset) % 1_000_000_000;
    const digits = String(serial).padStart(9, '0');
    return kind === 'trp' ? `RVP-${digits}` : `V${digits}`;
  }

  /**
   * Visas for a visa national's stays: one per trip, or one multiple-entry visa. A
   * violator's last stay outlives its visa (permit-expired) or has none (no-basis).
   * Returns whether a violation was planned.
   */
  private coverWithVisas(plan: PersonPlan, y1: number, violator: boolean): boolean {
    const r = this.r;
    const stays = plan.stays;
    if (stays.length === 0) return false;
    const shape = this.settings.shape;
    const ground = (): number => r.weighted(VISA_GROUND_WEIGHTS);
    const host = (): number | null => (r.chance(0.3) ? pickHost(r, HOST_POOL_SIZE) : null);
    const end = (s: StayPlan): number => s.exit ?? this.asOf;
    let lastCovered = stays.length;
    let planned = false;
    if (violator) {
      const last = stays[stays.length - 1]!;
      if (last.exit !== null && last.exit - last.entry < 7) last.exit = Math.min(y1, last.entry + r.between(7, 40));
      lastCovered = stays.length - 1;
      planned = true;
      if (end(last) > last.entry && r.chance(0.65)) {
        plan.permits.push(this.visa(last.entry - r.int(20), end(last) - r.between(1, Math.min(30, end(last) - last.entry)),
          ground(), host()));
      }
    }
    if (lastCovered > 1 && !violator && r.chance(shape.visaMultiEntryShare)) {
      const first = stays[0]!;
      plan.permits.push(this.visa(first.entry - r.int(30), end(stays[lastCovered - 1]!) + r.int(60), ground(), host()));
      return planned;
    }
    for (let k = 0; k < lastCovered; k++) {
      const s = stays[k]!;
      plan.permits.push(this.visa(s.entry - r.int(30), end(s) + r.int(30), ground(), host()));
    }
    return planned;
  }

  private visa(validFrom: number, validUntil: number, ground: number, host: number | null): PermitPlan {
    return {
      permitNo: this.nextPermitNo('visa'), kind: 'visa', ground, validFrom, validUntil, status: 'active',
      revokedOn: null, host,
    };
  }

  /**
   * A temporary residence permit of 1–3 years covering every stay; some are revoked
   * after the holder left. A violator's permit is revoked, or expires, during the
   * last stay and the holder stays on (permit-expired).
   */
  private coverWithTrp(plan: PersonPlan, y1: number, violator: boolean): boolean {
    const r = this.r;
    const stays = plan.stays;
    if (stays.length === 0) return false;
    const first = stays[0]!.entry;
    const last = stays[stays.length - 1]!;
    if (violator && last.exit !== null && last.exit - last.entry < 9) {
      last.exit = Math.min(y1, last.entry + r.between(9, 90));
    }
    const lastDay = last.exit ?? this.asOf;
    let years = r.between(1, 3);
    let validFrom = first - r.int(700);
    if (addYears(validFrom, years) - 1 < lastDay) {
      years = 3;
      validFrom = Math.max(validFrom, lastDay - 3 * 365 + 2);
      if (validFrom > first) validFrom = first;
    }
    const permit: PermitPlan = {
      permitNo: this.nextPermitNo('trp'), kind: 'trp', ground: r.weighted(TRP_GROUND_WEIGHTS), validFrom,
      validUntil: addYears(validFrom, years) - 1, status: 'active', revokedOn: null, host: pickHost(r, HOST_POOL_SIZE),
    };
    plan.permits.push(permit);
    let planned = false;
    if (violator && lastDay > last.entry) {
      planned = true;
      if (r.chance(0.5)) {
        permit.status = 'revoked';
        permit.revokedOn = r.between(last.entry + 1, lastDay);
      } else {
        permit.validUntil = r.between(last.entry, lastDay - 1);
        const earliest = addYears(permit.validUntil + 1, -years);
        permit.validFrom = Math.min(earliest, first - r.int(60));
      }
    } else if (last.exit !== null && r.chance(this.settings.shape.trpRevokedShare)) {
      const latest = Math.min(permit.validUntil, this.asOf);
      if (latest > last.exit) {
        permit.status = 'revoked';
        permit.revokedOn = r.between(last.exit + 1, latest);
      }
    }
    return planned;
  }

  /** An annulled permit: on file, but it never covers a day. */
  private annulledTrp(y0: number): PermitPlan {
    const r = this.r;
    const validFrom = y0 - r.int(400);
    return {
      permitNo: this.nextPermitNo('trp'), kind: 'trp', ground: r.weighted(TRP_GROUND_WEIGHTS), validFrom,
      validUntil: addYears(validFrom, r.between(1, 3)) - 1, status: 'annulled',
      revokedOn: r.chance(0.5) ? validFrom + r.between(10, 200) : null, host: pickHost(r, HOST_POOL_SIZE),
    };
  }

  // ------------------------------------------------------------ expulsions

  /**
   * An expulsion decided this year at the end of the last stay, or years ago with the
   * ban over before the first trip; for the few who re-enter during the ban, an
   * expulsion this year followed by a new trip, or one in the last four years.
   * Returns whether a re-entry during the ban (an offence) was planned.
   */
  private expel(plan: PersonPlan, y0: number, y1: number, profile: Profile): boolean {
    const r = this.r;
    const shape = this.settings.shape;
    const code = plan.nationality.code;
    const banRoll = r.next();
    let banYears: number | null = banRoll < 0.8 ? 5 : banRoll < 0.92 ? null : banRoll < 0.97 ? 3 : 10;
    const reentry = r.chance(shape.reentryShare);
    const thisYear = r.chance(shape.expelledThisYearShare);
    const reason = r.int(EXPULSION_REASONS.length);
    const capOf = (day: number): number => Math.min(regimeOn(code, day).cap ?? 30, profile === 'trp' ? 60 : 90);
    if (thisYear) {
      let expelledFrom: StayPlan;
      if (reentry) {
        const entryA = r.between(y0, y0 + 150);
        const a = stay(entryA, entryA + r.between(3, Math.min(40, capOf(entryA))) - 1);
        const entryB = (a.exit as number) + r.between(30, 120);
        const b = stay(entryB, entryB + r.between(2, Math.min(20, capOf(entryB))) - 1);
        plan.stays = [a, b];
        expelledFrom = a;
      } else {
        expelledFrom = plan.stays[plan.stays.length - 1]!;
        if (expelledFrom.exit === null) expelledFrom.exit = Math.min(y1, expelledFrom.entry + r.int(4));
      }
      const exit = expelledFrom.exit as number;
      const decided = exit - r.int(Math.min(8, exit - expelledFrom.entry + 1));
      plan.expulsions.push({ decided, expelled: r.chance(0.9) ? exit : null, banYears, reason });
      return reentry;
    }
    let decided: number;
    if (reentry) {
      decided = y0 - r.between(30, 4 * 365 - 30);
      if (banYears !== null && banYears < 5) banYears = 5;
    } else {
      decided = plan.stays[0]!.entry - ((banYears ?? 5) * 366 + r.between(30, 900));
    }
    plan.expulsions.push({ decided, expelled: r.chance(0.8) ? decided + r.int(15) : null, banYears, reason });
    return reentry;
  }

  // ------------------------------------------------------------ registrations

  /**
   * Stays present past the third working day need a registration: most on time, some
   * late, some missing. Stays covered by a permit on the deadline are exempt, but
   * many are registered anyway.
   */
  private register(plan: PersonPlan): void {
    const r = this.r;
    const shape = this.settings.shape;
    for (const s of plan.stays) {
      const last = s.exit ?? this.asOf;
      const deadline = this.calendar.registrationDeadline(s.entry);
      if (last <= deadline) continue;
      const exempt = coveredOn(plan.permits, deadline);
      const roll = r.next();
      if (exempt && roll >= shape.exemptRegisteredShare) continue;
      const missing = !exempt && roll < shape.registrationMissingShare;
      const late = !exempt && !missing && roll < shape.registrationMissingShare + shape.registrationLateShare;
      if (missing) continue;
      const host = pickHost(r, HOST_POOL_SIZE);
      const until = s.exit !== null ? (r.chance(0.8) ? s.exit : s.exit + r.int(10)) : r.chance(0.5) ? null : this.asOf + r.between(1, 60);
      if (late) {
        const from = s.entry + r.int(Math.min(3, last - s.entry + 1));
        const notified = deadline + 1 + (r.chance(0.6) ? r.int(5) : r.int(30));
        plan.registrations.push({ from, until, notified, host });
        continue;
      }
      const from = Math.min(deadline, s.entry + (r.chance(0.6) ? 0 : 1));
      const notified = r.chance(0.15) ? null : from + r.int(Math.min(3, deadline - from + 1));
      plan.registrations.push({ from, until, notified, host });
      if (last - s.entry > 30 && r.chance(0.1)) {
        // moved to another address mid-stay
        const moved = r.between(s.entry + 15, last);
        plan.registrations.push({ from: moved, until, notified: moved + r.int(3), host: pickHost(r, HOST_POOL_SIZE) });
      }
    }
  }

  // ------------------------------------------------------------ crossings

  /** Times and checkpoints of each crossing. */
  private decorate(plan: PersonPlan): void {
    const r = this.r;
    const table = this.checkpointTables.get(plan.nationality)!;
    for (const s of plan.stays) {
      s.entryCheckpoint = table.ids[r.weighted(table.cumulative)]!;
      s.exitCheckpoint = r.chance(0.7) ? s.entryCheckpoint : table.ids[r.weighted(table.cumulative)]!;
      s.entryMinute = r.int(1440);
      s.exitMinute = r.int(1440);
      if (s.exit === s.entry) {
        if (s.entryMinute > 1200) s.entryMinute -= 600;
        s.exitMinute = r.between(s.entryMinute + 1, 1439);
      }
    }
  }
}

const feminine = new Map<NameGroup, readonly string[]>();

/** Women's surnames of a name group (computed once: equal strings keep the writer's cache lookups cheap). */
function feminineSurnames(names: NameGroup): readonly string[] {
  let list = feminine.get(names);
  if (list === undefined) {
    list = names.surnames.map((s) => s + names.feminine);
    feminine.set(names, list);
  }
  return list;
}

function stay(entry: number, exit: number | null): StayPlan {
  return { entry, exit, entryMinute: 0, exitMinute: 0, entryCheckpoint: 0, exitCheckpoint: 0 };
}

const VISA_GROUND_WEIGHTS = cumulative([35, 30, 15, 15, 5].slice(0, VISA_GROUNDS.length));
const TRP_GROUND_WEIGHTS = cumulative([55, 25, 10, 8, 2].slice(0, TRP_GROUNDS.length));

/** Lawful trip lengths for a visa-free regime: mostly short trips, some long stays. */
function regularDuration(r: Random, regime: RegimeShape): number {
  const cap = regime.cap ?? 30;
  const x = r.next();
  if (cap >= 90) return x < 0.68 ? r.between(1, 10) : x < 0.86 ? r.between(11, 29) : r.between(30, 89);
  if (cap >= 30) return x < 0.72 ? r.between(1, 10) : r.between(11, cap);
  return x < 0.8 ? r.between(1, 10) : r.between(11, cap);
}

function visaDuration(r: Random): number {
  const x = r.next();
  return x < 0.55 ? r.between(1, 10) : x < 0.85 ? r.between(11, 30) : r.between(31, 89);
}

function trpDuration(r: Random): number {
  const x = r.next();
  return x < 0.3 ? r.between(5, 30) : x < 0.7 ? r.between(31, 180) : r.between(181, 330);
}
