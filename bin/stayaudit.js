#!/usr/bin/env node
import { main } from '../dist/cli/main.js';

// Ctrl-C or a cron timeout: SQLite rolls back the open transaction when the process
// ends, so stopping is always safe; the exit code says it was interrupted.
process.once('SIGINT', () => process.exit(130));
process.once('SIGTERM', () => process.exit(143));

process.exitCode = await main(process.argv);
