import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { DiskRoom } from './disk-room';

describe('DiskRoom', () => {
  let dir: string;
  let db: Database.Database;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'crm-room-'));
    db = new Database(join(dir, 'db.sqlite'));
  });
  afterEach(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('has room for derived work while the disk keeps its reserve free, and none past it', () => {
    // Given the free space of the disk the database is on (a reserve of 1 byte is always met)
    expect(new DiskRoom(db, 1).forDerivedWork()).toBe(true);
    // A reserve larger than any disk is never met: derived work waits
    expect(new DiskRoom(db, Number.MAX_SAFE_INTEGER).forDerivedWork()).toBe(false);
  });

  it('always has room for an in-memory database', () => {
    const memory = new Database(':memory:');
    expect(new DiskRoom(memory, Number.MAX_SAFE_INTEGER).forDerivedWork()).toBe(true);
    memory.close();
  });
});
