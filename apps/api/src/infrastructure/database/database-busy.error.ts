/**
 * Another process held the database's write lock for longer than `CRM_BUSY_TIMEOUT_MS`; nothing of
 * the request was written. Answered with 503 and `Retry-After`.
 */
export class DatabaseBusyError extends Error {
  readonly reason = 'database_busy';

  constructor(readonly waitedMs: number) {
    super(
      `the database is busy (another process holds its write lock); nothing was saved; try again in a moment`,
    );
  }
}

/** SQLITE_BUSY and its extended codes: the lock was not free, the transaction did not start or was rolled back. */
export const isBusy = (e: unknown): boolean =>
  typeof (e as { code?: unknown })?.code === 'string' &&
  (e as { code: string }).code.startsWith('SQLITE_BUSY');
