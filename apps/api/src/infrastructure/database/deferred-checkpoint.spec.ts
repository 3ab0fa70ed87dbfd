import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { withDeferredCheckpoint } from './deferred-checkpoint';

describe('withDeferredCheckpoint', () => {
  let dir: string;
  let db: Database.Database;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'crm-ckpt-'));
    db = new Database(join(dir, 'db.sqlite'));
    db.pragma('journal_mode = WAL');
    db.pragma('wal_autocheckpoint = 10');
    db.exec('CREATE TABLE t (x TEXT)');
  });
  afterEach(() => {
    if (db.open) db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const bigWrite = () =>
    db.transaction(() => {
      const ins = db.prepare('INSERT INTO t VALUES (?)');
      for (let i = 0; i < 2000; i++) ins.run('x'.repeat(200));
    })();
  /** Frames in the WAL and how many of them are copied into the database file. */
  const walState = () =>
    db.pragma('wal_checkpoint(NOOP)' as string, { simple: false }) as {
      log: number;
      checkpointed: number;
    }[];

  it('commits without checkpointing, restores the threshold, and checkpoints when the deferred task runs', () => {
    const tasks: (() => void)[] = [];
    withDeferredCheckpoint(db, bigWrite, (task) => tasks.push(task));
    expect(db.prepare('SELECT COUNT(*) FROM t').pluck().get()).toBe(2000);
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(10);
    const before = walState()[0];
    expect(before.checkpointed).toBeLessThan(before.log);
    expect(tasks).toHaveLength(1);
    tasks[0]();
    const after = walState()[0];
    expect(after.checkpointed).toBe(after.log);
  });

  it('restores the threshold when the write fails, and a deferred task on a closed connection does nothing', () => {
    const tasks: (() => void)[] = [];
    expect(() =>
      withDeferredCheckpoint(
        db,
        () =>
          db.transaction(() => {
            db.prepare('INSERT INTO t VALUES (?)').run('a');
            throw new Error('refused');
          })(),
        (task) => tasks.push(task),
      ),
    ).toThrow('refused');
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(10);
    expect(db.prepare('SELECT COUNT(*) FROM t').pluck().get()).toBe(0);
    db.close();
    expect(() => tasks[0]()).not.toThrow();
  });

  it('inside a transaction already open, leaves the checkpoint to that transaction', () => {
    const tasks: (() => void)[] = [];
    db.transaction(() =>
      withDeferredCheckpoint(
        db,
        () => db.prepare('INSERT INTO t VALUES (?)').run('a'),
        (task) => tasks.push(task),
      ),
    )();
    expect(tasks).toHaveLength(0);
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(10);
  });
});
