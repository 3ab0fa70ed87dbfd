import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { DiskRoom } from './disk-room';
import { LOW_ROOM_CHECKPOINT_PAGES, LOW_ROOM_WAL_BYTES, WalCheckpointer } from './wal-checkpointer';

/** Needs the build: the thread runs the compiled worker entry (see workerEntry). */
describe('WalCheckpointer', () => {
  let dir: string;
  let db: Database.Database;
  let checkpointer: WalCheckpointer;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'crm-walckpt-'));
    db = new Database(join(dir, 'db.sqlite'));
    db.pragma('journal_mode = WAL');
    db.pragma('wal_autocheckpoint = 1000');
    db.exec('CREATE TABLE t (x TEXT)');
    // Its first checkpoint comes half a second after the start, well after the write below.
    checkpointer = new WalCheckpointer(db, 500);
  });
  afterEach(async () => {
    await checkpointer.stop();
    if (db.open) db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const bigWrite = () =>
    db.transaction(() => {
      const ins = db.prepare('INSERT INTO t VALUES (?)');
      for (let i = 0; i < 30_000; i++) ins.run('x'.repeat(200));
    })();
  /** Frames in the WAL and how many of them are copied into the database file (NOOP: looks only). */
  const walState = () =>
    (
      db.pragma('wal_checkpoint(NOOP)' as string, { simple: false }) as {
        log: number;
        checkpointed: number;
      }[]
    )[0];
  const until = async (check: () => boolean) => {
    for (const started = Date.now(); !check();) {
      if (Date.now() - started > 5_000) throw new Error('the condition never held');
      await new Promise((r) => setTimeout(r, 5));
    }
  };

  it('takes the checkpoint off the connection, copies committed frames from its own thread, and gives it back when stopped', async () => {
    // Given a running checkpointer
    checkpointer.start();
    // Then the connection no longer checkpoints inside its commits
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(0);
    // When a large write commits (past the old threshold)
    bigWrite();
    // Then the commit copied nothing into the database file itself
    const written = walState();
    expect(written.log).toBeGreaterThan(1000);
    expect(written.checkpointed).toBe(0);
    // Then the thread copies every frame into the database file
    await until(() => {
      const s = walState();
      return s.log === 0 || s.checkpointed === s.log;
    });
    // When it stops, the connection checkpoints by itself again
    await checkpointer.stop();
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
  });

  it('leaves the checkpoint to the connection while the disk is nearly full, keeping the WAL short', async () => {
    // Given a disk without the room derived work needs
    const full = new WalCheckpointer(db, 10, new DiskRoom(db, Number.MAX_SAFE_INTEGER));
    // When it starts, no thread takes the checkpoint over: the connection checkpoints, and often
    full.start();
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(LOW_ROOM_CHECKPOINT_PAGES);
    expect(db.pragma('journal_size_limit', { simple: true })).toBe(LOW_ROOM_WAL_BYTES);
    bigWrite();
    expect(walState().checkpointed).toBeGreaterThan(0);
    // When the next write starts the log again after the checkpoint
    db.prepare('INSERT INTO t VALUES (?)').run('small');
    // Then the log's file is cut back, its space given to the database (it kept 6 MB before)
    expect(statSync(join(dir, 'db.sqlite-wal')).size).toBeLessThanOrEqual(LOW_ROOM_WAL_BYTES);
    // When it stops, the connection is as it was
    await full.stop();
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
    expect(db.pragma('journal_size_limit', { simple: true })).toBe(-1);
  });

  it('finishes stopping in a process with nothing else left to keep it alive (a shutdown)', () => {
    // Given a process whose only work is a started checkpointer, when it stops it and says so
    const built = join(__dirname, '..', '..', '..', 'dist', 'infrastructure', 'database');
    const script = `
      const Database = require(${JSON.stringify(require.resolve('better-sqlite3'))});
      const { WalCheckpointer } = require(${JSON.stringify(join(built, 'wal-checkpointer.js'))});
      const db = new Database(${JSON.stringify(join(dir, 'db.sqlite'))});
      const c = new WalCheckpointer(db, 10);
      c.start();
      setTimeout(() => c.stop().then(() => { db.close(); process.stdout.write('stopped'); }), 50);
    `;
    // Then the stop completes before the process ends (it used to end halfway, the thread unheld)
    expect(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' })).toBe('stopped');
  });
  it('given commits one after another, keeps the log from growing without end: a long log the thread copied whole is ended by the connection', async () => {
    // Given a thread checkpointing every 10 ms, and a log to end past 256 frames (1 MB)
    const steady = new WalCheckpointer(db, 10, new DiskRoom(db), 256);
    steady.start();
    // When small transactions commit back to back for a second and a half (the thread's every
    // checkpoint ends with more frames committed meanwhile)
    const ins = db.prepare('INSERT INTO t VALUES (?)');
    const write = db.transaction(() => {
      for (let i = 0; i < 20; i++) ins.run('x'.repeat(200));
    });
    let commits = 0;
    let longest = 0;
    const start = Date.now();
    for (const end = start + 1_500; Date.now() < end; commits++) {
      write();
      // The log's length in frames over the last second (the thread takes a moment to start).
      if (Date.now() - start > 500) longest = Math.max(longest, walState().log);
      await new Promise((r) => setImmediate(r));
    }
    await steady.stop();
    // Then the log was started again and again: it held a few thousand frames at most (without
    // the connection's part it grew past a hundred thousand, 400 MB, in the same time)
    expect(commits * 2).toBeGreaterThan(5_000);
    expect(longest).toBeLessThan(16 * 256);
  });
});
