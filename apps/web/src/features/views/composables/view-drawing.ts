import { LISTS_FIELD_ID, type ViewEvalContext } from '@crm/domain';
import type { FieldDefinition } from '@crm/events';
import type Handsontable from 'handsontable/base';
import type { GridRow, TableModel } from '../../fundraising/composables/base-model';
import { columnWidth, orderedFields } from '../../fundraising/composables/column-layout';
import type { SavedView } from '../api/views.api';
import { readerZone, rowsForView } from '../view-engine';
import { GROUP_BAND, groupLayout, type GroupLayout } from './view-groups';

type IndexMap = ReturnType<Handsontable['rowIndexMapper']['createAndRegisterIndexMap']>;

export const ROW_HEIGHTS: Record<SavedView['row_height'], number> = {
  short: 34,
  medium: 56,
  tall: 88,
  extra_tall: 128,
};
/** The row numbers' column, left of the frozen ones. */
const ROW_HEADER_WIDTH = 50;
let drawings = 0;

/** The view with the list tab's condition added to its filters (the view itself without a tab). */
function withList(
  view: SavedView | undefined,
  list: ViewDrawing['list'],
): (Partial<SavedView> & { filters?: unknown }) | undefined {
  if (!list) return view;
  const inList = { field_id: LISTS_FIELD_ID, operator: 'in_list' as const, value: list };
  const own = view?.filters ? [view.filters] : [];
  return { ...view, filters: { conjunction: 'and', conditions: [inList, ...own] } };
}

/**
 * A table drawn through a view in Handsontable: rows ordered and trimmed, columns hidden, through
 * index maps of the grid's own, so the grid keeps rendering the table's arrays unchanged.
 */
export class ViewDrawing {
  /** The person looking, for filters on "me"; people's names, for sorting people fields. */
  me: string | null = null;
  personName?: (id: string) => string | undefined;
  /**
   * A list tab above the grid: only the records in that list are shown, through the view's own
   * filters (the same `in_list` condition a view or a rule may hold). Null: every record.
   */
  list: string | null = null;
  /** The lists each record is in, for list tabs and views filtering on lists. */
  listsOf?: (id: string) => ReadonlySet<string>;
  /** A row's currency for an amount whose currency comes from a link, so group totals keep them apart. */
  currencyOf?: (t: TableModel, row: GridRow, field: FieldDefinition) => string | null;
  private hot: Handsontable | null = null;
  private trimming: IndexMap | null = null;
  private hiding: IndexMap | null = null;
  /** The grouped view's headers as last drawn (null when the view is not grouped). */
  groups: GroupLayout | null = null;
  /** Unique per drawing: a remounted view bar must not collide with the maps of the one before. */
  private readonly mapNames = {
    rows: `crm-view-filter-${++drawings}`,
    columns: `crm-view-hidden-${drawings}`,
  };

  /** The view as it is drawn: its filters with the list tab's condition. */
  shown(view: SavedView | undefined): ReturnType<typeof withList> {
    return withList(view, this.list);
  }

  /** What a view's filters and sorts are read with: the reader, people's names, lists, the zone. */
  context(now: number): ViewEvalContext {
    return {
      now,
      timeZone: readerZone(),
      me: this.me,
      personName: this.personName,
      listsOf: this.listsOf,
    };
  }

  /**
   * Frozen columns, row height, hidden fields, then the rows the view's filters keep, in its order.
   * Answers how many rows are shown.
   */
  draw(hot: Handsontable, t: TableModel, view: SavedView | undefined): number {
    this.bindMaps(hot);
    const rows = t.rows;
    const now = Date.now();
    const shown = this.shown(view);
    const ordered =
      shown && (shown.filters || shown.sorts?.length || shown.group_by?.length)
        ? rowsForView(t, shown, this.context(now))
        : rows;
    const currencyOf = this.currencyOf;
    const groups = groupLayout(
      t,
      view,
      ordered,
      now,
      currencyOf && ((row, field) => currencyOf(t, row, field)),
      this.listsOf,
    );
    this.groups = groups;
    const kept = groups ? ordered.filter((r) => !groups.hidden.has(r)) : ordered;
    const physical = new Map(rows.map((r, i) => [r, i]));
    const order = kept.map((r) => physical.get(r)!);
    const keptSet = new Set(order);
    const sequence = [...order, ...rows.map((_, i) => i).filter((i) => !keptSet.has(i))];
    hot.batch(() => {
      this.trimming!.setValues(rows.map((_, i) => !keptSet.has(i)) as never);
      hot.rowIndexMapper.setIndexesSequence(sequence);
      const fields = orderedFields(t);
      const hidden = new Set(view?.hidden_fields ?? []);
      // Columns after the fields (the Investors' Lists column) are hidden by the pseudo-field's id.
      const after = hot.columnIndexMapper.getNumberOfIndexes() - fields.length;
      this.hiding!.setValues([
        ...fields.map((f) => hidden.has(f.id) && f.id !== t.primary_field_id),
        ...new Array<boolean>(Math.max(0, after)).fill(hidden.has(LISTS_FIELD_ID)),
      ] as never);
      hot.updateSettings({
        fixedColumnsStart: frozenThatFit(hot, t, fields, hidden, view),
        rowHeights: rowHeightsFor(hot, t, view, groups),
      });
    });
    return order.length;
  }

