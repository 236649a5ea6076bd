/**
 * The row types the import produces. They are storage's (src/storage/rows.ts: storage
 * owns what it stores); re-exported here for the import's modules and their callers.
 */
export { DATASETS, isDatasetName } from '../storage/rows.js';
export type { CrossingRow, DatasetName, ExpulsionRow, PermitRow, RegistrationRow, RowFor, RowTypes, Sex } from '../storage/rows.js';
