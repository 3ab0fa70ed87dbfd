import { type FieldDefinition } from '@crm/events';
import { type DecideContext } from '../base/decide-context';
import { notFound } from '../errors';
import { type TableState } from './table.state';

export function requireTable(ctx: Pick<DecideContext, 'table'>, tableId: string): TableState {
  const t = typeof tableId === 'string' ? ctx.table(tableId) : undefined;
  if (!t)
    throw notFound(`table ${String(tableId)} does not exist`, {
      field: 'table_id',
      given: tableId ?? null,
    });
  return t;
}

/** Finds a field by id in any table. */
export function requireField(
  ctx: Pick<DecideContext, 'tables'>,
  fieldId: string,
): { table: TableState; field: FieldDefinition } {
  for (const table of ctx.tables()) {
    const field = table.fields.find((f) => f.id === fieldId);
    if (field) return { table, field };
  }
  throw notFound(`field ${String(fieldId)} does not exist`, {
    field: 'field_id',
    given: fieldId ?? null,
  });
}
