import { type CellValue, type FieldDefinition, streams } from '@crm/events';
import { type DecideContext, type Decision, DecisionBuilder } from '../../base/decide-context';
import { DomainError, invalid } from '../../errors';
import { linkFieldReads } from '../../formula/link-field-options';
import { isLinkComputedType } from '../../values/field-types';
import { inverseOf } from '../link-inverse';
import { type TableState } from '../table.state';
import { requireField } from '../table.lookup';

export interface RemoveField {
  field_id: string;
  /** Remove it even though lookups, rollups or counts read it: they show an error until changed. */
  cascade?: boolean;
  /**
   * For a two-way link: keep the other side as plain text (the linked records' names; the default),
   * or remove it too.
   */
  keep_inverse_as_text?: boolean;
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
  const inverse = inverseOf(ctx, field);
  const twoWay = inverse?.field.options.inverse_field_id === field.id ? inverse : null;
  // The other side of a link goes too (or becomes text): what reads it depends on this removal.
  const dependents = [
    ...linkFieldDependents(ctx.tables(), field.id),
    ...(twoWay ? linkFieldDependents(ctx.tables(), twoWay.field.id) : []),
  ];
  if (dependents.length && !cmd.cascade)
    throw new DomainError(
      'conflict',
      `field "${field.name}" is read by ${dependents.map((d) => d.name).join(', ')}; remove with cascade: true to leave them showing an error`,
      { field: 'field_id', dependents },
    );
  const b = new DecisionBuilder();
  emitRemoved(b, ctx, table, field);
  if (twoWay) {
    if (cmd.keep_inverse_as_text === false) emitRemoved(b, ctx, twoWay.table, twoWay.field);
    else emitAsText(b, ctx, twoWay.table, twoWay.field, table);
  }
  return b.build();
}

function emitRemoved(
  b: DecisionBuilder,
  ctx: DecideContext,
  table: TableState,
  field: FieldDefinition,
): void {
  const values: Record<string, CellValue> = {};
  for (const r of ctx.recordsOf(table.id))
    if (r.values[field.id] !== undefined) values[r.id] = r.values[field.id];
  b.emit(streams.table(table.id), table.version, {
    type: 'FieldRemoved',
    data: { table_id: table.id, field, values },
  });
}

/** The other side of a removed link becomes text: the names of the records it linked, joined. */
function emitAsText(
  b: DecisionBuilder,
  ctx: DecideContext,
  table: TableState,
  field: FieldDefinition,
  linked: TableState,
): void {
  const to = { type: 'text', options: {} };
  b.emit(streams.table(table.id), table.version, {
    type: 'FieldRetyped',
    data: {
      table_id: table.id,
      field_id: field.id,
      from: { type: field.type, options: field.options },
      to,
      unconverted: [],
    },
  });
  const nameOf = (id: string) => {
    const v = ctx.record(id)?.values[linked.primary_field_id];
    return typeof v === 'string' || typeof v === 'number' ? String(v) : id;
  };
  for (const r of ctx.recordsOf(table.id)) {
    const v = r.values[field.id];
    if (!Array.isArray(v) || v.length === 0) continue;
    b.emit(streams.record(r.id), r.version, {
      type: 'RecordUpdated',
      data: {
        table_id: table.id,
        record_id: r.id,
        changes: [{ field_id: field.id, from: v, to: (v as string[]).map(nameOf).join(', ') }],
      },
    });
  }
}
