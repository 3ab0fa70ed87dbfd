import { dueRun, type DueFacts } from './job-due';
import { parseRule } from './schedule-rule';

const at = (s: string) => Date.parse(s);
const iso = (ms: number) => new Date(ms).toISOString();
const schedule = { rule: parseRule('every day at 07:30'), zone: 'Europe/Zurich' };
const ran = (scheduledFor: string, outcome: 'succeeded' | 'failed' = 'succeeded', attempt = 1) => ({
  scheduled_for: scheduledFor,
  attempt,
  outcome,
  finished_at: scheduledFor,
});
const facts = (f: Partial<DueFacts>): DueFacts => ({
  schedule,
  lastRun: null,
  now: at('2026-06-10T06:00:00Z'),
  notBefore: null,
  ...f,
});

describe('what a job has due', () => {
  it('given no run yet, when the occurrence has passed, then it is due', () => {
    const due = dueRun(facts({}));
    expect(due && { for: iso(due.scheduledFor), attempt: due.attempt }).toEqual({
      for: '2026-06-10T05:30:00.000Z',
      attempt: 1,
    });
  });

  it("given a run of today's occurrence, when asked again, then nothing is due", () => {
    expect(dueRun(facts({ lastRun: ran('2026-06-10T05:30:00.000Z') }))).toBeNull();
  });

  it('given the server was off for three days, when it starts, then only the latest occurrence runs', () => {
    const due = dueRun(
      facts({ lastRun: ran('2026-06-07T05:30:00.000Z'), now: at('2026-06-10T09:00:00Z') }),
    );
    expect(due && iso(due.scheduledFor)).toBe('2026-06-10T05:30:00.000Z');
  });

  it('given the rule took effect after the occurrence, then nothing is due', () => {
    expect(dueRun(facts({ notBefore: at('2026-06-10T05:45:00Z') }))).toBeNull();
  });

  it('given a failed run, when the job retries after 30 minutes, then the next try waits for them', () => {
    const failed = ran('2026-06-10T05:30:00.000Z', 'failed');
    const retry = 30 * 60_000;
    expect(
      dueRun(facts({ lastRun: failed, now: at('2026-06-10T05:50:00Z'), retryAfterMs: retry })),
    ).toBeNull();
    expect(
      dueRun(facts({ lastRun: failed, now: at('2026-06-10T06:00:00Z'), retryAfterMs: retry })),
    ).toEqual({ scheduledFor: at('2026-06-10T05:30:00Z'), attempt: 2 });
    expect(dueRun(facts({ lastRun: failed, now: at('2026-06-10T06:00:00Z') }))).toBeNull();
  });

  it("given a fall-back night, when the second 02:30 comes, then the first one's run counts", () => {
    const night = { rule: parseRule('every day at 02:30'), zone: 'Europe/Zurich' };
    const first = ran('2026-10-25T00:30:00.000Z');
    expect(
      dueRun(facts({ schedule: night, lastRun: first, now: at('2026-10-25T01:31:00Z') })),
    ).toBeNull();
  });
});
