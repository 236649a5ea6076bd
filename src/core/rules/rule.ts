/**
 * What a rule is: a name, whose offence it is, and how a finding of it explains itself;
 * rules come in families (one file each) that judge a person stay by stay and then as
 * a whole. The registry (`registry.ts`) lists the families; the audit runs them in its
 * order.
 */
import type { PersonContext } from '../person-context.js';
import type { Regime } from '../ruleset.js';
import type { Stay } from '../stays.js';
import type { Day, Finding, StayStatus } from '../types.js';
import type { StayJudgement } from './overstay-kernel.js';

/** A finding's detail as stored (JSON). */
export type Detail = Readonly<Record<string, unknown>>;

/**
 * Whose offence a finding is: the foreigner's own (it makes the person a violator,
 * SPEC §4), the receiving party's (registration), or nobody's (a data anomaly).
 */
export type Offender = 'person' | 'receiving-party' | 'nobody';

export interface RuleInfo<Name extends string = string> {
  readonly name: Name;
  readonly offender: Offender;
  /**
   * One sentence for an analyst saying why the finding was made, from its stored
   * detail (the sentences of the `person` view).
   */
  explain(detail: Detail): string;
}

/** One stay as the rules see it, with the overstay verdict already worked out (statistics need it too). */
export interface JudgedStay {
  stay: Stay;
  entry: Day;
  exit: Day | null;
  /** The exit day, else as-of. */
  end: Day;
  status: StayStatus;
  /** The citizenship on the entry crossing, which chose the regime. */
  citizenship: string;
  regime: Regime;
  judgement: StayJudgement;
}

export interface RuleFamily<Name extends string = string> {
  readonly family: string;
  readonly rules: readonly RuleInfo<Name>[];
  /** Findings about one judged stay (stays in entry order). */
  judgeStay?(person: PersonContext, stay: JudgedStay, findings: Finding[]): void;
  /** Findings about the person as a whole, after every stay. */
  judgePerson?(person: PersonContext, findings: Finding[]): void;
}

/** A finding about a stay, with the fields every stay finding shares filled in. */
export function stayFinding(person: PersonContext, s: JudgedStay, rule: Finding['rule'], f: Pick<Finding, 'firstDay' | 'lastLawfulDay' | 'days' | 'detail'>): Finding {
  return {
    personKey: person.timeline.personKey,
    citizenship: s.citizenship,
    rule,
    regime: s.regime.name,
    entryDay: s.entry,
    entryCheckpoint: s.stay.entryCheckpoint,
    exitDay: s.exit,
    firstDay: f.firstDay,
    lastLawfulDay: f.lastLawfulDay,
    days: f.days,
    status: s.status,
    detail: f.detail,
  };
}

/** The text of a detail field ('?' when absent). */
export function field(detail: Detail, key: string): string {
  const v = detail[key];
  return v === null || v === undefined ? '?' : String(v);
}

/** The detail as `key=value, …`: the explanation of a rule with nothing more to say. */
export function listDetail(detail: Detail): string {
  return Object.entries(detail)
    .map(([k, value]) => `${k}=${String(value)}`)
    .join(', ');
}
