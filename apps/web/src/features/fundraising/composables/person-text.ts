import type { CellValue, FieldDefinition } from '@crm/events';

/**
 * A cell that names a person (created by, last modified by, a follow-up's last contacted by) by name;
 * the other follow-up values (a state such as `stale` or `due_soon`, a count) as they are, as
 * filters name them.
 */
export function personText(
  field: FieldDefinition,
  value: CellValue,
  ctx: { actorName(id: string): string },
): string {
  if (field.type === 'follow_up' && field.options.value !== 'last_contacted_by')
    return String(value);
  return typeof value === 'string' ? ctx.actorName(value) : '';
}
