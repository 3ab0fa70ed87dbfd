import { type FieldDefinition } from '@crm/events';
import { invalid } from '../errors';
import { isLinkComputedType } from '../values/field-types';
import { referencedFieldIds } from './formula-field';
import { linkFieldReads } from './link-field-options';

interface TableFields {
  id: string;
  name: string;
  fields: readonly FieldDefinition[];
}

/** The fields a derived field reads, in any table: a formula's references, a link field's link and targets. */
function readsOf(field: FieldDefinition): string[] {
  if (field.type === 'formula') return referencedFieldIds(String(field.options.formula ?? ''));
  if (isLinkComputedType(field.type))
    return [String(field.options.link_field_id ?? ''), ...linkFieldReads(field)];
  return [];
}

/**
 * Refuses a field (new, or changed) whose value would depend on itself through formulas, lookups,
 * rollups and counts of any table, naming the path (`Investors.Total → Commitments.Share →
 * Investors.Total`). Links themselves are stored values, so a path ends at them.
 */
export function checkNoFieldCycle(
  field: FieldDefinition,
  tableId: string,
  tables: readonly TableFields[],
  option: string,
): void {
  const where = new Map<string, { table: TableFields; field: FieldDefinition }>();
  for (const t of tables) for (const f of t.fields) where.set(f.id, { table: t, field: f });
  const own = tables.find((t) => t.id === tableId);
  if (!own) return;
  where.set(field.id, { table: own, field });
  const label = (id: string) => {
    const w = where.get(id)!;
    return `${w.table.name}.${w.field.name}`;
  };
  const done = new Set<string>();
  const walk = (id: string, path: string[]): string[] | null => {
    for (const next of readsOf(where.get(id)!.field)) {
      if (next === field.id) return [...path, next];
      if (done.has(next) || !where.has(next)) continue;
      done.add(next);
      const found = walk(next, [...path, next]);
      if (found) return found;
    }
    return null;
  };
  const loop = walk(field.id, [field.id]);
  if (!loop) return;
  const names = loop.map(label);
  throw invalid(`field "${field.name}": it would depend on itself: ${names.join(' → ')}`, {
    field: field.name,
    option,
    path: names,
  });
}

/** The option a loop is reported against for a field of this type. */
export const cycleOption = (type: string): string =>
  type === 'formula' ? 'formula' : type === 'count' ? 'conditions' : 'target_field_id';
