import { type FundraisingEvent, type RecordedEvent } from '@crm/events';
import { evolveRecord } from '../record/record.evolve';
import { type RecordState } from '../record/record.state';
import { evolveTable } from '../table/table.evolve';
import { type TableState } from '../table/table.state';
import { type ViewState } from '../view/view.state';
import { type DecideContext } from './decide-context';

/** The whole base in memory: what a replay of the log up to some position gives. */
export interface BaseState {
  tables: Map<string, TableState>;
  records: Map<string, RecordState>;
  views: Map<string, ViewState>;
  position: number;
}

export const initialBaseState = (): BaseState => ({
  tables: new Map(),
  records: new Map(),
  views: new Map(),
  position: 0,
});

/** Applies one logged event to the base. Never throws; unknown event types are skipped. */
export function evolveBase(state: BaseState, recorded: RecordedEvent): BaseState {
  const event = recorded as unknown as FundraisingEvent & RecordedEvent;
  const d = (event.data ?? {}) as { table_id?: string; record_id?: string; view_id?: string };
  if (event.stream_id.startsWith('table-') && d.table_id) {
    const next = evolveTable(state.tables.get(d.table_id), event);
    if (next) state.tables.set(d.table_id, next);
    if (event.type === 'FieldRemoved') {
      // A removed field's values leave the records; the log keeps them for undo and restore.
      const fieldId = event.data.field.id;
      for (const r of state.records.values()) {
        if (r.table_id === d.table_id && fieldId in r.values) {
          const { [fieldId]: _gone, ...values } = r.values;
          const { [fieldId]: _stamp, ...cells } = r.cells;
          state.records.set(r.id, { ...r, values, cells });
        }
      }
    }
  } else if (event.stream_id.startsWith('record-') && d.record_id) {
    const next = evolveRecord(state.records.get(d.record_id), event, {
      recorded_at: event.recorded_at,
      actor_id: event.metadata.actor_id,
    });
    if (next) state.records.set(d.record_id, next);
  } else if (event.type === 'ViewSaved') {
    const v = event.data;
    state.views.set(v.view_id, {
      id: v.view_id,
      table_id: v.table_id,
      name: v.name,
      config: v.config,
      version: recorded.stream_version,
    });
  } else if (event.type === 'ViewDeleted') {
    state.views.delete(event.data.view_id);
  }
  state.position = recorded.position;
  return state;
}

export function replay(
  events: Iterable<RecordedEvent>,
  from: BaseState = initialBaseState(),
): BaseState {
  let s = from;
  for (const e of events) s = evolveBase(s, e);
  return s;
}

/** A decide context over an in-memory base. */
export function contextOf(state: BaseState): DecideContext {
  return {
    table: (id) => state.tables.get(id),
    tables: () => [...state.tables.values()],
    record: (id) => state.records.get(id),
    recordsOf: function* (tableId) {
      for (const r of state.records.values()) if (r.table_id === tableId) yield r;
    },
    view: (id) => state.views.get(id),
    viewIds: () => state.views.keys(),
  };
}
