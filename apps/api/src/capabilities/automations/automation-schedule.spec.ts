import { DateTime } from 'luxon';
import type { ScheduledJobRanData } from '@crm/events';
import { dueRun } from '../../infrastructure/scheduling/job-due';
import { scheduleOf } from './automation-schedule';

/**
 * Given a daily 02:30 rule in a zone, when the scheduler ticks every five minutes through a day of
 * a clock change (and the day around it), then the rule runs exactly once each local day.
 */
function runsThrough(zone: string, day: string): string[] {
  const schedule = scheduleOf({
    type: 'schedule',
    table_id: 'tbl_inv',
    every: 'day',
    at: '02:30',
    time_zone: zone,
  });
  const start = DateTime.fromISO(`${day}T00:00`, { zone }).minus({ days: 1 }).toMillis();
  const end = DateTime.fromISO(`${day}T00:00`, { zone }).plus({ days: 2 }).toMillis();
  let lastRun: Pick<
    ScheduledJobRanData,
    'scheduled_for' | 'attempt' | 'outcome' | 'finished_at'
  > | null = null;
  const runs: string[] = [];
  for (let now = start; now < end; now += 5 * 60_000) {
    const due = dueRun({ schedule, lastRun, now, notBefore: start });
    if (!due) continue;
    const at = new Date(due.scheduledFor).toISOString();
    lastRun = {
      scheduled_for: at,
      attempt: 1,
      outcome: 'succeeded',
      finished_at: new Date(now).toISOString(),
    };
    runs.push(DateTime.fromMillis(due.scheduledFor, { zone }).toFormat('yyyy-MM-dd HH:mm ZZ'));
  }
  return runs;
}

describe('a daily 02:30 schedule trigger across clock changes', () => {
  it.each([
    [
      'Europe/Zurich',
      'spring-forward',
      '2026-03-29',
      ['2026-03-29 03:30 +02:00', '2026-03-30 02:30 +02:00'],
    ],
    [
      'Europe/Zurich',
      'fall-back',
      '2026-10-25',
      ['2026-10-25 02:30 +02:00', '2026-10-26 02:30 +01:00'],
    ],
    [
      'America/New_York',
      'spring-forward',
      '2026-03-08',
      ['2026-03-08 03:30 -04:00', '2026-03-09 02:30 -04:00'],
    ],
    [
      'America/New_York',
      'fall-back',
      '2026-11-01',
      ['2026-11-01 02:30 -05:00', '2026-11-02 02:30 -05:00'],
    ],
  ])('%s on its %s day (%s) runs exactly once a day', (zone, _kind, day, expected) => {
    const runs = runsThrough(zone, day);
    // The day before is the first run; then the clock-change day and the day after, once each.
    expect(runs).toHaveLength(3);
    expect(runs.slice(1)).toEqual(expected);
  });

  it('is caught up once after downtime, not once per missed day', () => {
    const schedule = scheduleOf({
      type: 'schedule',
      table_id: 't',
      every: 'day',
      at: '02:30',
      time_zone: 'Europe/Zurich',
    });
    const lastRun = {
      scheduled_for: '2026-03-01T01:30:00.000Z',
      attempt: 1,
      outcome: 'succeeded' as const,
      finished_at: '2026-03-01T01:30:05.000Z',
    };
    const now = Date.parse('2026-03-05T12:00:00.000Z');
    expect(dueRun({ schedule, lastRun, now, notBefore: null })).toEqual({
      scheduledFor: Date.parse('2026-03-05T01:30:00.000Z'),
      attempt: 1,
    });
    const after = { ...lastRun, scheduled_for: '2026-03-05T01:30:00.000Z' };
    expect(dueRun({ schedule, lastRun: after, now: now + 3_600_000, notBefore: null })).toBeNull();
  });

  it.each([
    ['Europe/Zurich', '2026-03-29'],
    ['Europe/Zurich', '2026-10-25'],
    ['America/New_York', '2026-11-01'],
    ['Asia/Kolkata', '2026-03-29'],
  ])(
    'an hourly ":15" rule in %s runs at :15 on the zone clock, every real hour of %s',
    (zone, day) => {
      const schedule = scheduleOf({
        type: 'schedule',
        table_id: 't',
        every: 'hour',
        at: '07:15',
        time_zone: zone,
      });
      const start = DateTime.fromISO(`${day}T00:00`, { zone }).toMillis();
      const end = DateTime.fromISO(`${day}T00:00`, { zone }).plus({ days: 1 }).toMillis();
      let lastRun: Pick<
        ScheduledJobRanData,
        'scheduled_for' | 'attempt' | 'outcome' | 'finished_at'
      > | null = null;
      const runs: number[] = [];
      for (let now = start; now < end; now += 5 * 60_000) {
        const due = dueRun({ schedule, lastRun, now, notBefore: start });
        if (!due) continue;
        lastRun = {
          scheduled_for: new Date(due.scheduledFor).toISOString(),
          attempt: 1,
          outcome: 'succeeded',
          finished_at: new Date(now).toISOString(),
        };
        runs.push(due.scheduledFor);
      }
      const hours = Math.round((end - start) / 3_600_000);
      expect(runs).toHaveLength(hours);
      expect(new Set(runs.map((t) => DateTime.fromMillis(t, { zone }).minute))).toEqual(
        new Set([15]),
      );
      expect(runs.slice(1).map((t, i) => t - runs[i])).toEqual(Array(hours - 1).fill(3_600_000));
    },
  );

  it('maps a weekly trigger to its weekday and an hourly one to every hour', () => {
    expect(
      scheduleOf({
        type: 'schedule',
        table_id: 't',
        every: 'week',
        weekday: 1,
        at: '09:00',
        time_zone: 'UTC',
      }),
    ).toEqual({
      rule: { every: 'week', on: 'monday', at: '09:00' },
      zone: 'UTC',
    });
    expect(
      scheduleOf({ type: 'schedule', table_id: 't', every: 'hour', at: '00:00', time_zone: 'UTC' })
        .rule,
    ).toEqual({ every: 'hour', minute: 0 });
    expect(
      scheduleOf({ type: 'schedule', table_id: 't', every: 'hour', at: '09:45', time_zone: 'UTC' })
        .rule,
    ).toEqual({ every: 'hour', minute: 45 });
  });
});
