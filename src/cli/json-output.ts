/**
 * JSON summaries (`audit --json`, `import --json`, `generate --json`) use the same
 * snake_case names as the listings' columns. Only camelCase keys are renamed, so map
 * keys such as rule names (`stay-limit`) or country codes (`RUS`) pass unchanged.
 */
const CAMEL_KEY = /^[a-z][a-z0-9]*(?:[A-Z][a-z0-9]*)+$/;

export function snakeCaseKey(key: string): string {
  return CAMEL_KEY.test(key) ? key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`) : key;
}

/** A deep copy of `value` with every camelCase object key in snake_case. */
export function snakeCaseKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(snakeCaseKeys);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [snakeCaseKey(k), snakeCaseKeys(v)]));
  }
  return value;
}

/** The text of a JSON summary: versioned, snake_case, indented, one trailing newline. */
export function jsonSummary(body: Record<string, unknown>): string {
  return JSON.stringify(snakeCaseKeys({ version: 1, ...body }), null, 2) + '\n';
}
