/**
 * Reference measurements for the benchmark (run in a child process of their own, so
 * wall time and peak RSS are taken as for every other step):
 *
 *   node floors.js insert FILE DB   the least any importer written on better-sqlite3
 *                                   has to spend: the file is split into lines and
 *                                   cells naively (no quoting, decoding or checks; not
 *                                   timed) and the raw text cells are inserted into a
 *                                   plain table (no index, no types, no duplicate
 *                                   check) in one transaction, which is timed alone;
 *   node floors.js read FILE DATASET  our reader alone: decode, parse and normalise
 *                                   every row (read-dataset.ts), nothing stored.
 *
 * Either one, measured beside `sqlite3 .import` of the same file, bounds what the
 * import can reach on the machine (README, Performance). Prints `{"rows": N, "seconds": S}` (S: the timed part).
 */
import fs from 'node:fs';
import Database from 'better-sqlite3';

async function insertLoop(file: string, dbFile: string): Promise<{ rows: number; seconds: number }> {
  for (const suffix of ['', '-wal', '-shm']) fs.rmSync(dbFile + suffix, { force: true });
  const db = new Database(dbFile);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  let insert: Database.Statement | null = null;
  let width = 0;
  let rows = 0;
  let rest = '';
  let timed = 0;
  const cellsOf = (line: string): (string | null)[] | null => {
    if (line.endsWith('\r')) line = line.slice(0, -1);
    if (line === '') return null;
    const cells: (string | null)[] = line.split(',');
    if (insert === null) {
      width = cells.length;
      db.exec(`CREATE TABLE plain (${cells.map((_, i) => `c${i}`).join(', ')})`);
      insert = db.prepare(`INSERT INTO plain VALUES (${cells.map(() => '?').join(', ')})`);
      return null;
    }
    // Like .import: missing cells are null, extra ones dropped.
    if (cells.length > width) cells.length = width;
    while (cells.length < width) cells.push(null);
    return cells;
  };
  const insertAll = (lines: string[]): void => {
    const rowsOfChunk: (string | null)[][] = [];
    for (const line of lines) {
      const cells = cellsOf(line);
      if (cells !== null) rowsOfChunk.push(cells);
    }
    const start = performance.now();
    for (const cells of rowsOfChunk) insert!.run(cells);
    timed += performance.now() - start;
    rows += rowsOfChunk.length;
  };
  db.exec('BEGIN');
  for await (const chunk of fs.createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 20 })) {
    const lines = (rest + (chunk as string)).split('\n');
    rest = lines.pop()!;
    insertAll(lines);
  }
  insertAll([rest]);
  const start = performance.now();
  db.exec('COMMIT');
  db.close();
  timed += performance.now() - start;
  return { rows, seconds: timed / 1000 };
}

async function readerOnly(file: string, dataset: string): Promise<{ rows: number; seconds: number }> {
  const start = performance.now();
  // Loaded here, not above: the insert floor's process loads nothing of ours.
  const { readDataset } = await import('../../import/read-dataset.js');
  const { isDatasetName } = await import('../../import/rows.js');
  if (!isDatasetName(dataset)) throw new Error(`unknown dataset ${dataset}`);
  let rows = 0;
  for await (const batch of readDataset(fs.createReadStream(file, { highWaterMark: 1 << 20 }), dataset, file)) rows += batch.rows.length;
  return { rows, seconds: (performance.now() - start) / 1000 };
}

const [mode, file, extra] = process.argv.slice(2);
if (file === undefined || extra === undefined || (mode !== 'insert' && mode !== 'read')) {
  process.stderr.write('usage: floors.js insert FILE DB | floors.js read FILE DATASET\n');
  process.exit(2);
}
const result = mode === 'insert' ? await insertLoop(file, extra) : await readerOnly(file, extra);
process.stdout.write(JSON.stringify(result) + '\n');
