import { type BackupPolicy } from '@crm/events';
import { type BackupState } from './backup.state';
import { localDateKey, localMonthKey, localWeekKey } from './zoned-time';

export interface RetentionPlan {
  keep: string[];
  prune: string[];
  /** Why each kept backup stays, for the log and the tests. */
  reasons: Record<string, string[]>;
}

/**
 * Which backups the retention rules keep. Among backups that did not fail verification, the newest of
 * each of the last `keep_daily` days, `keep_weekly` ISO weeks and `keep_monthly` months (in the
 * policy's zone, counting only periods that have a backup) stay. The newest verified backup always
 * stays, whatever the rules say. Backups that failed verification are never worth keeping once the
 * rules are applied. Deleted backups are ignored.
 */
export function planRetention(
  backups: readonly BackupState[],
  policy: BackupPolicy,
): RetentionPlan {
  const live = backups
    .filter((b) => !b.deleted)
    .sort((a, b) =>
      a.created_at < b.created_at ? 1 : a.created_at > b.created_at ? -1 : a.id < b.id ? 1 : -1,
    );
  const reasons: Record<string, string[]> = {};
  const mark = (id: string, why: string) => (reasons[id] ??= []).push(why);

  const usable = live.filter((b) => b.verification !== 'failed');
  const buckets: [string, number, (ms: number, zone: string) => string][] = [
    ['daily', policy.keep_daily, localDateKey],
    ['weekly', policy.keep_weekly, localWeekKey],
    ['monthly', policy.keep_monthly, localMonthKey],
  ];
  for (const [name, count, keyOf] of buckets) {
    const seen = new Set<string>();
    for (const b of usable) {
      if (seen.size >= count) break;
      const key = keyOf(Date.parse(b.created_at), policy.time_zone);
      if (seen.has(key)) continue;
      seen.add(key);
      mark(b.id, `${name} ${key}`);
    }
  }
  const newestVerified = live.find((b) => b.verification === 'ok');
  if (newestVerified) mark(newestVerified.id, 'newest verified');

  return {
    keep: live.filter((b) => reasons[b.id]).map((b) => b.id),
    prune: live.filter((b) => !reasons[b.id]).map((b) => b.id),
    reasons,
  };
}
