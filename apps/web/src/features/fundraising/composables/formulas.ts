import { FormulaGraph, isDerivedType, LISTS_FIELD_ID, recomputeFormulas } from '@crm/domain';
import type { FieldDefinition } from '@crm/events';
import type { GridRow, TableModel } from './base-model';

/** By the table's fields: the graph without the records' lists, and the one with them. */
const graphs = [false, true].map(() => new WeakMap<FieldDefinition[], FormulaGraph>());

function graphOf(table: TableModel, lists: boolean): FormulaGraph {
  const cache = graphs[lists ? 1 : 0];
  let g = cache.get(table.fields);
  if (!g) {
    g = FormulaGraph.of(table.fields, undefined, { lists });
    cache.set(table.fields, g);
  }
  return g;
}

/** A record's lists as `{Lists}` reads them, or null while they are not known here. */
export type ListsReader = (recordId: string) => string[] | null;

/**
 * Recomputes, in the browser, the formula cells of a row that read the changed fields (`lists`:
 * its lists moved) — with the
 * domain's own formula engine, the one the server's read model uses — so a formula follows an edit
 * at once instead of at the next reload.
 */
export function recomputeRow(
  table: TableModel,
  row: GridRow,
  changedFieldIds: readonly string[],
  at: string,
  listsOf?: ListsReader,
): boolean {
  // Without the lists at hand, a formula reading them keeps the value the server computed.
  const lists = listsOf?.(row.id) ?? null;
  const graph = graphOf(table, lists !== null);
  if (graph.isEmpty) return false;
  const nodes = graph.affectedBy(changedFieldIds);
  if (nodes.length === 0) return false;
  const values: Record<string, unknown> = {};
  const computed: Record<string, unknown> = {};
  table.fields.forEach((f, i) => {
    if (isDerivedType(f.type)) {
      if (row[i] !== null && row[i] !== undefined) computed[f.id] = row[i];
    } else values[f.id] = row[i];
  });
  if (lists) values[LISTS_FIELD_ID] = lists;
  const next = recomputeFormulas(
    nodes,
    {
      id: row.id,
      values,
      computed,
      created_at: row.meta.created_at || null,
      created_by: row.meta.created_by,
      updated_at: row.meta.updated_at || null,
      updated_by: row.meta.updated_by,
    },
    Date.parse(at) || Date.now(),
  );
  for (const n of nodes) {
    const i2 = table.fields.findIndex((f) => f.id === n.field.id);
    if (i2 >= 0) row[i2] = (next[n.field.id] ?? null) as GridRow[number];
  }
  return true;
}
