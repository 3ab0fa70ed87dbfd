import type { ColumnPatch, ImportColumn, importsApi } from '../api/imports.api';

/** A table an import may write into, with the fields a column can be mapped to. */
export interface TargetTable {
  id: string;
  name: string;
  primary_field_id: string;
  fields: { id: string; name: string; type: string }[];
}

/** A change to the session's mapping, merge key or options, sent before the plan is made again. */
export type ImportPatch = Parameters<typeof importsApi.patch>[1];

/** The field types a column can become (computed ones are filled in by the system). */
export const IMPORT_TYPES: { value: string; label: string }[] = [
  { value: 'text', label: 'Text' },
  { value: 'long_text', label: 'Long text' },
  { value: 'number', label: 'Number' },
  { value: 'currency', label: 'Currency' },
  { value: 'percent', label: 'Percent' },
  { value: 'date', label: 'Date' },
  { value: 'date_time', label: 'Date and time' },
  { value: 'checkbox', label: 'Checkbox' },
  { value: 'single_select', label: 'Single select' },
  { value: 'multiple_select', label: 'Multiple select' },
  { value: 'email', label: 'Email' },
  { value: 'url', label: 'Web address' },
  { value: 'phone', label: 'Phone' },
  { value: 'attachment', label: 'Attachments' },
  { value: 'link', label: 'Link to records' },
];

export const typeLabel = (t: string | null | undefined) =>
  IMPORT_TYPES.find((x) => x.value === t)?.label ?? t ?? '';

/** The choice in the mapping select: `skip`, `field:<id>` or `new:<type>`. */
export function choiceOf(c: ImportColumn): string {
  if (c.target.action === 'skip') return 'skip';
  if (c.target.action === 'field') return `field:${c.target.field_id}`;
  return `new:${c.target.type}${c.target.type === 'link' ? `:${String(c.target.options.table_id ?? '')}` : ''}`;
}

/** The PATCH body for a choice made in that select. */
export function patchOf(choice: string): ColumnPatch {
  if (choice === 'skip') return 'skip';
  if (choice.startsWith('field:')) return { field_id: choice.slice(6) };
  const [, type, tableId] = choice.split(':');
  return { new_field: type === 'link' ? { type, options: { table_id: tableId } } : { type } };
}

export const percent = (x: number) => `${Math.round(x * 100)}%`;

export function describeValue(v: unknown): string {
  if (v === null || v === undefined || v === '' || (Array.isArray(v) && v.length === 0))
    return '(empty)';
  if (v === true) return '✓';
  if (v === false) return '(unticked)';
  if (Array.isArray(v))
    return v
      .map((x) =>
        typeof x === 'object' && x !== null
          ? String((x as { filename?: string }).filename ?? JSON.stringify(x))
          : String(x),
      )
      .join(', ');
  return String(v);
}
