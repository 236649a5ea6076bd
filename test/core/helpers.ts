import { dayFromIsoStrict, isoFromDay } from '../../src/core/dates.js';
import type { Crossing, Day, Expulsion, Finding, Permit, PersonAudit, PersonTimeline, Registration } from '../../src/core/types.js';

/** `YYYY-MM-DD` -> Day (throws on a typo in a test). */
export const d = (iso: string): Day => dayFromIsoStrict(iso);
export const iso = (day: Day | null): string | null => (day === null ? null : isoFromDay(day));

/** A crossing from `IN 2024-01-01` / `OUT 2024-03-01 10:00` shorthand. */
export function crossing(spec: string, checkpoint: string | null = null): Crossing {
  const [dir, date, time] = spec.split(' ');
  if ((dir !== 'IN' && dir !== 'OUT') || date === undefined) throw new Error(`bad crossing spec ${spec}`);
  const t = time === undefined ? '00:00:00' : time.length === 5 ? `${time}:00` : time;
  return { direction: dir, day: d(date), at: `${date} ${t}`, checkpoint };
}

export interface PermitSpec {
  no?: string;
  from: string;
  until: string;
  kind?: 'trp' | 'visa';
  status?: 'active' | 'revoked' | 'annulled';
  revokedOn?: string | null;
}

export function permit(p: PermitSpec): Permit {
  return {
    permitNo: p.no ?? 'P1',
    kind: p.kind ?? 'trp',
    ground: null,
    validFrom: d(p.from),
    validUntil: d(p.until),
    status: p.status ?? 'active',
    revokedOn: p.revokedOn == null ? null : d(p.revokedOn),
   
    hostId: null,
  };
}

export function registration(from: string, notifiedOn: string | null = null, hostId: string | null = null): Registration {
  return { registeredFrom: d(from), registeredUntil: null, notifiedOn: notifiedOn === null ? null : d(notifiedOn), hostId, hostName: null };
}

export function expulsion(decidedOn: string, expelledOn: string | null = null, banYears: number | null = null): Expulsion {
  return { decidedOn: d(decidedOn), expelledOn: expelledOn === null ? null : d(expelledOn), banYears, reason: null };
}

export interface PersonSpec {
  key?: string;
  cit: string;
  crossings?: Array<string | Crossing>;
  permits?: PermitSpec[];
  registrations?: Registration[];
  expulsions?: Expulsion[];
}

export function person(p: PersonSpec): PersonTimeline {
  return {
    personKey: p.key ?? `${p.cit}:X1`,
    citizenship: p.cit,
    crossings: (p.crossings ?? []).map((c) => (typeof c === 'string' ? crossing(c) : c)),
    permits: (p.permits ?? []).map(permit),
    registrations: p.registrations ?? [],
    expulsions: p.expulsions ?? [],
  };
}

export const OVERSTAY_RULES = new Set(['permit-expired', 'no-basis', 'stay-limit', 'rolling-limit']);

export function overstays(audit: PersonAudit): Finding[] {
  return audit.findings.filter((f) => OVERSTAY_RULES.has(f.rule));
}

export function byRule(audit: PersonAudit, rule: string): Finding[] {
  return audit.findings.filter((f) => f.rule === rule);
}

/** A finding with its days as ISO text, for readable assertions. */
export function readable(f: Finding): Record<string, unknown> {
  return {
    rule: f.rule,
    regime: f.regime,
    entry: iso(f.entryDay),
    exit: iso(f.exitDay),
    first: iso(f.firstDay),
    lastLawful: iso(f.lastLawfulDay),
    days: f.days,
    status: f.status,
  };
}
