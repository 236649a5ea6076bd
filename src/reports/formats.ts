/** The listing formats, apart from their renderers (render.ts) so that naming them costs no table or CSV library at start-up. */
export type Format = 'table' | 'csv' | 'json' | 'ndjson';
export const FORMATS: readonly Format[] = ['table', 'csv', 'json', 'ndjson'];
