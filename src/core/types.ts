/**
 * The data the audit core works on. Everything here is plain data: no I/O.
 *
 * A `Day` is a calendar day as an integer: days since 1970-01-01 (day 0).
 * Calendar days are what the files write (local time at the border), so no time
 * zone arithmetic is ever done; `dayFromIso`/`isoFromDay` in `dates.ts` convert.
 */
import type { RuleName } from './rules/registry.js';

export type Day = number;

export type Direction = 'IN' | 'OUT';

export interface Crossing {
  direction: Direction;
  /** Calendar day of the crossing. */
  day: Day;
  /** Sortable timestamp `YYYY-MM-DD HH:MM:SS` (time `00:00:00` when the file gave none). */
  at: string;
  checkpoint: string | null;
  /**
   * Citizenship of the document used for this crossing (SPEC §2: citizenship is the
   * document's); absent: the timeline's `citizenship`.
   */
  citizenship?: string;
  /**
   * Calendar day on which the crossing was imported (null or absent: unknown). A
   * crossing dated after it is a keying or clock error (`future-crossing`).
   */
  importedOn?: Day | null;
}

export type PermitKind = 'trp' | 'visa';
export type PermitStatus = 'active' | 'revoked' | 'annulled';

export interface Permit {
  permitNo: string;
  kind: PermitKind;
  ground: string | null;
  validFrom: Day;
  validUntil: Day;
  status: PermitStatus;
  revokedOn: Day | null;
  hostId: string | null;
  /** Citizenship of the document the permit names; absent: the person's as of the audit day. */
  citizenship?: string;
}

export interface Registration {
  registeredFrom: Day;
  registeredUntil: Day | null;
  notifiedOn: Day | null;
  hostId: string | null;
  hostName: string | null;
}

export interface Expulsion {
  decidedOn: Day;
  expelledOn: Day | null;
  banYears: number | null;
  reason: string | null;
}

/**
 * Everything recorded about one person, as the audit reads it. It may hold what was
 * not yet known on the audit day (crossings after it, later notifications, decisions
 * and revocations): the audit leaves those out itself (SPEC §2, as-of is a snapshot).
 */
export interface PersonTimeline {
  personKey: string;
  /**
   * The citizenship used where no crossing on or before the audit day gives one (see
   * `citizenshipAsOf`); each crossing carries its own.
   */
  citizenship: string;
  /** Sorted by `at` ascending (ties: IN before OUT). May contain crossings after as-of. */
  crossings: Crossing[];
  permits: Permit[];
  registrations: Registration[];
  expulsions: Expulsion[];
}

// Rule names come from the registry of rules (one file per family under rules/).
export type { AnomalyRule, OverstayRule, RegistrationRule, RuleName } from './rules/registry.js';
export { isOwnOffence, OWN_OFFENCE_RULES, ownOffenceCount } from './rules/registry.js';

export type StayStatus = 'in-country' | 'departed';

/** One finding: what rule, on which stay, since when, how many days, and why. */
export interface Finding {
  personKey: string;
  /**
   * The citizenship on the entry crossing of the finding's stay (that of the crossing
   * itself for orphan-exit, future-crossing and unknown-checkpoint; of the permit for
   * permit-dates-reversed).
   */
  citizenship: string;
  rule: RuleName;
  /** Name of the regime that judged the stay (null for anomalies without a stay regime). */
  regime: string | null;
  entryDay: Day | null;
  /** Checkpoint of the entry on `entryDay` that began the stay (null without one). */
  entryCheckpoint: string | null;
  /** Exit day of the stay; null when the stay is open at as-of (or no stay). */
  exitDay: Day | null;
  /** See SPEC §5: first unlawful day / entry day / day after deadline / notification day. */
  firstDay: Day | null;
  /** Overstays: the day before firstDay. Registration: the deadline. Otherwise null. */
  lastLawfulDay: Day | null;
  days: number;
  status: StayStatus | null;
  /** Explanation for analysts: cap, window count on the first unlawful day, permit that ended, deadline... */
  detail: Record<string, string | number | boolean | null>;
}

/** A reconstructed stay with its verdict, as statistics need it. */
export interface StayVerdict {
  personKey: string;
  /** The citizenship on the stay's entry crossing, which chose its regime. */
  citizenship: string;
  entryDay: Day;
  exitDay: Day | null;
  entryCheckpoint: string | null;
  regime: string | null;
  /**
   * Last day up to which staying on continuously from entry would have been lawful
   * (entry + cap − 1, window permitting, or the permit's end); null when unbounded
   * or not applicable (e.g. visa regime with no permit: the stay was never authorised).
   */
  authorisedUntil: Day | null;
  /** Overstay finding on this stay, if any. */
  overstay: boolean;
  status: StayStatus;
  /** Days of presence up to exit or as-of. */
  daysPresent: number;
}

export interface PersonAudit {
  findings: Finding[];
  stays: StayVerdict[];
}
