import { type BackupPolicy } from '@crm/events';
import { instantOf, localDateTime, localWeekday } from './zoned-time';

/** The scheduled moment at or before `now`: today's time_of_day in the policy's zone, or yesterday's. */
export function latestSlot(
  policy: Pick<BackupPolicy, 'time_of_day' | 'time_zone'>,
  nowMs: number,
): number {
  const [hour, minute] = policy.time_of_day.split(':').map(Number);
  const today = localDateTime(nowMs, policy.time_zone);
  for (let back = 0; back <= 2; back++) {
    const slot = instantOf(
      { year: today.year, month: today.month, day: today.day - back, hour, minute },
      policy.time_zone,
    );
    if (slot <= nowMs) return slot;
  }
  throw new Error('unreachable: a slot within two days is always in the past');
}

/** The next scheduled moment after `now`. */
export function nextSlot(
  policy: Pick<BackupPolicy, 'time_of_day' | 'time_zone'>,
  nowMs: number,
): number {
  const [hour, minute] = policy.time_of_day.split(':').map(Number);
  const today = localDateTime(nowMs, policy.time_zone);
  for (let ahead = 0; ahead <= 2; ahead++) {
    const slot = instantOf(
      { year: today.year, month: today.month, day: today.day + ahead, hour, minute },
      policy.time_zone,
    );
    if (slot > nowMs) return slot;
  }
  throw new Error('unreachable: a slot within two days is always in the future');
}

export interface ScheduleFacts {
  policy: BackupPolicy;
  /**
   * Since when the policy has been in force: when it was last changed, or when the log began. A slot
   * before it was never promised, so a new install (or a new time) does not fire on the first start.
   */
  since: number;
  /** The newest backup's creation time (any trigger), or null. */
  lastBackupAt: number | null;
  now: number;
}

/**
 * The nightly backup is due when the latest slot is after the policy took effect and no backup has
 * been taken since that slot. The check is the same every minute and at start-up, so a night the
 * server was off is caught up at the next start, and never twice.
 */
export function isBackupDue(f: ScheduleFacts): boolean {
  if (!f.policy.enabled) return false;
  const slot = latestSlot(f.policy, f.now);
  if (slot <= f.since) return false;
  return f.lastBackupAt === null || f.lastBackupAt < slot;
}

/** The weekly drill runs after the nightly backup of the slot that falls on a Sunday (local). */
export function isDrillSlot(policy: BackupPolicy, slotMs: number): boolean {
  return policy.drill_weekly && localWeekday(slotMs, policy.time_zone) === 0;
}
