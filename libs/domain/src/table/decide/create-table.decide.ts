import { type FieldDefinition, streams } from '@crm/events';
import { type DecideContext, type Decision, DecisionBuilder } from '../../base/decide-context';
import { invalid } from '../../errors';
import { normalizeFieldOptions } from '../../values/field-options';
import { isComputedType } from '../../values/field-types';
import { LIMITS } from '../../values/limits';
import { checkFieldNameFree, checkId, checkName } from '../table.rules';

export interface FieldInput {
  id: string;
  name: string;
  type: string;
  options?: Record<string, unknown>;
  role?: string | null;
}

export interface CreateTable {
  table_id: string;
  name: string;
  role?: string | null;
  /** The first field is the primary one (the record's name). */
  fields: FieldInput[];
}

export function buildField(
  input: FieldInput,
  ctx: Pick<DecideContext, 'table'>,
  pendingTableIds: string[] = [],
  tableFields: readonly FieldDefinition[] = [],
): FieldDefinition {
  const name = checkName('field name', input.name);
  return {
    id: checkId('field id', input.id),
    name,
    type: input.type,
    options: normalizeFieldOptions(name, input.type, input.options, {
      tableExists: (id) => !!ctx.table(id) || pendingTableIds.includes(id),
      fields: tableFields,
      tableFields: (id) => ctx.table(id)?.fields,
    }),
    role: input.role ?? null,
  };
}

export function decideCreateTable(cmd: CreateTable, ctx: DecideContext): Decision {
  const id = checkId('table id', cmd.table_id);
  if (ctx.table(id)) throw invalid(`table ${id} already exists`, { field: 'table_id' });
  const name = checkName('table name', cmd.name);
  if (ctx.tables().some((t) => t.name.toLowerCase() === name.toLowerCase()))
    throw invalid(`a table named "${name}" already exists`, { field: 'name' });
  if (!Array.isArray(cmd.fields) || cmd.fields.length === 0)
    throw invalid('a table needs at least one field', { field: 'fields' });
  if (cmd.fields.length > LIMITS.fieldsPerTable)
    throw invalid(`a table has at most ${LIMITS.fieldsPerTable} fields`, { field: 'fields' });
  const fields: FieldDefinition[] = [];
  for (const input of cmd.fields) {
    const f = buildField(input, ctx, [id], fields);
    checkFieldNameFree({ fields }, f.name);
    if (
      fields.some((x) => x.id === f.id) ||
      ctx.tables().some((t) => t.fields.some((x) => x.id === f.id))
    )
      throw invalid(`field id ${f.id} is already used`, { field: 'fields' });
    fields.push(f);
  }
  if (isComputedType(fields[0].type) || fields[0].type === 'link')
    throw invalid('the primary (first) field must be one people can type into', {
      field: 'fields',
    });
  const b = new DecisionBuilder();
  b.emit(streams.table(id), 0, {
    type: 'TableCreated',
    data: { table_id: id, name, role: cmd.role ?? null, primary_field_id: fields[0].id, fields },
  });
  return b.build();
}
