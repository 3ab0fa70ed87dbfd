import type { ScheduledJobRanData } from '@crm/events';
import { latestOccurrence, type Schedule } from './schedule-rule';

/** A run to start now: the occurrence it is for, and which try of it. */
export interface DueRun {
  scheduledFor: number;
  attempt: number;
}

export interface DueFacts {
  schedule: Schedule;
  /** The job's last recorded run (its stream's last event), or null. */
  lastRun: Pick<
    ScheduledJobRanData,
    'scheduled_for' | 'attempt' | 'outcome' | 'finished_at'
  > | null;
  now: number;
  /** Occurrences at or before this were never promised (a new install, a changed setting). */
  notBefore: number | null;
  /** A failed run is tried again for the same occurrence after this long; absent: never. */
  retryAfterMs?: number;
}

/**
 * What is due at `now`: only the latest occurrence of the rule, so occurrences missed while the
 * server was off are caught up once, not one run each, and an occurrence with a recorded run is
 * never run again (unless it failed and the job retries). Reads no clock: `now` comes in.
 */
export function dueRun(f: DueFacts): DueRun | null {
  const occurrence = latestOccurrence(f.schedule, f.now);
  if (f.notBefore !== null && occurrence <= f.notBefore) return null;
  const last = f.lastRun;
  if (last === null) return { scheduledFor: occurrence, attempt: 1 };
  const lastFor = Date.parse(last.scheduled_for);
  if (lastFor < occurrence) return { scheduledFor: occurrence, attempt: 1 };
  if (lastFor > occurrence || last.outcome === 'succeeded' || f.retryAfterMs === undefined)
    return null;
  return f.now - Date.parse(last.finished_at) >= f.retryAfterMs
    ? { scheduledFor: occurrence, attempt: last.attempt + 1 }
    : null;
}
