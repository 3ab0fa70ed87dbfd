import { type CellValue, streams } from '@crm/events';
import { type DecideContext, type Decision, DecisionBuilder } from '../../base/decide-context';
import { invalid } from '../../errors';
import { requireField } from '../table.lookup';

export interface RemoveField {
  field_id: string;
}

/** The field's values leave the grid; the log keeps them, so undo and restore can bring them back. */
export function decideRemoveField(cmd: RemoveField, ctx: DecideContext): Decision {
  const { table, field } = requireField(ctx, cmd.field_id);
  if (field.id === table.primary_field_id)
    throw invalid('the primary field cannot be removed', { field: 'field_id' });
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
