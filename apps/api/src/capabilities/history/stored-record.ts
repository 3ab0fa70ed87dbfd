import { type CellValues } from '@crm/events';
import { type RecordNow } from '@crm/domain';

/**
 * A record as a restore compares it, its values left in the JSON they were stored in. A restore to
 * a moment long ago compares every record of the base once; parsing on each read keeps the parsed
 * values short-lived, so a hundred thousand records do not all sit in memory as objects at once.
 */
export class StoredRecord implements RecordNow {
  constructor(
    readonly id: string,
    readonly table_id: string,
    readonly version: number,
    readonly archived: boolean,
    private readonly valuesJson: string,
  ) {}

  /** Parsed afresh on every read. */
  get values(): CellValues {
    return JSON.parse(this.valuesJson) as CellValues;
  }
}
