import { type FieldDefinition, type RecordedEvent } from '@crm/events';
import { type TableState } from '../../table/table.state';
import { type EventOf, type UndoWork } from './undo-work';

/** An added field is removed again (with its values, so that a redo brings them back). */
export function undoFieldAdded(w: UndoWork, e: EventOf<'FieldAdded'>): void {
  const t = w.table(e.data.table_id);
  const field = t?.fields.find((f) => f.id === e.data.field.id);
  if (t && field)
    w.emitTable(t, {
      type: 'FieldRemoved',
      data: { table_id: t.id, field, values: w.valuesOf(t.id, field) },
    });
  w.reversed++;
}

/** A removed field comes back (under a free name) with every value it held. */
export function undoFieldRemoved(w: UndoWork, e: EventOf<'FieldRemoved'>): void {
  const t = w.table(e.data.table_id);
  if (!t) return;
  if (!t.fields.some((f) => f.id === e.data.field.id)) {
    const field: FieldDefinition = { ...e.data.field, name: freeName(t, e.data.field.name) };
    w.emitTable(t, { type: 'FieldAdded', data: { table_id: t.id, field } });
    for (const [recordId, value] of Object.entries(e.data.values ?? {})) {
      const r = w.record(recordId);
      if (r)
        w.emitRecord(r, {
          type: 'RecordUpdated',
          data: {
            table_id: t.id,
            record_id: r.id,
            changes: [{ field_id: field.id, from: r.values[field.id] ?? null, to: value }],
          },
        });
    }
  }
  w.reversed++;
}

/** A field renamed takes its old name back, unless it was renamed again since. */
export function undoFieldRenamed(
  w: UndoWork,
  recorded: RecordedEvent,
  e: EventOf<'FieldRenamed'>,
): void {
  const t = w.table(e.data.table_id);
  const field = t?.fields.find((f) => f.id === e.data.field_id);
  if (!t || !field) return;
  if (field.name === e.data.to) {
    const others = { ...t, fields: t.fields.filter((f) => f.id !== field.id) };
    const name = freeName(others, e.data.from);
    w.emitTable(t, {
      type: 'FieldRenamed',
      data: { table_id: t.id, field_id: field.id, from: field.name, to: name },
    });
    w.reversed++;
  } else if (field.name !== e.data.from) {
    w.skip(recorded, `the field was renamed again since (now "${field.name}")`);
  }
}

/** A retyped field takes its old type and options back, unless it changed type again since. */
export function undoFieldRetyped(
  w: UndoWork,
  recorded: RecordedEvent,
  e: EventOf<'FieldRetyped'>,
): void {
  const t = w.table(e.data.table_id);
  const field = t?.fields.find((f) => f.id === e.data.field_id);
  if (!t || !field) return;
  if (
    field.type === e.data.to.type &&
    JSON.stringify(field.options) === JSON.stringify(e.data.to.options)
  ) {
    w.emitTable(t, {
      type: 'FieldRetyped',
      data: {
        table_id: t.id,
        field_id: field.id,
        from: { type: field.type, options: field.options },
        to: e.data.from,
        unconverted: [],
      },
    });
    w.reversed++;
  } else {
    w.skip(recorded, 'the field changed type again since');
  }
}

/** The name, or the name with the first free number after it: `Owner (2)`. */
export function freeName(t: TableState, name: string): string {
  const taken = new Set(t.fields.map((f) => f.name.trim().toLowerCase()));
  if (!taken.has(name.trim().toLowerCase())) return name;
  for (let i = 2; ; i++) if (!taken.has(`${name} (${i})`.toLowerCase())) return `${name} (${i})`;
}
