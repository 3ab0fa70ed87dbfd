import { type FieldDefinition } from '@crm/events';

export interface TableState {
  id: string;
  name: string;
  role: string | null;
  primary_field_id: string;
  fields: FieldDefinition[];
  /** Version of the table's stream. */
  version: number;
}

export const fieldOf = (table: TableState, fieldId: string): FieldDefinition | undefined =>
  table.fields.find((f) => f.id === fieldId);
export const fieldByRole = (table: TableState, role: string): FieldDefinition | undefined =>
  table.fields.find((f) => f.role === role);
