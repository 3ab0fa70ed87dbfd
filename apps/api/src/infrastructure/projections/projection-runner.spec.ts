import Database from 'better-sqlite3';
import { ANY_VERSION, type RecordedEvent } from '@crm/events';
import { LOG_SCHEMA } from '@crm/migrations';
import { UnitOfWork } from '../database/unit-of-work';
import { SqliteEventStore } from '../event-store/sqlite-event-store';
import { ProjectionRunner } from './projection-runner';
import { type Projector } from './projector';

/** A read model that only counts: how many events it saw, and in how many calls. */
class Counting implements Projector {
  readonly tables = [] as const;
  readonly batches: number[] = [];
  after: number[] = [];
  resets = 0;
  constructor(readonly name: string) {}
  async apply(events: readonly RecordedEvent[]): Promise<void> {
    this.batches.push(events.length);
  }
  async afterBatch(last: RecordedEvent): Promise<void> {
    this.after.push(last.position);
  }
  async reset(): Promise<void> {
    this.resets++;
    this.batches.length = 0;
    this.after = [];
  }
  get seen(): number {
    return this.batches.reduce((a, b) => a + b, 0);
  }
}

function given(projectors: Projector[]) {
  const db = new Database(':memory:');
  for (const sql of LOG_SCHEMA) db.exec(sql);
  const store = new SqliteEventStore(db);
  const runner = new ProjectionRunner(db, store, projectors);
  const uow = new UnitOfWork(db);
  let n = 0;
  /** One append of `count` events, with the inline projections, as the executor does it. */
  const append = (count: number) =>
    uow.write(async () => {
      const { events } = store.append(
        [
          {
            stream_id: 'notes',
            expected_version: ANY_VERSION,
            events: Array.from({ length: count }, () => ({ type: 'Noted', data: {} })),
          },
        ],
        {
          metadata: { actor_id: 'usr_ada', correlation_id: 'cor_1', source: 'api' },
          recorded_at: '2026-03-01T09:00:00.000Z',
          event_ids: Array.from({ length: count }, () => `evt_${++n}`),
        },
      );
      await runner.applyInline(events);
    });
  return { db, runner, append };
}

describe('ProjectionRunner', () => {
  it('given an append, applies its events to each projector in one call, then moves every checkpoint', async () => {
    const a = new Counting('a');
    const b = new Counting('b');
    const { runner, append } = given([a, b]);
    await append(3);
    await append(1);
    expect(a.batches).toEqual([3, 1]);
    expect(b.batches).toEqual([3, 1]);
    expect(a.after).toEqual([3, 4]);
    expect([runner.checkpoint('a'), runner.checkpoint('b')]).toEqual([4, 4]);
  });

  it('given projectors that follow the log, an append leaves their rows as they were: the head is their checkpoint', async () => {
    const a = new Counting('a');
    const { db, runner, append } = given([a]);
    await append(2);
    const row = () =>
      db.prepare("SELECT position, follows_log FROM projection_checkpoints WHERE name = 'a'").get();
    expect(row()).toEqual({ position: 2, follows_log: 1 });
    await append(3);
    expect(row()).toEqual({ position: 2, follows_log: 1 });
    expect(a.seen).toBe(5);
    expect(runner.checkpoint('a')).toBe(5);
    expect(runner.atHead()).toBe(true);
  });

  it('given a projector with a position of its own, the next append gives it only the events after that position, and it follows the log from then on', async () => {
    const p = new Counting('p');
    const { db, runner, append } = given([p]);
    await append(4);
    db.prepare(
      "UPDATE projection_checkpoints SET position = 6, follows_log = 0 WHERE name = 'p'",
    ).run();
    p.batches.length = 0;
    await append(3); // positions 5 to 7: only 7 is after 6
    expect(p.batches).toEqual([1]);
    expect(runner.checkpoint('p')).toBe(7);
    await append(1);
    expect(p.batches).toEqual([1, 1]);
    expect(
      db.prepare("SELECT follows_log FROM projection_checkpoints WHERE name = 'p'").pluck().get(),
    ).toBe(1);
  });

  it('when catching up, a projector that reaches the head follows the log', async () => {
    const p = new Counting('p');
    const { db, runner, append } = given([p]);
    await append(3);
    db.prepare('DELETE FROM projection_checkpoints').run();
    expect(runner.checkpoint('p')).toBe(0);
    expect(await runner.catchUp()).toBe(3);
    expect(
      db.prepare("SELECT position, follows_log FROM projection_checkpoints WHERE name = 'p'").get(),
    ).toEqual({ position: 3, follows_log: 1 });
  });

  it('when rebuilding, replays the log in batches: one call per batch, not one per event', async () => {
    const p = new Counting('p');
    const { runner, append } = given([p]);
    await append(4_500);
    const { events, position } = await runner.rebuild();
    expect([events, position]).toEqual([4_500, 4_500]);
    expect(p.resets).toBe(1);
    expect(p.batches).toEqual([2_000, 2_000, 500]);
    expect(p.after).toEqual([4_500]);
    expect(runner.atHead()).toBe(true);
  });

  it('when catching up, gives a projector behind its checkpoint only what it has not seen, in batches', async () => {
    const p = new Counting('p');
    const { db, runner, append } = given([p]);
    await append(12);
    db.prepare(
      "UPDATE projection_checkpoints SET position = 2, follows_log = 0 WHERE name = 'p'",
    ).run();
    p.batches.length = 0;
    expect(await runner.catchUp(4)).toBe(10);
    expect(p.batches).toEqual([4, 4, 2]);
    expect(runner.checkpoint('p')).toBe(12);
  });

  it('rolls a rebuild back when a projector fails, leaving the checkpoints where they were', async () => {
    const p = new Counting('p');
    const { db, runner, append } = given([p]);
    await append(5);
    p.apply = () => Promise.reject(new Error('the projector broke'));
    await expect(runner.rebuild()).rejects.toThrow('the projector broke');
    expect(db.inTransaction).toBe(false);
    expect(runner.checkpoint('p')).toBe(5);
  });
});
