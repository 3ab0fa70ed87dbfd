import { type FieldDefinition } from '@crm/events';
import { isDerivedType } from '../values/field-types';
import { isValidDate } from '../values/normalize';
import { bad, isObj } from './config-problem';
import {
  FILTER_LIMITS,
  FILTER_OPERATORS,
  type FilterCondition,
  type FilterGroup,
  filterKind,
  type FilterKind,
  type FilterOperator,
  isMeOperand,
  LIST_OPERATORS,
  LISTS_FIELD_ID,
  OPERATORS_BY_KIND,
  RELATIVE_DAYS,
} from './view-config';

/** Checking a view's filter: groups, conditions, and each condition's value against its field. */

const isBlankOperand = (v: unknown) =>
  v === null || v === undefined || v === '' || (Array.isArray(v) && v.length === 0);

function choicesOf(field: FieldDefinition): string[] {
  return ((field.options.choices as { name: string }[] | undefined) ?? []).map((c) => c.name);
}

const NEEDS_NO_VALUE: readonly FilterOperator[] = ['is_empty', 'is_not_empty'];

/** A condition's value being checked, and how a mistake in it is reported. */
interface ValueAt {
  path: string;
  field: FieldDefinition;
  operator: FilterOperator;
  value: unknown;
  /** The field as a message names it. */
  where: string;
}

function need(at: ValueAt, ok: boolean, what: string): void {
  if (!ok)
    bad(
      `${at.path}.value`,
      `${at.operator} on ${at.where} needs ${what}; got ${JSON.stringify(at.value)?.slice(0, 60)}`,
      { field_id: at.field.id, operator: at.operator },
    );
}

function notAChoice(at: ValueAt, choice: unknown): never {
  return bad(`${at.path}.value`, `"${choice}" is not a choice of ${at.where}`, {
    field_id: at.field.id,
    operator: at.operator,
  });
}

/** is_within: `{ direction: "past" | "next", days }`. */
function withinValue(at: ValueAt): unknown {
  const { value } = at;
  need(
    at,
    isObj(value) &&
      (value.direction === 'past' || value.direction === 'next') &&
      Number.isInteger(value.days) &&
      (value.days as number) >= 0 &&
      (value.days as number) <= 36_500,
    '{ direction: "past" | "next", days: a whole number }',
  );
  const v = value as { direction: string; days: number };
  return { direction: v.direction, days: v.days };
}

/** "Days since": a whole number of days (`Last contacted` is more than 30 days ago). */
function daysValue(at: ValueAt): unknown {
  need(
    at,
    Number.isInteger(at.value) && (at.value as number) >= 0 && (at.value as number) <= 36_500,
    'a whole number of days',
  );
  return at.value;
}

/** A day: YYYY-MM-DD, or one relative to today (`{ relative, days? }`). */
function dayValue(at: ValueAt): unknown {
  const { value } = at;
  if (typeof value === 'string') {
    need(at, isValidDate(value), 'a date as YYYY-MM-DD or { relative: "today" | … }');
    return value;
  }
  need(
    at,
    isObj(value) && (RELATIVE_DAYS as readonly unknown[]).includes(value.relative),
    `a date as YYYY-MM-DD or { relative: ${RELATIVE_DAYS.join(' | ')} }`,
  );
  const v = value as { relative: string; days?: unknown };
  if (v.relative === 'days_ago' || v.relative === 'days_from_now') {
    need(
      at,
      Number.isInteger(v.days) && (v.days as number) >= 0 && (v.days as number) <= 36_500,
      `{ relative: "${v.relative}", days: a whole number }`,
    );
    return { relative: v.relative, days: v.days };
  }
  return { relative: v.relative };
}

/** A list of texts (has_any_of…; `is` on a multiple select), choices of the field where it has them. */
function listValue(at: ValueAt, kind: FilterKind): unknown {
  const { value, field } = at;
  need(
    at,
    Array.isArray(value) &&
      value.length <= 1000 &&
      value.every((x) => typeof x === 'string' && x.length <= 200),
    'a list of texts',
  );
  if (kind === 'select' || kind === 'multi') {
    const known = new Set(choicesOf(field));
    const unknown = isDerivedType(field.type)
      ? undefined
      : (value as string[]).find((x) => !known.has(x));
    if (unknown !== undefined) notAChoice(at, unknown);
  }
  return [...new Set(value as string[])];
}

function textValue(at: ValueAt, kind: FilterKind): unknown {
  const { value, operator } = at;
  need(at, typeof value === 'string' && value.length <= 1000, 'a text');
  if (
    kind === 'select' &&
    (operator === 'is' || operator === 'is_not') &&
    !choicesOf(at.field).includes(value as string)
  )
    notAChoice(at, value);
  return value;
}

/** A person: a user id, or `{ me: true }` (the reader of the view); a list of them for has_any_of… */
function userValue(at: ValueAt): unknown {
  const one = (x: unknown) =>
    (typeof x === 'string' && x.length > 0 && x.length <= 64) || isMeOperand(x);
  const { value, operator } = at;
  if (operator === 'is' || operator === 'is_not') {
    need(at, one(value), 'a user id or { "me": true }');
    return isMeOperand(value) ? { me: true } : value;
  }
  need(
    at,
    Array.isArray(value) && value.length <= 1000 && value.every(one),
    'a list of user ids (or { "me": true })',
  );
  const list = (value as unknown[]).map((x) => (isMeOperand(x) ? { me: true } : x));
  return list.filter(
    (x, i) => list.findIndex((y) => JSON.stringify(y) === JSON.stringify(x)) === i,
  );
}

