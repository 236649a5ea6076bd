#!/usr/bin/env node
import { main } from '../dist/cli/main.js';
import { ExitCode } from '../dist/errors.js';

// Ctrl-C or a cron timeout: SQLite rolls back the open transaction when the process
// ends, so stopping is always safe; the exit code says it was interrupted.
process.once('SIGINT', () => process.exit(ExitCode.interrupted));
process.once('SIGTERM', () => process.exit(ExitCode.terminated));

// `stayaudit --help | head -1`: a reader that went away is not an error. The data
// written after that point has no reader; the command still finishes its own work.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error) => {
    if (error.code !== 'EPIPE') throw error;
  });
}

process.exitCode = await main(process.argv);
