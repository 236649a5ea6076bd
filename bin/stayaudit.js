#!/usr/bin/env node
import { main } from '../dist/cli/main.js';
import { ExitCode } from '../dist/errors.js';

// Ctrl-C or a cron timeout: SQLite rolls back the open transaction when the process
// ends, so stopping is always safe; the exit code says it was interrupted.
process.once('SIGINT', () => process.exit(ExitCode.interrupted));
process.once('SIGTERM', () => process.exit(ExitCode.terminated));

process.exitCode = await main(process.argv);
