import { type CellValue, type FieldDefinition } from '@crm/events';
import { invalid } from '../errors';

/**
 * A people (`user`) field holds members of the team as a list of user ids, in the order they were
 * given: at most one unless the field's option `multiple` is on. Whether an id is a member of the
 * team is for the decider to check (it knows the accounts); here only the shape.
 */

/** A member of the team as a people field shows one: disabled members still show, greyed. */
export interface TeamMember {
  id: string;
  name: string;
  email: string;
  disabled: boolean;
}

/** The team as a decider or a formula reads it, by user id. */
export type TeamDirectory = (id: string) => TeamMember | undefined;

const USER_ID = /^usr[_A-Za-z0-9]{1,60}$/;

export const isMultipleUserField = (field: Pick<FieldDefinition, 'options'>): boolean =>
  field.options.multiple === true;

function refuse(field: FieldDefinition, given: unknown, expected: string): never {
  throw invalid(
    `field "${field.name}" (user) expects ${expected}; got ${JSON.stringify(given)?.slice(0, 60)}`,
    { field_id: field.id, field: field.name, type: field.type, given },
    'unknown_user',
  );
}

/** What a person or a client sent (an id, a list of ids, or nothing) as the stored list of ids. */
export function normalizeUserValue(field: FieldDefinition, raw: unknown): CellValue {
  if (raw === null || raw === undefined || raw === '') return [];
  const list = typeof raw === 'string' ? [raw] : raw;
  const multiple = isMultipleUserField(field);
  const what = multiple ? 'a list of user ids of the team' : 'one user id of the team';
  if (!Array.isArray(list)) refuse(field, raw, what);
  const bad = (list as unknown[]).find((x) => typeof x !== 'string' || !USER_ID.test(x));
  if (bad !== undefined) refuse(field, bad, what);
  const ids = [...new Set(list as string[])];
  if (!multiple && ids.length > 1) refuse(field, raw, 'one person (the field is not multiple)');
  if (ids.length > 100) refuse(field, raw, 'at most 100 people');
  return ids;
}

/** Refuses an id that names nobody of the team (the message names the field and the id). */
export function requireTeamMembers(
  field: FieldDefinition,
  ids: readonly string[],
  team: TeamDirectory,
  at: string,
): void {
  for (const id of ids)
    if (!team(id))
      throw invalid(
        `${at}: field "${field.name}" names ${id}, who is not a member of the team`,
        { field: at, field_id: field.id, given: id },
        'unknown_user',
      );
}

/** The people of a cell as a formula reads them: their names, joined with ", " (ids of unknown ones). */
export function userCellText(raw: unknown, team: TeamDirectory | undefined): string | null {
  const ids = Array.isArray(raw) ? raw : typeof raw === 'string' ? [raw] : [];
  const names = ids
    .filter((x): x is string => typeof x === 'string')
    .map((id) => team?.(id)?.name ?? id);
  return names.length ? names.join(', ') : null;
}
