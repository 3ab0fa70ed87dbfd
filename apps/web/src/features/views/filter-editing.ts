import {
  type FilterCondition,
  type FilterGroup,
  filterKind,
  type FilterKind,
  type FilterOperator,
  isGroup,
  isListCondition,
  type LIST_OPERATORS,
  LISTS_FIELD_ID,
  OPERATORS_BY_KIND,
} from '@crm/domain';
import type { FieldDefinition } from '@crm/events';

/**
 * Editing a view's filters: immutable updates of the nested groups, the words people see for each
 * operator, and what kind of value box a condition needs. Pure, so the filter builder stays thin.
 */

export const OPERATOR_LABELS: Record<FilterOperator, string> = {
  is: 'is',
  is_not: 'is not',
  contains: 'contains',
  does_not_contain: 'does not contain',
  is_empty: 'is empty',
  is_not_empty: 'is not empty',
  '=': '=',
  '!=': '≠',
  '<': '<',
  '<=': '≤',
  '>': '>',
  '>=': '≥',
  is_before: 'is before',
  is_after: 'is after',
  is_on: 'is on',
  is_within: 'is within',
  more_than_days_ago: 'is more than … days ago',
  less_than_days_ago: 'is less than … days ago',
  has_any_of: 'has any of',
  has_all_of: 'has all of',
  has_none_of: 'has none of',
  in_list: 'is in list',
  not_in_list: 'is not in list',
};

/** The value box a condition shows. */
export type ValueInput =
  | 'none'
  | 'text'
  | 'number'
  | 'boolean'
  | 'choice'
  | 'choices'
  | 'date'
  | 'within'
  | 'person'
  | 'people';

export function valueInputFor(field: FieldDefinition, operator: FilterOperator): ValueInput {
  if (operator === 'is_empty' || operator === 'is_not_empty') return 'none';
  const kind: FilterKind = filterKind(field);
  switch (kind) {
    case 'number':
      return 'number';
    case 'boolean':
      return 'boolean';
    case 'date':
      if (operator === 'more_than_days_ago' || operator === 'less_than_days_ago') return 'number';
      return operator === 'is_within' ? 'within' : 'date';
    case 'select':
      return operator === 'is' || operator === 'is_not' ? 'choice' : 'choices';
    case 'multi':
      return operator === 'contains' || operator === 'does_not_contain'
        ? 'text'
        : field.type === 'formula'
          ? 'text'
          : 'choices';
    case 'link':
      return operator === 'contains' || operator === 'does_not_contain' ? 'text' : 'choices';
    case 'user':
      return operator === 'is' || operator === 'is_not' ? 'person' : 'people';
    default:
      return 'text';
  }
}

export const choicesOf = (field: FieldDefinition): string[] =>
  ((field.options.choices as { name: string }[] | undefined) ?? []).map((c) => c.name);

/** A new condition on a field: its first operator and an empty value (ignored until filled in). */
export function newCondition(field: FieldDefinition): FilterCondition {
  const operator = OPERATORS_BY_KIND[filterKind(field)][0];
  return { field_id: field.id, operator, value: defaultValue(field, operator) };
}

export function defaultValue(field: FieldDefinition, operator: FilterOperator): unknown {
  switch (valueInputFor(field, operator)) {
    case 'boolean':
      return true;
    case 'choices':
    case 'people':
      return [];
    case 'within':
      return { direction: 'past', days: 7 };
    default:
      return null;
  }
}

/** A list a condition may name: its key and the name people see. */
export interface ListChoice {
  list: string;
  name: string;
}

/** The list operators as the builder words them: "Lists contains Follow-up". */
export const LIST_OPERATOR_LABELS: Record<(typeof LIST_OPERATORS)[number], string> = {
  in_list: 'contains',
  not_in_list: 'does not contain',
};

/**
 * A condition on the record's lists (the `lists` pseudo-field), naming the first list offered;
 * a list condition with no list would be refused, so there is always one.
 */
export function newListCondition(lists: readonly ListChoice[]): FilterCondition | null {
  const first = lists.find((l) => l.list !== 'all') ?? lists[0];
  return first ? { field_id: LISTS_FIELD_ID, operator: 'in_list', value: first.list } : null;
}

