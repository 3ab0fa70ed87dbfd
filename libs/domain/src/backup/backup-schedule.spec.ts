import { type BackupPolicy } from '@crm/events';
import { DEFAULT_BACKUP_POLICY } from './backup-policy.rules';
import { isBackupDue, isDrillSlot, latestSlot, nextSlot } from './backup-schedule';
import { instantOf, localDateKey, localWeekKey } from './zoned-time';

const at = (iso: string) => Date.parse(iso);
const policy = (over: Partial<BackupPolicy> = {}): BackupPolicy => ({
  ...DEFAULT_BACKUP_POLICY,
  ...over,
});

describe('the nightly slot', () => {
  it('is today at time_of_day once it has passed, yesterday before', () => {
    expect(new Date(latestSlot(policy(), at('2026-03-10T05:00:00Z'))).toISOString()).toBe(
      '2026-03-10T02:00:00.000Z',
    );
    expect(new Date(latestSlot(policy(), at('2026-03-10T01:59:00Z'))).toISOString()).toBe(
      '2026-03-09T02:00:00.000Z',
    );
    expect(new Date(nextSlot(policy(), at('2026-03-10T01:59:00Z'))).toISOString()).toBe(
      '2026-03-10T02:00:00.000Z',
    );
    expect(new Date(nextSlot(policy(), at('2026-03-10T02:00:00Z'))).toISOString()).toBe(
      '2026-03-11T02:00:00.000Z',
    );
  });

  it('follows the local clock of its zone across a month end', () => {
    const paris = policy({ time_zone: 'Europe/Paris', time_of_day: '23:30' });
    // 2026-01-31 23:30 in Paris (UTC+1) is 22:30 UTC.
    expect(new Date(latestSlot(paris, at('2026-02-01T06:00:00Z'))).toISOString()).toBe(
      '2026-01-31T22:30:00.000Z',
    );
  });

  it('keeps the local time across daylight saving changes', () => {
    const ny = policy({ time_zone: 'America/New_York', time_of_day: '01:30' });
    // Before the March change New York is UTC-5, after it UTC-4.
    expect(new Date(latestSlot(ny, at('2026-03-07T12:00:00Z'))).toISOString()).toBe(
      '2026-03-07T06:30:00.000Z',
    );
    expect(new Date(latestSlot(ny, at('2026-03-09T12:00:00Z'))).toISOString()).toBe(
      '2026-03-09T05:30:00.000Z',
    );
    // 01:30 happens twice on the November change: the first one counts.
    expect(
      new Date(
        instantOf({ year: 2026, month: 11, day: 1, hour: 1, minute: 30 }, 'America/New_York'),
      ).toISOString(),
    ).toBe('2026-11-01T05:30:00.000Z');
    // 02:30 does not exist on the March change: it moves later by the hour skipped.
    expect(
      new Date(
        instantOf({ year: 2026, month: 3, day: 8, hour: 2, minute: 30 }, 'America/New_York'),
      ).toISOString(),
    ).toBe('2026-03-08T07:30:00.000Z');
  });
});

describe('isBackupDue', () => {
  const since = at('2026-03-01T12:00:00Z');

  it('is due once the slot has passed and no backup was taken since', () => {
    expect(
      isBackupDue({
        policy: policy(),
        since,
        lastBackupAt: at('2026-03-09T02:00:05Z'),
        now: at('2026-03-10T02:00:30Z'),
      }),
    ).toBe(true);
    expect(
      isBackupDue({
        policy: policy(),
        since,
        lastBackupAt: at('2026-03-10T02:00:05Z'),
        now: at('2026-03-10T02:01:00Z'),
      }),
    ).toBe(false);
  });

  it('catches up a night the server was off, at the next start, once', () => {
    const now = at('2026-03-12T09:15:00Z');
    expect(
      isBackupDue({ policy: policy(), since, lastBackupAt: at('2026-03-09T02:00:05Z'), now }),
    ).toBe(true);
    expect(
      isBackupDue({
        policy: policy(),
        since,
        lastBackupAt: at('2026-03-12T09:15:20Z'),
        now: at('2026-03-12T09:16:00Z'),
      }),
    ).toBe(false);
  });

  it('does not fire for a slot before the policy (or the install) began', () => {
    expect(
      isBackupDue({
        policy: policy(),
        since: at('2026-03-10T08:00:00Z'),
        lastBackupAt: null,
        now: at('2026-03-10T09:00:00Z'),
      }),
    ).toBe(false);
    expect(
      isBackupDue({
        policy: policy(),
        since: at('2026-03-10T08:00:00Z'),
        lastBackupAt: null,
        now: at('2026-03-11T02:00:00Z'),
      }),
    ).toBe(true);
  });

  it('never fires when the policy is off', () => {
    expect(
      isBackupDue({
        policy: policy({ enabled: false }),
        since,
        lastBackupAt: null,
        now: at('2026-03-12T09:15:00Z'),
      }),
    ).toBe(false);
  });
});

describe('local calendar keys', () => {
  it('uses ISO weeks (Monday first; week 1 holds the first Thursday)', () => {
    expect(localWeekKey(at('2026-01-01T12:00:00Z'), 'UTC')).toBe('2026-W01');
    expect(localWeekKey(at('2027-01-01T12:00:00Z'), 'UTC')).toBe('2026-W53');
    expect(localWeekKey(at('2026-03-08T12:00:00Z'), 'UTC')).toBe('2026-W10'); // a Sunday
    expect(localWeekKey(at('2026-03-09T12:00:00Z'), 'UTC')).toBe('2026-W11'); // the Monday after
  });

  it('dates an instant in the zone, not in UTC', () => {
    expect(localDateKey(at('2026-03-09T23:30:00Z'), 'Asia/Tokyo')).toBe('2026-03-10');
  });

  it('runs the weekly drill on the Sunday slot only, when asked', () => {
    expect(isDrillSlot(policy({ drill_weekly: true }), at('2026-03-08T02:00:00Z'))).toBe(true);
    expect(isDrillSlot(policy({ drill_weekly: true }), at('2026-03-09T02:00:00Z'))).toBe(false);
    expect(isDrillSlot(policy({ drill_weekly: false }), at('2026-03-08T02:00:00Z'))).toBe(false);
  });
});
