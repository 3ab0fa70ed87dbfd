import { DomainError } from '../errors';

/**
 * Runs `fn` and returns the DomainError it throws, so a spec can assert its code, message and details.
 * Anything else (no error, or another kind) fails the spec with the reason.
 */
export function domainErrorOf(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (e) {
    if (e instanceof DomainError) return e;
    throw new Error(
      `expected a DomainError, got ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`,
      { cause: e },
    );
  }
  throw new Error('expected a DomainError, but nothing was thrown');
}
