/**
 * A reason the server cannot start that its operator can act on (a data directory it cannot write,
 * an upgrade that failed): main.ts prints the message alone, with no stack trace, and exits non-zero.
 */
export class StartupError extends Error {
  constructor(
    readonly reason: 'data_dir_unusable' | 'upgrade_backup_failed' | 'upgrade_failed',
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'StartupError';
  }
}
