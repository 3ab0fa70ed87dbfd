import { formatAttachments } from '@crm/domain';
import type { CellValue, FieldDefinition } from '@crm/events';
import type { CodecContext } from './cell-codec';
import { plainNumber } from './number-text';
import { personText } from './person-text';

/** The text copied to the clipboard: what another spreadsheet (or this grid) parses back to the same value. */
export function formatCopy(
  field: FieldDefinition,
  value: CellValue | undefined,
  ctx: CodecContext,
): string {
  if (value === null || value === undefined) return '';
  switch (field.type) {
    case 'number':
    case 'currency':
      return typeof value === 'number' ? plainNumber(value) : String(value);
    case 'percent':
      return typeof value === 'number'
        ? `${plainNumber(Number((value * 100).toPrecision(15)))}%`
        : String(value);
    case 'checkbox':
      return value === true ? 'checked' : '';
    case 'multiple_select':
      return Array.isArray(value) ? value.join(', ') : String(value);
    case 'link':
      return Array.isArray(value)
        ? (value as string[]).map((id) => ctx.recordName(id) ?? id).join(', ')
        : '';
    case 'attachment':
      return Array.isArray(value)
        ? formatAttachments(value as unknown as { filename: string; url: string }[])
        : '';
    case 'created_by':
    case 'last_modified_by':
    case 'follow_up':
      return personText(field, value, ctx);
    case 'user':
      return Array.isArray(value)
        ? (value as string[]).map((id) => ctx.actorName(id)).join(', ')
        : '';
    default:
      return typeof value === 'object' ? JSON.stringify(value) : String(value);
  }
}