const takesList = (kind: FilterKind, operator: FilterOperator) =>
  operator === 'has_any_of' ||
  operator === 'has_all_of' ||
  operator === 'has_none_of' ||
  (kind === 'multi' && operator === 'is');

function checkValue(
  path: string,
  field: FieldDefinition,
  operator: FilterOperator,
  value: unknown,
): unknown {
  if (NEEDS_NO_VALUE.includes(operator)) return null;
  if (isBlankOperand(value)) return value === undefined ? null : value;
  const kind = filterKind(field);
  const at: ValueAt = {
    path,
    field,
    operator,
    value,
    where: `field "${field.name}" (${field.type})`,
  };
  switch (kind) {
    case 'number':
      need(at, typeof value === 'number' && Number.isFinite(value), 'a number');
      return value;
    case 'boolean':
      need(at, typeof value === 'boolean', 'true or false');
      return value;
    case 'date':
      if (operator === 'more_than_days_ago' || operator === 'less_than_days_ago')
        return daysValue(at);
      return operator === 'is_within' ? withinValue(at) : dayValue(at);
    case 'user':
      return userValue(at);
    default:
      return takesList(kind, operator) ? listValue(at, kind) : textValue(at, kind);
  }
}

interface Counter {
  conditions: number;
}

function checkGroup(
  path: string,
  raw: unknown,
  fields: Map<string, FieldDefinition>,
  depth: number,
  counter: Counter,
  stale: Set<string>,
): FilterGroup {
  if (!isObj(raw)) bad(path, 'a filter group is { conjunction: "and" | "or", conditions: [...] }');
  const g = raw as Record<string, unknown>;
  if (g.conjunction !== 'and' && g.conjunction !== 'or')
    bad(`${path}.conjunction`, 'must be "and" or "or"', { given: g.conjunction ?? null });
  if (!Array.isArray(g.conditions)) bad(`${path}.conditions`, 'must be a list');
  if (depth > FILTER_LIMITS.depth)
    bad(path, `filter groups nest at most ${FILTER_LIMITS.depth} levels deep`);
  const conditions: (FilterCondition | FilterGroup)[] = [];
  (g.conditions as unknown[]).forEach((c, i) => {
    const at = `${path}.conditions[${i}]`;
    if (isObj(c) && 'conjunction' in c) {
      conditions.push(checkGroup(at, c, fields, depth + 1, counter, stale));
      return;
    }
    if (++counter.conditions > FILTER_LIMITS.conditions)
      bad(path, `a view has at most ${FILTER_LIMITS.conditions} filter conditions`);
    if (!isObj(c)) bad(at, 'a condition is { field_id, operator, value }');
    const cond = c as Record<string, unknown>;
    if (cond.field_id === LISTS_FIELD_ID) {
      conditions.push(checkListCondition(at, cond));
      return;
    }
    const field = typeof cond.field_id === 'string' ? fields.get(cond.field_id) : undefined;
    if (!field) {
      // A condition saved before its field was removed is dropped quietly; a new one is a mistake.
      if (stale.has(JSON.stringify(c))) return;
      bad(`${at}.field_id`, `unknown field ${JSON.stringify(cond.field_id ?? null)}`, {
        given: cond.field_id ?? null,
      });
    }
    if (!(FILTER_OPERATORS as readonly unknown[]).includes(cond.operator))
      bad(
        `${at}.operator`,
        `unknown operator ${JSON.stringify(cond.operator ?? null)}; use one of ${FILTER_OPERATORS.join(', ')}`,
      );
    const operator = cond.operator as FilterOperator;
    const fits = OPERATORS_BY_KIND[filterKind(field!)];
    if (!fits.includes(operator)) {
      if (stale.has(JSON.stringify(c))) return;
      bad(
        `${at}.operator`,
        `"${operator}" does not fit field "${field!.name}" (${field!.type}); use one of ${fits.join(', ')}`,
        { field_id: field!.id, operator },
      );
    }
    conditions.push({
      field_id: field!.id,
      operator,
      value: checkValue(at, field!, operator, cond.value),
    });
  });
  return { conjunction: g.conjunction as 'and' | 'or', conditions };
}

/** `{ field_id: "lists", operator: "in_list" | "not_in_list", value: <list key> }`. */
function checkListCondition(at: string, cond: Record<string, unknown>): FilterCondition {
  if (!(LIST_OPERATORS as readonly unknown[]).includes(cond.operator))
    bad(
      `${at}.operator`,
      `lists take ${LIST_OPERATORS.join(' or ')}; ${JSON.stringify(cond.operator ?? null)} does not fit`,
      { operator: cond.operator ?? null },
    );
  const v = cond.value;
  if (typeof v !== 'string' || !/^[a-z0-9_]{1,64}$/.test(v))
    bad(`${at}.value`, 'a list condition names one list by its key (main, follow_up, …)', {
      given: v ?? null,
    });
  return { field_id: LISTS_FIELD_ID, operator: cond.operator as FilterOperator, value: v };
}

function conditionsOf(group: unknown, out = new Set<string>()): Set<string> {
  if (!isObj(group) || !Array.isArray(group.conditions)) return out;
  for (const c of group.conditions) {
    if (isObj(c) && 'conjunction' in c) conditionsOf(c, out);
    else out.add(JSON.stringify(c));
  }
  return out;
}

/**
 * A view's filter in canonical form. Conditions the view already had (`previous`) whose field or
 * operator no longer fits are dropped; new ones that do not fit are refused.
 */
export function checkFilters(
  raw: unknown,
  fields: Map<string, FieldDefinition>,
  previous: unknown,
): FilterGroup {
  return checkGroup('filters', raw, fields, 1, { conditions: 0 }, conditionsOf(previous));
}
