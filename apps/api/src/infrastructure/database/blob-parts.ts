import type { Statement } from 'better-sqlite3';
import { type Sqlite } from './database';
import { type UnitOfWork } from './unit-of-work';

/**
 * Bytes written per transaction: about a millisecond of the write lock. A value of several megabytes
 * (a snapshot of 100,000 records, an uploaded file of 100,000 rows) written as one held it for tens
 * of milliseconds, and every edit that arrived meanwhile waited that long.
 */
export const PART_BYTES = 512 * 1024;

/**
 * Large values stored in parts, under an owner's name (`snapshot:<position>`, `import:<id>`). The
 * parts are written first, each in a short transaction of its own that others' requests go before;
 * the owner's row, saying how many parts it has, is written last, so no reader ever sees half of a
 * value. Parts whose owner never got its row (the process stopped between) are strays, cleared by
 * their owner's next save or prune.
 */
export class BlobParts {
  private readonly select: Statement;
  private readonly owners: Statement;
  private readonly remove: Statement;
  private insertStatement: Statement | null = null;

  constructor(private readonly db: Sqlite) {
    this.select = db.prepare('SELECT data FROM blob_parts WHERE owner = ? ORDER BY seq').pluck();
    this.owners = db
      .prepare("SELECT DISTINCT owner FROM blob_parts WHERE owner LIKE ? || '%' AND written_at < ?")
      .pluck();
    this.remove = db.prepare('DELETE FROM blob_parts WHERE owner = ?');
  }

  /**
   * Writes `bytes` under `owner` (replacing what a save cut short left there) and returns the number
   * of parts. `derived`: the value can be made again from the log (a snapshot), so its commits do
   * not fsync (see UnitOfWork.writeDerived).
   */
  async write(
    uow: UnitOfWork,
    owner: string,
    bytes: Uint8Array,
    at: string,
    options: { derived?: boolean; partBytes?: number } = {},
  ): Promise<number> {
    const size = options.partBytes ?? PART_BYTES;
    const count = Math.max(1, Math.ceil(bytes.byteLength / size));
    const write = (work: () => void) =>
      options.derived ? uow.writeDerived(work) : uow.write(work);
    for (let seq = 0; seq < count; seq++) {
      await uow.othersFirst();
      await write(() => {
        if (seq === 0) this.remove.run(owner);
        const part = bytes.subarray(seq * size, (seq + 1) * size);
        this.insert().run(
          owner,
          seq,
          Buffer.from(part.buffer, part.byteOffset, part.byteLength),
          at,
        );
      });
    }
    return count;
  }

  /** The value stored under `owner`, its parts joined. */
  read(owner: string): Buffer {
    return Buffer.concat(this.select.all(owner) as Buffer[]);
  }

  /** Removes the parts of `owner`; inside the caller's transaction when there is one. */
  drop(owner: string): void {
    this.remove.run(owner);
  }

  /** The owners under `prefix` with parts written before `before`: the caller keeps those it knows. */
  ownersBefore(prefix: string, before: string): string[] {
    return this.owners.all(prefix, before) as string[];
  }

  // Prepared when first written: a read-only connection (a worker's) only reads.
  private insert(): Statement {
    this.insertStatement ??= this.db.prepare(
      'INSERT INTO blob_parts (owner, seq, data, written_at) VALUES (?, ?, ?, ?)',
    );
    return this.insertStatement;
  }
}
