export type DomainErrorCode =
  'validation' | 'not_found' | 'conflict' | 'forbidden' | 'illegal_state';

/** A rule of the domain was broken; the code decides the HTTP status, the details name the field. */
export class DomainError extends Error {
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const invalid = (message: string, details: Record<string, unknown> = {}) =>
  new DomainError('validation', message, details);
export const notFound = (message: string, details: Record<string, unknown> = {}) =>
  new DomainError('not_found', message, details);
export const illegal = (message: string, details: Record<string, unknown> = {}) =>
  new DomainError('illegal_state', message, details);
