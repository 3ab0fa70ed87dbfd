import type { FieldDefinition } from '@crm/events';
import type { FilterGroup, KanbanSettings, SummaryKind, ViewGroup, ViewSort } from '@crm/domain';

/** A saved view as the API shows it (GET/POST/PATCH /api/fundraising/views). */
export interface SavedView {
  id: string;
  table_id: string;
  name: string;
  personal: boolean;
  owner_id: string | null;
  locked: boolean;
  default: boolean;
  filters: FilterGroup | null;
  sorts: ViewSort[];
  hidden_fields: string[];
  field_order: string[];
  field_widths: Record<string, number>;
  frozen_columns: number;
  row_height: 'short' | 'medium' | 'tall' | 'extra_tall';
  /** The summary bar: field id → the figure its column shows. */
  summaries: Record<string, SummaryKind>;
  type: 'grid' | 'kanban';
  /** Group levels, outermost first (at most three). */
  group_by: ViewSort[];
  /** Keys of the groups shown collapsed (ViewGroup.key). */
  collapsed_groups: string[];
  /** A board's column field, card fields and card order. */
  kanban: KanbanSettings | null;
  config: Record<string, unknown>;
}

/**
 * What a PATCH may change, each optional (the domain checks filters and sorts against the fields);
 * `config` holds other settings the web app keeps with a view.
 */
export type ViewChanges = Partial<
  Pick<
    SavedView,
    | 'name'
    | 'personal'
    | 'locked'
    | 'filters'
    | 'sorts'
    | 'hidden_fields'
    | 'field_order'
    | 'field_widths'
    | 'frozen_columns'
    | 'row_height'
    | 'summaries'
    | 'type'
    | 'group_by'
    | 'collapsed_groups'
    | 'kanban'
    | 'config'
  >
>;

/** GET /api/fundraising/views/:id/records: a page of the view's records in order. */
export interface ViewRecordsPage {
  version: number;
  view_id: string;
  total: number;
  /** A grouped view's groups (a board's columns), over all its records, not only this page. */
  groups?: ViewGroup[];
  records: {
    id: string;
    values: Record<string, unknown>;
    created_at: string;
    created_by: string | null;
    updated_at: string;
    updated_by: string | null;
  }[];
  next_cursor: string | null;
}

/** A moment of the log as an as-of answer names it: the time asked for and the last position at or before it. */
export interface LogMoment {
  at: string;
  position: number;
}

/**
 * GET /api/fundraising/views/:id/records?as_of=: the view over the base as it was at that moment
 * (its records, values and formula values then, the table's fields then), read-only. The view's
 * filters and sorts are those it had then (`view_defined: "then"`), or its present ones when it did
 * not exist yet (`"now"`); `definition=now` asks for its present ones over the base then. NOW() and relative date filters read the moment asked for.
 */
export interface ViewRecordsAsOfPage extends Omit<ViewRecordsPage, 'version' | 'records'> {
  as_of: LogMoment;
  read_only: true;
  view_defined: 'then' | 'now';
  /** The table's fields at that moment (a field added since is not there; one removed since is). */
  fields: FieldDefinition[];
  records: {
    id: string;
    values: Record<string, unknown>;
    created_at?: string | null;
    created_by?: string | null;
    updated_at?: string | null;
    updated_by?: string | null;
  }[];
}

/**
 * GET /api/fundraising/views/:id/diff?from=&to=: what moved in the view between two moments —
 * records that entered it, that left it (each with its values at the moment it was in the view), and
 * records in it both times whose values differ, with each changed field's value then and later.
 */
export interface ViewDiffResult {
  view_id: string;
  from: LogMoment;
  to: LogMoment;
  counts: { entered: number; left: number; changed: number };
  entered: ViewRecordsAsOfPage['records'];
  left: ViewRecordsAsOfPage['records'];
  changed: { id: string; changes: { field_id: string; from: unknown; to: unknown }[] }[];
  /** The table's fields at `to`. */
  fields: FieldDefinition[];
}

/** POST /api/fundraising/views/:id/cards/:record_id/move: put a card after another (null: at the top). */
export interface MoveCardRequest {
  after_record_id?: string | null;
}

/** POST /api/fundraising/views */
export type CreateViewRequest = ViewChanges & { table_id: string; name: string };

/** GET /api/fundraising/views */
export interface ViewList {
  views: SavedView[];
}

/** The answer to a create or a change: the view, the log position after it, and `view` repeating it. */
export type SavedViewResult = SavedView & { version: number; view: SavedView };

/** PUT /api/fundraising/views/:id: a grid view's layout, as the whole-base state lists views. */
export interface SaveViewLayoutRequest {
  table_id: string;
  name: string;
  config?: Record<string, unknown>;
}
