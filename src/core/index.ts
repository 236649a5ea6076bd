/** The pure audit core: dates, stays, rulesets and rules. No I/O anywhere below this folder. */
export * from './types.js';
export * from './dates.js';
export * from './working-days.js';
export * from './ruleset.js';
export * from './stays.js';
export { auditPerson, judgeStay, newJudgement, permitCoverage, personContext } from './audit.js';
export type { PersonContext, StayJudgement } from './audit.js';
export { explainPerson } from './explain.js';
export type { PersonExplanation } from './explain.js';
export { DaySet } from './day-set.js';
