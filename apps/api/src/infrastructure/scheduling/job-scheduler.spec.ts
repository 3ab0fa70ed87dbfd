import type { ScheduledJobRanData } from '@crm/events';
import { openTempCore, type TempCore } from '../../../../../test/support/temp-core';
import type { DueRun } from './job-due';
import { type JobResult, JobScheduler, type ScheduledJob } from './job-scheduler';
import { parseRule } from './schedule-rule';

const at = (s: string) => Date.parse(s);
const iso = (ms: number) => new Date(ms).toISOString();

/** A job that records the occurrences it ran for; `failing` makes its next runs fail. */
function countingJob(rule: string, zone: string, extra: Partial<ScheduledJob<string>> = {}) {
  const runs: string[] = [];
  const job = {
    failing: 0,
    runs,
    declaration: {
      name: 'digest',
      schedule: () => ({ rule: parseRule(rule), zone }),
      run: (due: DueRun): Promise<JobResult<string>> => {
        runs.push(iso(due.scheduledFor));
        if (job.failing > 0) {
          job.failing--;
          return Promise.resolve({ result: 'no', error: 'the mail server is down' });
        }
        return Promise.resolve({ result: `ran ${iso(due.scheduledFor)}` });
      },
      ...extra,
    } satisfies ScheduledJob<string>,
  };
  return job;
}

/** The scheduler's clock, set by hand: each tick asks it for "now". */
class FakeClock {
  ms = 0;
  now = () => iso(this.ms);
  set(s: string | number): this {
    this.ms = typeof s === 'number' ? s : at(s);
    return this;
  }
}

describe('the scheduler, on a clock passed in', () => {
  let core: TempCore;
  let clock: FakeClock;
  const recorded = () =>
    core.store
      .readStream('schedule-digest')
      .map((e) => e.data as ScheduledJobRanData)
      .map((d) => `${d.scheduled_for} #${d.attempt} ${d.outcome}`);

  beforeEach(async () => {
    core = await openTempCore('scheduler-', { seed: false });
    clock = new FakeClock();
  });
  afterEach(() => core.dispose());

  it('given a daily job, when its time has passed, then it runs once and records the run', async () => {
    const job = countingJob('every day at 07:30', 'Europe/Zurich');
    const scheduler = new JobScheduler(core.store, core.executor, clock);
    scheduler.declare(job.declaration);

    expect(await scheduler.runDue('digest', clock.set('2026-06-10T05:31:00Z').ms)).toBe(
      'ran 2026-06-10T05:30:00.000Z',
    );
    expect(await scheduler.runDue('digest', clock.set('2026-06-10T05:45:00Z').ms)).toBeNull();
    expect(recorded()).toEqual(['2026-06-10T05:30:00.000Z #1 succeeded']);
    const event = core.store.readStream('schedule-digest')[0];
    expect(event).toMatchObject({ type: 'ScheduledJobRan', schema_version: 1 });
    expect(event.metadata).toMatchObject({ actor_id: 'system', source: 'system' });
  });

  it('given three days off, when it starts again, then the latest occurrence alone is caught up', async () => {
    const job = countingJob('every day at 07:30', 'Europe/Zurich');
    const before = new JobScheduler(core.store, core.executor, clock);
    before.declare(job.declaration);
    await before.runDue('digest', clock.set('2026-06-07T06:00:00Z').ms);
    await before.stop();

    const after = new JobScheduler(core.store, core.executor, clock);
    after.declare(job.declaration);
    await after.tick(clock.set('2026-06-10T09:00:00Z').ms);
    await after.tick(clock.set('2026-06-10T09:00:15Z').ms);
    expect(job.runs).toEqual(['2026-06-07T05:30:00.000Z', '2026-06-10T05:30:00.000Z']);
  });

  it('given a restart after a run, then the same occurrence is not run again', async () => {
    const job = countingJob('every day at 07:30', 'Europe/Zurich');
    const first = new JobScheduler(core.store, core.executor, clock);
    first.declare(job.declaration);
    await first.runDue('digest', clock.set('2026-06-10T05:31:00Z').ms);
    await first.stop();
    const second = new JobScheduler(core.store, core.executor, clock);
    second.declare(job.declaration);
    expect(await second.runDue('digest', clock.set('2026-06-10T05:32:00Z').ms)).toBeNull();
    expect(job.runs).toHaveLength(1);
  });

  it('given a fall-back night ticked every 15 s, then a 01:30 New York job runs once', async () => {
    const job = countingJob('every day at 01:30', 'America/New_York', {
      notBefore: () => at('2026-11-01T04:00:00Z'),
    });
    const scheduler = new JobScheduler(core.store, core.executor, clock);
    scheduler.declare(job.declaration);
    for (let t = at('2026-11-01T04:00:00Z'); t < at('2026-11-01T08:00:00Z'); t += 15_000)
      await scheduler.tick(clock.set(t).ms);
    expect(job.runs).toEqual(['2026-11-01T05:30:00.000Z']);
  });

  it('given a spring-forward night ticked every 15 s, then a 02:30 Zurich job runs once, at 03:30', async () => {
    const job = countingJob('every day at 02:30', 'Europe/Zurich', {
      notBefore: () => at('2026-03-28T23:00:00Z'),
    });
    const scheduler = new JobScheduler(core.store, core.executor, clock);
    scheduler.declare(job.declaration);
    for (let t = at('2026-03-28T23:00:00Z'); t < at('2026-03-29T03:00:00Z'); t += 15_000)
      await scheduler.tick(clock.set(t).ms);
    expect(job.runs).toEqual(['2026-03-29T01:30:00.000Z']);
  });

  it('given a failed run, then it is recorded as failed and tried again after the retry delay', async () => {
    const job = countingJob('every day at 07:30', 'Europe/Zurich', { retryAfterMs: 30 * 60_000 });
    job.failing = 1;
    const scheduler = new JobScheduler(core.store, core.executor, clock);
    scheduler.declare(job.declaration);
    await scheduler.runDue('digest', clock.set('2026-06-10T05:31:00Z').ms);
    expect(await scheduler.runDue('digest', clock.set('2026-06-10T05:40:00Z').ms)).toBeNull();
    expect(await scheduler.runDue('digest', clock.set('2026-06-10T06:20:00Z').ms)).toBe(
      'ran 2026-06-10T05:30:00.000Z',
    );
    expect(recorded()).toEqual([
      '2026-06-10T05:30:00.000Z #1 failed',
      '2026-06-10T05:30:00.000Z #2 succeeded',
    ]);
  });

  it('given an occurrence the job finds satisfied, then nothing runs or is recorded', async () => {
    const job = countingJob('every day at 07:30', 'Europe/Zurich', { satisfied: () => true });
    const scheduler = new JobScheduler(core.store, core.executor, clock);
    scheduler.declare(job.declaration);
    expect(await scheduler.runDue('digest', clock.set('2026-06-10T05:31:00Z').ms)).toBeNull();
    expect(recorded()).toEqual([]);
  });

  it('refuses a job name that cannot name a stream, and a second job of one name', () => {
    const scheduler = new JobScheduler(core.store, core.executor, clock);
    const job = countingJob('every 15 minutes', 'UTC');
    expect(() => scheduler.declare({ ...job.declaration, name: 'Not OK' })).toThrow('job name');
    scheduler.declare(job.declaration);
    expect(() => scheduler.declare(job.declaration)).toThrow('declared already');
  });
});
