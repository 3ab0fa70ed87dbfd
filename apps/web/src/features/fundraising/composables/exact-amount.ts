import type { CellValue, FieldDefinition } from '@crm/events';
import { type CodecContext, formatDisplay, precisionOf } from './cell-codec';
import { decimalsOf } from './number-text';

/**
 * The text an amount's input starts with: as a cell shows it, but never rounded to the field's
 * places (an edit of the shown text must not change the digits it did not show).
 */
export function formatExact(
  field: FieldDefinition,
  value: CellValue | undefined,
  ctx: CodecContext,
): string {
  if (typeof value !== 'number') return formatDisplay(field, value, ctx);
  const places = decimalsOf(value);
  if (places <= precisionOf(field, field.type === 'currency' ? 2 : 0))
    return formatDisplay(field, value, ctx);
  return formatDisplay({ ...field, options: { ...field.options, precision: places } }, value, ctx);
}
