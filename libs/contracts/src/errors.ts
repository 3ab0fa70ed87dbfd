import type { DomainErrorReason } from '@crm/domain';

/** Reasons given by the HTTP layer itself (authentication, limits, the body, the database). */
export type HttpErrorReason =
  | 'validation_failed'
  | 'bad_request'
  | 'unauthenticated'
  | 'forbidden'
  | 'not_found'
  | 'method_not_allowed'
  | 'conflict'
  | 'wrong_expected_version'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'invalid_json'
  | 'invalid_utf8'
  | 'forbidden_key'
  | 'too_deep'
  | 'idempotency_key_reused'
  | 'unprocessable'
  | 'rate_limited'
  | 'too_many_streams'
  | 'token_malformed'
  | 'token_unknown'
  | 'token_expired'
  | 'token_revoked'
  | 'token_owner_disabled'
  | 'token_read_only'
  | 'database_busy'
  | 'disk_full'
  | 'internal_error';

/**
 * Every `reason` an error body can carry: snake_case and stable, for clients to match on (the
 * message is for people and may be reworded).
 */
export type ErrorReason = DomainErrorReason | HttpErrorReason;

/** The body of every error answer of the API. */
export interface ErrorBody {
  statusCode: number;
  /** The HTTP status phrase ("Bad Request"). */
  error: string;
  /** For people: says what was wrong and what to do. */
  message: string;
  /** For programs: which rule refused the request. */
  reason: ErrorReason;
  /** Names the field (`field`) and the values involved; some routes keep an older `reason` here. */
  details?: Record<string, unknown>;
}
