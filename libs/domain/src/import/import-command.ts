import { type CellValue } from '@crm/events';
import { invalid } from '../errors';
import { type FieldInput } from '../table/decide/create-table.decide';
import { type CommitImport } from './decide-import';
import { type ImportPlan } from './plan-import';

export interface ImportCommandContext {
  import_id: string;
  file_name: string;
  table_id: string;
  new_table: CommitImport['new_table'];
  /** The fields the import adds, as the mapping defines them (their choices come from the plan). */
  new_fields: FieldInput[];
  /** Ids come from the caller, so that this stays pure. */
  newRecordId(): string;
}

/**
 * Turns a reviewed plan into the commit command: gives every record the plan creates an id, puts
 * those ids where the plan linked to a row of the file (`row:<line>`) or to a name it creates
 * (`new:<n>`), and folds the choices of added select fields into their definitions.
 */
export function importCommandFromPlan(plan: ImportPlan, c: ImportCommandContext): CommitImport {
  const link_creates = plan.link_creates.map((lc) => ({
    table_id: lc.table_id,
    record_id: c.newRecordId(),
    name: lc.name,
    line: lc.line,
  }));
  const createIds = plan.creates.map(() => c.newRecordId());
  // Reference → id, made on the first reference met: most files link to no row of their own.
  let ids: Map<string, string> | null = null;
  const idOf = (ref: string): string | undefined => {
    if (!ids) {
      ids = new Map(plan.link_creates.map((lc, i) => [lc.ref, link_creates[i].record_id]));
      plan.creates.forEach((cr, i) => ids!.set(cr.ref, createIds[i]));
    }
    return ids.get(ref);
  };
  const swap = (v: CellValue): CellValue => {
    if (!Array.isArray(v)) return v;
    let changed = false;
    const out = (v as unknown[]).map((x) => {
      if (typeof x !== 'string' || (!x.startsWith('row:') && !x.startsWith('new:'))) return x;
      const id = idOf(x);
      if (!id)
        throw invalid(`a linked row (${x.replace('row:', 'line ')}) is left out of the import`, {
          given: x,
        });
      changed = true;
      return id;
    });
    return (changed ? out : v) as CellValue;
  };
  const added = new Set(c.new_fields.map((f) => f.id));
  const choices = new Map(plan.new_choices.map((x) => [x.field_id, x.choices]));
  const new_fields = c.new_fields.map((f) => {
    const extra = choices.get(f.id);
    if (!extra || (f.type !== 'single_select' && f.type !== 'multiple_select')) return f;
    const known = ((f.options?.choices as { name: string }[] | undefined) ?? []).map((x) =>
      typeof x === 'string' ? { name: x } : x,
    );
    return {
      ...f,
      options: {
        ...f.options,
        choices: [
          ...known,
          ...extra.filter((e) => !known.some((k) => k.name === e)).map((name) => ({ name })),
        ],
      },
    };
  });
  return {
    import_id: c.import_id,
    file_name: c.file_name,
    table_id: c.table_id,
    new_table: c.new_table,
    new_fields,
    new_choices: plan.new_choices.filter((x) => !added.has(x.field_id)),
    link_creates,
    creates: plan.creates.map((cr, i) => {
      // Only lists can hold a reference to swap; a row without one keeps its values object.
      let values = cr.values;
      for (const k in cr.values) {
        const v = cr.values[k];
        if (!Array.isArray(v)) continue;
        const swapped = swap(v);
        if (swapped === v) continue;
        if (values === cr.values) values = { ...cr.values };
        values[k] = swapped;
      }
      return { record_id: createIds[i], line: cr.line, values };
    }),
    updates: plan.updates.map((u) => ({
      record_id: u.record_id,
      line: u.line,
      changes: u.changes.map((ch) => ({ ...ch, to: swap(ch.to) })),
    })),
  };
}
