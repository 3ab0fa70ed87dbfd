import { type ViewConfig } from '@crm/events';
import { type ViewState } from '@crm/domain';
import type { SavedView } from '@crm/contracts';

/** The settings as stored: validateViewConfig checked each one when the view was saved. */
type StoredSettings = ViewConfig &
  Partial<
    Pick<
      SavedView,
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
    >
  >;

/** A view as the API shows it: its settings spelled out with their defaults, and the stored config. */
export function viewJson(
  v: Pick<ViewState, 'id' | 'table_id' | 'name' | 'config'> & { version?: number },
): SavedView {
  const c = (v.config ?? {}) as StoredSettings;
  return {
    id: v.id,
    table_id: v.table_id,
    name: v.name,
    personal: c.personal === true,
    owner_id: c.personal === true && typeof c.owner_id === 'string' ? c.owner_id : null,
    locked: c.locked === true,
    default: c.default === true,
    filters: c.filters ?? null,
    sorts: c.sorts ?? [],
    hidden_fields: c.hidden_fields ?? [],
    field_order: c.field_order ?? [],
    field_widths: c.field_widths ?? {},
    // The primary field stays in sight while scrolling, unless the view says otherwise.
    frozen_columns: c.frozen_columns ?? 1,
    row_height: c.row_height ?? 'short',
    summaries: c.summaries ?? {},
    type: c.type === 'kanban' ? 'kanban' : 'grid',
    group_by: c.group_by ?? [],
    collapsed_groups: c.collapsed_groups ?? [],
    kanban: c.kanban ?? null,
    config: c,
  };
}
