export type DomainErrorCode =
  'validation' | 'not_found' | 'conflict' | 'forbidden' | 'illegal_state';

/**
 * Every reason a domain error can give, snake_case and stable: a client matches on these, never on
 * the message, so a reason is never renamed once shipped (add a new one instead).
 */
export const DOMAIN_ERROR_REASONS = [
  // One per code, when nothing more precise is known.
  'invalid_value',
  'not_found',
  'conflict',
  'forbidden',
  'illegal_state',
  // A value or option was refused.
  'not_an_object',
  'not_a_boolean',
  'nul_character',
  'too_deep',
  'too_large',
  'unknown_key',
  'summary_does_not_fit',
  'formula_too_costly',
  'unknown_user',
  // Someone else got there first.
  'cell_conflict',
  'stale_preview',
  'stale_plan',
  'email_taken',
  // Links that cannot be used.
  'invite_unknown',
  'invite_used',
  'invite_revoked',
  'invite_expired',
  'invite_email_mismatch',
  'setup_link_invalid',
  // Names that do not exist.
  'unknown_processor',
  // Automation rules and lists.
  'unknown_trigger',
  'unknown_action',
  'unknown_list',
  'unknown_time_zone',
  'field_of_another_table',
  'too_many_actions',
  'not_available_yet',
  // Reminders and logged interactions.
  'not_a_date',
  'date_in_the_past',
  'user_disabled',
  'wrong_table',
  'record_archived',
  'unknown_kind',
  'missing_value',
  // Moments in the log (as of a date, a period), and what a dashboard is asked about.
  'not_a_timestamp',
  'in_the_future',
  'before_first_event',
  'from_after_to',
  'unknown_fund',
  'unknown_table',
] as const;
export type DomainErrorReason = (typeof DOMAIN_ERROR_REASONS)[number];

const KNOWN_REASONS: ReadonlySet<string> = new Set(DOMAIN_ERROR_REASONS);

const REASON_OF_CODE: Record<DomainErrorCode, DomainErrorReason> = {
  validation: 'invalid_value',
  not_found: 'not_found',
  conflict: 'conflict',
  forbidden: 'forbidden',
  illegal_state: 'illegal_state',
};

/** The reason given, else a known `details.reason` (kept there for older clients), else the code's own. */
function reasonOf(
  code: DomainErrorCode,
  details: Record<string, unknown>,
  given: DomainErrorReason | undefined,
): DomainErrorReason {
  if (given !== undefined) return given;
  const inDetails = details.reason;
  if (typeof inDetails === 'string' && KNOWN_REASONS.has(inDetails))
    return inDetails as DomainErrorReason;
  return REASON_OF_CODE[code];
}

/**
 * A rule of the domain was broken; the code decides the HTTP status, the details name the field and
 * the reason says which rule, for a client to match on.
 */
export class DomainError extends Error {
  readonly reason: DomainErrorReason;

  constructor(
    readonly code: DomainErrorCode,
    message: string,
    readonly details: Record<string, unknown> = {},
    reason?: DomainErrorReason,
  ) {
    super(message);
    this.name = 'DomainError';
    this.reason = reasonOf(code, details, reason);
  }
}

export const invalid = (
  message: string,
  details: Record<string, unknown> = {},
  reason?: DomainErrorReason,
) => new DomainError('validation', message, details, reason);
export const notFound = (message: string, details: Record<string, unknown> = {}) =>
  new DomainError('not_found', message, details);
export const illegal = (
  message: string,
  details: Record<string, unknown> = {},
  reason?: DomainErrorReason,
) => new DomainError('illegal_state', message, details, reason);
