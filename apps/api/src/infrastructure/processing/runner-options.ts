import type { ProcessorStatus } from './processor-checkpoints.repository';

/** How the processor runner retries, saves its checkpoints and times its slices. */
export interface RunnerOptions {
  /** Failures of one event in a row after which the processor stops as `failed`. */
  maxFailures: number;
  /** The first retry's delay; each next one doubles, up to `retryMaxMs`. */
  retryFirstMs: number;
  retryMaxMs: number;
  /**
   * How often a moved checkpoint is saved. Saving it after every event would add a write (and an
   * fsync) per commit; an event handled again after a crash is harmless (its commands answer
   * from the idempotency ledger), so the checkpoint is saved at most this often, and at once on
   * a failure, a pause, a resume and at shutdown.
   */
  saveEveryMs: number;
  /** The clock a drain's slices are timed by (milliseconds, monotonic). */
  now: () => number;
}

export const DEFAULT_RUNNER_OPTIONS: RunnerOptions = {
  maxFailures: 5,
  retryFirstMs: 100,
  retryMaxMs: 30_000,
  saveEveryMs: 1_000,
  now: () => performance.now(),
};

export interface ProcessorState {
  name: string;
  checkpoint: number;
  head: number;
  lag: number;
  status: ProcessorStatus;
  last_error: string | null;
  last_error_at: string | null;
}
