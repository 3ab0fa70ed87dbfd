import {
  ANY_VERSION,
  type CellValue,
  type FieldDefinition,
  type FundraisingEvent,
  type RecordedEvent,
  streams,
} from '@crm/events';
import { type DecideContext, type Decision, DecisionBuilder } from '../base/decide-context';
import { evolveRecord } from '../record/record.evolve';
import { cellValue, type RecordState } from '../record/record.state';
import { evolveTable } from '../table/table.evolve';
import { type TableState } from '../table/table.state';
import { valuesEqual } from '../values/normalize';
import { type ViewState } from '../view/view.state';

export interface UndoCommand {
  /** The events to reverse, in any order; they are reversed newest first. */
  events: RecordedEvent[];
  at: string;
  actor_id: string;
}

export interface UndoDecision extends Decision {
  /** Events that cannot be reversed (a table's creation, account events, ...). */
  skipped: { position: number; type: string; reason: string }[];
  /** How many of the given events were reversed or already reversed. */
  reversed: number;
}

/**
 * Compensating events for a set of logged events: each change is reversed only where its result is
 * still there. A cell changed again since comes back as a conflict and keeps its current value, so
 * undoing one person's or one batch's edits never overwrites someone else's later work.
 */
export function decideUndo(cmd: UndoCommand, ctx: DecideContext): UndoDecision {
  const b = new DecisionBuilder();
  const skipped: UndoDecision['skipped'] = [];
  const records = new Map<string, RecordState | undefined>();
  const tables = new Map<string, TableState | undefined>();
  const views = new Map<string, ViewState | undefined>();
  const read = new Map<string, number>();
  const stamp = { recorded_at: cmd.at, actor_id: cmd.actor_id };
  let reversed = 0;

  const record = (id: string) => (records.has(id) ? records.get(id) : ctx.record(id));
  const table = (id: string) => (tables.has(id) ? tables.get(id) : ctx.table(id));
  const view = (id: string) => (views.has(id) ? views.get(id) : ctx.view(id));
  const version = (stream: string, current: number | undefined) => {
    if (!read.has(stream)) read.set(stream, current ?? 0);
    return read.get(stream)!;
  };
  const emitRecord = (r: RecordState, event: FundraisingEvent) => {
    b.emit(streams.record(r.id), version(streams.record(r.id), ctx.record(r.id)?.version), event);
    records.set(r.id, evolveRecord(r, event, stamp));
  };
  const emitTable = (t: TableState, event: FundraisingEvent) => {
    b.emit(streams.table(t.id), version(streams.table(t.id), ctx.table(t.id)?.version), event);
    tables.set(t.id, evolveTable(t, event));
  };
  const emitView = (id: string, event: FundraisingEvent, next: ViewState | undefined) => {
    // A deleted view has no state to read its stream version from; bringing it back skips the check.
    b.emit(
      streams.view(id),
      ctx.view(id) ? version(streams.view(id), ctx.view(id)!.version) : ANY_VERSION,
      event,
    );
    views.set(id, next);
  };
  const freeName = (t: TableState, name: string) => {
    const taken = new Set(t.fields.map((f) => f.name.trim().toLowerCase()));
    if (!taken.has(name.trim().toLowerCase())) return name;
    for (let i = 2; ; i++) if (!taken.has(`${name} (${i})`.toLowerCase())) return `${name} (${i})`;
  };

  const newestFirst = [...cmd.events].sort((x, y) => y.position - x.position);
  for (const recorded of newestFirst) {
    const e = recorded as unknown as FundraisingEvent;
    switch (e.type) {
      case 'RecordUpdated': {
        const r = record(e.data.record_id);
        const t = r && table(r.table_id);
        if (!r || !t) {
          skipped.push({
            position: recorded.position,
            type: e.type,
            reason: 'the record no longer exists',
          });
          break;
        }
        const changes: { field_id: string; from: CellValue; to: CellValue }[] = [];
        for (const c of e.data.changes) {
          const field = t.fields.find((f) => f.id === c.field_id);
          const now: CellValue = field ? cellValue(r, field) : (r.values[c.field_id] ?? null);
          if (valuesEqual(now, c.from) && JSON.stringify(now) === JSON.stringify(c.from)) continue;
          if (!field || !valuesEqual(now, c.to)) {
            const cell = r.cells[c.field_id];
            b.conflicts.push({
              record_id: r.id,
              field_id: c.field_id,
              expected: c.to,
              current: now,
              updated_at: cell?.at ?? r.updated_at,
              updated_by: cell?.by ?? r.updated_by,
            });
            continue;
          }
          changes.push({ field_id: c.field_id, from: now, to: c.from });
        }
        if (changes.length)
          emitRecord(r, {
            type: 'RecordUpdated',
            data: { table_id: r.table_id, record_id: r.id, changes },
          });
        reversed++;
        break;
      }
      case 'RecordCreated':
      case 'RecordUnarchived': {
        const r = record(e.data.record_id);
        if (r && !r.archived)
          emitRecord(r, {
            type: 'RecordArchived',
            data: { table_id: r.table_id, record_id: r.id },
          });
        reversed++;
        break;
      }
      case 'RecordArchived': {
        const r = record(e.data.record_id);
        if (r && r.archived)
          emitRecord(r, {
            type: 'RecordUnarchived',
            data: { table_id: r.table_id, record_id: r.id },
          });
        reversed++;
        break;
      }
      case 'FieldAdded': {
        const t = table(e.data.table_id);
        const field = t?.fields.find((f) => f.id === e.data.field.id);
        if (t && field)
          emitTable(t, {
            type: 'FieldRemoved',
            data: { table_id: t.id, field, values: valuesOf(t.id, field, ctx, records) },
          });
        reversed++;
        break;
      }
      case 'FieldRemoved': {
        const t = table(e.data.table_id);
        if (!t) break;
        if (!t.fields.some((f) => f.id === e.data.field.id)) {
          const field: FieldDefinition = { ...e.data.field, name: freeName(t, e.data.field.name) };
          emitTable(t, { type: 'FieldAdded', data: { table_id: t.id, field } });
          for (const [recordId, value] of Object.entries(e.data.values ?? {})) {
            const r = record(recordId);
            if (r)
              emitRecord(r, {
                type: 'RecordUpdated',
                data: {
                  table_id: t.id,
                  record_id: r.id,
                  changes: [{ field_id: field.id, from: r.values[field.id] ?? null, to: value }],
                },
              });
          }
        }
        reversed++;
        break;
      }
      case 'FieldRenamed': {
        const t = table(e.data.table_id);
        const field = t?.fields.find((f) => f.id === e.data.field_id);
        if (t && field && field.name === e.data.to) {
          const name = freeName(
            { ...t, fields: t.fields.filter((f) => f.id !== field.id) },
            e.data.from,
          );
          emitTable(t, {
            type: 'FieldRenamed',
            data: { table_id: t.id, field_id: field.id, from: field.name, to: name },
          });
          reversed++;
        } else if (t && field && field.name !== e.data.from) {
          skipped.push({
            position: recorded.position,
            type: e.type,
            reason: `the field was renamed again since (now "${field.name}")`,
          });
        }
        break;
      }
      case 'FieldRetyped': {
        const t = table(e.data.table_id);
        const field = t?.fields.find((f) => f.id === e.data.field_id);
        if (
          t &&
          field &&
          field.type === e.data.to.type &&
          JSON.stringify(field.options) === JSON.stringify(e.data.to.options)
        ) {
          emitTable(t, {
            type: 'FieldRetyped',
            data: {
              table_id: t.id,
              field_id: field.id,
              from: { type: field.type, options: field.options },
              to: e.data.from,
              unconverted: [],
            },
          });
          reversed++;
        } else if (t && field) {
          skipped.push({
            position: recorded.position,
            type: e.type,
            reason: 'the field changed type again since',
          });
        }
        break;
      }
      case 'ViewSaved': {
        const v = view(e.data.view_id);
        if (!v) break;
        if (e.data.previous) {
          const next = { ...v, name: e.data.previous.name, config: e.data.previous.config };
          emitView(
            v.id,
            {
              type: 'ViewSaved',
              data: {
                view_id: v.id,
                table_id: v.table_id,
                name: next.name,
                config: next.config,
                previous: { name: v.name, config: v.config },
              },
            },
            next,
          );
        } else {
          emitView(
            v.id,
            {
              type: 'ViewDeleted',
              data: {
                view_id: v.id,
                table_id: v.table_id,
                previous: { name: v.name, config: v.config },
              },
            },
            undefined,
          );
        }
        reversed++;
        break;
      }
      case 'ViewDeleted': {
        if (view(e.data.view_id)) break;
        const next = {
          id: e.data.view_id,
          table_id: e.data.table_id,
          name: e.data.previous.name,
          config: e.data.previous.config,
          version: 0,
        };
        emitView(
          next.id,
          {
            type: 'ViewSaved',
            data: {
              view_id: next.id,
              table_id: next.table_id,
              name: next.name,
              config: next.config,
              previous: null,
            },
          },
          next,
        );
        reversed++;
        break;
      }
      default:
        skipped.push({
          position: recorded.position,
          type: recorded.type,
          reason: 'this kind of change cannot be undone',
        });
    }
  }
  return { ...b.build(), skipped, reversed };
}

function valuesOf(
  tableId: string,
  field: FieldDefinition,
  ctx: DecideContext,
  overlay: Map<string, RecordState | undefined>,
): Record<string, CellValue> {
  const out: Record<string, CellValue> = {};
  for (const r of ctx.recordsOf(tableId)) {
    const cur = overlay.get(r.id) ?? r;
    if (cur.values[field.id] !== undefined) out[r.id] = cur.values[field.id];
  }
  return out;
}
