import fs from 'node:fs';
import { BusyError } from '../errors.js';
import { tryExclusiveLock, type ExclusiveLock } from '../storage/exclusive-lock.js';

export type HeldLock = ExclusiveLock;

/** Who holds the lock, as its holder wrote it (for the message only; never trusted). */
function holderOf(file: string): string {
  try {
    return fs.readFileSync(`${file}.holder`, 'utf8').trim().slice(0, 100).replace(/[^\x20-\x7e]/g, '?');
  } catch {
    return 'unknown';
  }
}

/**
 * The nightly job's lock, next to the database, so that two nightly jobs never run at
 * once. It is exclusive by construction (see tryExclusiveLock): a second job either
 * waits up to `waitMs` or fails at once with a BusyError (exit code 7), and a job that
 * dies holds nothing.
 */
export async function acquireLock(file: string, waitMs: number): Promise<HeldLock> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    const lock = tryExclusiveLock(file);
    if (lock !== null) {
      try {
        const fd = fs.openSync(`${file}.holder`, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_TRUNC | fs.constants.O_NOFOLLOW, 0o600);
        fs.writeSync(fd, `pid ${process.pid} since ${new Date().toISOString()}\n`);
        fs.closeSync(fd);
      } catch {
        // Only informative.
      }
      return lock;
    }
    if (Date.now() >= deadline) {
      throw new BusyError(
        `another nightly job is running (lock ${file}: ${holderOf(file)})`,
        waitMs > 0 ? 'it did not finish within --wait; try again later' : 'wait for it to finish, or pass --wait SECONDS to queue behind it',
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
