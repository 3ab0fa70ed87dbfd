import { LISTS_FIELD_ID, orderedLists, type ViewGroup, viewGroups } from '@crm/domain';
import type { FieldDefinition } from '@crm/events';
import type { GridRow, TableModel } from '../../fundraising/composables/base-model';
import type { SavedView } from '../api/views.api';
import { gridRowAccess, readerZone } from '../view-engine';

/** Height of one group header band above a row. */
export const GROUP_BAND = 30;

/**
 * The group headers of a grouped view over the rows it keeps (in view order): which rows show
 * (collapsed groups hide theirs), and which headers sit above each shown row. A header goes above
 * the first shown row at or after its group's start; headers with no row after them are trailing.
 */
export interface GroupLayout {
  groups: ViewGroup[];
  hidden: Set<GridRow>;
  bands: Map<GridRow, ViewGroup[]>;
  trailing: ViewGroup[];
  collapsed: Set<string>;
  /** Each row's grouped values when drawn: a row whose values differ has changed group. */
  keyOf: (row: GridRow) => string;
  drawnKeys: Map<GridRow, string>;
}

export function groupLayout(
  t: TableModel,
  view: SavedView | undefined,
  ordered: GridRow[],
  now: number,
  currency?: (row: GridRow, field: FieldDefinition) => string | null,
  listsOf?: (id: string) => ReadonlySet<string>,
): GroupLayout | null {
  if (!view?.group_by?.length) return null;
  const access = { ...gridRowAccess(t), ...(currency ? { currency } : {}) };
  const groups = viewGroups(ordered, t.fields, view.group_by, access, {
    now,
    timeZone: readerZone(),
    listsOf,
  });
  const collapsed = new Set(view.collapsed_groups ?? []);
  const hidden = new Set<GridRow>();
  const shownGroups: ViewGroup[] = [];
  // Groups come outer first; a group under a collapsed one is not shown at all.
  const closedAt: { end: number; level: number }[] = [];
  for (const g of groups) {
    while (closedAt.length && closedAt[closedAt.length - 1].end <= g.start) closedAt.pop();
    if (closedAt.some((c) => c.level < g.level)) continue;
    shownGroups.push(g);
    if (collapsed.has(g.key)) {
      closedAt.push({ end: g.start + g.count, level: g.level });
      for (let i = g.start; i < g.start + g.count; i++) hidden.add(ordered[i]);
    }
  }
  const bands = new Map<GridRow, ViewGroup[]>();
  const trailing: ViewGroup[] = [];
  for (const g of shownGroups) {
    let i = g.start;
    while (i < ordered.length && hidden.has(ordered[i])) i++;
    if (i >= ordered.length) trailing.push(g);
    else bands.set(ordered[i], [...(bands.get(ordered[i]) ?? []), g]);
  }
  const at = view.group_by.map((g) => t.fields.findIndex((f) => f.id === g.field_id));
  // A level on the Lists column reads the row's lists (a move to another list changes its group).
  const onLists = view.group_by.map((g) => g.field_id === LISTS_FIELD_ID);
  const keyOf = (row: GridRow) =>
    JSON.stringify(
      at.map((i, l) => (onLists[l] ? orderedLists(listsOf?.(row.id) ?? []) : (row[i] ?? null))),
    );
  const drawnKeys = new Map(ordered.map((r) => [r, keyOf(r)]));
  return { groups, hidden, bands, trailing, collapsed, keyOf, drawnKeys };
}
