import fs from 'node:fs';
import path from 'node:path';
import { InputError } from '../errors.js';

/**
 * Writes a file under a temporary name in the same directory and renames it into
 * place when complete: a reader (or a crash) never sees half a report.
 */
export async function writeFileAtomically<T>(target: string, write: (out: fs.WriteStream) => Promise<T>): Promise<T> {
  const temp = path.join(path.dirname(target), `.${path.basename(target)}.tmp-${process.pid}`);
  let out: fs.WriteStream;
  try {
    out = fs.createWriteStream(temp, { mode: 0o600 });
    await new Promise<void>((resolve, reject) => {
      out.once('open', () => resolve());
      out.once('error', reject);
    });
  } catch (error) {
    throw new InputError(`cannot write ${target}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, { hint: 'check that the directory exists and is writable' });
  }
  try {
    const result = await write(out);
    await new Promise<void>((resolve, reject) => {
      out.once('error', reject);
      out.end(() => resolve());
    });
    fs.renameSync(temp, target);
    return result;
  } catch (error) {
    out.destroy();
    fs.rmSync(temp, { force: true });
    throw error;
  }
}
