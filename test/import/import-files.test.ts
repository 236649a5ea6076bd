/**
 * The per-file import loop that `stayaudit import` and the nightly job share
 * (src/import/import-files.ts), in process against a real store: outcomes in order, a
 * broken file failing alone, bytes already imported skipped, what the opener took
 * released, and the store's import session leaving nothing of a failed file.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { InputError, StorageError } from '../../src/errors.js';
import { importFiles, type OpenedFile } from '../../src/import/import-files.js';
import { openImportStore, type ImportStore } from '../../src/storage/import-store.js';
import { streamOf } from './helpers.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stayaudit-import-files-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const HEADER = 'person_id,document_no,citizenship,direction,crossed_at';
const good = (n: number, first = 0): string =>
  [HEADER, ...Array.from({ length: n }, (_, i) => `P${first + i},D${first + i},RUS,IN,2024-01-0${1 + (i % 9)} 10:00`)].join('\n') + '\n';

interface Item {
  name: string;
  text: string;
  checksum?: string;
}

/** An opener over in-memory texts that counts what it released. */
function opener(released: string[]): (item: Item) => OpenedFile {
  return (item) => {
    const opened: OpenedFile = {
      dataset: () => 'crossings',
      input: () => ({ stream: streamOf(item.text, 7), size: item.text.length, label: item.name }),
      close: () => released.push(item.name),
    };
    if (item.checksum !== undefined) opened.checksum = item.checksum;
    return opened;
  };
}

let n = 0;
function store(): ImportStore {
  return openImportStore(path.join(dir, `store-${++n}.db`));
}

describe('importFiles', () => {
  it('imports each file in turn; a broken file fails alone and the files after it still go in', async () => {
    const s = store();
    try {
      const seen: string[] = [];
      const outcomes = await importFiles(
        s,
        [
          { name: 'a.csv', text: good(3) },
          { name: 'empty.csv', text: '' },
          { name: 'b.csv', text: good(2, 100) },
        ],
        { open: opener([]), onFile: (o) => seen.push(`${o.item.name}:${o.kind}`) },
      );
      expect(outcomes.map((o) => `${o.item.name}:${o.kind}`)).toEqual(['a.csv:imported', 'empty.csv:failed', 'b.csv:imported']);
      expect(seen).toEqual(['a.csv:imported', 'empty.csv:failed', 'b.csv:imported']);
      const failed = outcomes[1]!;
      expect(failed.kind === 'failed' && failed.error.message).toMatch(/^empty\.csv: the file is empty/);
      const added = outcomes.map((o) => (o.kind === 'imported' ? o.summary.added : 0));
      expect(added).toEqual([3, 0, 2]);
    } finally {
      s.close();
    }
  });

  it('skips bytes imported before (by checksum) and releases the file it did not read', async () => {
    const s = store();
    try {
      const first = await importFiles(s, [{ name: 'a.csv', text: good(4) }], { open: opener([]) });
      const checksum = first[0]!.kind === 'imported' ? first[0]!.summary.checksum : '';
      const released: string[] = [];
      const outcomes = await importFiles(
        s,
        [
          { name: 'again.csv', text: good(4), checksum },
          { name: 'new.csv', text: good(1, 50), checksum: 'f'.repeat(64) },
        ],
        { open: opener(released) },
      );
      expect(outcomes.map((o) => o.kind)).toEqual(['skipped', 'imported']);
      const skipped = outcomes[0]!;
      expect(skipped.kind === 'skipped' && skipped.previous).toEqual({ id: 1, dataset: 'crossings', file: 'a.csv', rejected: 0 });
      // The skipped file is released; the imported one was handed to the import, which owns it.
      expect(released).toEqual(['again.csv']);
    } finally {
      s.close();
    }
  });

  it('a file whose dataset cannot be told fails alone, and its opener releases it', async () => {
    const s = store();
    try {
      const released: string[] = [];
      const open = opener(released);
      const outcomes = await importFiles(s, [{ name: 'what.csv', text: good(1) }, { name: 'ok.csv', text: good(1) }], {
        open: (item) => {
          const opened = open(item);
          if (item.name === 'what.csv') {
            opened.dataset = () => {
              throw new StorageError('not this kind of error');
            };
          }
          return opened;
        },
      }).catch((error: unknown) => error);
      // Not an input error: the loop stops (storage trouble is not one file's fault).
      expect(outcomes).toBeInstanceOf(StorageError);
      expect(released).toEqual(['what.csv']);
    } finally {
      s.close();
    }
  });

  it('rows of a file that fails half-way are not kept (the session rolls back)', async () => {
    const file = path.join(dir, `store-${++n}.db`);
    const s = openImportStore(file);
    try {
      // 12,000 rows (more than two batches, so rows were staged), then the input breaks.
      const failing = (): Readable => {
        let reads = 0;
        return new Readable({
          read() {
            if (reads++ === 0) this.push(good(12_000));
            // Later, so the rows read so far reach the store first.
            else setTimeout(() => this.destroy(new InputError('broken.csv: the connection to the share was lost')), 20);
          },
        });
      };
      const open = opener([]);
      const outcomes = await importFiles(s, [{ name: 'broken.csv', text: '' }, { name: 'ok.csv', text: good(2, 50_000) }], {
        open: (item) => {
          const opened = open(item);
          if (item.name === 'broken.csv') opened.input = () => ({ stream: failing(), size: null, label: item.name });
          return opened;
        },
      });
      expect(outcomes.map((o) => o.kind)).toEqual(['failed', 'imported']);
    } finally {
      s.close();
    }
    const db = new Database(file, { readonly: true });
    try {
      expect(db.prepare('SELECT count(*) AS n FROM crossings').get()).toEqual({ n: 2 });
      expect(db.prepare('SELECT file FROM imports').all()).toEqual([{ file: 'ok.csv' }]);
    } finally {
      db.close();
    }
  });
});
