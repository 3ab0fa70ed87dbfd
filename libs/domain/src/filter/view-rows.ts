import { type FieldDefinition } from '@crm/events';

/** The rows a view filters and sorts, how a field's value is read from one, and the context. */

export interface RowAccess<R> {
  value(row: R, field: FieldDefinition): unknown;
  /** The row's record id, for list conditions (without it they hold for no row). */
  id?(row: R): string;
  /**
   * The currency of the row's amount in a currency field that takes it from a link (a commitment's
   * fund's). Without it such amounts are not summed: a sum may not mix currencies.
   */
  currency?(row: R, field: FieldDefinition): string | null;
}

export interface ViewEvalContext {
  /** "Today" for relative date filters, ms since the epoch. */
  now: number;
  /** The calendar dates and times are read in (UTC by default, on both sides). */
  timeZone?: string | null;
  /** The user reading the view: what a `{ "me": true }` condition names (nobody without it). */
  me?: string | null;
  /** A person's name, to sort people fields (and created by / last modified by) by name; ids without it. */
  personName?(id: string): string | undefined;
  /** Names of linked records, for `contains` and sorting on link fields; ids are used without it. */
  recordName?(id: string): string | undefined;
  /** The lists a record is in (`all` aside), for `in_list` conditions; none without it. */
  listsOf?(recordId: string): ReadonlySet<string>;
}

/** A row as the API sends it: values by field id (formula values included) and the record's stamps. */
export interface ViewRecord {
  id: string;
  values: Record<string, unknown>;
  created_at?: string | null;
  created_by?: string | null;
  updated_at?: string | null;
  updated_by?: string | null;
}

export const recordAccess: RowAccess<ViewRecord> = {
  id: (row) => row.id,
  value(row, field) {
    switch (field.type) {
      case 'created_time':
        return row.created_at ?? null;
      case 'last_modified_time':
        return row.updated_at ?? null;
      case 'created_by':
        return row.created_by ?? null;
      case 'last_modified_by':
        return row.updated_by ?? null;
      default:
        return row.values[field.id];
    }
  },
};
