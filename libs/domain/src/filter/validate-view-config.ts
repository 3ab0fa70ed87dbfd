import { type FieldDefinition, type ViewConfig } from '@crm/events';
import { checkSummaries } from './column-summary';
import { bad, isObj } from './config-problem';
import { LISTS_FIELD } from './list-order';
import { checkFilters } from './validate-filter';
import { checkCollapsedGroups, checkGroupBy, checkKanban, checkViewType } from './validate-layout';
import {
  FILTER_LIMITS,
  type FilterCondition,
  type FilterGroup,
  isGroup,
  LISTS_FIELD_ID,
  ROW_HEIGHTS,
  VIEW_CONFIG_MAX_DEPTH,
  VIEW_SETTING_KEYS,
  type ViewSort,
} from './view-config';

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
  pseudo?: string,
): string[] => {
  if (!Array.isArray(raw) || raw.some((x) => typeof x !== 'string'))
    bad(path, 'must be a list of field ids');
  // Layout lists outlive fields: ids of removed fields are dropped rather than refused.
  return [...new Set((raw as string[]).filter((id) => fields.has(id) || id === pseudo))];
};

function checkSorts(
  raw: unknown,
  fields: Map<string, FieldDefinition>,
  previous: unknown,
): ViewSort[] {
  if (!Array.isArray(raw)) bad('sorts', 'must be a list of { field_id, direction }');
  if ((raw as unknown[]).length > FILTER_LIMITS.sorts)
    bad('sorts', `a view sorts by at most ${FILTER_LIMITS.sorts} fields`);
  const before = new Set(
    Array.isArray(previous) ? (previous as unknown[]).map((s) => JSON.stringify(s)) : [],
  );
  const sorts: ViewSort[] = [];
  (raw as unknown[]).forEach((s, i) => {
    const at = `sorts[${i}]`;
    if (!isObj(s)) bad(at, 'a sort is { field_id, direction: "asc" | "desc" }');
    const field = typeof s.field_id === 'string' ? fields.get(s.field_id) : undefined;
    if (!field) {
      // A sort saved before its field was removed is dropped quietly; a new one is a mistake.
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
  return sorts;
}

function checkWidths(raw: unknown, fields: Map<string, FieldDefinition>): Record<string, number> {
  if (!isObj(raw)) bad('field_widths', 'must be an object of field id → width in pixels');
  const widths: Record<string, number> = {};
  for (const [id, w] of Object.entries(raw as Record<string, unknown>)) {
    if (typeof w !== 'number' || !Number.isFinite(w))
      bad(`field_widths.${id}`, 'must be a number of pixels');
    if (fields.has(id))
      widths[id] = Math.round(
        Math.min(FILTER_LIMITS.widthMax, Math.max(FILTER_LIMITS.widthMin, w as number)),
      );
  }
  return widths;
}

function checkFrozenColumns(n: unknown): void {
  if (!Number.isInteger(n) || (n as number) < 0 || (n as number) > FILTER_LIMITS.frozenColumns)
    bad('frozen_columns', `must be a whole number from 0 to ${FILTER_LIMITS.frozenColumns}`, {
      given: n ?? null,
    });
}

function checkRowHeight(h: unknown): void {
  if (!(ROW_HEIGHTS as readonly unknown[]).includes(h))
    bad('row_height', `must be one of ${ROW_HEIGHTS.join(', ')}`, { given: h ?? null });
}

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
  const given = (key: string) => key in raw && raw[key] !== undefined;
  if (given('filters'))
    out.filters =
      raw.filters === null ? null : checkFilters(raw.filters, fields, previous?.filters);
  // Sorts and group levels may name the Lists column as they name a field.
  const orderable = new Map(fields).set(LISTS_FIELD_ID, LISTS_FIELD);
  if (given('sorts')) out.sorts = checkSorts(raw.sorts, orderable, previous?.sorts);
  if (given('hidden_fields'))
    // The Lists column (the `lists` pseudo-field) is hidden like a field's.
    out.hidden_fields = uniqueKnownIds('hidden_fields', raw.hidden_fields, fields, LISTS_FIELD_ID);
  if (given('field_order'))
    out.field_order = uniqueKnownIds('field_order', raw.field_order, fields);
  if (given('field_widths')) out.field_widths = checkWidths(raw.field_widths, fields);
  if (given('frozen_columns')) checkFrozenColumns(raw.frozen_columns);
  if (given('row_height')) checkRowHeight(raw.row_height);
  if (given('summaries')) out.summaries = checkSummaries(raw.summaries, fields);
  if (given('type')) checkViewType(raw.type);
  if (given('group_by')) out.group_by = checkGroupBy(raw.group_by, orderable);
  if (given('collapsed_groups')) out.collapsed_groups = checkCollapsedGroups(raw.collapsed_groups);
  if (given('kanban')) out.kanban = checkKanban(raw.kanban, fields);
  if (raw.type === 'kanban' && !out.kanban)
    bad('kanban', 'a kanban view needs { field_id } of a single-select field', {
      reason: 'missing',
    });
  for (const key of ['personal', 'locked', 'default'] as const) {
    if (given(key) && typeof raw[key] !== 'boolean')
      bad(key, 'must be true or false', { given: raw[key] ?? null });
  }
  return out;
}

/** A filter's conditions, depth first (for listing the fields a view reads). */
export function filterConditions(group: FilterGroup | null | undefined): FilterCondition[] {
  if (!group) return [];
  return group.conditions.flatMap((c) => (isGroup(c) ? filterConditions(c) : [c]));
}
