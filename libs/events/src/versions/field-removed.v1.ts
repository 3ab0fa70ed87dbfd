import { type FieldDefinition } from '../catalogue/fundraising.events';

/** FieldRemoved as first stored (schema version 1): without the removed values. Frozen; never edit. */
export interface FieldRemovedDataV1 {
  table_id: string;
  field: FieldDefinition;
}
