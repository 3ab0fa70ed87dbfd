import { type FieldDefinition } from '@crm/events';
import { LISTS_FIELD_ID } from '../filter/view-config';

/**
 * `{Lists}` in a formula: the lists the record is in, by key (`main`, `follow_up`…; `all` aside),
 * read as a list of texts, so that `FIND("follow_up", {Lists})` tells whether it is in Follow-up.
 * It is not a field: the read models put the record's lists under this id when a formula reads
 * them, and recompute those formulas when the record moves into or out of a list. A field of the
 * table named "Lists" takes the name first.
 */
export const LISTS_REF: FieldDefinition = {
  id: LISTS_FIELD_ID,
  name: 'Lists',
  type: 'multiple_select',
  options: {},
  role: null,
};

/** The record's lists as a formula reads them: keys in a stable order, `all` left out. */
export const listsValue = (lists: Iterable<string>): string[] =>
  [...lists].filter((l) => l !== 'all').sort();
