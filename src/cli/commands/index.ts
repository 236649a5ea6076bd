import type { CommandSpec } from './command.js';
import { auditCommand } from './audit.js';
import { completionCommand } from './completion.js';
import { copyCommand } from './copy.js';
import { diffCommand } from './diff.js';
import { findingsCommand } from './findings.js';
import { generateCommand } from './generate.js';
import { importCommand } from './import.js';
import { initCommand } from './init.js';
import { inspectCommand } from './inspect.js';
import { nightlyCommand } from './nightly.js';
import { personCommand } from './person.js';
import { queryCommand } from './query.js';
import { reportCommand } from './report.js';
import { rulesCommand } from './rules.js';
import { runsCommand } from './runs.js';
import { statsCommand } from './stats.js';
import { violatorsCommand } from './violators.js';

/** The registry: every command of stayaudit, in the order `--help` lists them. */
export const commands: readonly CommandSpec[] = [
  importCommand,
  inspectCommand,
  auditCommand,
  findingsCommand,
  violatorsCommand,
  statsCommand,
  reportCommand,
  personCommand,
  runsCommand,
  diffCommand,
  queryCommand,
  rulesCommand,
  nightlyCommand,
  generateCommand,
  initCommand,
  copyCommand,
  completionCommand,
];
