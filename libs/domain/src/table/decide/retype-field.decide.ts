import { type CellChange, type CellValue, type FieldDefinition, streams } from '@crm/events';
import { type DecideContext, type Decision, DecisionBuilder } from '../../base/decide-context';
import { invalid } from '../../errors';
import { normalizeFieldOptions } from '../../values/field-options';
import { checkNoFieldCycle, cycleOption } from '../../formula/field-cycles';
import { isComputedType } from '../../values/field-types';
import { convertValue } from '../../values/convert';
import { valuesEqual } from '../../values/normalize';
import { emptyValueFor } from '../../record/record.state';
import { FormulaGraph } from '../../formula/dependency-graph';
import { tryCompileFormula } from '../../formula/formula';
import { checkRecomputeCost } from '../../formula/recompute-cost';
import { requireField } from '../table.lookup';

export interface RetypeField {
  field_id: string;
  type: string;
  options?: Record<string, unknown>;
}

/** A formula's computed value as a plain cell value (errors and empty results convert to nothing). */
function formulaCellValue(v: unknown): CellValue | undefined {
  if (v === undefined || v === null) return undefined;
  if (Array.isArray(v)) return v.map((x) => (x === null ? '' : String(x))).filter((x) => x !== '');
  if (typeof v === 'object') return undefined;
  return v as CellValue;
}

/** The value a stored cell holds after its field is retyped; `ok: false` when it could not convert and was cleared. */
export function retypedValue(
  current: CellValue,
  from: FieldDefinition,
  to: FieldDefinition,
): { ok: boolean; value: CellValue } {
  if (isComputedType(to.type)) return { ok: true, value: null };
  const conv = convertValue(current, from, to);
  // Cleared to the type's own empty value: a null checkbox would never equal the `false` the grid shows.
  return conv.ok ? conv : { ok: false, value: emptyValueFor(to) };
}

/** The field's new options in canonical form; a link staying a link to the same table keeps its other side. */
function retypedOptions(
  cmd: RetypeField,
  ctx: DecideContext,
  fields: readonly FieldDefinition[],
  field: FieldDefinition,
): Record<string, unknown> {
  const options = normalizeFieldOptions(field.name, cmd.type, cmd.options ?? {}, {
    ...optionsScope(ctx, fields),
    fieldId: field.id,
  });
  if (
    cmd.type === 'link' &&
    field.type === 'link' &&
    options.table_id === field.options.table_id &&
    'inverse_field_id' in field.options
  )
    options.inverse_field_id = field.options.inverse_field_id;
  return options;
}

const optionsScope = (ctx: DecideContext, fields: readonly FieldDefinition[]) => ({
  tableExists: (id: string) => !!ctx.table(id),
  fields,
  tableFields: (id: string) => ctx.table(id)?.fields,
});

/**
 * Changes a field's type (or options) and converts every stored value. Values that cannot convert are
 * cleared and reported; the record events hold them as `from`, so the retype can be undone.
 */
export function decideRetypeField(cmd: RetypeField, ctx: DecideContext): Decision {
  const { table, field } = requireField(ctx, cmd.field_id);
  if (field.id === table.primary_field_id && (isComputedType(cmd.type) || cmd.type === 'link'))
    throw invalid('the primary field must stay one people can type into', { field: 'type' });
  const options = retypedOptions(cmd, ctx, table.fields, field);
  const to: FieldDefinition = { ...field, type: cmd.type, options };
  checkNoFieldCycle(to, table.id, ctx.tables(), cycleOption(to.type));
  const b = new DecisionBuilder();
  if (to.type === field.type && JSON.stringify(options) === JSON.stringify(field.options))
    return b.build();
  checkRecomputeCost(
    table.fields.map((f) => (f.id === to.id ? to : f)),
    to,
    table.id,
    ctx,
  );
  const unconverted: { record_id: string; value: CellValue }[] = [];
  const updates: { record_id: string; version: number; change: CellChange }[] = [];
  for (const r of ctx.recordsOf(table.id)) {
    const stored = r.values[field.id];
    // A formula turned into a plain field keeps what it showed, as in Airtable; its stored value is empty.
    const fromFormula =
      field.type === 'formula' && !isComputedType(to.type)
        ? formulaCellValue(r.computed?.[field.id])
        : undefined;
    const current = fromFormula ?? stored;
    if (current === undefined) continue;
    const { ok, value: next } = retypedValue(current, field, to);
    if (fromFormula !== undefined) {
      if (ok && !valuesEqual(next, emptyValueFor(to)))
        updates.push({
          record_id: r.id,
          version: r.version,
          change: { field_id: field.id, from: stored ?? emptyValueFor(to), to: next },
        });
      continue;
    }
    if (!ok) unconverted.push({ record_id: r.id, value: current });
    if (!valuesEqual(current, next) || JSON.stringify(current) !== JSON.stringify(next))
      updates.push({
        record_id: r.id,
        version: r.version,
        change: { field_id: field.id, from: current, to: next },
      });
  }
  b.emit(streams.table(table.id), table.version, {
    type: 'FieldRetyped',
    data: {
      table_id: table.id,
      field_id: field.id,
      from: { type: field.type, options: field.options },
      to: { type: to.type, options },
      unconverted,
    },
  });
  for (const u of updates)
    b.emit(streams.record(u.record_id), u.version, {
      type: 'RecordUpdated',
      data: { table_id: table.id, record_id: u.record_id, changes: [u.change] },
    });
  for (const f of formulasRetypedBy(
    table.fields.map((x) => (x.id === field.id ? to : x)),
    field.id,
  )) {
    b.emit(streams.table(table.id), table.version, {
      type: 'FieldRetyped',
      data: {
        table_id: table.id,
        field_id: f.field.id,
        from: { type: 'formula', options: f.field.options },
        to: { type: 'formula', options: f.options },
        unconverted: [],
      },
    });
  }
  return b.build();
}

/**
 * Formula fields reading the retyped field (directly or through other formulas) whose result type
 * changes with it: their stored result type follows, so that views filter them as what they now give.
 */
function formulasRetypedBy(
  fields: FieldDefinition[],
  fieldId: string,
): { field: FieldDefinition; options: Record<string, unknown> }[] {
  const out: { field: FieldDefinition; options: Record<string, unknown> }[] = [];
  let current = fields;
  for (const node of FormulaGraph.of(fields).dependentsOf(fieldId)) {
    if (node.field.id === fieldId || node.field.type !== 'formula') continue;
    const formula = String(node.field.options.formula ?? '');
    const checked = tryCompileFormula(formula, { fields: current, selfId: node.field.id });
    if (!checked.ok || checked.formula.type === node.field.options.result_type) continue;
    const options = { ...node.field.options, result_type: checked.formula.type };
    out.push({ field: node.field, options });
    current = current.map((x) => (x.id === node.field.id ? { ...x, options } : x));
  }
  return out;
}
