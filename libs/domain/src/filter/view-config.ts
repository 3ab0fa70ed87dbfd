import { type FieldDefinition } from '@crm/events';

/**
 * A saved view's settings, as stored in the ViewSaved event's `config`. Keys this module does not
 * know (layout details the web app keeps) are carried along untouched.
 */

export const FILTER_OPERATORS = [
  'is',
  'is_not',
  'contains',
  'does_not_contain',
  'is_empty',
  'is_not_empty',
  '=',
  '!=',
  '<',
  '<=',
  '>',
  '>=',
  'is_before',
  'is_after',
  'is_on',
  'is_within',
  'more_than_days_ago',
  'less_than_days_ago',
  'has_any_of',
  'has_all_of',
  'has_none_of',
  'in_list',
  'not_in_list',
] as const;

/**
 * The pseudo-field of list membership: `{ field_id: "lists", operator: "in_list", value: "follow_up" }`
 * holds for a record in that list (`all`: every live record), for views and rules alike.
 */
export const LISTS_FIELD_ID = 'lists';
export const LIST_OPERATORS = ['in_list', 'not_in_list'] as const;
export const isListCondition = (c: { field_id: string; operator: string }) =>
  c.field_id === LISTS_FIELD_ID && (LIST_OPERATORS as readonly string[]).includes(c.operator);

export type FilterOperator = (typeof FILTER_OPERATORS)[number];

export type RelativeDay =
  | 'today'
  | 'tomorrow'
  | 'yesterday'
  | 'one_week_ago'
  | 'one_week_from_now'
  | 'one_month_ago'
  | 'one_month_from_now'
  | 'days_ago'
  | 'days_from_now';
export const RELATIVE_DAYS: readonly RelativeDay[] = [
  'today',
  'tomorrow',
  'yesterday',
  'one_week_ago',
  'one_week_from_now',
  'one_month_ago',
  'one_month_from_now',
  'days_ago',
  'days_from_now',
];

/** A day for is_on / is_before / is_after: an exact date, or one relative to today. */
export type DateOperand = string | { relative: RelativeDay; days?: number };

/**
 * A person in a condition on a people field (or created by / last modified by): a user id, or
 * `{ "me": true }` for whoever looks at the view, resolved when the view is read.
 */
export type UserOperand = string | { me: true };

export const isMeOperand = (v: unknown): v is { me: true } =>
  v !== null && typeof v === 'object' && (v as { me?: unknown }).me === true;

/** The window of is_within: the past or the next N days, today included. */
export interface WithinOperand {
  direction: 'past' | 'next';
  days: number;
}

export interface FilterCondition {
  field_id: string;
  operator: FilterOperator;
  /** null (or "", or []) leaves the condition out, as Airtable does with a condition not filled in yet. */
  value: unknown;
}

export interface FilterGroup {
  conjunction: 'and' | 'or';
  conditions: (FilterCondition | FilterGroup)[];
}

export interface ViewSort {
  field_id: string;
  direction: 'asc' | 'desc';
}

export const VIEW_TYPES = ['grid', 'kanban'] as const;
export type ViewType = (typeof VIEW_TYPES)[number];

export interface KanbanSettings {
  /** The single-select field whose choices are the board's columns. */
  field_id: string;
  /** Up to four fields shown on each card under the primary field. */
  card_fields: string[];
  /** Card order within a column: record id → rank key (see kanban-rank.ts); unranked cards follow. */
  ranks?: Record<string, string>;
}

export const ROW_HEIGHTS = ['short', 'medium', 'tall', 'extra_tall'] as const;
export type RowHeight = (typeof ROW_HEIGHTS)[number];

export interface ViewSettings {
  /** A view only its owner sees; shared views are everyone's. */
  personal?: boolean;
  owner_id?: string | null;
  /** A shared view only admins may change. */
  locked?: boolean;
  /** The table's default grid view (created with the base). */
  default?: boolean;
  filters?: FilterGroup | null;
  sorts?: ViewSort[];
  hidden_fields?: string[];
  field_order?: string[];
  field_widths?: Record<string, number>;
  frozen_columns?: number;
  row_height?: RowHeight;
  /** The summary bar: field id → count, sum, average… (see column-summary.ts). */
  summaries?: Record<string, string>;
  /** Grid or board (kanban); a view without a type is a grid. */
  type?: ViewType;
  /** Group levels, outermost first; rows come in group order, then in the view's sort. */
  group_by?: ViewSort[];
  /** Keys (groupKey) of the groups the view shows collapsed. */
  collapsed_groups?: string[];
  /** The board's settings (for type kanban). */
  kanban?: KanbanSettings;
  [key: string]: unknown;
}

