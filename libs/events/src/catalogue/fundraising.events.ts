/**
 * The fundraising base's events. Every change carries enough to invert it (`from` and `to`), so that
 * history, undo and restore are computed from the log alone.
 */

export interface FieldDefinition {
  id: string;
  name: string;
  /** A field type name from the domain (`text`, `number`, `link`, ...); open so that new types can arrive. */
  type: string;
  options: Record<string, unknown>;
  /** A stable key (`investor.status`) that survives renames; null for fields people add. */
  role: string | null;
}

export type CellValue = string | number | boolean | null | string[] | Record<string, unknown>[];
export type CellValues = Record<string, CellValue>;

export interface CellChange {
  field_id: string;
  from: CellValue;
  to: CellValue;
}

export interface ViewConfig {
  [key: string]: unknown;
}

export interface TableCreatedData {
  table_id: string;
  name: string;
  role: string | null;
  primary_field_id: string;
  fields: FieldDefinition[];
}
export interface TableRenamedData {
  table_id: string;
  from: string;
  to: string;
}
export interface FieldAddedData {
  table_id: string;
  field: FieldDefinition;
}
export interface FieldRenamedData {
  table_id: string;
  field_id: string;
  from: string;
  to: string;
}
export interface FieldRetypedData {
  table_id: string;
  field_id: string;
  from: { type: string; options: Record<string, unknown> };
  to: { type: string; options: Record<string, unknown> };
  /** Values that could not convert and were cleared; the record events of the same batch hold them too. */
  unconverted: { record_id: string; value: CellValue }[];
}
export interface FieldRemovedData {
  table_id: string;
  field: FieldDefinition;
  /** Every record's value of the field at removal (by record id), so the removal can be undone. Absent in early events. */
  values?: Record<string, CellValue>;
}
/**
 * Where an imported record or change came from: the import, the file and the line its row starts on.
 * Optional and additive (schema version 1): events from the grid or the API carry none.
 */
export interface ImportProvenance {
  import_id: string;
  file_name: string;
  line: number;
}
export interface RecordCreatedData {
  table_id: string;
  record_id: string;
  values: CellValues;
  provenance?: ImportProvenance;
}
export interface RecordUpdatedData {
  table_id: string;
  record_id: string;
  changes: CellChange[];
  provenance?: ImportProvenance;
}
export interface RecordArchivedData {
  table_id: string;
  record_id: string;
}
export interface RecordUnarchivedData {
  table_id: string;
  record_id: string;
}
export interface ViewSavedData {
  view_id: string;
  table_id: string;
  name: string;
  config: ViewConfig;
  previous: { name: string; config: ViewConfig } | null;
}
export interface ViewDeletedData {
  view_id: string;
  table_id: string;
  previous: { name: string; config: ViewConfig };
}

export interface FundraisingEventMap {
  TableCreated: TableCreatedData;
  TableRenamed: TableRenamedData;
  FieldAdded: FieldAddedData;
  FieldRenamed: FieldRenamedData;
  FieldRetyped: FieldRetypedData;
  FieldRemoved: FieldRemovedData;
  RecordCreated: RecordCreatedData;
  RecordUpdated: RecordUpdatedData;
  RecordArchived: RecordArchivedData;
  RecordUnarchived: RecordUnarchivedData;
  ViewSaved: ViewSavedData;
  ViewDeleted: ViewDeletedData;
}

export type FundraisingEventType = keyof FundraisingEventMap;

/** A discriminated union of the fundraising events' `{ type, data }`. */
export type FundraisingEvent = {
  [K in FundraisingEventType]: { type: K; data: FundraisingEventMap[K] };
}[FundraisingEventType];

export const FUNDRAISING_EVENT_TYPES: readonly FundraisingEventType[] = [
  'TableCreated',
  'TableRenamed',
  'FieldAdded',
  'FieldRenamed',
  'FieldRetyped',
  'FieldRemoved',
  'RecordCreated',
  'RecordUpdated',
  'RecordArchived',
  'RecordUnarchived',
  'ViewSaved',
  'ViewDeleted',
];

export const streams = {
  table: (id: string) => `table-${id}`,
  record: (id: string) => `record-${id}`,
  view: (id: string) => `view-${id}`,
  user: (id: string) => `user-${id}`,
  system: 'system',
};
