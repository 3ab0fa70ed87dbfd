import { type CellValue, streams } from '@crm/events';
import { type DecideContext, type Decision, DecisionBuilder } from '../../base/decide-context';
import { DomainError, invalid } from '../../errors';
import { linkFieldReads } from '../../formula/link-field-options';
import { isLinkComputedType } from '../../values/field-types';
import { type TableState } from '../table.state';
import { requireField } from '../table.lookup';

export interface RemoveField {
  field_id: string;
  /** Remove it even though lookups, rollups or counts read it: they show an error until changed. */
  cascade?: boolean;
}

/** The lookups, rollups and counts (of any table) that read a field. */
export function linkFieldDependents(
  tables: readonly TableState[],
  fieldId: string,
): { table_id: string; field_id: string; name: string }[] {
  const out: { table_id: string; field_id: string; name: string }[] = [];
  for (const t of tables)
    for (const f of t.fields)
      if (
        isLinkComputedType(f.type) &&
        (f.options.link_field_id === fieldId || linkFieldReads(f).includes(fieldId))
      )
        out.push({ table_id: t.id, field_id: f.id, name: `${t.name}.${f.name}` });
  return out;
}

/** The field's values leave the grid; the log keeps them, so undo and restore can bring them back. */
export function decideRemoveField(cmd: RemoveField, ctx: DecideContext): Decision {
  const { table, field } = requireField(ctx, cmd.field_id);
  if (field.id === table.primary_field_id)
    throw invalid('the primary field cannot be removed', { field: 'field_id' });
  const dependents = linkFieldDependents(ctx.tables(), field.id);
  if (dependents.length && !cmd.cascade)
    throw new DomainError(
      'conflict',
      `field "${field.name}" is read by ${dependents.map((d) => d.name).join(', ')}; remove with cascade: true to leave them showing an error`,
      { field: 'field_id', dependents },
    );
  const values: Record<string, CellValue> = {};
  for (const r of ctx.recordsOf(table.id))
    if (r.values[field.id] !== undefined) values[r.id] = r.values[field.id];
  const b = new DecisionBuilder();
  b.emit(streams.table(table.id), table.version, {
    type: 'FieldRemoved',
    data: { table_id: table.id, field, values },
  });
  return b.build();
}
