import { type BackupPolicy } from '@crm/events';
import { localWeekday } from './zoned-time';

/** The weekly drill runs after the nightly backup of the slot that falls on a Sunday (local). */
export function isDrillSlot(policy: BackupPolicy, slotMs: number): boolean {
  return policy.drill_weekly && localWeekday(slotMs, policy.time_zone) === 0;
}
