import { Logger } from '@nestjs/common';
import { type ScheduledJobRanData, scheduleStreams } from '@crm/events';
import type { Clock } from '../clock';
import type { CommandExecutor } from '../commands/command-executor';
import type { SqliteEventStore } from '../event-store/sqlite-event-store';
import { SYSTEM_ACTOR } from '../request-context/actor';
import { dueRun, type DueRun } from './job-due';
import { checkedRule, isValidZone, nextOccurrence, type Schedule } from './schedule-rule';

/** How often the scheduler asks what is due; a job runs at most this late. */
export const SCHEDULER_TICK_MS = 15_000;

/** A job's answer: what it did, and an error when it failed (the run is then recorded as failed). */
export interface JobResult<R> {
  result: R;
  error?: string;
}

export interface ScheduledJob<R = unknown> {
  /** Names the job's stream (`schedule-<name>`): lower-case letters, digits and dashes. */
  name: string;
  /** Read at every tick, so a changed setting applies at once; null while the job is off. */
  schedule(): Schedule | null;
  /** Occurrences at or before this (UTC ms) were never promised: when the setting took effect. */
  notBefore?(): number | null;
  /** True when an occurrence needs no run after all (the work was done since by other means). */
  satisfied?(scheduledFor: number): boolean;
  /** A failed run is tried again for the same occurrence after this long; absent: never. */
  retryAfterMs?: number;
  run(due: DueRun): Promise<JobResult<R>>;
}

/**
 * One scheduler for every job: on each tick (a UTC instant from the clock) it asks each job's rule,
 * in the job's zone, for the latest occurrence, and runs it unless a run of it is recorded. A run
 * is recorded as a `ScheduledJobRan` event on the job's stream, keyed by (job, occurrence, try),
 * so a missed occurrence is caught up once at the next start and never run twice.
 */
export class JobScheduler {
  private readonly logger = new Logger('Scheduler');
  private readonly jobs = new Map<string, ScheduledJob>();
  private readonly running = new Map<string, Promise<unknown>>();
  private timer: NodeJS.Timeout | null = null;
  private closed = false;

  constructor(
    private readonly store: SqliteEventStore,
    private readonly executor: CommandExecutor,
    private readonly clock: Clock,
  ) {}

  declare(job: ScheduledJob): void {
    if (!/^[a-z0-9][a-z0-9-]*$/.test(job.name))
      throw new Error(`"${job.name}" is not a job name (lower-case letters, digits and dashes)`);
    if (this.jobs.has(job.name)) throw new Error(`a job named "${job.name}" is declared already`);
    this.jobs.set(job.name, job);
  }

  /**
   * When the job runs next after `now`, from the same rule and zone its runs are due by; null while
   * it is off or not declared (its setting is off in this process).
   */
  nextRunAt(name: string, now = Date.parse(this.clock.now())): number | null {
    const schedule = this.jobs.get(name)?.schedule();
    return schedule ? nextOccurrence(schedule, now) : null;
  }

  /** Asks at once (a missed run is caught up now, in the background) and then every tick. */
  start(tickMs = SCHEDULER_TICK_MS): void {
    if (this.timer || this.closed) return;
    void this.tick();
    this.timer = setInterval(() => void this.tick(), tickMs);
    this.timer.unref();
  }

  /** Stops asking; tests that move the clock by hand call `runDue` themselves. */
  pause(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** A run in progress finishes and is recorded; nothing new starts. */
  async stop(): Promise<void> {
    this.closed = true;
    this.pause();
    await Promise.all([...this.running.values()].map((p) => p.catch(() => undefined)));
  }

  /** Runs every job that is due at `now`. */
  async tick(now = Date.parse(this.clock.now())): Promise<void> {
    await Promise.all([...this.jobs.keys()].map((name) => this.runDue(name, now)));
  }

  /** Runs the job if it is due at `now`; resolves to its result, or null when nothing ran. */
  async runDue<R>(name: string, now = Date.parse(this.clock.now())): Promise<R | null> {
    const job = this.jobs.get(name) as ScheduledJob<R> | undefined;
    if (!job) throw new Error(`no job is named "${name}"`);
    if (this.closed || this.running.has(name)) return null;
    let due: DueRun | null;
    try {
      due = this.dueOf(job, now);
    } catch (e) {
      this.logger.error(`the ${name} job's schedule could not be read: ${(e as Error).message}`);
      return null;
    }
    if (!due) return null;
    const run = this.runAndRecord(job, due);
    this.running.set(name, run);
    try {
      return await run;
    } finally {
      this.running.delete(name);
    }
  }

  private dueOf(job: ScheduledJob, now: number): DueRun | null {
    const schedule = job.schedule();
    if (!schedule) return null;
    checkedRule(schedule.rule);
    if (!isValidZone(schedule.zone)) throw new Error(`"${schedule.zone}" is not a time zone`);
    const due = dueRun({
      schedule,
      lastRun: this.lastRun(job.name),
      now,
      notBefore: job.notBefore?.() ?? null,
      retryAfterMs: job.retryAfterMs,
    });
    return due && !job.satisfied?.(due.scheduledFor) ? due : null;
  }

  private lastRun(name: string): ScheduledJobRanData | null {
    const stream = scheduleStreams.job(name);
    const version = this.store.streamInfo(stream).version;
    if (version === 0) return null;
    return this.store.readStream(stream, version)[0].data as ScheduledJobRanData;
  }

  private async runAndRecord<R>(job: ScheduledJob<R>, due: DueRun): Promise<R | null> {
    const startedAt = this.clock.now();
    let outcome: JobResult<R>;
    try {
      outcome = await job.run(due);
    } catch (e) {
      outcome = { result: null as R, error: (e as Error).message };
    }
    if (outcome.error) this.logger.error(`the ${job.name} job failed: ${outcome.error}`);
    await this.record(job.name, due, startedAt, outcome.error);
    return outcome.result;
  }

  /** Keyed by (job, occurrence, try): recorded once, also when two processes ran it. */
  private async record(name: string, due: DueRun, startedAt: string, error?: string) {
    const data: ScheduledJobRanData = {
      job: name,
      scheduled_for: new Date(due.scheduledFor).toISOString(),
      attempt: due.attempt,
      started_at: startedAt,
      finished_at: this.clock.now(),
      outcome: error === undefined ? 'succeeded' : 'failed',
      ...(error === undefined ? {} : { error }),
    };
    const stream = scheduleStreams.job(name);
    const key = `schedule/${name}/${data.scheduled_for}/${data.attempt}`;
    try {
      await this.executor.execute(
        { actor: SYSTEM_ACTOR, source: 'system' },
        (scope) =>
          scope.append({
            appends: [
              {
                stream_id: stream,
                expected_version: this.store.streamInfo(stream).version,
                events: [{ type: 'ScheduledJobRan', data }],
              },
            ],
            conflicts: [],
          }),
        { key, request: { job: name, scheduled_for: data.scheduled_for, attempt: data.attempt } },
      );
    } catch (e) {
      this.logger.error(`the ${name} job's run could not be recorded: ${(e as Error).message}`);
    }
  }
}
