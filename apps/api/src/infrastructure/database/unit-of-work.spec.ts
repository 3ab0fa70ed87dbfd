import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseBusyError } from './database-busy.error';
import { UnitOfWork } from './unit-of-work';

describe('UnitOfWork group commit', () => {
  let dir: string;
  let db: Database.Database;
  let reader: Database.Database;
  let uow: UnitOfWork;
  const count = (conn: Database.Database) =>
    (conn.prepare('SELECT COUNT(*) AS n FROM t').get() as { n: number }).n;
  const insert = (v: string) => db.prepare('INSERT INTO t (v) VALUES (?)').run(v);

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'uow-'));
    db = new Database(join(dir, 'db.sqlite'));
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.exec('CREATE TABLE t (v TEXT NOT NULL UNIQUE)');
    reader = new Database(join(dir, 'db.sqlite'), { readonly: true });
    uow = new UnitOfWork(db);
  });
  afterEach(() => {
    reader.close();
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs commands submitted in one turn in one transaction, and answers only after the COMMIT', async () => {
    const seenByOtherConnection: number[] = [];
    const answers = await Promise.all(
      ['a', 'b', 'c'].map((v) =>
        uow
          .submit(() => {
            seenByOtherConnection.push(count(reader));
            insert(v);
            expect(db.inTransaction).toBe(true);
            return `${v}:${count(db)}`;
          })
          .then((answer) => ({ answer, committed: count(reader) })),
      ),
    );
    // Inside the group nothing was visible to another connection yet; each command saw its predecessors.
    expect(seenByOtherConnection).toEqual([0, 0, 0]);
    expect(answers).toEqual([
      { answer: 'a:1', committed: 3 },
      { answer: 'b:2', committed: 3 },
      { answer: 'c:3', committed: 3 },
    ]);
  });

  it('rolls back a failing command alone: its neighbours commit and it is refused with its own error', async () => {
    let rollbacks = 0;
    uow.onRollback(() => rollbacks++);
    const results = await Promise.allSettled([
      uow.submit(() => insert('x')),
      uow.submit(() => {
        insert('half-done');
        throw new Error('bad input');
      }),
      uow.submit(() => insert('x')), // a constraint error from SQLite is the command's own failure too
      uow.submit(() => insert('y')),
    ]);
    expect(results.map((r) => r.status)).toEqual([
      'fulfilled',
      'rejected',
      'rejected',
      'fulfilled',
    ]);
    expect((results[1] as PromiseRejectedResult).reason.message).toBe('bad input');
    expect(
      (reader.prepare('SELECT v FROM t ORDER BY v').all() as { v: string }[]).map((r) => r.v),
    ).toEqual(['x', 'y']);
    expect(rollbacks).toBe(2);
  });

  it('runs a later turn as a new group, and flush commits what is queued at once (shutdown)', async () => {
    await uow.submit(() => insert('first'));
    const pending = uow.submit(() => insert('second'));
    uow.flush();
    expect(count(reader)).toBe(2);
    await pending;
  });

  it('refuses every queued command when the group cannot start its transaction', async () => {
    db.pragma('busy_timeout = 0');
    const other = new Database(join(dir, 'db.sqlite'));
    other.prepare('BEGIN IMMEDIATE').run();
    const results = await Promise.allSettled([
      uow.submit(() => insert('p')),
      uow.submit(() => insert('q')),
    ]);
    other.prepare('ROLLBACK').run();
    other.close();
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect(count(reader)).toBe(0);
  });

  describe('while another process holds the write lock (serving)', () => {
    let other: Database.Database;
    beforeEach(() => {
      uow = new UnitOfWork(db, 400);
      uow.waitForLocksAsynchronously();
      other = new Database(join(dir, 'db.sqlite'));
      other.prepare('BEGIN IMMEDIATE').run();
    });
    afterEach(() => {
      if (other.inTransaction) other.prepare('ROLLBACK').run();
      other.close();
    });
    /** Turns of the event loop while `during` runs: a synchronous wait would leave none. */
    async function turnsDuring<T>(during: Promise<T>): Promise<{ turns: number; result: T }> {
      let turns = 0;
      const timer = setInterval(() => turns++, 5);
      try {
        return { result: await during, turns };
      } finally {
        clearInterval(timer);
      }
    }

    it('waits without holding the event loop, then commits the group, each command in its own savepoint', async () => {
      const group = Promise.allSettled([
        uow.submit(() => (insert('a'), 'a')),
        uow.submit(() => insert('a')),
        uow.write(() => (insert('b'), 'b')),
      ]);
      setTimeout(() => other.prepare('ROLLBACK').run(), 150);
      const { turns, result } = await turnsDuring(group);
      expect(turns).toBeGreaterThan(10);
      expect(result.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
      expect(
        (reader.prepare('SELECT v FROM t ORDER BY v').all() as { v: string }[]).map((r) => r.v),
      ).toEqual(['a', 'b']);
    });

    it('refuses with DatabaseBusyError at the busy timeout, writes nothing, and nobody waits longer', async () => {
      const started = Date.now();
      const { turns, result } = await turnsDuring(
        Promise.allSettled([uow.submit(() => insert('p')), uow.write(() => insert('q'))]),
      );
      const waited = Date.now() - started;
      expect(turns).toBeGreaterThan(20);
      expect(
        result.map((r) => r.status === 'rejected' && r.reason instanceof DatabaseBusyError),
      ).toEqual([true, true]);
      expect(waited).toBeGreaterThanOrEqual(390);
      expect(waited).toBeLessThan(600);
      other.prepare('ROLLBACK').run();
      expect(count(reader)).toBe(0);
    });

    it('runs a write in the same turn when the lock is free', async () => {
      other.prepare('ROLLBACK').run();
      const answer = uow.write(() => insert('now'));
      expect(count(reader)).toBe(1);
      await answer;
    });
  });
});
