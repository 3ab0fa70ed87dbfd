import { type CellValue, type FieldDefinition, streams } from '@crm/events';
import { type DecideContext, type Decision, DecisionBuilder } from '../base/decide-context';
import { type TableState } from './table.state';

/**
 * Two-way links, as in Airtable: a link field has an inverse field in the table it points at
 * (`options.inverse_field_id`, both ways), created with it and kept in step by the edits of either
 * side. `inverse_field_id: null` is a link without one (a table linking to itself).
 */

/** The inverse field a link of `source` gets in `target`: named after the source table, made unique. */
export function inverseFieldOf(
  source: TableState,
  link: FieldDefinition,
  target: TableState,
  id: string,
): FieldDefinition {
  const taken = new Set(target.fields.map((f) => f.name.trim().toLowerCase()));
  let name = source.name;
  for (let i = 2; taken.has(name.toLowerCase()); i++) name = `${source.name} ${i}`;
  return {
    id,
    name,
    type: 'link',
    options: { table_id: source.id, inverse_field_id: link.id },
    role: inverseRole(source, link, target),
  };
}

/** A role for the inverse of a link with a role (`investor.commitments`), so projections find it too. */
function inverseRole(source: TableState, link: FieldDefinition, target: TableState): string | null {
  const prefix = target.fields.find((f) => f.role)?.role?.split('.')[0];
  return link.role && source.role && prefix ? `${prefix}.${source.role}` : null;
}

/** The inverse field of a link field, when it has one that still points back. */
export function inverseOf(
  ctx: Pick<DecideContext, 'table'>,
  field: FieldDefinition,
): { table: TableState; field: FieldDefinition } | null {
  if (field.type !== 'link' || typeof field.options.inverse_field_id !== 'string') return null;
  const table = ctx.table(String(field.options.table_id));
  const inverse = table?.fields.find((f) => f.id === field.options.inverse_field_id);
  return table && inverse?.type === 'link' ? { table, field: inverse } : null;
}

export interface AddLinkInverses {
  /** A new field id for each link field without an inverse yet (by link field id). */
  inverse_ids: Record<string, string>;
}

/**
 * The upgrade of one-way links: every link field made before links had two sides (no
 * `inverse_field_id` in its options) gets its inverse field in the table it points at, filled from
 * the links already there. Appends events, never edits them; a link to its own table stays one-way.
 */
export function decideAddLinkInverses(cmd: AddLinkInverses, ctx: DecideContext): Decision {
  const b = new DecisionBuilder();
  const tables = new Map(ctx.tables().map((t) => [t.id, t]));
  // Each record's new inverse cells, so that a record linked from several tables changes once.
  const fills = new Map<string, Map<string, string[]>>();
  for (const source of ctx.tables()) {
    for (const link of source.fields) {
      if (link.type !== 'link' || 'inverse_field_id' in link.options) continue;
      const target = tables.get(String(link.options.table_id));
      const id = cmd.inverse_ids[link.id];
      const twoWay = !!target && target.id !== source.id && typeof id === 'string';
      const inverse = twoWay ? inverseFieldOf(source, link, target, id) : null;
      b.emit(streams.table(source.id), source.version, {
        type: 'FieldRetyped',
        data: {
          table_id: source.id,
          field_id: link.id,
          from: { type: link.type, options: link.options },
          to: { type: 'link', options: { ...link.options, inverse_field_id: inverse?.id ?? null } },
          unconverted: [],
        },
      });
      if (!inverse || !target) continue;
      b.emit(streams.table(target.id), target.version, {
        type: 'FieldAdded',
        data: { table_id: target.id, field: inverse },
      });
      tables.set(target.id, { ...target, fields: [...target.fields, inverse] });
      for (const r of ctx.recordsOf(source.id)) {
        const v = r.values[link.id];
        if (!Array.isArray(v)) continue;
        for (const t of v as string[]) {
          const cells = fills.get(t) ?? new Map<string, string[]>();
          cells.set(inverse.id, [...(cells.get(inverse.id) ?? []), r.id]);
          fills.set(t, cells);
        }
      }
    }
  }
  for (const [recordId, cells] of fills) {
    const r = ctx.record(recordId);
    if (!r) continue;
    b.emit(streams.record(r.id), r.version, {
      type: 'RecordUpdated',
      data: {
        table_id: r.table_id,
        record_id: r.id,
        changes: [...cells].map(([field_id, to]) => ({ field_id, from: [] as CellValue, to })),
      },
    });
  }
  return b.build();
}

export interface SyncLinkInverses {
  /** The tables whose link cells are right (an import wrote them); their links' other sides follow. */
  table_ids: string[];
}

/**
 * Brings the other side of the two-way links of these tables in line with their link cells: writes
 * that do not go through the grid's changes (an import's rows) set one side only. Each record of the
 * other table whose inverse cell differs gets it set: the records it keeps in their order, then the
 * new ones.
 */
export function decideSyncLinkInverses(cmd: SyncLinkInverses, ctx: DecideContext): Decision {
  const b = new DecisionBuilder();
  const fills = new Map<string, Map<string, string[]>>();
  for (const tableId of cmd.table_ids) {
    const source = ctx.table(tableId);
    for (const link of source?.fields ?? []) {
      const inverse = inverseOf(ctx, link);
      if (!source || !inverse || inverse.field.options.inverse_field_id !== link.id) continue;
      const expected = new Map<string, string[]>();
      for (const r of ctx.recordsOf(source.id))
        for (const t of idsIn(r.values[link.id]))
          expected.set(t, [...(expected.get(t) ?? []), r.id]);
      for (const r of ctx.recordsOf(inverse.table.id)) {
        const now = idsIn(r.values[inverse.field.id]);
        const want = new Set(expected.get(r.id) ?? []);
        const next = [
          ...now.filter((x) => want.has(x)),
          ...[...want].filter((x) => !now.includes(x)),
        ];
        if (next.length === now.length && next.every((x, i) => x === now[i])) continue;
        const cells = fills.get(r.id) ?? new Map<string, string[]>();
        cells.set(inverse.field.id, next);
        fills.set(r.id, cells);
      }
    }
  }
  for (const [recordId, cells] of fills) {
    const r = ctx.record(recordId)!;
    b.emit(streams.record(r.id), r.version, {
      type: 'RecordUpdated',
      data: {
        table_id: r.table_id,
        record_id: r.id,
        changes: [...cells].map(([field_id, to]) => ({
          field_id,
          from: (r.values[field_id] ?? []) as CellValue,
          to,
        })),
      },
    });
  }
  return b.build();
}

const idsIn = (v: unknown): string[] =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
