import { type FieldDefinition } from '@crm/events';
import { foldText } from '../values/fold-text';
import { LISTS_FIELD_ID } from './view-config';
import { type RowAccess, type ViewEvalContext } from './view-rows';

/**
 * Sorting and grouping by the Lists column (the `lists` pseudo-field). A record's lists are read in
 * one fixed order: the pipeline's own lists first, as a partner works through them (Main,
 * Follow-up, Longshot, Graveyard), then the fund's lists by key, A to Z; `all` is left out (every
 * live record is in it). Records are compared by their first list in that order, then the next;
 * a record in no list is empty, first ascending and last descending, as empty cells are.
 */
export const LIST_SORT_ORDER: readonly string[] = ['main', 'follow_up', 'longshot', 'graveyard'];

/** The pseudo-field a sort or a group level on `lists` names. */
export const LISTS_FIELD: FieldDefinition = {
  id: LISTS_FIELD_ID,
  name: 'Lists',
  type: 'lists',
  options: {},
  role: null,
};

const rankOf = (list: string): string => {
  const at = LIST_SORT_ORDER.indexOf(list);
  // Built-in lists sort before any of the fund's, in their order; the fund's by key.
  return at >= 0 ? `0${at}` : `1${foldText(list)}`;
};

/** The record's lists in the sort order, `all` aside. */
export function orderedLists(lists: Iterable<string>): string[] {
  return [...lists]
    .filter((l) => l !== 'all')
    .map((l) => [rankOf(l), l] as const)
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .map(([, l]) => l);
}

/** The sort key of a record's lists (as orderedLists gives them): null for none. */
export function listsSortKey(v: unknown): string[] | null {
  if (!Array.isArray(v) || v.length === 0) return null;
  return (v as string[]).map(rankOf);
}

/**
 * A row accessor that also reads the `lists` pseudo-field: the row's lists, in the sort order, from
 * the context's `listsOf` (none without it or without the row's id).
 */
export function withLists<R>(access: RowAccess<R>, ctx: ViewEvalContext): RowAccess<R> {
  const { listsOf } = ctx;
  const id = access.id;
  if (!listsOf || !id) return access;
  return {
    ...access,
    value: (row, field) =>
      field.id === LISTS_FIELD_ID ? orderedLists(listsOf(id(row))) : access.value(row, field),
  };
}

/** Whether a view's ordering (sorts, group levels) names the Lists column. */
export const ordersByLists = (levels: readonly { field_id: string }[] | null | undefined) =>
  (levels ?? []).some((s) => s.field_id === LISTS_FIELD_ID);
