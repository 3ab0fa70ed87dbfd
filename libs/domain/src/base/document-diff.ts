import { type FieldDefinition, type ViewConfig } from '@crm/events';
import { invalid } from '../errors';
import { type ChangeOp } from '../record/decide/apply-changes.decide';
import { cellValue, emptyValueFor } from '../record/record.state';
import { type CreateTable, type FieldInput } from '../table/decide/create-table.decide';
import { retypedValue } from '../table/decide/retype-field.decide';
import { normalizeFieldOptions } from '../values/field-options';
import { isComputedType } from '../values/field-types';
import { isPersonalView } from '../view/view.access';
import { valuesEqual } from '../values/normalize';
import { type DecideContext } from './decide-context';

export interface BaseDocument {
  tables: {
    id: string;
    name: string;
    role?: string | null;
    fields: FieldInput[];
    records?: { id: string; values: Record<string, unknown> }[];
  }[];
  views?: { id: string; table_id: string; name: string; config: ViewConfig }[];
}

export type PlannedCommand =
  | { kind: 'create_table'; command: CreateTable }
  | { kind: 'add_field'; table_id: string; field: FieldInput }
  | { kind: 'rename_field'; field_id: string; name: string }
  | { kind: 'retype_field'; field_id: string; type: string; options: Record<string, unknown> }
  | { kind: 'remove_field'; field_id: string }
  | { kind: 'changes'; changes: ChangeOp[] }
  | { kind: 'save_view'; view_id: string; table_id: string; name: string; config: ViewConfig }
  | { kind: 'delete_view'; view_id: string };

const isObj = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * Turns a whole posted document into the commands that make the current base equal to it. Schema
 * first, then records, then views, so that later commands see the fields they need. Records left out
 * of the document are archived, never deleted. Tables left out are kept (removing a table is not a
 * grid operation).
 */
export function planDocument(doc: BaseDocument, ctx: DecideContext): PlannedCommand[] {
  if (!isObj(doc) || !Array.isArray(doc.tables))
    throw invalid('state.tables must be a list', { field: 'state.tables' });
  const { schema, retyped } = planSchema(doc, ctx);
  const changes = planRecords(doc, ctx, retyped);
  const views = planViews(doc, ctx);
  return [...schema, ...(changes.length ? [{ kind: 'changes' as const, changes }] : []), ...views];
}

/**
 * New tables, and the field changes of existing ones; with the fields this document retypes, as
 * they will be when its record changes run (those compare against converted values).
 */
function planSchema(
  doc: BaseDocument,
  ctx: DecideContext,
): { schema: PlannedCommand[]; retyped: Map<string, FieldDefinition> } {
  const schema: PlannedCommand[] = [];
  const retyped = new Map<string, FieldDefinition>();
  const tableExists = (id: string) =>
    !!ctx.table(id) || doc.tables.some((x) => isObj(x) && x.id === id);
  doc.tables.forEach((t, ti) => {
    if (!isObj(t) || typeof t.id !== 'string' || !Array.isArray(t.fields))
      throw invalid(`state.tables[${ti}] needs an id and a list of fields`, {
        field: `state.tables[${ti}]`,
      });
    const existing = ctx.table(t.id);
    if (!existing) {
      schema.push({
        kind: 'create_table',
        command: { table_id: t.id, name: t.name, role: t.role ?? null, fields: t.fields },
      });
    } else {
      const posted = new Set<string>();
      t.fields.forEach((f, fi) => {
        if (!isObj(f) || typeof f.id !== 'string')
          throw invalid(`state.tables[${ti}].fields[${fi}] needs an id`, {
            field: `state.tables[${ti}].fields[${fi}].id`,
          });
        posted.add(f.id);
        const cur = existing.fields.find((x) => x.id === f.id);
        if (!cur) return schema.push({ kind: 'add_field', table_id: t.id, field: f });
        if (f.name !== cur.name)
          schema.push({ kind: 'rename_field', field_id: f.id, name: f.name });
        if (
          f.type !== cur.type ||
          JSON.stringify(f.options ?? {}) !== JSON.stringify(cur.options)
        ) {
          schema.push({
            kind: 'retype_field',
            field_id: f.id,
            type: f.type,
            options: f.options ?? {},
          });
          retyped.set(cur.id, {
            ...cur,
            type: f.type,
            options: normalizeFieldOptions(cur.name, f.type, f.options ?? {}, {
              tableExists,
              fields: existing.fields,
              fieldId: cur.id,
            }),
          });
        }
      });
      for (const cur of existing.fields)
        if (!posted.has(cur.id)) schema.push({ kind: 'remove_field', field_id: cur.id });
    }
  });
  return { schema, retyped };
}

