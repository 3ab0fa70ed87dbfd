import { ApiError, NetworkError } from '../../app/http';

/** What a form shows for a refusal: the API's message, and which of its fields the API named. */
export interface FormProblem {
  message: string;
  /** The field the API named (`details.field`), for `aria-invalid`; null for the form as a whole. */
  field: string | null;
}

/**
 * A refusal as a form shows it, decided by the answer's `reason` (its message is for people and may
 * be reworded): a bad value names its field; a refusal by rights says who may; anything else as told.
 */
export function formProblemOf(e: unknown): FormProblem {
  if (e instanceof NetworkError)
    return { message: `Not saved: ${e.message}. Try again in a moment.`, field: null };
  if (!(e instanceof ApiError)) return { message: (e as Error).message, field: null };
  const field = typeof e.details.field === 'string' ? e.details.field : null;
  switch (e.reason) {
    case 'forbidden':
      return { message: `Not allowed: ${e.message}`, field: null };
    case 'not_found':
      return { message: `${e.message} (it may have been deleted meanwhile)`, field };
    default:
      return { message: e.message, field };
  }
}
