import { isComputedType } from '../../values/field-types';
import { type ImportIssue, type PlanImportInput } from '../plan-import.types';
import { type MappedColumn } from './plan-rows';

export interface CheckedMapping {
  /** The columns that fill a field, in header order. */
  mapped: MappedColumn[];
  /** For each merge-key column, its index in `mapped` (-1 when it fills no field). */
  keyCols: number[];
  /** Header positions of columns not to read (their errors are the mapping's). */
  unread: Set<number>;
  /** Problems of the mapping itself: any one of them blocks the whole import. */
  errors: ImportIssue[];
}

/**
 * Step 1: is the mapping one the file can be read with? Two columns into one field, a computed
 * field, dates of an unknown order, a link to no table, and a merge key that is no field (or links
 * the table to itself) each block the import before a cell is read.
 */
export function checkMapping(input: PlanImportInput): CheckedMapping {
  const errors: ImportIssue[] = [];
  const blocking = (column: string | null, message: string) =>
    errors.push({ line: null, column, message });
  const mapped = input.columns.filter((c): c is MappedColumn => c.field !== null);
  const byField = new Map<string, string>();
  const unread = new Set<number>();
  for (const c of mapped) {
    const other = byField.get(c.field.id);
    if (other !== undefined)
      blocking(c.name, `columns “${other}” and “${c.name}” both fill the field “${c.field.name}”`);
    byField.set(c.field.id, c.name);
    if (isComputedType(c.field.type))
      blocking(c.name, `“${c.field.name}” is filled in by the system; skip this column`);
    if ((c.field.type === 'date' || c.field.type === 'date_time') && !c.format.date_order) {
      unread.add(c.index);
      blocking(
        c.name,
        'the column mixes day-first and month-first dates: choose date_order (mdy or dmy), or import it as text',
      );
    }
    if (c.field.type === 'link' && !input.links(String(c.field.options.table_id)))
      blocking(c.name, `the field “${c.field.name}” links to a table that does not exist`);
  }
  const keyCols = input.merge_columns.map((i) => mapped.findIndex((c) => c.index === i));
  for (const [n, k] of keyCols.entries()) {
    if (k === -1)
      blocking(
        input.columns.find((c) => c.index === input.merge_columns[n])?.name ?? null,
        'a merge-key column must be imported into a field',
      );
    else if (mapped[k].field.type === 'link' && mapped[k].field.options.table_id === input.table_id)
      blocking(mapped[k].name, 'a link to the same table cannot be part of the merge key');
  }
  return { mapped, keyCols, unread, errors };
}
