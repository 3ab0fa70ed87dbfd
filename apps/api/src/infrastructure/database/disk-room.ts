import { statfsSync } from 'node:fs';
import { dirname } from 'node:path';
import { type Sqlite } from './database';

/** Free space below which work that only derives data (an index, recomputed values) waits. */
export const DERIVED_WORK_RESERVE_BYTES = 64 * 1024 * 1024;
const LOOK_EVERY_MS = 1_000;

/**
 * Whether the database's disk has room for derived work. A search index or recomputed formula values
 * can always be written later from the log; a person's edit cannot. When the disk is nearly full,
 * such work waits, so that the space that frees up goes to people's writes first (otherwise an index
 * catching up after a full disk would take every byte given back, and every edit would fail again).
 */
export class DiskRoom {
  private checkedAt = 0;
  private room = true;

  constructor(
    private readonly db: Sqlite,
    private readonly reserve = DERIVED_WORK_RESERVE_BYTES,
  ) {}

  forDerivedWork(): boolean {
    if (this.db.memory) return true;
    const now = Date.now();
    if (now - this.checkedAt >= LOOK_EVERY_MS) {
      this.checkedAt = now;
      try {
        const s = statfsSync(dirname(this.db.name));
        this.room = s.bavail * s.bsize >= this.reserve;
      } catch {
        this.room = true;
      }
    }
    return this.room;
  }
}
