import { ANY_VERSION, type RecordedEvent } from '@crm/events';
import { turnsDuring } from '../../../../../test/support/event-loop-turns';
import { openTempCore, type TempCore } from '../../../../../test/support/temp-core';
import { SYSTEM_ACTOR } from '../request-context/actor';
import { CommitSignal } from './commit-signal';
import type { Processor, ProcessorContext } from './processor';
import { ProcessorCheckpointsRepository } from './processor-checkpoints.repository';
import { DEFAULT_RUNNER_OPTIONS, ProcessorRunner, type RunnerOptions } from './processor-runner';

const FAST: RunnerOptions = { ...DEFAULT_RUNNER_OPTIONS, retryFirstMs: 20, retryMaxMs: 200 };
const meta = { actor: SYSTEM_ACTOR, source: 'api' as const };

/** Waits for a condition, checking every few milliseconds (never a fixed sleep). */
async function until(check: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** Appends one `Pinged` event per name, each as a command of its own (a person's request). */
async function ping(core: TempCore, ...names: string[]): Promise<void> {
  for (const name of names)
    await core.executor.execute(meta, (scope) =>
      scope.append({
        appends: [
          {
            stream_id: `ping-${name}`,
            expected_version: 0,
            events: [{ type: 'Pinged', data: { name } }],
          },
        ],
        conflicts: [],
      }),
    );
}

/**
 * A processor that answers every `Pinged` with one command appending `Ponged` (to a stream that
 * takes any version, so only the idempotency key can keep a redelivery from doubling it).
 */
class PongProcessor implements Processor {
  readonly types = ['Pinged'];
  readonly seen: RecordedEvent[] = [];
  readonly answers: number[] = [];
  failNext = 0;
  constructor(readonly name = 'pong') {}

  async handle(event: RecordedEvent, ctx: ProcessorContext): Promise<void> {
    this.seen.push(event);
    if (this.failNext > 0) {
      this.failNext--;
      throw new Error('the mail server is down');
    }
    const answer = await ctx.execute(async (scope) => {
      await scope.append({
        appends: [
          {
            stream_id: 'pongs',
            expected_version: ANY_VERSION,
            events: [{ type: 'Ponged', data: { to: event.event_id } }],
          },
        ],
        conflicts: [],
      });
      return scope.position();
    });
    this.answers.push(answer);
  }
}

describe('processors after commit', () => {
  let core: TempCore;
  let signal: CommitSignal;
  const runners: ProcessorRunner[] = [];
  const newRunner = (options = FAST) => {
    const runner = new ProcessorRunner(
      core.store,
      core.executor,
      core.uow,
      new ProcessorCheckpointsRepository(core.db),
      core.clock,
      signal,
      options,
    );
    runners.push(runner);
    return runner;
  };
  const pongs = () => core.store.readAll(0).filter((e) => e.type === 'Ponged');

  beforeEach(async () => {
    core = await openTempCore('processors-', { seed: false });
    signal = new CommitSignal(core.store, 50);
    signal.start();
  });
  afterEach(async () => {
    for (const r of runners.splice(0)) await r.stop();
    signal.stop();
    await core.dispose();
  });

  it('given events committed, then each wanted one is handled once, in log order, with its causation', async () => {
    const pong = new PongProcessor();
    const runner = newRunner();
    runner.register(pong);
    runner.start();
    await ping(core, 'a', 'b', 'c');
    await until(() => pongs().length === 3);
    await runner.settled();

    const pinged = core.store.readAll(0).filter((e) => e.type === 'Pinged');
    expect(pong.seen.map((e) => e.position)).toEqual(pinged.map((e) => e.position));
    expect(pongs().map((e) => [e.metadata.causation_id, e.metadata.correlation_id])).toEqual(
      pinged.map((e) => [e.event_id, e.metadata.correlation_id]),
    );
    expect(runner.state('pong')).toMatchObject({
      checkpoint: core.store.lastPosition(),
      lag: 0,
      status: 'running',
    });
  });

  it('issues commands as the system by default, or as the actor and source it names', async () => {
    const actor = { id: 'usr_rule', name: 'Rule', role: 'system' as const };
    const runner = newRunner();
    runner.register({
      name: 'sources',
      types: ['Pinged'],
      handle: async (event, ctx) => {
        const pong = (scope: Parameters<Parameters<ProcessorContext['execute']>[0]>[0]) =>
          scope.append({
            appends: [
              {
                stream_id: 'pongs',
                expected_version: ANY_VERSION,
                events: [{ type: 'Ponged', data: { to: event.event_id } }],
              },
            ],
            conflicts: [],
          });
        await ctx.execute(pong);
        await ctx.execute({ actor, source: 'automation' }, pong);
      },
    });
    runner.start();
    await ping(core, 'a');
    await until(() => pongs().length === 2);
    expect(pongs().map((e) => [e.metadata.actor_id, e.metadata.source])).toEqual([
      ['system', 'system'],
      ['usr_rule', 'automation'],
    ]);
  });

  it('given events it does not want, then its checkpoint moves past them without a call', async () => {
    const pong = new PongProcessor();
    const runner = newRunner();
    runner.register(pong);
    await core.executor.execute(meta, (scope) =>
      scope.append({
        appends: [
          { stream_id: 'other', expected_version: 0, events: [{ type: 'Other', data: {} }] },
        ],
        conflicts: [],
      }),
    );
    runner.start();
    await runner.settled();
    expect(pong.seen).toEqual([]);
    expect(runner.state('pong').checkpoint).toBe(core.store.lastPosition());
  });

  it('given a processor that wants nothing for now, then it is not called and its checkpoint reaches the head; when it wants again, only later events come', async () => {
    const seen: string[] = [];
    let on = false;
    const runner = newRunner();
    runner.register({
      name: 'switched',
      types: ['Pinged'],
      wantedNow: () => (on ? ['Pinged'] : []),
      handle: async (event) => {
        seen.push(event.event_id);
      },
    });
    runner.start();
    await ping(core, 'a', 'b');
    await runner.settled();
    expect(seen).toEqual([]);
    expect(runner.state('switched').checkpoint).toBe(core.store.lastPosition());

    on = true;
    await ping(core, 'c');
    await runner.settled();
    const last = core.store.readAll(0).filter((e) => e.type === 'Pinged');
    expect(seen).toEqual([last[last.length - 1].event_id]);
  });

  it('given a failing event, then it is retried with growing delays until it succeeds', async () => {
    const pong = new PongProcessor();
    pong.failNext = 3;
    const runner = newRunner();
    runner.register(pong);
    runner.start();
    await ping(core, 'a');
    await until(() => pongs().length === 1);

    await runner.settled();
    expect(pong.seen).toHaveLength(4);
    expect(runner.state('pong')).toMatchObject({ status: 'running', lag: 0 });
    expect(runner.state('pong').last_error).toMatch(/Pinged\): the mail server is down/);
  });

  it('doubles the delay between tries', async () => {
    const pong = new PongProcessor();
    pong.failNext = 3;
    const at: number[] = [];
    const timed: Processor = {
      name: 'timed',
      types: ['Pinged'],
      handle: (e, ctx) => {
        at.push(performance.now());
        return pong.handle(e, ctx);
      },
    };
    const runner = newRunner({ ...FAST, retryFirstMs: 40 });
    runner.register(timed);
    runner.start();
    await ping(core, 'a');
    await until(() => pongs().length === 1);
    const gaps = at.slice(1).map((t, i) => t - at[i]);
    expect(gaps[0]).toBeGreaterThanOrEqual(39);
    expect(gaps[1]).toBeGreaterThanOrEqual(79);
    expect(gaps[2]).toBeGreaterThanOrEqual(159);
  });

  it('given N failures in a row, then it stops as failed; resume tries the event again', async () => {
    const pong = new PongProcessor();
    pong.failNext = 5;
    const runner = newRunner();
    runner.register(pong);
    runner.start();
    await ping(core, 'a', 'b');
    await until(() => runner.state('pong').status === 'failed');
    const before = runner.state('pong');
    expect(before).toMatchObject({ checkpoint: 0, lag: core.store.lastPosition() });
    expect(before.last_error).toMatch(/the mail server is down/);
    expect(before.last_error_at).toEqual(expect.any(String));
    expect(pong.seen).toHaveLength(5);
    expect(new ProcessorCheckpointsRepository(core.db).load('pong')).toMatchObject({
      status: 'failed',
      failures: 5,
    });

    runner.resume('pong');
    await until(() => pongs().length === 2);
    expect(runner.state('pong')).toMatchObject({ status: 'running' });
  });

  it('given a pause, then nothing is handled until it resumes from its checkpoint', async () => {
    const pong = new PongProcessor();
    const runner = newRunner();
    runner.register(pong);
    runner.start();
    await ping(core, 'a');
    await until(() => pongs().length === 1);
    await runner.settled();
    runner.pause('pong');
    await ping(core, 'b', 'c');
    await runner.settled();
    expect(pong.seen).toHaveLength(1);
    expect(runner.state('pong')).toMatchObject({ status: 'paused', lag: 2 });

    runner.resume('pong');
    await until(() => pongs().length === 3);
  });

  it('given an unknown name, then pause and resume say so with a reason', () => {
    const runner = newRunner();
    runner.register(new PongProcessor());
    expect(() => runner.pause('nope')).toThrow(
      expect.objectContaining({
        code: 'not_found',
        details: expect.objectContaining({ reason: 'unknown_processor' }),
      }),
    );
  });

  it('keeps its checkpoint across a restart and goes on after it', async () => {
    const first = new PongProcessor();
    const runner = newRunner();
    runner.register(first);
    runner.start();
    await ping(core, 'a', 'b');
    await until(() => pongs().length === 2);
    await runner.stop();
    await ping(core, 'c');

    const second = new PongProcessor();
    const restarted = newRunner();
    restarted.register(second);
    restarted.start();
    await until(() => pongs().length === 3);
    expect(second.seen.map((e) => (e.data as { name: string }).name)).toEqual(['c']);
  });

  it('given a redelivery (the checkpoint lost after the commands ran), then no effect happens twice', async () => {
    const first = new PongProcessor();
    const runner = newRunner();
    runner.register(first);
    runner.start();
    await ping(core, 'a', 'b');
    await until(() => pongs().length === 2);
    await runner.stop();
    // As after a crash between a command's commit and the checkpoint's.
    core.db.prepare('UPDATE processor_checkpoints SET position = 0').run();

    const second = new PongProcessor();
    const restarted = newRunner();
    restarted.register(second);
    restarted.start();
    await restarted.settled();
    expect(second.seen).toHaveLength(2);
    expect(second.answers).toEqual(first.answers);
    expect(pongs()).toHaveLength(2);
  });

  it('given a batch processor, then the commits of its wait are handed over together, in order, and a throw hands them again', async () => {
    const batches: string[][] = [];
    let failNext = 1;
    const runner = newRunner();
    runner.register({
      name: 'batched',
      types: ['Pinged'],
      coalesceMs: 200,
      handle: () => Promise.reject(new Error('one at a time is not used')),
      handleBatch: (events) => {
        batches.push(events.map((e) => (e.data as { name: string }).name));
        if (failNext-- > 0) return Promise.reject(new Error('the mail server is down'));
        return Promise.resolve();
      },
    });
    await ping(core, 'a', 'b', 'c');
    runner.start();
    await until(() => batches.length === 2);
    await runner.settled();
    expect(batches).toEqual([
      ['a', 'b', 'c'],
      ['a', 'b', 'c'],
    ]);
    expect(runner.state('batched')).toMatchObject({ lag: 0, status: 'running' });

    // Three commits within one wait are read together (two calls at most, on a slow machine).
    batches.length = 0;
    await ping(core, 'd', 'e', 'f');
    await until(() => batches.flat().length === 3);
    await runner.settled();
    expect(batches.flat()).toEqual(['d', 'e', 'f']);
    expect(batches.length).toBeLessThan(3);
  });

  it('given a long backlog of cheap events, then catching up gives the event loop back, its reads counted in the slice', async () => {
    // 5,000 events, read 500 at a time. The clock moves only when the log is read (6 ms a read, a
    // slow disk's), never while the cheap handler runs: before the reads counted, no slice ever
    // ended and the whole catch-up ran in one turn of the event loop.
    await core.executor.execute(meta, (scope) =>
      scope.append({
        appends: [
          {
            stream_id: 'backlog',
            expected_version: 0,
            events: Array.from({ length: 5_000 }, (_, i) => ({
              type: 'Pinged',
              data: { name: String(i) },
            })),
          },
        ],
        conflicts: [],
      }),
    );
    let clock = 0;
    const store = core.store;
    const timedStore = Object.create(store) as typeof store;
    timedStore.readOfTypes = (...args: Parameters<typeof store.readOfTypes>) => {
      clock += 6;
      return store.readOfTypes(...args);
    };
    const runner = new ProcessorRunner(
      timedStore,
      core.executor,
      core.uow,
      new ProcessorCheckpointsRepository(core.db),
      core.clock,
      signal,
      { ...FAST, now: () => clock },
    );
    runners.push(runner);
    let handled = 0;
    runner.register({ name: 'cheap', types: ['Pinged'], handle: async () => void handled++ });

    const turns = await turnsDuring(async () => {
      runner.start();
      await runner.settled();
    });

    expect(handled).toBe(5_000);
    // Ten reads of 6 ms against slices of 10 ms: a turn after every second read at least.
    expect(turns).toBeGreaterThanOrEqual(4);
  });

  it('wakes once per commit however many events it holds', async () => {
    let wakes = 0;
    const quiet = new CommitSignal(core.store, 60_000);
    quiet.start();
    quiet.subscribe(() => wakes++);
    await core.executor.execute(meta, (scope) =>
      scope.append({
        appends: Array.from({ length: 50 }, (_, i) => ({
          stream_id: `many-${i}`,
          expected_version: 0,
          events: [{ type: 'Pinged', data: { name: String(i) } }],
        })),
        conflicts: [],
      }),
    );
    await new Promise((r) => setImmediate(r));
    quiet.stop();
    expect(wakes).toBe(1);
  });
});
