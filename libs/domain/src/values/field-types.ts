export const FIELD_TYPES = [
  'text',
  'long_text',
  'number',
  'currency',
  'percent',
  'date',
  'date_time',
  'checkbox',
  'single_select',
  'multiple_select',
  'email',
  'url',
  'phone',
  'link',
  'attachment',
  'created_time',
  'last_modified_time',
  'created_by',
  'last_modified_by',
  'formula',
  'user',
  'lookup',
  'rollup',
  'count',
  'follow_up',
] as const;

export type FieldType = (typeof FIELD_TYPES)[number];

/** Types whose values the system fills in; nobody can type into them. */
export const COMPUTED_TYPES: readonly FieldType[] = [
  'created_time',
  'last_modified_time',
  'created_by',
  'last_modified_by',
  'formula',
  'lookup',
  'rollup',
  'count',
  'follow_up',
];

/**
 * What a `follow_up` field holds (its `options.value`): the record's follow-up as the reminders and
 * interactions make it, kept up to date by the system (see follow-up-fields.ts).
 */
export const FOLLOW_UP_VALUES = [
  'last_contacted_by',
  'staleness',
  'reminder_status',
  'interactions_90_days',
] as const;
export type FollowUpValue = (typeof FOLLOW_UP_VALUES)[number];
export const isFollowUpValue = (v: unknown): v is FollowUpValue =>
  (FOLLOW_UP_VALUES as readonly unknown[]).includes(v);

/** Computed fields that read the records a link field of the same record points at. */
export const LINK_COMPUTED_TYPES = ['lookup', 'rollup', 'count'] as const;
export type LinkComputedType = (typeof LINK_COMPUTED_TYPES)[number];
export const isLinkComputedType = (t: string): t is LinkComputedType =>
  (LINK_COMPUTED_TYPES as readonly string[]).includes(t);

/** Fields whose values the read models derive and keep beside the stored ones (formula values). */
export const isDerivedType = (t: string): boolean => t === 'formula' || isLinkComputedType(t);

export const isFieldType = (t: string): t is FieldType =>
  (FIELD_TYPES as readonly string[]).includes(t);
export const isComputedType = (t: string): boolean =>
  (COMPUTED_TYPES as readonly string[]).includes(t);

export type ValueKind = 'text' | 'number' | 'date' | 'boolean' | 'list';

/** The kind of a field's values; a formula's follows its result type. */
export function fieldValueKind(field: {
  type: string;
  options?: Record<string, unknown>;
}): ValueKind {
  if (field.type === 'follow_up')
    return field.options?.value === 'interactions_90_days' ? 'number' : 'text';
  if (!isDerivedType(field.type)) return valueKind(field.type);
  switch (field.options?.result_type) {
    case 'number':
      return 'number';
    case 'date':
      return 'date';
    case 'boolean':
      return 'boolean';
    case 'array':
      return 'list';
    default:
      return 'text';
  }
}

export function valueKind(type: string): ValueKind {
  switch (type) {
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
    case 'multiple_select':
    case 'link':
    case 'attachment':
    case 'user':
      return 'list';
    default:
      return 'text';
  }
}
