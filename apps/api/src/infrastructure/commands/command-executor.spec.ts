import Database from 'better-sqlite3';
import { IdempotencyKeyReusedError, type RecordedEvent } from '@crm/events';
import type { Decision } from '@crm/domain';
import { LOG_SCHEMA } from '@crm/migrations';
import { UnitOfWork } from '../database/unit-of-work';
import { SqliteEventStore } from '../event-store/sqlite-event-store';
import { ProjectionRunner } from '../projections/projection-runner';
import { CommandExecutor, type CommandMeta } from './command-executor';
import { IdempotencyRepository } from './idempotency.repository';

const ADA = { id: 'usr_ada', name: 'Ada', role: 'member' as const };
const META: CommandMeta = { actor: ADA, source: 'api' };

function given() {
  const db = new Database(':memory:');
  for (const sql of LOG_SCHEMA) db.exec(sql);
  const store = new SqliteEventStore(db);
  const runner = new ProjectionRunner(db, store);
  const clock = { now: () => '2026-03-01T09:00:00.000Z' };
  const executor = new CommandExecutor(
    new UnitOfWork(db),
    store,
    runner,
    new IdempotencyRepository(db),
    clock,
  );
  return { db, store, runner, executor };
}

const noted = (stream: string, text: string, expected = 0): Decision => ({
  appends: [
    { stream_id: stream, expected_version: expected, events: [{ type: 'Noted', data: { text } }] },
  ],
  conflicts: [],
});

describe('CommandExecutor', () => {
  it('appends a decision with the command metadata, the command time and a new correlation id', async () => {
    const { executor, store } = given();
    const position = await executor.execute(META, async (scope) => {
      await scope.append(noted('note-1', 'hello'));
      return scope.position();
    });
    const [event] = store.readAll();
    expect(position).toBe(1);
    expect(event.recorded_at).toBe('2026-03-01T09:00:00.000Z');
    expect(event.metadata).toMatchObject({
      actor_id: 'usr_ada',
      actor_name: 'Ada',
      source: 'api',
      causation_id: null,
    });
    expect(event.metadata.correlation_id).toMatch(/^cor/);
  });

  it('carries the causation and correlation a processor gives into every event of the command', async () => {
    const { executor, store } = given();
    await executor.execute(
      { ...META, causation_id: 'evt_cause', correlation_id: 'cor_run' },
      async (scope) => {
        await scope.append(noted('note-1', 'a'));
        await scope.append(noted('note-2', 'b'));
      },
    );
    expect(
      store.readAll().map((e) => [e.metadata.causation_id, e.metadata.correlation_id]),
    ).toEqual([
      ['evt_cause', 'cor_run'],
      ['evt_cause', 'cor_run'],
    ]);
  });

  it('appends nothing for an empty decision and says so', async () => {
    const { executor, store } = given();
    const appended = await executor.execute(META, (scope) =>
      scope.append({ appends: [], conflicts: [] }),
    );
    expect(appended).toBe(false);
    expect(store.lastPosition()).toBe(0);
  });

  it('rolls the whole command back when its handler throws after an append', async () => {
    const { executor, store } = given();
    await expect(
      executor.execute(META, async (scope) => {
        await scope.append(noted('note-1', 'a'));
        throw new Error('refused');
      }),
    ).rejects.toThrow('refused');
    expect(store.lastPosition()).toBe(0);
  });

  it('runs the inline projections right after the append, in its transaction', async () => {
    const { executor, runner, store, db } = given();
    const projected: { positions: number[]; inTransaction: boolean }[] = [];
    runner.register({
      name: 'notes',
      tables: [],
      apply: async (events: readonly RecordedEvent[]) => {
        projected.push({
          positions: events.map((e) => e.position),
          inTransaction: db.inTransaction,
        });
      },
      reset: async () => undefined,
    });
    await executor.execute(META, async (scope) => {
      await scope.append(noted('note-1', 'a'));
      // The append's events are in the read model before the handler goes on.
      expect(projected).toEqual([{ positions: [1], inTransaction: true }]);
      await scope.append(noted('note-2', 'b'));
    });
    expect(projected.map((p) => p.positions)).toEqual([[1], [2]]);
    expect(runner.checkpoint('notes')).toBe(store.lastPosition());
  });

  it('rolls the append back when an inline projection fails', async () => {
    const { executor, runner, store } = given();
    runner.register({
      name: 'broken',
      tables: [],
      apply: () => Promise.reject(new Error('projection failed')),
      reset: async () => undefined,
    });
    await expect(
      executor.execute(META, (scope) => scope.append(noted('note-1', 'a'))),
    ).rejects.toThrow('projection failed');
    expect(store.lastPosition()).toBe(0);
    expect(runner.checkpoint('broken')).toBe(0);
  });

  describe('idempotency', () => {
    const key = { key: 'usr_ada/k-1', request: { text: 'hello' }, label: 'k-1' };

    it('gives a retry under the same key the first answer and appends nothing', async () => {
      const { executor, store } = given();
      const first = await executor.execute(
        META,
        async (scope) => {
          await scope.append(noted('note-1', 'hello'));
          return { position: scope.position() };
        },
        key,
      );
      const again = await executor.execute(
        META,
        async (scope) => {
          await scope.append(noted('note-2', 'hello'));
          return { position: scope.position() };
        },
        key,
      );
      expect(again).toEqual(first);
      expect(store.readAll().map((e) => e.stream_id)).toEqual(['note-1']);
      expect(executor.ran('usr_ada/k-1')).toBe(true);
    });

    it('refuses the same key with another request, naming the key as the client sent it, and appends nothing', async () => {
      const { executor, store } = given();
      await executor.execute(META, (scope) => scope.append(noted('note-1', 'hello')), key);
      const refused = executor.execute(META, (scope) => scope.append(noted('note-2', 'other')), {
        ...key,
        request: { text: 'other' },
      });
      await expect(refused).rejects.toBeInstanceOf(IdempotencyKeyReusedError);
      await expect(refused).rejects.toMatchObject({ key: 'k-1' });
      expect(store.lastPosition()).toBe(1);
    });

    it('does not use up a key when the command fails', async () => {
      const { executor, store } = given();
      await expect(
        executor.execute(
          META,
          async (scope) => {
            await scope.append(noted('note-1', 'hello'));
            throw new Error('refused');
          },
          key,
        ),
      ).rejects.toThrow('refused');
      expect(executor.ran('usr_ada/k-1')).toBe(false);
      await executor.execute(META, (scope) => scope.append(noted('note-1', 'hello')), key);
      expect(store.lastPosition()).toBe(1);
    });

    it('keys the grid batch of the group commit the same way', async () => {
      const { executor, store } = given();
      const send = () =>
        executor.submit(META, (scope) => scope.append(noted('note-1', 'hello')), key);
      const [a, b] = await Promise.all([send(), send()]);
      expect([a, b]).toEqual([true, true]);
      expect(store.lastPosition()).toBe(1);
    });
  });
});