/** Records created, changed (from their value as stored, or as retyped), brought back or archived. */
function planRecords(
  doc: BaseDocument,
  ctx: DecideContext,
  retyped: ReadonlyMap<string, FieldDefinition>,
): ChangeOp[] {
  const changes: ChangeOp[] = [];
  doc.tables.forEach((t, ti) => {
    const existing = ctx.table(t.id);
    const seen = new Set<string>();
    (t.records ?? []).forEach((r, ri) => {
      if (!isObj(r) || typeof r.id !== 'string' || (r.values !== undefined && !isObj(r.values)))
        throw invalid(`state.tables[${ti}].records[${ri}] needs an id and values`, {
          field: `state.tables[${ti}].records[${ri}]`,
        });
      seen.add(r.id);
      const cur = ctx.record(r.id);
      if (!cur)
        return changes.push({
          op: 'create',
          table_id: t.id,
          record_id: r.id,
          values: r.values ?? {},
        });
      if (cur.table_id !== t.id)
        throw invalid(`record ${r.id} belongs to another table`, {
          field: `state.tables[${ti}].records[${ri}].id`,
        });
      if (cur.archived) changes.push({ op: 'unarchive', record_id: r.id });
      for (const [fieldId, to] of Object.entries(r.values ?? {})) {
        const field = existing?.fields.find((f) => f.id === fieldId);
        // Values the system fills in (formulas, stamps) come back in a posted document as they were read.
        if (field && isComputedType(field.type)) continue;
        const target = field && retyped.get(field.id);
        const stored = cur.values[fieldId];
        const from = !field
          ? (stored ?? null)
          : !target
            ? cellValue(cur, field)
            : stored === undefined
              ? emptyValueFor(target)
              : retypedValue(stored, field, target).value;
        if (!field || !valuesEqual(from, to))
          changes.push({ op: 'set', record_id: r.id, field_id: fieldId, from, to });
      }
    });
    // A table sent without its records leaves them alone; a records list is the whole truth.
    if (existing && Array.isArray(t.records)) {
      for (const r of ctx.recordsOf(t.id))
        if (!r.archived && !seen.has(r.id)) changes.push({ op: 'archive', record_id: r.id });
    }
  });
  return changes;
}

function planViews(doc: BaseDocument, ctx: DecideContext): PlannedCommand[] {
  const views: PlannedCommand[] = [];
  if (doc.views !== undefined) {
    if (!Array.isArray(doc.views))
      throw invalid('state.views must be a list', { field: 'state.views' });
    const keep = new Set<string>();
    doc.views.forEach((v, vi) => {
      if (!isObj(v) || typeof v.id !== 'string')
        throw invalid(`state.views[${vi}] needs an id`, { field: `state.views[${vi}].id` });
      keep.add(v.id);
      views.push({
        kind: 'save_view',
        view_id: v.id,
        table_id: v.table_id,
        name: v.name,
        config: v.config,
      });
    });
    // Personal views are their owners' own: a document (which shows only the poster's) never deletes them.
    for (const id of ctx.viewIds())
      if (!keep.has(id) && !isPersonalView(ctx.view(id)?.config))
        views.push({ kind: 'delete_view', view_id: id });
  }
  return views;
}
