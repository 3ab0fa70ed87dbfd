import { type FieldDefinition, type ViewConfig } from '@crm/events';
import { invalid } from '../errors';
import { isValidDate } from '../values/normalize';
import { checkSummaries } from './column-summary';
import {
  FILTER_LIMITS,
  FILTER_OPERATORS,
  type FilterCondition,
  type FilterGroup,
  filterKind,
  type FilterOperator,
  isGroup,
  OPERATORS_BY_KIND,
  RELATIVE_DAYS,
  ROW_HEIGHTS,
  VIEW_CONFIG_MAX_DEPTH,
  VIEW_SETTING_KEYS,
  type ViewSort,
} from './view-config';

const isObj = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);
const isBlankOperand = (v: unknown) =>
  v === null || v === undefined || v === '' || (Array.isArray(v) && v.length === 0);

function bad(path: string, message: string, details: Record<string, unknown> = {}): never {
  throw invalid(`${path}: ${message}`, { field: path, reason: 'invalid_value', ...details });
}

function choicesOf(field: FieldDefinition): string[] {
  return ((field.options.choices as { name: string }[] | undefined) ?? []).map((c) => c.name);
}

const NEEDS_NO_VALUE: readonly FilterOperator[] = ['is_empty', 'is_not_empty'];

function checkValue(
  path: string,
  field: FieldDefinition,
  operator: FilterOperator,
  value: unknown,
): unknown {
  if (NEEDS_NO_VALUE.includes(operator)) return null;
  if (isBlankOperand(value)) return value === undefined ? null : value;
  const kind = filterKind(field);
  const where = `field "${field.name}" (${field.type})`;
  const need = (ok: boolean, what: string) => {
    if (!ok)
      bad(
        `${path}.value`,
        `${operator} on ${where} needs ${what}; got ${JSON.stringify(value)?.slice(0, 60)}`,
        { field_id: field.id, operator },
      );
  };
  const list =
    operator === 'has_any_of' ||
    operator === 'has_all_of' ||
    operator === 'has_none_of' ||
    (kind === 'multi' && operator === 'is');
  switch (kind) {
    case 'number':
      need(typeof value === 'number' && Number.isFinite(value), 'a number');
      return value;
    case 'boolean':
      need(typeof value === 'boolean', 'true or false');
      return value;
    case 'date': {
      if (operator === 'is_within') {
        need(
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
      if (typeof value === 'string') {
        need(isValidDate(value), 'a date as YYYY-MM-DD or { relative: "today" | … }');
        return value;
      }
      need(
        isObj(value) && (RELATIVE_DAYS as readonly unknown[]).includes(value.relative),
        `a date as YYYY-MM-DD or { relative: ${RELATIVE_DAYS.join(' | ')} }`,
      );
      const v = value as { relative: string; days?: unknown };
      if (v.relative === 'days_ago' || v.relative === 'days_from_now') {
        need(
          Number.isInteger(v.days) && (v.days as number) >= 0 && (v.days as number) <= 36_500,
          `{ relative: "${v.relative}", days: a whole number }`,
        );
        return { relative: v.relative, days: v.days };
      }
      return { relative: v.relative };
    }
    default: {
      if (list) {
        need(
          Array.isArray(value) &&
            value.length <= 1000 &&
            value.every((x) => typeof x === 'string' && x.length <= 200),
          'a list of texts',
        );
        if (kind === 'select' || kind === 'multi') {
          const known = new Set(choicesOf(field));
          const unknown =
            field.type === 'formula' ? undefined : (value as string[]).find((x) => !known.has(x));
          if (unknown !== undefined)
            bad(`${path}.value`, `"${unknown}" is not a choice of ${where}`, {
              field_id: field.id,
              operator,
            });
        }
        return [...new Set(value as string[])];
      }
      need(typeof value === 'string' && value.length <= 1000, 'a text');
      if (
        kind === 'select' &&
        (operator === 'is' || operator === 'is_not') &&
        !choicesOf(field).includes(value as string)
      ) {
        bad(`${path}.value`, `"${value}" is not a choice of ${where}`, {
          field_id: field.id,
          operator,
        });
      }
      return value;
    }
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

function conditionsOf(group: unknown, out = new Set<string>()): Set<string> {
  if (!isObj(group) || !Array.isArray(group.conditions)) return out;
  for (const c of group.conditions) {
    if (isObj(c) && 'conjunction' in c) conditionsOf(c, out);
    else out.add(JSON.stringify(c));
  }
  return out;
}

/** The path of the first value nested deeper than the limit, or null (iterative: a hostile depth cannot overflow the stack). */
function tooDeep(root: unknown, max: number): string | null {
  const stack: { value: unknown; path: string; depth: number }[] = [
    { value: root, path: 'config', depth: 1 },
  ];
  while (stack.length) {
    const { value, path, depth } = stack.pop()!;
    if (value === null || typeof value !== 'object') continue;
    if (depth > max) return path;
    if (Array.isArray(value))
      value.forEach((v, i) => stack.push({ value: v, path: `${path}[${i}]`, depth: depth + 1 }));
    else
      for (const [k, v] of Object.entries(value))
        stack.push({ value: v, path: `${path}.${k}`, depth: depth + 1 });
  }
  return null;
}

/**
 * The shape of a view's config before its settings are read: an object, nested at most
 * VIEW_CONFIG_MAX_DEPTH levels, and (for people's saves) holding only known settings. A key the view
 * already had is kept, so a view saved by an older version can still be saved as it is.
 */
export function checkViewConfigShape(
  raw: unknown,
  previous: ViewConfig | null | undefined,
  options: { knownKeysOnly: boolean },
): void {
  if (!isObj(raw)) bad('config', 'must be an object', { reason: 'not_an_object' });
  const deep = tooDeep(raw, VIEW_CONFIG_MAX_DEPTH);
  if (deep !== null)
    bad(
      deep.length > 200 ? `${deep.slice(0, 200)}…` : deep,
      `nests deeper than ${VIEW_CONFIG_MAX_DEPTH} levels; a view's settings are never that deep`,
      { reason: 'too_deep', max_depth: VIEW_CONFIG_MAX_DEPTH },
    );
  if (!options.knownKeysOnly) return;
  const known = new Set<string>(VIEW_SETTING_KEYS);
  for (const key of Object.keys(raw as object)) {
    if (known.has(key) || (previous && key in previous)) continue;
    bad(`config.${key}`, `is not a view setting; use ${VIEW_SETTING_KEYS.join(', ')}`, {
      reason: 'unknown_key',
    });
  }
}

const uniqueKnownIds = (
  path: string,
  raw: unknown,
  fields: Map<string, FieldDefinition>,
): string[] => {
  if (!Array.isArray(raw) || raw.some((x) => typeof x !== 'string'))
    bad(path, 'must be a list of field ids');
  // Layout lists outlive fields: ids of removed fields are dropped rather than refused.
  return [...new Set((raw as string[]).filter((id) => fields.has(id)))];
};

/**
 * Checks a view's settings against its table's fields and returns them in canonical form. Filters
 * and sorts must name existing fields, with operators and values that fit each field's type; a
 * mistake is a validation error naming its path (`filters.conditions[1].operator`). Conditions and
 * sorts the view already had whose field has since been removed are dropped, not refused, so that
 * saving a layout change never fails because of someone else's schema change.
 */
export function validateViewConfig(
  raw: ViewConfig,
  tableFields: readonly FieldDefinition[],
  previous?: ViewConfig | null,
): ViewConfig {
  if (!isObj(raw)) bad('config', 'must be an object');
  const fields = new Map(tableFields.map((f) => [f.id, f]));
  const out: ViewConfig = { ...raw };
  if ('filters' in raw && raw.filters !== undefined) {
    out.filters =
      raw.filters === null
        ? null
        : checkGroup(
            'filters',
            raw.filters,
            fields,
            1,
            { conditions: 0 },
            conditionsOf(previous?.filters),
          );
  }
  if ('sorts' in raw && raw.sorts !== undefined) {
    if (!Array.isArray(raw.sorts)) bad('sorts', 'must be a list of { field_id, direction }');
    if ((raw.sorts as unknown[]).length > FILTER_LIMITS.sorts)
      bad('sorts', `a view sorts by at most ${FILTER_LIMITS.sorts} fields`);
    const before = new Set(
      Array.isArray(previous?.sorts)
        ? (previous!.sorts as unknown[]).map((s) => JSON.stringify(s))
        : [],
    );
    const sorts: ViewSort[] = [];
    (raw.sorts as unknown[]).forEach((s, i) => {
      const at = `sorts[${i}]`;
      if (!isObj(s)) bad(at, 'a sort is { field_id, direction: "asc" | "desc" }');
      const field = typeof s.field_id === 'string' ? fields.get(s.field_id) : undefined;
      if (!field) {
        if (before.has(JSON.stringify(s))) return;
        bad(`${at}.field_id`, `unknown field ${JSON.stringify(s.field_id ?? null)}`, {
          given: s.field_id ?? null,
        });
      }
      if (s.direction !== 'asc' && s.direction !== 'desc')
        bad(`${at}.direction`, 'must be "asc" or "desc"', { given: s.direction ?? null });
      if (sorts.some((x) => x.field_id === field!.id))
        bad(`${at}.field_id`, `the view already sorts by "${field!.name}"`);
      sorts.push({ field_id: field!.id, direction: s.direction as 'asc' | 'desc' });
    });
    out.sorts = sorts;
  }
  if ('hidden_fields' in raw && raw.hidden_fields !== undefined)
    out.hidden_fields = uniqueKnownIds('hidden_fields', raw.hidden_fields, fields);
  if ('field_order' in raw && raw.field_order !== undefined)
    out.field_order = uniqueKnownIds('field_order', raw.field_order, fields);
  if ('field_widths' in raw && raw.field_widths !== undefined) {
    if (!isObj(raw.field_widths))
      bad('field_widths', 'must be an object of field id → width in pixels');
    const widths: Record<string, number> = {};
    for (const [id, w] of Object.entries(raw.field_widths)) {
      if (typeof w !== 'number' || !Number.isFinite(w))
        bad(`field_widths.${id}`, 'must be a number of pixels');
      if (fields.has(id))
        widths[id] = Math.round(
          Math.min(FILTER_LIMITS.widthMax, Math.max(FILTER_LIMITS.widthMin, w)),
        );
    }
    out.field_widths = widths;
  }
  if ('frozen_columns' in raw && raw.frozen_columns !== undefined) {
    const n = raw.frozen_columns;
    if (!Number.isInteger(n) || (n as number) < 0 || (n as number) > FILTER_LIMITS.frozenColumns)
      bad('frozen_columns', `must be a whole number from 0 to ${FILTER_LIMITS.frozenColumns}`, {
        given: n ?? null,
      });
  }
  if (
    'row_height' in raw &&
    raw.row_height !== undefined &&
    !(ROW_HEIGHTS as readonly unknown[]).includes(raw.row_height)
  ) {
    bad('row_height', `must be one of ${ROW_HEIGHTS.join(', ')}`, {
      given: raw.row_height ?? null,
    });
  }
  if ('summaries' in raw && raw.summaries !== undefined)
    out.summaries = checkSummaries(raw.summaries, fields);
  for (const key of ['personal', 'locked', 'default'] as const) {
    if (key in raw && raw[key] !== undefined && typeof raw[key] !== 'boolean')
      bad(key, 'must be true or false', { given: raw[key] ?? null });
  }
  return out;
}

/** A filter's conditions, depth first (for listing the fields a view reads). */
export function filterConditions(group: FilterGroup | null | undefined): FilterCondition[] {
  if (!group) return [];
  return group.conditions.flatMap((c) => (isGroup(c) ? filterConditions(c) : [c]));
}