  /** After the window changes size (a phone turned): the frozen columns that fit now. */
  fitFrozen(hot: Handsontable, t: TableModel, view: SavedView | undefined): void {
    const frozen = frozenThatFit(
      hot,
      t,
      orderedFields(t),
      new Set(view?.hidden_fields ?? []),
      view,
    );
    if (hot.getSettings().fixedColumnsStart !== frozen)
      hot.updateSettings({ fixedColumnsStart: frozen });
  }

  private bindMaps(hot: Handsontable): void {
    if (this.hot === hot && this.trimming && this.hiding) return;
    this.unbind();
    this.hot = hot;
    this.trimming = hot.rowIndexMapper.createAndRegisterIndexMap(
      this.mapNames.rows,
      'trimming',
      false,
    );
    // 'hiding' is the map type's real name (the bundled typings say 'hidden').
    this.hiding = hot.columnIndexMapper.createAndRegisterIndexMap(
      this.mapNames.columns,
      'hiding' as never,
      false,
    );
  }

  /** Takes the maps out of the grid (a remount, a disposed view bar). */
  unbind(): void {
    const hot = this.hot;
    if (!hot) return;
    for (const [mapper, name] of [
      [hot.rowIndexMapper, this.mapNames.rows],
      [hot.columnIndexMapper, this.mapNames.columns],
    ] as const) {
      try {
        mapper.unregisterMap(name);
      } catch {
        // Not registered, or the grid is gone.
      }
    }
    this.trimming = null;
    this.hiding = null;
    this.hot = null;
  }
}

/** One height for every row; a grouped view's rows under group headers are taller by their bands. */
function rowHeightsFor(
  hot: Handsontable,
  t: TableModel,
  view: SavedView | undefined,
  groups: GroupLayout | null,
): number | ((row: number) => number) {
  const base = ROW_HEIGHTS[view?.row_height ?? 'short'];
  if (!groups) return base;
  return (visualRow: number) => {
    const row = t.rows[hot.toPhysicalRow(visualRow)];
    return base + GROUP_BAND * (row ? (groups.bands.get(row)?.length ?? 0) : 0);
  };
}

/**
 * The view's frozen columns (the primary field unless it says otherwise), as many as leave at least
 * 40% of the grid's width to scroll: on a phone a frozen name column would leave a sliver for the rest.
 */
function frozenThatFit(
  hot: Handsontable,
  t: TableModel,
  fields: FieldDefinition[],
  hidden: Set<string>,
  view: SavedView | undefined,
): number {
  const wanted = Math.min(view?.frozen_columns ?? 1, fields.length);
  const room = hot.rootElement.clientWidth * 0.6 - ROW_HEADER_WIDTH;
  let used = 0;
  for (let i = 0; i < wanted; i++) {
    const f = fields[i];
    if (!hidden.has(f.id) || f.id === t.primary_field_id) used += columnWidth(t, f);
    if (used > room) return i;
  }
  return wanted;
}

/** Lays the table's columns out as the view says (order and widths), and points the table at it. */
export function useLayout(t: TableModel, view: SavedView): void {
  const known = new Set(t.fields.map((f) => f.id));
  const fromView = view.field_order.filter((id) => known.has(id));
  const order = [...fromView, ...t.fields.map((f) => f.id).filter((id) => !fromView.includes(id))];
  t.order = [t.primary_field_id, ...order.filter((id) => id !== t.primary_field_id)];
  t.widths = { ...view.field_widths };
  t.view = { id: view.id, table_id: view.table_id, name: view.name, config: view.config };
}
