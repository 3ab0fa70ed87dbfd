import type { RecordedEvent } from '@crm/events';
import { ProcessorRunner } from '../../apps/api/src/infrastructure/processing/processor-runner';
import { SYSTEM_ACTOR } from '../../apps/api/src/infrastructure/request-context/actor';
import { createMember, startTestApp, type TestApp } from '../support/test-app';

/** Waits for a condition, checking every few milliseconds (never a fixed sleep). */
async function until(check: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** `n` events in one command: a backlog for a processor to be behind on. */
async function appendEvents(t: TestApp, n: number): Promise<void> {
  await t.core.executor.execute({ actor: SYSTEM_ACTOR, source: 'system' }, (scope) =>
    scope.append({
      appends: [
        {
          stream_id: `backlog-${n}-${Date.now()}`,
          expected_version: 0,
          events: Array.from({ length: n }, (_, i) => ({ type: 'Ticked', data: { i } })),
        },
      ],
      conflicts: [],
    }),
  );
}

const mirrorOf = (list: { name: string }[]) => list.find((p) => p.name === 'audit-mirror');

const readiness = async (t: TestApp) => {
  const res = await t.anon().get('/api/ready');
  return {
    status: res.status,
    processors: res.body.checks.find((c: { name: string }) => c.name === 'processors'),
  };
};

describe('processors, as an admin sees them', () => {
  let t: TestApp;
  let runner: ProcessorRunner;
  let gate: { open: () => void; shut: Promise<void> };
  let failing = 0;
  const handled: number[] = [];
  const shutGate = () => {
    let open!: () => void;
    const shut = new Promise<void>((r) => (open = r));
    gate = { open, shut };
  };

  beforeAll(async () => {
    t = await startTestApp();
    runner = t.app.get(ProcessorRunner);
    shutGate();
    gate.open();
    runner.register({
      name: 'audit-mirror',
      handle: async (e: RecordedEvent) => {
        await gate.shut;
        if (failing > 0) {
          failing--;
          throw new Error('the mirror is unreachable');
        }
        handled.push(e.position);
      },
    });
    await runner.settled();
  });
  afterAll(async () => {
    gate.open();
    await t.close();
  });

  it('lists each processor with its checkpoint, the head, its lag and status', async () => {
    const head = t.core.store.lastPosition();
    const res = await t.http().get('/api/admin/processors').expect(200);
    // The app's own processors are listed too (the Owner upgrade, automations, reminders); the one
    // registered here comes after them.
    const names = res.body.processors.map((p: { name: string }) => p.name);
    expect([...names].sort()).toEqual([
      'audit-mirror',
      'automations',
      'follow-up-fields',
      'owner-field-upgrade',
      'reminder-upkeep',
    ]);
    expect(names[names.length - 1]).toBe('audit-mirror');
    expect({ processors: [mirrorOf(res.body.processors)] }).toEqual({
      processors: [
        {
          name: 'audit-mirror',
          checkpoint: head,
          head,
          lag: 0,
          status: 'running',
          last_error: null,
          last_error_at: null,
        },
      ],
    });
  });

  it('pauses and resumes one; a paused one falls behind and catches up', async () => {
    const paused = await t.http().post('/api/admin/processors/audit-mirror/pause').expect(200);
    expect(paused.body).toMatchObject({ name: 'audit-mirror', status: 'paused' });
    await appendEvents(t, 3);
    const list = (await t.http().get('/api/admin/processors').expect(200)).body.processors;
    expect(mirrorOf(list)).toMatchObject({ status: 'paused', lag: 3 });

    const resumed = await t.http().post('/api/admin/processors/audit-mirror/resume').expect(200);
    expect(resumed.body).toMatchObject({ status: 'running' });
    await until(() => runner.state('audit-mirror').lag === 0);
    expect(handled.slice(-3)).toEqual([1, 2, 3].map((i) => t.core.store.lastPosition() - 3 + i));
  });

  it('answers 404 with a reason for an unknown processor, and 403 to a member', async () => {
    const res = await t.http().post('/api/admin/processors/nope/pause').expect(404);
    expect(res.body.details).toMatchObject({ reason: 'unknown_processor', name: 'nope' });
    expect(res.body.reason).toBe('unknown_processor');
    const member = await createMember(t);
    await member.http().get('/api/admin/processors').expect(403);
    await member.http().post('/api/admin/processors/audit-mirror/pause').expect(403);
  });

  it('is not ready while a processor has failed, naming it and why; resume clears it', async () => {
    failing = 5;
    await appendEvents(t, 1);
    await until(() => runner.state('audit-mirror').status === 'failed');
    const failed = await readiness(t);
    expect(failed.status).toBe(503);
    expect(failed.processors).toMatchObject({
      ok: false,
      detail: {
        not_ready: [
          {
            name: 'audit-mirror',
            reason: 'failed',
            lag: 1,
            last_error: expect.stringContaining('the mirror is unreachable'),
          },
        ],
      },
    });
    const list = (await t.http().get('/api/admin/processors').expect(200)).body.processors;
    expect(mirrorOf(list)).toMatchObject({ status: 'failed', last_error_at: expect.any(String) });

    await t.http().post('/api/admin/processors/audit-mirror/resume').expect(200);
    await until(() => runner.state('audit-mirror').lag === 0);
    expect(await readiness(t)).toMatchObject({ status: 200, processors: { ok: true } });
  });

  it('is not ready while a processor is more than 10,000 events behind', async () => {
    shutGate();
    await appendEvents(t, 10_002);
    await until(async () => (await readiness(t)).status === 503);
    expect((await readiness(t)).processors.detail.not_ready).toEqual([
      expect.objectContaining({ name: 'audit-mirror', reason: 'behind' }),
    ]);
    gate.open();
    await until(() => runner.state('audit-mirror').lag === 0, 30_000);
    expect((await readiness(t)).status).toBe(200);
  }, 60_000);
});
