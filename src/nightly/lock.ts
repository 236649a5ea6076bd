/**
 * The nightly job's lock, so that two nightly jobs on one store never run at once: for
 * an SQLite file, an exclusive lock on a file next to the database; for a PostgreSQL
 * store, a session-level advisory lock on the server (exclusive across machines). A
 * second job either waits up to `waitMs` or fails at once with a BusyError (exit code 7),
 * and a job that dies holds nothing.
 */
import fs from 'node:fs';
import { BusyError } from '../errors.js';
import { tryExclusiveLock, type ExclusiveLock } from '../storage/exclusive-lock.js';
import type { StoreAddress } from '../storage/open-store.js';

/** A lock on an SQLite file's nightly lock file. */
export type HeldLock = ExclusiveLock;

/** The nightly lock on either store; `release` is awaited. */
export interface NightlyLock {
  release(): Promise<void>;
}

/** Any fixed number (not the migration's or the import's): the nightly job's advisory lock. */
export const NIGHTLY_ADVISORY_KEY = 1_751_797_019;

const POLL_MS = 200;

/** Who holds the lock, as its holder wrote it (for the message only; never trusted). */
function holderOf(file: string): string {
  try {
    return fs.readFileSync(`${file}.holder`, 'utf8').trim().slice(0, 100).replace(/[^\x20-\x7e]/g, '?');
  } catch {
    return 'unknown';
  }
}

function busy(where: string, holder: string, waitMs: number): BusyError {
  return new BusyError(
    `another nightly job is running (lock ${where}: ${holder})`,
    waitMs > 0 ? 'it did not finish within --wait; try again later' : 'wait for it to finish, or pass --wait SECONDS to queue behind it',
  );
}

/** The nightly lock of the store at `address` (SQLite: the file DB.nightly-lock). */
export async function acquireNightlyLock(address: StoreAddress, waitMs: number): Promise<NightlyLock> {
  const location = address.location;
  if (location.kind === 'sqlite') {
    const lock = await acquireLock(`${location.file}.nightly-lock`, waitMs);
    return { release: async () => lock.release() };
  }
  // Loaded only for a server store.
  const { advisoryLock } = await import('../storage/postgres/lock.js');
  const deadline = Date.now() + waitMs;
  const lock = await advisoryLock(location, NIGHTLY_ADVISORY_KEY);
  try {
    for (;;) {
      if (await lock.tryAcquire()) return { release: () => lock.release() };
      if (Date.now() >= deadline) throw busy(`advisory lock ${NIGHTLY_ADVISORY_KEY} on ${location.label}`, await lock.holder(), waitMs);
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  } catch (error) {
    await lock.release();
    throw error;
  }
}

/**
 * The lock file next to the database. It is exclusive by construction (see
 * tryExclusiveLock): a second job either waits up to `waitMs` or fails at once with a
 * BusyError (exit code 7), and a job that dies holds nothing.
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
    if (Date.now() >= deadline) throw busy(file, holderOf(file), waitMs);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}
