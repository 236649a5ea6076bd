/**
 * One CSV cell as text: RFC 4180 quoting, and formula neutralising (a leading
 * apostrophe before = + - @, tab or CR, so a spreadsheet shows the value instead of
 * running it). A leaf module: the reports' CSV output and the import's rejects files
 * both write cells this way, and neither depends on the other for it.
 */

/** Cells that a spreadsheet would run as a formula start with one of these. */
export const FORMULA_START = /^[=+\-@\t\r]/;

/** RFC 4180 quoting; cells that a spreadsheet would run as a formula get a leading apostrophe. */
export function csvCell(value: string | number | boolean | null | undefined, raw: boolean): string {
  if (value === null || value === undefined) return '';
  let text = typeof value === 'string' ? value : String(value);
  if (!raw && typeof value === 'string' && FORMULA_START.test(text)) text = `'${text}`;
  // Quoted also on ; and tab, so a reader splitting on those cannot cut out a formula.
  if (/[",;\t\n\r]/.test(text)) return `"${text.replace(/"/g, '""')}"`;
  return text;
}
