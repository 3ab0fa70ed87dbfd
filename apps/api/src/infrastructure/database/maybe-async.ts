/** Helpers for work that may answer with a value or with a promise (the unit of work's callers). */

export const isThenable = (v: unknown): v is PromiseLike<unknown> =>
  typeof (v as { then?: unknown } | null)?.then === 'function';

export const noop = (): undefined => undefined;

/** Runs `work` now and answers with a promise, also when it throws. */
export function settled<T>(work: () => T | Promise<T>): Promise<T> {
  try {
    return Promise.resolve(work());
  } catch (e) {
    return Promise.reject(e as Error);
  }
}
