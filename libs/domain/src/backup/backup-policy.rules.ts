import { type BackupPolicy } from '@crm/events';
import { invalid } from '../errors';

export const DEFAULT_BACKUP_POLICY: Readonly<BackupPolicy> = Object.freeze({
  enabled: true,
  time_of_day: '02:00',
  time_zone: 'UTC',
  keep_daily: 7,
  keep_weekly: 4,
  keep_monthly: 6,
  verify_after_backup: true,
  drill_weekly: false,
});

/** The most backups of each kind a policy may keep. */
export const BACKUP_KEEP_LIMITS = { keep_daily: 366, keep_weekly: 520, keep_monthly: 240 } as const;

/** True when `zone` is an IANA time zone this runtime knows. */
export function isTimeZone(zone: string): boolean {
  if (typeof zone !== 'string' || zone === '' || zone.length > 64) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/**
 * The current policy with a change applied, checked as a whole: every problem is reported together,
 * each naming its field. Retention that keeps nothing is refused (the newest verified backup is kept
 * regardless, but a policy that says "keep none" is a mistake, not a wish).
 */
export function applyBackupPolicyChange(
  current: BackupPolicy,
  change: Partial<BackupPolicy>,
): BackupPolicy {
  const next: BackupPolicy = { ...current, ...stripUndefined(change) };
  const problems: { field: string; message: string }[] = [];
  for (const k of ['enabled', 'verify_after_backup', 'drill_weekly'] as const) {
    if (typeof next[k] !== 'boolean')
      problems.push({ field: k, message: `${k} must be true or false` });
  }
  if (typeof next.time_of_day !== 'string' || !/^([01]\d|2[0-3]):[0-5]\d$/.test(next.time_of_day)) {
    problems.push({
      field: 'time_of_day',
      message: 'time_of_day must be a 24-hour time HH:MM, e.g. 02:30',
    });
  }
  if (!isTimeZone(next.time_zone))
    problems.push({
      field: 'time_zone',
      message: 'time_zone must be an IANA time zone such as UTC or Europe/Paris',
    });
  for (const [k, max] of Object.entries(BACKUP_KEEP_LIMITS) as [
    keyof typeof BACKUP_KEEP_LIMITS,
    number,
  ][]) {
    const v = next[k];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > max)
      problems.push({ field: k, message: `${k} must be a whole number from 0 to ${max}` });
  }
  if (problems.length === 0 && next.keep_daily + next.keep_weekly + next.keep_monthly === 0) {
    problems.push({
      field: 'keep_daily',
      message:
        'the retention rules must keep at least one backup (keep_daily, keep_weekly or keep_monthly above 0)',
    });
  }
  if (problems.length) {
    throw invalid(problems.map((p) => p.message).join('; '), {
      fields: problems.map((p) => p.field),
      problems,
    });
  }
  return next;
}

export const samePolicy = (a: BackupPolicy, b: BackupPolicy): boolean =>
  (Object.keys(DEFAULT_BACKUP_POLICY) as (keyof BackupPolicy)[]).every((k) => a[k] === b[k]);

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
