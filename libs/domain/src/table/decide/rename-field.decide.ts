import { streams } from '@crm/events';
import { type DecideContext, type Decision, DecisionBuilder } from '../../base/decide-context';
import { requireField } from '../table.lookup';
import { checkFieldNameFree, checkName } from '../table.rules';

export interface RenameField {
  field_id: string;
  name: string;
}

export function decideRenameField(cmd: RenameField, ctx: DecideContext): Decision {
  const { table, field } = requireField(ctx, cmd.field_id);
  const name = checkName('name', cmd.name);
  const b = new DecisionBuilder();
  if (name === field.name) return b.build();
  checkFieldNameFree(table, name, field.id);
  b.emit(streams.table(table.id), table.version, {
    type: 'FieldRenamed',
    data: { table_id: table.id, field_id: field.id, from: field.name, to: name },
  });
  return b.build();
}
