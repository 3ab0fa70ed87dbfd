import type { AppliedChange, CellConflict } from '@crm/domain';
import type { CellValue, FieldDefinition } from '@crm/events';

/** A record as the grid reads it (GET /api/fundraising/state, …/tables/:id/records). */
export interface RecordJson {
  id: string;
  values: Record<string, CellValue>;
  created_at: string;
  created_by: string;
  updated_at: string;
  updated_by: string;
}

export interface TableJson {
  id: string;
  name: string;
  role: string | null;
  primary_field_id: string;
  fields: FieldDefinition[];
  records: RecordJson[];
}

/** A view as the whole-base state lists it (the saved-view API answers `SavedView`). */
export interface ViewJson {
  id: string;
  table_id: string;
  name: string;
  config: {
    default?: boolean;
    field_order?: string[];
    field_widths?: Record<string, number>;
    [k: string]: unknown;
  };
}

/** GET /api/fundraising/state: the whole base at one log position. */
export interface StateJson {
  version: number;
  updated_at: string | null;
  updated_by: string | null;
  tables: TableJson[];
  views: ViewJson[];
}

/** PUT /api/fundraising/state: the whole document, checked against the base version it was read at. */
export interface PutStateRequest {
  expected_version: number;
  /** Shaped as `StateJson`; the domain checks it field by field. */
  state: Record<string, unknown>;
}

export interface PutStateResult {
  version: number;
  commands: number;
}

/**
 * One change of a batch (POST /api/fundraising/changes). A `set` is a compare-and-set: it applies
 * when the cell holds `from`. The server names a created record when the client does not.
 */
export type ChangeInput =
  | { op: 'create'; table_id: string; record_id?: string; values?: Record<string, CellValue> }
  | { op: 'set'; record_id: string; field_id: string; from?: CellValue; to: CellValue }
  | { op: 'archive' | 'unarchive'; record_id: string };

export interface ChangesRequest {
  changes: ChangeInput[];
}

/** A cell whose compare-and-set lost: what the sender expected, what is there, and who put it there. */
export interface Conflict extends CellConflict {
  expected: CellValue;
  current: CellValue;
}

/** The answer to a batch: every change applied in order, and the cells that conflicted. */
export interface ChangesResult {
  version: number;
  applied: AppliedChange[];
  conflicts: Conflict[];
}

/** One event of the live stream (GET /api/fundraising/events/stream, `data:` of each message). */
export interface LiveEvent {
  position: number;
  type: string;
  data: Record<string, unknown>;
  recorded_at: string;
  actor_id: string;
  actor_name: string | null;
  source: string;
}

/** GET /api/fundraising/actors: who appears in "modified by" columns. */
export interface ActorsList {
  actors: { id: string; name: string }[];
}

/** GET /api/fundraising/people: the team, whom a people field may name (disabled members too, flagged). */
export interface PeopleList {
  people: { id: string; name: string; email: string; disabled: boolean }[];
}

/** GET /api/config/web */
export interface WebConfig {
  handsontable_license_key: string;
}

/** The answer of a change that has nothing else to say: the log position after it. */
export interface VersionResult {
  version: number;
}
