/**
 * The read side of the storage boundary: what reports and commands may ask of a store.
 * Named functions over typed values (runs, filters, sort keys) returning plain rows; no
 * SQL text and no driver object crosses it, so a second store (PostgreSQL, issue 17)
 * can implement the same functions.
 */
export { openReadStore, storageTrouble, storeAddress, storeLabel, withAuditStores, type StoreAddress } from '../open-store.js';
export { SqliteReadStore, type ReadStore } from '../read-store.js';
export { SQLITE_DIALECT, POSTGRES_DIALECT, type Dialect } from './dialect.js';
export { DIFF_COLUMNS, diffRows, type DiffOptions } from './diff.js';
export { FINDING_COLUMNS, findingRows, VIOLATOR_COLUMNS, violatorRows } from './findings.js';
export { maskSecret } from './meta.js';
export type { ListingOrder } from './order.js';
export { matchPersons, personRecords, type PersonMatches, type PersonRecords } from './persons.js';
export { DEFAULT_QUERY_TIMEOUT_SECONDS, runQuery, type QueryOptions, type QueryResult } from './query.js';
export { allRuns, checkPruneOptions, latestRun, previousRun, pruneRunsOn, pruneStoredRuns, runById, type PruneOptions, type PruneReport } from './runs.js';
export type { PruneCriteria, PruneOutcome } from '../audit-store.js';
export type { FindingFilter, RunRow, SortKey, StoredCell, StoredRow } from './types.js';
// Moving and creating whole stores (either engine): `copy` and `init`.
export { copyStore, type CopyOutcome } from '../copy.js';
export { initStore, initSummary } from '../postgres/init-store.js';
export { storeLocation, storeSpec } from '../postgres/location.js';
