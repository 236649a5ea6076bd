import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { writeFileAtomically, outputFailure } from '../files/atomic-file.js';

/**
 * One run's reports, published all or nothing: every file is written into a private
 * staging folder (mode 0700) beside the dated folder, a manifest naming the run, the
 * as-of date and each file's checksum is written last, and the folder is renamed into
 * place. A reader sees the previous set or the new one, never a mix; a job killed
 * half-way leaves only a hidden staging folder, which the next job removes.
 */
export class ReportSet {
  readonly root: string;
  readonly name: string;
  readonly staging: string;
  readonly files: string[] = [];

  constructor(root: string, name: string) {
    this.root = root;
    this.name = name;
    this.staging = path.join(root, `.${name}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`);
    try {
      fs.mkdirSync(root, { recursive: true, mode: 0o700 });
      cleanStale(root);
      fs.mkdirSync(this.staging, { mode: 0o700 });
    } catch (error) {
      throw outputFailure(error, path.join(root, name));
    }
  }

  /** Where the set is published. */
  get published(): string {
    return path.join(this.root, this.name);
  }

  async write(name: string, render: (out: fs.WriteStream) => Promise<unknown>): Promise<void> {
    await writeFileAtomically(path.join(this.staging, name), render);
    this.files.push(name);
  }

  /**
   * Carries over files of the set being replaced that this one does not write (e.g.
   * the rejects of a file imported by an earlier run of the same day).
   */
  carryOver(accept: (name: string) => boolean): string[] {
    const carried: string[] = [];
    let names: string[];
    try {
      names = fs.readdirSync(this.published);
    } catch {
      return carried;
    }
    for (const name of names) {
      if (!accept(name) || this.files.includes(name)) continue;
      const from = path.join(this.published, name);
      if (!fs.lstatSync(from).isFile()) continue;
      fs.copyFileSync(from, path.join(this.staging, name), fs.constants.COPYFILE_EXCL);
      this.files.push(name);
      carried.push(name);
    }
    return carried;
  }

  /** Writes the manifest last and renames the staging folder into place. */
  async publish(stamp: Record<string, string | number>): Promise<void> {
    const files = this.files.map((name) => {
      const bytes = fs.readFileSync(path.join(this.staging, name));
      return { name, bytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') };
    });
    const manifest = JSON.stringify({ version: 1, ...stamp, files }, null, 2) + '\n';
    await writeFileAtomically(path.join(this.staging, 'manifest.json'), async (out) => void out.write(manifest));
    try {
      let old: string | null = null;
      if (fs.existsSync(this.published)) {
        old = path.join(this.root, `.${this.name}.old-${process.pid}-${randomBytes(4).toString('hex')}`);
        fs.renameSync(this.published, old);
      }
      fs.renameSync(this.staging, this.published);
      if (old !== null) fs.rmSync(old, { recursive: true, force: true });
    } catch (error) {
      throw outputFailure(error, this.published);
    }
  }

  /** Removes the staging folder (a failed run publishes nothing). */
  discard(): void {
    fs.rmSync(this.staging, { recursive: true, force: true });
  }
}

/**
 * Staging folders of jobs that died: removed; a set that was moved aside but whose
 * successor never arrived is put back, so the dated folder is never lost.
 */
function cleanStale(root: string): void {
  for (const name of fs.readdirSync(root)) {
    const match = /^\.(.+)\.(tmp|old)-(\d+)-[0-9a-f]+$/.exec(name);
    if (!match) continue;
    const [, set, kind, pid] = match as unknown as [string, string, string, string];
    if (alive(Number(pid))) continue;
    const full = path.join(root, name);
    if (kind === 'old' && !fs.existsSync(path.join(root, set))) fs.renameSync(full, path.join(root, set));
    else fs.rmSync(full, { recursive: true, force: true });
  }
}

function alive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
