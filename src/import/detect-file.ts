import { detectDelimiter } from './csv.js';
import { InputDecoder } from './decode.js';
import { detectDataset } from './headers.js';
import type { DatasetName } from './rows.js';

/** Which dataset the first bytes of a file hold, judged from its header row; null when it cannot tell. */
export function detectDatasetOfText(head: Buffer): DatasetName | null {
  let text: string;
  try {
    const decoder = new InputDecoder('<inbox file>');
    text = decoder.write(head) + decoder.end();
  } catch {
    return null; // Not text: the import itself will say why.
  }
  // The first line that is not blank, as import reads it (the decoder has dropped a BOM).
  const firstLine = text.split(/\r?\n/).find((line) => line.trim() !== '') ?? '';
  const delimiter = detectDelimiter(firstLine);
  const headers = firstLine.split(delimiter).map((h) => h.trim().replace(/^"(.*)"$/, '$1'));
  return detectDataset(headers);
}
