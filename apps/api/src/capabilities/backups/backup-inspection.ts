import { type BackupManifest } from '@crm/events';
import Database from 'better-sqlite3';
import { GENESIS_HASH } from '../../infrastructure/event-store/hash-chain';
import { APP_VERSION } from './app-version';
import { hashReadModelsInSteps, readModelTables } from './read-model-hash';

export interface CopyFacts {
  event_count: number;
  last_position: number;
  head_hash: string;
  schema_version: number;
  schema_migration: string;
}

/** Counts, head and schema of a Venture CRM database, read in one snapshot. */
export function logFacts(db: Database.Database): CopyFacts {
  return db.transaction(() => {
    const { n, last } = db
      .prepare('SELECT COUNT(*) AS n, COALESCE(MAX(position), 0) AS last FROM events')
      .get() as { n: number; last: number };
    const head =
      (
        db.prepare('SELECT hash FROM events ORDER BY position DESC LIMIT 1').get() as
          { hash: string } | undefined
      )?.hash ?? GENESIS_HASH;
    const migration = db
      .prepare('SELECT timestamp, name FROM schema_migrations ORDER BY timestamp DESC LIMIT 1')
      .get() as { timestamp: number; name: string } | undefined;
    return {
      event_count: n,
      last_position: last,
      head_hash: head,
      schema_version: Number(migration?.timestamp ?? 0),
      schema_migration: migration?.name ?? '',
    };
  })();
}

/**
 * The manifest of a finished copy, read from the copy itself (opened read-only) so that it describes
 * exactly the file, whatever the live database did meanwhile. Nothing writes to the copy, so reading
 * it in steps (the hash of a large base) is one consistent view.
 */
export async function manifestOfCopy(
  file: string,
  base: { id: string; created_at: string; file_name: string; size: number; sha256: string },
): Promise<BackupManifest> {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const tables = readModelTables(db);
    const facts = logFacts(db);
    return {
      format: 1 as const,
      ...base,
      app_version: APP_VERSION,
      ...facts,
      read_model_hash: await hashReadModelsInSteps(db, tables),
      read_model_tables: tables,
    };
  } finally {
    db.close();
  }
}
