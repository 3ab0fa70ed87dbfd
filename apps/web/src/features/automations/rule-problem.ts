import { ApiError, NetworkError } from '../../app/http';

/** A refused draft as the editor shows it: what to do, and which part of the rule (`actions[0].title`). */
export interface RuleProblem {
  message: string;
  part: string | null;
}

/**
 * Words for the refusals a person can fix in the editor, chosen by the answer's `reason` (never its
 * text); any other refusal is shown as the API words it.
 */
const BY_REASON: Partial<Record<string, (part: string) => string>> = {
  wrong_table: () => 'A reminder is for an investor or a contact: pick one of those tables.',
  unknown_user: () => 'Remind the record’s Owner or a member of the team.',
  user_disabled: () => 'That member can no longer sign in: remind someone else.',
  too_large: (part) =>
    part.endsWith('.title') ? 'A reminder’s title is at most 500 characters.' : '',
  too_many_actions: () => 'A rule does at most 20 things.',
  unknown_time_zone: () => 'That time zone is unknown: write it as Europe/Zurich.',
};

/** The few parts of a create_reminder action, by what is wrong with them. */
function reminderPart(part: string, message: string): string {
  if (part.endsWith('.due_in_days')) return 'Due in: a whole number of days, from 0 to 3650.';
  if (part.endsWith('.title')) return 'The reminder needs a title.';
  return message;
}

export function ruleProblemOf(e: unknown): RuleProblem {
  if (e instanceof NetworkError) return { message: `Not checked: ${e.message}`, part: null };
  if (!(e instanceof ApiError)) return { message: (e as Error).message, part: null };
  // The dry run checks a draft sent as `{ rule }`, so it names `rule.actions[0].title`.
  const part = typeof e.details.field === 'string' ? e.details.field.replace(/^rule\./, '') : null;
  const worded = BY_REASON[e.reason ?? '']?.(part ?? '');
  if (worded) return { message: worded, part };
  if (e.reason === 'invalid_value' && part && /^actions\[\d+\]\.(due_in_days|title)$/.test(part))
    return { message: reminderPart(part, e.message), part };
  return { message: e.message, part };
}
