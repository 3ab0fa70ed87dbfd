import type { CellValue, FieldDefinition } from '@crm/events';

/** POST /api/fundraising/tables/:id/fields */
export interface AddFieldRequest {
  name: string;
  type: string;
  options?: Record<string, unknown>;
}

/** PATCH /api/fundraising/fields/:id: rename, retype or change options. */
export interface UpdateFieldRequest {
  name?: string;
  type?: string;
  options?: Record<string, unknown>;
}

/** A field as the schema routes answer it: with its table, the formula shown with field names. */
export type FieldJson = FieldDefinition & { table_id: string };

export interface AddFieldResult {
  version: number;
  field: FieldJson;
}

export interface UpdateFieldResult {
  version: number;
  field: FieldJson | null;
  /** Values a retype could not convert (kept in the history, blank in the new type). */
  unconverted: { record_id: string; value: CellValue }[];
}
