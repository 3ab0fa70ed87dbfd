import { type BaseState } from '../base/base.state';
import { isEmptyValue } from '../values/normalize';

/**
 * What a person sees of the base, free of bookkeeping (versions, who and when): the schema, the live
 * records with their non-empty values, and the views. Two bases that print the same are the same to
 * their users; restore and undo are checked against it.
 */
export function canonicalBase(state: BaseState): string {
  const tables = [...state.tables.values()]
    .sort((a, b) => a.id.localeCompare(b.id))
    .map((t) => ({
      id: t.id,
      name: t.name,
      fields: [...t.fields]
        .sort((a, b) => a.id.localeCompare(b.id))
        .map((f) => [f.id, f.name, f.type, f.options]),
    }));
  const fieldIds = new Map(
    [...state.tables.values()].map((t) => [t.id, new Set(t.fields.map((f) => f.id))]),
  );
  const records = [...state.records.values()]
    .filter((r) => !r.archived)
    .sort((a, b) => a.id.localeCompare(b.id))
    .map((r) => {
      const live = fieldIds.get(r.table_id);
      const values = Object.keys(r.values)
        .filter((k) => live?.has(k) && !isEmptyValue(r.values[k]) && r.values[k] !== false)
        .sort()
        .map((k) => [k, r.values[k]]);
      return [r.id, r.table_id, values];
    });
  const views = [...state.views.values()]
    .sort((a, b) => a.id.localeCompare(b.id))
    .map((v) => [v.id, v.table_id, v.name, v.config]);
  return JSON.stringify({ tables, records, views });
}
