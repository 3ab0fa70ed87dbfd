import { createHash, type Hash } from 'node:crypto';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Database } from 'better-sqlite3';

/**
 * Tables that are not read models of the log, with the reason each is left out of the hash. Every
 * other table is in it, so a new projector's tables are covered without anyone remembering to list
 * them; a new secret store or cache must be added here.
 */
export const NOT_READ_MODELS: Readonly<Record<string, string>> = {
  events: 'the log itself (compared by count, position and chain hash instead)',
  schema_migrations: 'bookkeeping of the schema, not of the data',
  projection_checkpoints: 'bookkeeping of the projectors',
  processor_checkpoints: 'bookkeeping of the processors (how far each has reacted to the log)',
  import_slices: 'the slices of an import still to write: bookkeeping of a commit under way',
  idempotency_keys:
    'the replies to retried requests: written beside the events, not derived from them',
  credentials: 'secret: password hashes never enter the log',
  invite_tokens: 'secret: token hashes never enter the log',
  setup_tokens: 'secret: token hashes never enter the log',
  snapshots: 'a cache of replay states, dropped and rebuilt at will',
  blob_parts:
    'large values stored in parts: the bytes of snapshots (a cache) and of uploaded import files (bookkeeping)',
  search_entries:
    'the search index, kept after commit: a copy may be behind its log, and reading the log again rebuilds it',
  search_checkpoint: 'bookkeeping of the search index (how far it has read the log)',
  backups:
    'the backup catalogue: describes files outside the database, and a restore leaves it as it is',
  backup_policy: 'the backup settings: a restore of the data leaves them as they are',
};

/**
 * The read models: every ordinary table except NOT_READ_MODELS and SQLite's and TypeORM's own. Shadow
 * tables of virtual tables (full-text indexes) are left out too: their layout depends on the order of
 * inserts, not only on the content.
 */
export function readModelTables(db: Database): string[] {
  const rows = db
    .prepare("SELECT name, type FROM pragma_table_list WHERE schema = 'main'")
    .all() as { name: string; type: string }[];
  return rows
    .filter(
      (r) =>
        r.type === 'table' &&
        !r.name.startsWith('sqlite_') &&
        !r.name.startsWith('typeorm_') &&
        !(r.name in NOT_READ_MODELS),
    )
    .map((r) => r.name)
    .sort();
}

/** Rows in primary-key order (every column when a table has no key), so that equal content dumps equally. */
function orderBy(db: Database, table: string): string {
  const cols = db.prepare('SELECT name, pk FROM pragma_table_info(?)').all(table) as {
    name: string;
    pk: number;
  }[];
  const keys = cols.filter((c) => c.pk > 0).sort((a, b) => a.pk - b.pk);
  return (keys.length ? keys : cols).map((c) => `"${c.name.replace(/"/g, '""')}"`).join(', ');
}

/** The dump as a sequence of pieces (a table's name, then one piece per row), read lazily. */
function* dumpPieces(db: Database, tables: readonly string[]): Generator<string> {
  const existing = new Set(tableNames(db));
  for (const [i, t] of tables.entries()) {
    yield `${i ? '\n' : ''}${t}`;
    // A table the copy does not have (an older schema) dumps as absent, never as empty.
    if (!existing.has(t)) {
      yield '\n<absent>';
      continue;
    }
    const rows = db
      .prepare(`SELECT * FROM "${t.replace(/"/g, '""')}" ORDER BY ${orderBy(db, t)}`)
      .raw(true);
    for (const r of rows.iterate()) yield `\n${JSON.stringify(r, blobAsHex)}`;
  }
}

const tableNames = (db: Database): string[] =>
  (
    db.prepare("SELECT name FROM pragma_table_list WHERE schema = 'main'").all() as {
      name: string;
    }[]
  ).map((r) => r.name);

function blobAsHex(_key: string, value: unknown): unknown {
  return value && typeof value === 'object' && (value as { type?: string }).type === 'Buffer'
    ? `x'${Buffer.from((value as { data: number[] }).data).toString('hex')}'`
    : value;
}

/**
 * A byte-exact text dump of the read models, one JSON array per row, for rebuild-equality checks.
 * Pass the tables of a manifest to dump what a backup covered; the default is every read model.
 */
export function dumpReadModels(
  db: Database,
  tables: readonly string[] = readModelTables(db),
): string {
  let out = '';
  for (const piece of dumpPieces(db, tables)) out += piece;
  return out;
}

/** SHA-256 of exactly what dumpReadModels would return, streamed (a large base never becomes one string). */
export function hashReadModels(
  db: Database,
  tables: readonly string[] = readModelTables(db),
): string {
  const hasher = new ChunkedHash();
  for (const piece of dumpPieces(db, tables)) hasher.add(piece);
  return hasher.digest();
}

/**
 * The same hash, giving the event loop a turn every few thousand rows: for a copy or a scratch
 * database that nothing else writes to (its read spans those turns), so a server computing the hash
 * of a large base keeps answering requests.
 */
export async function hashReadModelsInSteps(
  db: Database,
  tables: readonly string[] = readModelTables(db),
  rowsPerStep = 5_000,
): Promise<string> {
  const hasher = new ChunkedHash();
  let n = 0;
  for (const piece of dumpPieces(db, tables)) {
    hasher.add(piece);
    if (++n % rowsPerStep === 0) await nextTurn();
  }
  return hasher.digest();
}

/** Few, large hash updates: pieces are gathered up to a megabyte before they are hashed. */
class ChunkedHash {
  private readonly hash: Hash = createHash('sha256');
  private buffer = '';

  add(piece: string): void {
    this.buffer += piece;
    if (this.buffer.length > 1 << 20) {
      this.hash.update(this.buffer);
      this.buffer = '';
    }
  }

  digest(): string {
    this.hash.update(this.buffer);
    return this.hash.digest('hex');
  }
}
