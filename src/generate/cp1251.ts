/**
 * Windows-1251 encoding for the Russian-language variant. Node decodes cp1251
 * (TextDecoder) but cannot encode it, so the generator maps the few characters it
 * writes itself. Text is converted once, up front, into a "binary string" whose
 * char codes are the cp1251 bytes; rows built from such strings and ASCII are then
 * written with Buffer's `latin1` encoding, which copies each char code as one byte.
 *
 * Kazakh letters (Ә, Ғ, Қ, Ң, Ө, Ұ, Ү, Һ, І) have no cp1251 byte: the generator's
 * Russian text avoids them, and `toCp1251Binary` refuses them.
 */

const EXTRA: Readonly<Record<string, number>> = {
  'Ё': 0xa8,
  'ё': 0xb8,
  '№': 0xb9,
  '«': 0xab,
  '»': 0xbb,
  '—': 0x97,
  '–': 0x96,
};

/** One character → its cp1251 byte, or -1 when cp1251 has none. */
function cp1251Byte(char: string): number {
  const code = char.charCodeAt(0);
  if (code < 0x80) return code;
  if (code >= 0x0410 && code <= 0x044f) return code - 0x0410 + 0xc0; // А..я
  return EXTRA[char] ?? -1;
}

/** Text → binary string of cp1251 bytes (write it with the `latin1` encoding). */
export function toCp1251Binary(text: string): string {
  let out = '';
  for (const char of text) {
    const byte = cp1251Byte(char);
    if (byte < 0) {
      throw new RangeError(`'${char}' (U+${char.codePointAt(0)?.toString(16).toUpperCase()}) has no Windows-1251 byte`);
    }
    out += String.fromCharCode(byte);
  }
  return out;
}

/** Text → cp1251 bytes. */
export function encodeCp1251(text: string): Buffer {
  return Buffer.from(toCp1251Binary(text), 'latin1');
}
