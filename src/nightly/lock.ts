import fs from 'node:fs';
import { BusyError } from '../errors.js';

export interface HeldLock {
  release(): void;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function tryAcquire(file: string): HeldLock | { holder: string } {
  try {
    const fd = fs.openSync(file, fs.constants.O_CREAT | fs.constants.O_EXCL | fs.constants.O_WRONLY, 0o600);
    fs.writeSync(fd, `${process.pid} ${new Date().toISOString()}\n`);
    fs.closeSync(fd);
    let released = false;
    return {
      release() {
        if (released) return;
        released = true;
        fs.rmSync(file, { force: true });
      },
    };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  let holder = '';
  try {
    holder = fs.readFileSync(file, 'utf8').trim();
  } catch {
    return { holder: '' }; // Released between our open and read: try again.
  }
  const pid = Number(holder.split(' ')[0]);
  if (Number.isInteger(pid) && pid > 0 && !alive(pid)) {
    // The holder died (e.g. SIGKILL) without releasing: the lock is stale.
    fs.rmSync(file, { force: true });
    return { holder: '' };
  }
  return { holder };
}

/**
 * A lock file next to the database, so that two nightly jobs never run at once. The
 * second either waits up to `waitMs` or fails at once with a BusyError (exit code 7).
 * A lock left by a process that no longer exists is taken over.
 */
export async function acquireLock(file: string, waitMs: number): Promise<HeldLock> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    const attempt = tryAcquire(file);
    if ('release' in attempt) return attempt;
    if (attempt.holder !== '' && Date.now() >= deadline) {
      throw new BusyError(
        `another nightly job is running (lock ${file}: pid ${attempt.holder})`,
        waitMs > 0 ? 'it did not finish within --wait; try again later' : 'wait for it to finish, or pass --wait SECONDS to queue behind it',
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
