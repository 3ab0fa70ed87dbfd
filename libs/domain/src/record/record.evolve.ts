import { type FundraisingEvent } from '@crm/events';
import { type RecordState } from './record.state';

export interface EventStamp {
  recorded_at: string;
  actor_id: string;
}

/** Applies one record-stream event. Never throws; an event that does not fit leaves the state as it is. */
export function evolveRecord(
  state: RecordState | undefined,
  event: FundraisingEvent,
  stamp: EventStamp,
): RecordState | undefined {
  switch (event.type) {
    case 'RecordCreated': {
      return {
        id: event.data.record_id,
        table_id: event.data.table_id,
        values: { ...event.data.values },
        archived: false,
        version: 1,
        created_at: stamp.recorded_at,
        created_by: stamp.actor_id,
        updated_at: stamp.recorded_at,
        updated_by: stamp.actor_id,
        cells: {},
      };
    }
    case 'RecordUpdated': {
      if (!state) return state;
      const values = { ...state.values };
      const cells = { ...state.cells };
      for (const c of event.data.changes) {
        values[c.field_id] = c.to;
        cells[c.field_id] = { at: stamp.recorded_at, by: stamp.actor_id };
      }
      return {
        ...state,
        values,
        cells,
        version: state.version + 1,
        updated_at: stamp.recorded_at,
        updated_by: stamp.actor_id,
      };
    }
    case 'RecordArchived':
    case 'RecordUnarchived':
      return (
        state && {
          ...state,
          archived: event.type === 'RecordArchived',
          version: state.version + 1,
          updated_at: stamp.recorded_at,
          updated_by: stamp.actor_id,
        }
      );
    default:
      return state;
  }
}

/**
 * evolveRecord for a caller that owns the state outright (a rebuild holding every record in memory):
 * the same result, written into the state instead of into a copy, so that a million updates leave no
 * garbage behind. Only for a state no part of which anyone else can see (evolveRecord's results share
 * their cell stamps with the state they came from).
 */
export function evolveRecordInPlace(
  state: RecordState | undefined,
  event: FundraisingEvent,
  stamp: EventStamp,
): RecordState | undefined {
  switch (event.type) {
    case 'RecordUpdated': {
      if (!state) return state;
      for (const c of event.data.changes) {
        state.values[c.field_id] = c.to;
        // The cell's stamp is the state's own too: rewritten, not replaced by a new object.
        const cell = state.cells[c.field_id];
        if (cell) {
          cell.at = stamp.recorded_at;
          cell.by = stamp.actor_id;
        } else state.cells[c.field_id] = { at: stamp.recorded_at, by: stamp.actor_id };
      }
      state.version++;
      state.updated_at = stamp.recorded_at;
      state.updated_by = stamp.actor_id;
      return state;
    }
    case 'RecordArchived':
    case 'RecordUnarchived':
      if (!state) return state;
      state.archived = event.type === 'RecordArchived';
      state.version++;
      state.updated_at = stamp.recorded_at;
      state.updated_by = stamp.actor_id;
      return state;
    default:
      return evolveRecord(state, event, stamp);
  }
}
