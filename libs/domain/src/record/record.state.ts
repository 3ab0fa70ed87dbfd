import { type CellValue, type CellValues, type FieldDefinition } from '@crm/events';

export interface CellStamp {
  at: string;
  by: string;
}

export interface RecordState {
  id: string;
  table_id: string;
  values: CellValues;
  archived: boolean;
  /** Version of the record's stream. */
  version: number;
  created_at: string;
  created_by: string;
  updated_at: string;
  updated_by: string;
  /** Who last changed each cell after the record was created, and when (absent: the creation stamp). */
  cells: Record<string, CellStamp>;
  /**
   * Values of the table's formula fields, derived from the record and never stored in events. The
   * grid read model keeps them; a replay of the log alone leaves them out.
   */
  computed?: Record<string, unknown>;
}

/** The value a cell shows when nothing was ever stored in it. */
export function emptyValueFor(field: Pick<FieldDefinition, 'type'>): CellValue {
  switch (field.type) {
    case 'checkbox':
      return false;
    case 'multiple_select':
    case 'link':
    case 'attachment':
    case 'user':
      return [];
    default:
      return null;
  }
}

export function cellValue(record: RecordState, field: FieldDefinition): CellValue {
  const v = record.values[field.id];
  return v === undefined ? emptyValueFor(field) : v;
}