/** The condition moved to the lists, or from the lists to a field (which starts it over). */
export function withFieldOrLists(
  c: FilterCondition,
  target: FieldDefinition | typeof LISTS_FIELD_ID,
  before: FieldDefinition | undefined,
  lists: readonly ListChoice[],
): FilterCondition | null {
  if (target === LISTS_FIELD_ID) return isListCondition(c) ? c : newListCondition(lists);
  return isListCondition(c) ? newCondition(target) : withField(c, target, before);
}

/** The condition with another field (operator and value start over when the kind changes). */
export function withField(
  c: FilterCondition,
  field: FieldDefinition,
  before: FieldDefinition | undefined,
): FilterCondition {
  if (
    before &&
    filterKind(before) === filterKind(field) &&
    OPERATORS_BY_KIND[filterKind(field)].includes(c.operator)
  ) {
    return {
      ...c,
      field_id: field.id,
      value:
        valueInputFor(field, c.operator) === valueInputFor(before, c.operator)
          ? c.value
          : defaultValue(field, c.operator),
    };
  }
  return newCondition(field);
}

export function withOperator(
  c: FilterCondition,
  field: FieldDefinition,
  operator: FilterOperator,
): FilterCondition {
  const keep = valueInputFor(field, operator) === valueInputFor(field, c.operator);
  return { ...c, operator, value: keep ? c.value : defaultValue(field, operator) };
}

/** The kinds of date a date condition offers, with their words. */
export const DATE_MODES: readonly (readonly [string, string])[] = [
  ['today', 'today'],
  ['tomorrow', 'tomorrow'],
  ['yesterday', 'yesterday'],
  ['one_week_ago', 'one week ago'],
  ['one_week_from_now', 'one week from now'],
  ['one_month_ago', 'one month ago'],
  ['one_month_from_now', 'one month from now'],
  ['days_ago', 'number of days ago'],
  ['days_from_now', 'number of days from now'],
  ['exact', 'exact date'],
];

/** Which kind of date a date condition names: a relative day (`today`, `days_ago`…) or `exact`. */
export function dateMode(v: unknown): string {
  if (typeof v === 'string') return 'exact';
  return (v as { relative?: string } | null)?.relative ?? 'exact';
}

/** A date condition's value once its kind of date is picked (an exact date is kept). */
export function dateValueFor(mode: string, current: unknown): unknown {
  if (mode === 'exact') return typeof current === 'string' ? current : null;
  return mode === 'days_ago' || mode === 'days_from_now'
    ? { relative: mode, days: 7 }
    : { relative: mode };
}

/** A path to a node inside the filter: indexes of conditions, group by group. */
export type FilterPath = number[];

export function updateAt(
  group: FilterGroup,
  path: FilterPath,
  update: (node: FilterCondition | FilterGroup) => FilterCondition | FilterGroup | null,
): FilterGroup {
  if (path.length === 0) throw new Error('the root group is replaced, not updated');
  const [i, ...rest] = path;
  const conditions = [...group.conditions];
  if (rest.length === 0) {
    const next = update(conditions[i]);
    if (next === null) conditions.splice(i, 1);
    else conditions[i] = next;
  } else {
    const child = conditions[i];
    if (!isGroup(child)) return group;
    conditions[i] = updateAt(child, rest, update);
  }
  return { ...group, conditions };
}

export function appendTo(
  group: FilterGroup,
  path: FilterPath,
  node: FilterCondition | FilterGroup,
): FilterGroup {
  if (path.length === 0) return { ...group, conditions: [...group.conditions, node] };
  return updateAt(group, path, (g) =>
    isGroup(g) ? { ...g, conditions: [...g.conditions, node] } : g,
  );
}

/** How many conditions a filter holds, groups included in the count of their conditions. */
export function conditionCount(group: FilterGroup | null | undefined): number {
  if (!group) return 0;
  return group.conditions.reduce((n, c) => n + (isGroup(c) ? conditionCount(c) : 1), 0);
}

export const MAX_GROUP_DEPTH = 3;