/** Every setting a view's config may hold; a key outside this list is refused (unless the view already had it). */
export const VIEW_SETTING_KEYS = [
  'personal',
  'owner_id',
  'locked',
  'default',
  'filters',
  'sorts',
  'hidden_fields',
  'field_order',
  'field_widths',
  'frozen_columns',
  'row_height',
  'summaries',
  'type',
  'group_by',
  'collapsed_groups',
  'kanban',
] as const;

/** How deep a view's config may nest: five levels of filter groups and a condition's value fit well inside. */
export const VIEW_CONFIG_MAX_DEPTH = 16;

export const isGroup = (c: FilterCondition | FilterGroup): c is FilterGroup =>
  (c as FilterGroup).conjunction !== undefined;

/**
 * The fields a filter's conditions read, each once, in order (list membership, which is not a field
 * of the record, left out): what must be read of a record to know whether it meets the filter.
 */
export function filterFieldIds(group: FilterGroup | null | undefined): string[] {
  const out = new Set<string>();
  const walk = (g: FilterGroup) => {
    for (const c of g.conditions ?? []) {
      if (isGroup(c)) walk(c);
      else if (!isListCondition(c) && typeof c.field_id === 'string') out.add(c.field_id);
    }
  };
  if (group) walk(group);
  return [...out];
}

/** How a field's values are filtered and sorted. */
export type FilterKind =
  'text' | 'select' | 'multi' | 'link' | 'number' | 'date' | 'boolean' | 'user';

export function filterKind(field: Pick<FieldDefinition, 'type' | 'options'>): FilterKind {
  switch (field.type) {
    case 'single_select':
      return 'select';
    case 'multiple_select':
      return 'multi';
    case 'link':
      return 'link';
    case 'number':
    case 'currency':
    case 'percent':
      return 'number';
    case 'date':
    case 'date_time':
    case 'created_time':
    case 'last_modified_time':
      return 'date';
    case 'checkbox':
      return 'boolean';
    case 'created_by':
    case 'last_modified_by':
    case 'user':
      return 'user';
    case 'follow_up':
      return field.options?.value === 'interactions_90_days'
        ? 'number'
        : field.options?.value === 'last_contacted_by'
          ? 'user'
          : 'text';
    case 'formula':
    case 'lookup':
    case 'rollup':
    case 'count':
      switch (field.options?.result_type) {
        case 'number':
          return 'number';
        case 'date':
          return 'date';
        case 'boolean':
          return 'boolean';
        case 'array':
          return 'multi';
        default:
          return 'text';
      }
    default:
      return 'text';
  }
}

/** The operators that fit each kind of field. */
export const OPERATORS_BY_KIND: Record<FilterKind, readonly FilterOperator[]> = {
  text: ['is', 'is_not', 'contains', 'does_not_contain', 'is_empty', 'is_not_empty'],
  select: ['is', 'is_not', 'has_any_of', 'has_none_of', 'is_empty', 'is_not_empty'],
  multi: [
    'has_any_of',
    'has_all_of',
    'has_none_of',
    'is',
    'contains',
    'does_not_contain',
    'is_empty',
    'is_not_empty',
  ],
  link: [
    'has_any_of',
    'has_all_of',
    'has_none_of',
    'contains',
    'does_not_contain',
    'is_empty',
    'is_not_empty',
  ],
  number: ['=', '!=', '<', '<=', '>', '>=', 'is_empty', 'is_not_empty'],
  date: [
    'is_on',
    'is_before',
    'is_after',
    'is_within',
    'more_than_days_ago',
    'less_than_days_ago',
    'is_empty',
    'is_not_empty',
  ],
  boolean: ['is'],
  user: ['is', 'is_not', 'has_any_of', 'has_none_of', 'is_empty', 'is_not_empty'],
};

export const operatorsFor = (
  field: Pick<FieldDefinition, 'type' | 'options'>,
): readonly FilterOperator[] => OPERATORS_BY_KIND[filterKind(field)];

export const FILTER_LIMITS = {
  depth: 5,
  conditions: 200,
  sorts: 10,
  frozenColumns: 20,
  widthMin: 30,
  widthMax: 2000,
  groupLevels: 3,
  collapsedGroups: 1000,
  cardFields: 4,
  rankedCards: 10_000,
} as const;
