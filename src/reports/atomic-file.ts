/** Moved to src/files/atomic-file.ts (the import writes files too); kept so the reports' imports stay as they are. */
export * from '../files/atomic-file.js';
