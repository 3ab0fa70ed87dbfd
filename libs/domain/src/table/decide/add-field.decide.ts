import { streams } from '@crm/events';
import { type DecideContext, type Decision, DecisionBuilder } from '../../base/decide-context';
import { invalid } from '../../errors';
import { checkNoFieldCycle, cycleOption } from '../../formula/field-cycles';
import { checkRecomputeCost } from '../../formula/recompute-cost';
import { LIMITS } from '../../values/limits';
import { requireTable } from '../table.lookup';
import { inverseFieldOf } from '../link-inverse';
import { checkFieldNameFree, checkId } from '../table.rules';
import { buildField, type FieldInput } from './create-table.decide';

export interface AddField {
  table_id: string;
  field: FieldInput;
  /** The id of a link field's inverse in the table it points at (a link to its own table has none). */
  inverse_field_id?: string;
}

export function decideAddField(cmd: AddField, ctx: DecideContext): Decision {
  const table = requireTable(ctx, cmd.table_id);
  if (table.fields.length >= LIMITS.fieldsPerTable)
    throw invalid(`a table has at most ${LIMITS.fieldsPerTable} fields`, { field: 'fields' });
  const field = buildField(cmd.field, ctx, [], table.fields);
  checkFieldNameFree(table, field.name);
  if (ctx.tables().some((t) => t.fields.some((f) => f.id === field.id)))
    throw invalid(`field id ${field.id} is already used`, { field: 'id' });
  checkNoFieldCycle(field, table.id, ctx.tables(), cycleOption(field.type));
  checkRecomputeCost([...table.fields, field], field, table.id, ctx);
  const target = field.type === 'link' ? ctx.table(String(field.options.table_id)) : undefined;
  const inverse =
    target && target.id !== table.id && cmd.inverse_field_id
      ? inverseFieldOf(table, field, target, checkId('inverse field id', cmd.inverse_field_id))
      : null;
  // A link to its own table stays one-way; one given no id for its inverse gets it at the next
  // start (the upgrade of one-way links).
  if (inverse || target?.id === table.id)
    field.options = { ...field.options, inverse_field_id: inverse?.id ?? null };
  const b = new DecisionBuilder();
  b.emit(streams.table(table.id), table.version, {
    type: 'FieldAdded',
    data: { table_id: table.id, field },
  });
  // The inverse comes with it, in the same batch: the table it points at shows the links back.
  if (inverse && target)
    b.emit(streams.table(target.id), target.version, {
      type: 'FieldAdded',
      data: { table_id: target.id, field: inverse },
    });
  return b.build();
}
