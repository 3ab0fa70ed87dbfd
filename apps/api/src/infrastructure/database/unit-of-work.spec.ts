import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseBusyError } from './database-busy.error';
import { TransactionSpannedTurnError } from './transaction-spanned-turn.error';
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

  it('counts group commits (requests), not the writes of a job', async () => {
    const start = uow.groupCommits();
    // Given: a job's write and a request queued in the same turn.
    const job = uow.write(() => insert('job'));
    const request = uow.submit(() => insert('request'));
    await Promise.all([job, request]);
    // Then: the request's group commit is counted; the job's own write is not.
    expect(uow.groupCommits()).toBe(start + 1);
    await uow.write(() => insert('job 2'));
    expect(uow.groupCommits()).toBe(start + 1);
  });

  it('given requests queued at every turn, when a job lets others go first for at most N turns, then it goes on after N', async () => {
    let turns = 0;
    let stop = false;
    const keepQueuing = () => {
      if (stop) return;
      turns++;
      void uow.submit(() => insert(`r${turns}`));
      setImmediate(keepQueuing);
    };
    keepQueuing();
    const before = turns;
    await uow.othersFirst(4);
    const waited = turns - before;
    stop = true;
    await uow.submit(() => undefined);
    expect(waited).toBeGreaterThanOrEqual(1);
    expect(waited).toBeLessThanOrEqual(6);
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
    expect(uow.flush()).toBeUndefined(); // every queued command was synchronous: committed on return
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

  describe('asynchronous work', () => {
    /** What an adapter that settles in microtasks looks like to the work. */
    const adapter = async <T>(f: () => T): Promise<T> => {
      await Promise.resolve();
      return f();
    };

    it('commits after the work settled and answers after the COMMIT', async () => {
      const seen: number[] = [];
      const answer = await uow.write(async () => {
        await adapter(() => insert('a'));
        seen.push(count(reader));
        await adapter(() => insert('b'));
        return count(db);
      });
      expect(answer).toBe(2);
      expect(seen).toEqual([0]);
      expect(count(reader)).toBe(2);
    });

    it('runs asynchronous commands of a group each in its own savepoint', async () => {
      const results = await Promise.allSettled([
        uow.submit(() => adapter(() => insert('p'))),
        uow.submit(async () => {
          await adapter(() => insert('half-done'));
          throw new Error('bad input');
        }),
        uow.submit(() => insert('q')),
      ]);
      expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
      expect(
        (reader.prepare('SELECT v FROM t ORDER BY v').all() as { v: string }[]).map((r) => r.v),
      ).toEqual(['p', 'q']);
    });

    it('runs a write issued from within the work in its transaction, and one from elsewhere after it', async () => {
      const order: string[] = [];
      // Another request's continuation, made outside the transaction, runs while it awaits.
      let release!: () => void;
      const outside = new Promise<void>((resolve) => (release = resolve)).then(() =>
        uow.write(() => (order.push('outside'), insert('outside'))),
      );
      const first = uow.write(async () => {
        await adapter(() => insert('outer'));
        release();
        await adapter(() => undefined);
        await uow.write(() => (order.push('nested'), insert('nested')));
        await uow.write(async () => {
          await adapter(() => undefined);
          throw new Error('the plan failed');
        });
      });
      await expect(first).rejects.toThrow('the plan failed');
      await outside;
      // The nested write was part of the transaction that rolled back; the outside one committed on its own.
      expect(order).toEqual(['nested', 'outside']);
      expect((reader.prepare('SELECT v FROM t').all() as { v: string }[]).map((r) => r.v)).toEqual([
        'outside',
      ]);
    });

    it('rolls back, and refuses, work that awaits something real (the guard)', async () => {
      let rollbacks = 0;
      uow.onRollback(() => rollbacks++);
      const slow = uow.write(async () => {
        insert('before the timer');
        await new Promise((resolve) => setTimeout(resolve, 20));
        return 'too late';
      });
      await expect(slow).rejects.toBeInstanceOf(TransactionSpannedTurnError);
      expect(rollbacks).toBe(1);
      expect(count(reader)).toBe(0);
      expect(db.inTransaction).toBe(false);
      // The next write is not affected.
      await uow.write(() => insert('after'));
      expect(count(reader)).toBe(1);
    });

    it('refuses every command of a group whose command awaits something real', async () => {
      const results = await Promise.allSettled([
        uow.submit(() => insert('a')),
        uow.submit(async () => {
          insert('b');
          await new Promise((resolve) => setImmediate(resolve));
        }),
        uow.submit(() => insert('c')),
      ]);
      expect(
        results.map(
          (r) => r.status === 'rejected' && r.reason instanceof TransactionSpannedTurnError,
        ),
      ).toEqual([true, true, true]);
      expect(count(reader)).toBe(0);
    });
  });

  describe('derived writes', () => {
    const FULL = 2;
    const NORMAL = 1;
    const level = () => db.pragma('synchronous', { simple: true }) as number;

    it('commits derived state without an fsync of its own, and every other write still with one', async () => {
      const seen: number[] = [];
      await uow.writeDerived(() => {
        seen.push(level());
        insert('index step');
      });
      await uow.write(() => {
        seen.push(level());
        insert('edit');
      });
      expect(seen).toEqual([NORMAL, FULL]);
      expect(level()).toBe(FULL);
      expect(count(reader)).toBe(2);
    });

    it('restores the full safety level when the derived work fails, and a write queued meanwhile commits with it', async () => {
      const seen: number[] = [];
      const derived = uow.writeDerived(async () => {
        insert('step');
        await Promise.resolve();
        throw new Error('index step failed');
      });
      const edit = uow.write(() => {
        seen.push(level());
        insert('edit');
      });
      await expect(derived).rejects.toThrow('index step failed');
      await edit;
      expect(seen).toEqual([FULL]);
      expect(level()).toBe(FULL);
      expect(count(reader)).toBe(1);
    });

    it("runs inside the transaction that calls it, at that transaction's level", async () => {
      const seen: number[] = [];
      await uow.write(async () => {
        await uow.writeDerived(() => {
          seen.push(level());
          insert('nested');
        });
      });
      expect(seen).toEqual([FULL]);
      expect(count(reader)).toBe(1);
    });
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
