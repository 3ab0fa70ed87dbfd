import { type Upcaster } from '../upcasters';
import { type FieldRemovedDataV1 } from '../versions/field-removed.v1';

/** The schema version each event type is written at today; types not listed are at version 1. */
export const CURRENT_SCHEMA_VERSIONS: Readonly<Record<string, number>> = {
  FieldRemoved: 2,
};

export const schemaVersionOf = (type: string): number => CURRENT_SCHEMA_VERSIONS[type] ?? 1;

/** Lifts every older stored shape to the current one on read. */
export const UPCASTERS: Upcaster[] = [
  {
    // v1 did not carry the removed values: undoing such a removal brings the field back empty.
    type: 'FieldRemoved',
    from_version: 1,
    up: (data) => ({ ...(data as FieldRemovedDataV1), values: {} }),
  },
];
