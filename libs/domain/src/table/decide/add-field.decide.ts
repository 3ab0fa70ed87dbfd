import { streams } from '@crm/events';
import { type DecideContext, type Decision, DecisionBuilder } from '../../base/decide-context';
import { invalid } from '../../errors';
import { checkNoFieldCycle, cycleOption } from '../../formula/field-cycles';
import { checkRecomputeCost } from '../../formula/recompute-cost';
import { LIMITS } from '../../values/limits';
import { requireTable } from '../table.lookup';
import { checkFieldNameFree } from '../table.rules';
import { buildField, type FieldInput } from './create-table.decide';

export interface AddField {
  table_id: string;
  field: FieldInput;
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
  const b = new DecisionBuilder();
  b.emit(streams.table(table.id), table.version, {
    type: 'FieldAdded',
    data: { table_id: table.id, field },
  });
  return b.build();
}
