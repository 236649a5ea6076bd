/**
 * The report's languages, apart from the translations (i18n.ts), so that the CLI can
 * check `--lang` without loading the report's code.
 */
export const LANGUAGES = ['ru', 'kk', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];
