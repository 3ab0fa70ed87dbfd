import { type FundraisingEvent } from '@crm/events';
import { type TableState } from './table.state';

/** Applies one table-stream event; events of other kinds leave the table as it is. Never throws. */
export function evolveTable(
  state: TableState | undefined,
  event: FundraisingEvent,
): TableState | undefined {
  switch (event.type) {
    case 'TableCreated': {
      const d = event.data;
      return {
        id: d.table_id,
        name: d.name,
        role: d.role,
        primary_field_id: d.primary_field_id,
        fields: d.fields.map((f) => ({ ...f })),
        version: 1,
      };
    }
    case 'TableRenamed':
      return state && { ...state, name: event.data.to, version: state.version + 1 };
    case 'FieldAdded':
      return (
        state && {
          ...state,
          fields: [...state.fields, { ...event.data.field }],
          version: state.version + 1,
        }
      );
    case 'FieldRenamed':
      return (
        state && {
          ...state,
          fields: state.fields.map((f) =>
            f.id === event.data.field_id ? { ...f, name: event.data.to } : f,
          ),
          version: state.version + 1,
        }
      );
    case 'FieldRetyped':
      return (
        state && {
          ...state,
          fields: state.fields.map((f) =>
            f.id === event.data.field_id
              ? { ...f, type: event.data.to.type, options: event.data.to.options }
              : f,
          ),
          version: state.version + 1,
        }
      );
    case 'FieldRemoved':
      return (
        state && {
          ...state,
          fields: state.fields.filter((f) => f.id !== event.data.field.id),
          version: state.version + 1,
        }
      );
    default:
      return state;
  }
}
