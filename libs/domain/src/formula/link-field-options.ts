import { type FieldDefinition } from '@crm/events';
import { DomainError, invalid } from '../errors';
import { checkFilters } from '../filter/validate-filter';
import { normalizeFormulaOptions } from './formula-field';

/**
 * Options of the computed link fields (Airtable's lookup, rollup and count):
 * - `lookup` `{link_field_id, target_field_id, conditions?}`: the linked records' values, as a list;
 * - `rollup` `{link_field_id, target_field_id, formula, conditions?}`: a formula over `values`;
 * - `count` `{link_field_id, conditions?}`: how many records are linked.
 * `conditions` is a filter group of the view filter language over the linked table's fields: only
 * the linked records it passes count. Each keeps its `result_type`, as a formula does.
 */

/** The one name a rollup's formula reads: the linked records' values of the target field. */
export const ROLLUP_VALUES_FIELD: FieldDefinition = {
  id: 'values',
  name: 'values',
  type: 'rollup_values',
  options: {},
  role: null,
};

export interface LinkFieldScope {
  /** The fields of the table the computed field is in. */
  fields: readonly FieldDefinition[];
  /** The fields of another table, by id. */
  tableFields(tableId: string): readonly FieldDefinition[] | undefined;
}

const refused = (name: string, option: string, message: string, given?: unknown) =>
  invalid(`field "${name}": options.${option} ${message}`, {
    field: name,
    option,
    ...(given === undefined ? {} : { given }),
  });

export function normalizeLinkFieldOptions(
  name: string,
  type: 'lookup' | 'rollup' | 'count',
  o: Record<string, unknown>,
  scope: LinkFieldScope,
): Record<string, unknown> {
  const link = scope.fields.find((f) => f.id === o.link_field_id);
  if (!link || link.type !== 'link')
    throw refused(name, 'link_field_id', 'must name a link field of this table', o.link_field_id);
  const targetTable = String(link.options.table_id);
  const targetFields = scope.tableFields(targetTable) ?? [];
  const conditions =
    o.conditions === undefined || o.conditions === null
      ? {}
      : { conditions: checkConditions(name, o.conditions, targetFields) };
  if (type === 'count') return { link_field_id: link.id, ...conditions, result_type: 'number' };
  const target = targetFields.find((f) => f.id === o.target_field_id);
  if (!target)
    throw refused(
      name,
      'target_field_id',
      `must name a field of the table that "${link.name}" links to`,
      o.target_field_id,
    );
  if (type === 'lookup')
    return {
      link_field_id: link.id,
      target_field_id: target.id,
      ...conditions,
      result_type: 'array',
    };
  const source = o.formula ?? 'ARRAYJOIN(values, ", ")';
  // Checked like a formula field's; kept as written, since `values` is its only name.
  const formula = normalizeFormulaOptions(name, { formula: source }, [ROLLUP_VALUES_FIELD]);
  return {
    link_field_id: link.id,
    target_field_id: target.id,
    formula: String(source).trim(),
    ...conditions,
    result_type: formula.result_type,
  };
}

function checkConditions(
  name: string,
  raw: unknown,
  targetFields: readonly FieldDefinition[],
): unknown {
  try {
    return checkFilters(raw, new Map(targetFields.map((f) => [f.id, f])), null);
  } catch (e) {
    if (!(e instanceof DomainError)) throw e;
    throw invalid(`field "${name}": options.conditions: ${e.message}`, {
      field: name,
      option: 'conditions',
      path: e.details.field ?? null,
    });
  }
}

/** The fields of the linked table a computed link field reads (its target and its conditions'). */
export function linkFieldReads(field: Pick<FieldDefinition, 'options'>): string[] {
  const out: string[] = [];
  if (typeof field.options.target_field_id === 'string') out.push(field.options.target_field_id);
  const walk = (g: unknown) => {
    if (!g || typeof g !== 'object') return;
    const group = g as { conditions?: unknown[]; field_id?: unknown };
    if (typeof group.field_id === 'string' && !out.includes(group.field_id))
      out.push(group.field_id);
    for (const c of group.conditions ?? []) walk(c);
  };
  walk(field.options.conditions);
  return out;
}
