/** Raised when a stream is not at the version the writer expected. */
export class WrongExpectedVersionError extends Error {
  readonly code = 'conflict';
  constructor(
    readonly stream_id: string,
    readonly expected_version: number,
    readonly current_version: number,
    readonly updated_at: string | null,
    readonly updated_by: string | null,
  ) {
    super(`stream ${stream_id} is at version ${current_version}, expected ${expected_version}`);
    this.name = 'WrongExpectedVersionError';
  }
}

/** Raised when an idempotency key is reused for a different request. */
export class IdempotencyKeyReusedError extends Error {
  readonly code = 'conflict';
  constructor(readonly key: string) {
    super(`idempotency key ${key} was already used for a different request`);
    this.name = 'IdempotencyKeyReusedError';
  }
}
