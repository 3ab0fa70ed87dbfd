import { type BackupPolicy } from '@crm/events';
import { DEFAULT_BACKUP_POLICY } from './backup-policy.rules';
import { isDrillSlot } from './backup-schedule';
import { localDateKey, localWeekKey } from './zoned-time';

const at = (iso: string) => Date.parse(iso);
const policy = (over: Partial<BackupPolicy> = {}): BackupPolicy => ({
  ...DEFAULT_BACKUP_POLICY,
  ...over,
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
