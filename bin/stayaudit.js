#!/usr/bin/env node
import { main } from '../dist/cli/main.js';
import { ExitCode } from '../dist/errors.js';

// Ctrl-C or a cron timeout: SQLite rolls back the open transaction when the process
// ends, so stopping is always safe; the exit code says it was interrupted.
process.once('SIGINT', () => process.exit(ExitCode.interrupted));
process.once('SIGTERM', () => process.exit(ExitCode.terminated));

// `stayaudit --help | head -1`: a reader that went away is not an error, and the
// command still finishes its own work. Any other failure to write stdout or stderr
// (a full disk behind `> file`) is said once, and the exit code says storage trouble.
let outputFailure = null;
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error) => {
    if (error.code !== 'EPIPE' && stream === process.stdout) outputFailure ??= error;
  });
}

const code = await main(process.argv);
if (outputFailure !== null && code === ExitCode.ok) {
  process.stderr.write(`error: cannot write standard output (${outputFailure.code ?? outputFailure.message})\nhint: free disk space, or write elsewhere\n`);
  process.exitCode = ExitCode.storage;
} else {
  process.exitCode = code;
}
