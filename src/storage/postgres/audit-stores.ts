/**
 * The audit's stores on PostgreSQL: a writer connection (the run's transaction) and a
 * reader connection (the timelines' snapshot), both closed after the work. The writer
 * connects first and brings the store's schema up to date, as SQLite's writer does.
 */
import type { AuditStores } from '../audit-source.js';
import { closePostgres, connectPostgres, type PostgresLocation } from './connection.js';
import { PostgresRunWriter } from './run-writer.js';
import { checkPostgresReadable, migratePostgres, postgresSchemaVersion } from './store.js';
import { PostgresTimelineSource } from './timelines.js';

export async function withPostgresAuditStores<T>(
  location: PostgresLocation,
  work: (stores: AuditStores) => Promise<T>,
  options: { create?: boolean; busyTimeoutMs?: number | undefined } = {},
): Promise<T> {
  const writer = await connectPostgres(location);
  try {
    // An empty database becomes a store only where SQLite would create the file (nightly);
    // else it is refused as copy refuses it ("holds no stayaudit store yet").
    if (options.create !== true && (await postgresSchemaVersion(writer, location)) === 0) await checkPostgresReadable(writer, location);
    await migratePostgres(writer, location);
    const reader = await connectPostgres(location);
    const timelines = new PostgresTimelineSource(reader, location);
    try {
      return await work({ timelines, run: new PostgresRunWriter(writer, location, options.busyTimeoutMs) });
    } finally {
      await timelines.close();
    }
  } finally {
    await closePostgres(writer);
  }
}
