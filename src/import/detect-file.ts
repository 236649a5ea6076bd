import fs from 'node:fs';
import { detectDelimiter } from './csv.js';
import { InputDecoder } from './decode.js';
import { detectDataset } from './headers.js';
import type { DatasetName } from './rows.js';

/** Which dataset a file holds, judged from its header row; null when it cannot tell. */
export function detectFileDataset(file: string): DatasetName | null {
  const fd = fs.openSync(file, 'r');
  let text: string;
  try {
    const buffer = Buffer.alloc(64 * 1024);
    const n = fs.readSync(fd, buffer, 0, buffer.length, 0);
    const decoder = new InputDecoder(file);
    text = decoder.write(buffer.subarray(0, n)) + decoder.end();
  } catch {
    return null; // Not text: the import itself will say why.
  } finally {
    fs.closeSync(fd);
  }
  // The first line that is not blank, as import reads it (the decoder has dropped a BOM).
  const firstLine = text.split(/\r?\n/).find((line) => line.trim() !== '') ?? '';
  const delimiter = detectDelimiter(firstLine);
  const headers = firstLine.split(delimiter).map((h) => h.trim().replace(/^"(.*)"$/, '$1'));
  return detectDataset(headers);
}
