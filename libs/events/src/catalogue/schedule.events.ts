/**
 * The scheduler: each run of a scheduled job is an event on the job's stream (`schedule-<job>`),
 * carrying the occurrence it was for. Whether a job is due is read from these events, never from
 * the wall clock of a replay, so a missed occurrence is caught up once and never run twice.
 * Written at schema version 1.
 */

export type ScheduledJobOutcome = 'succeeded' | 'failed';

export interface ScheduledJobRanData {
  job: string;
  /** The occurrence of the job's rule this run was for (UTC). */
  scheduled_for: string;
  /** Runs of this occurrence so far, this one included (a failed run may be tried again). */
  attempt: number;
  started_at: string;
  finished_at: string;
  outcome: ScheduledJobOutcome;
  error?: string;
}

export interface ScheduleEventMap {
  ScheduledJobRan: ScheduledJobRanData;
}

export type ScheduleEventType = keyof ScheduleEventMap;

export const SCHEDULE_EVENT_TYPES: readonly ScheduleEventType[] = ['ScheduledJobRan'];

export const scheduleStreams = {
  job: (name: string) => `schedule-${name}`,
};
