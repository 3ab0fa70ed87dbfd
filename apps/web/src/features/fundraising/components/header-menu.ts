import { FILTER_LIMITS, filterKind, LISTS_FIELD_ID } from '@crm/domain';
import type { FieldDefinition } from '@crm/events';
import type Handsontable from 'handsontable/base';
import type { GridSession } from '../composables/grid-session';

type Selection = Handsontable.plugins.ContextMenu.Selection[];

/** What the column header menu asks of the page around the grid: its actions go out as events. */
export interface HeaderMenuHost {
  readonly session: GridSession;
  hot(): Handsontable | undefined;
  /** False when the view on screen is locked for this person: its sort, filter and fields stay. */
  viewEditable(): boolean | undefined;
  /** The view's frozen columns (1, the primary field, when it says nothing). */
  frozen(): number | undefined;
  sortField(fieldId: string, direction: 'asc' | 'desc'): void;
  filterField(fieldId: string): void;
  hideField(fieldId: string): void;
  freeze(columns: number): void;
  editField(fieldId: string): void;
  addField(afterFieldId: string | null, side: 'left' | 'right'): void;
  removeField(fieldId: string): void;
}

/** "A → Z" for text, "1 → 9" for numbers, "Oldest → newest" for dates, as in a spreadsheet. */
function sortLabel(field: FieldDefinition | undefined, direction: 'asc' | 'desc'): string {
  // The Lists column: in the lists' order, Main first.
  if (!field) return direction === 'asc' ? 'Sort Main → Graveyard' : 'Sort Graveyard → Main';
  const kind = filterKind(field);
  const [first, last] =
    kind === 'number'
      ? ['1', '9']
      : kind === 'date'
        ? ['oldest', 'newest']
        : kind === 'boolean'
          ? ['☐', '☑']
          : ['A', 'Z'];
  const [from, to] = direction === 'asc' ? [first, last] : [last, first];
  return `Sort ${from} → ${to}`;
}

/** Sorting: a field's column, or the Lists column (the only column that is not a field). */
function sortItems(
  host: HeaderMenuHost,
  menuField: () => FieldDefinition | undefined,
  viewLocked: () => boolean,
) {
  const sortOn = (dir: 'asc' | 'desc') => (_k: string, sel: Selection) =>
    host.sortField(host.session.fieldAtColumn(sel[0].start.col)?.id ?? LISTS_FIELD_ID, dir);
  const item = (dir: 'asc' | 'desc') => ({
    name: () => sortLabel(menuField(), dir),
    disabled: viewLocked,
    callback: sortOn(dir),
  });
  return { sort_asc: item('asc'), sort_desc: item('desc') };
}

/**
 * The column header's drop-down menu: the view's sort, filter, hidden and frozen fields, then the
 * field itself. The Investors' Lists column is not a field: it can be sorted and hidden from here
 * (filtered in the view's filter, as "Lists contains"), not edited.
 */
export function headerMenu(host: HeaderMenuHost): Handsontable.GridSettings['dropdownMenu'] {
  const s = host.session;
  /** The column the menu was opened on. */
  const menuColumn = (): number => {
    const sel = host.hot()?.getSelectedRangeLast();
    return sel ? Math.max(0, Math.min(sel.from.col, sel.to.col)) : 0;
  };
  const menuField = () => s.fieldAtColumn(menuColumn());
  const viewLocked = () => host.viewEditable() === false;
  const lockedOrNoField = () => viewLocked() || !menuField();
  const onField = (act: (f: FieldDefinition) => void) => (_k: string, sel: Selection) => {
    const f = s.fieldAtColumn(sel[0].start.col);
    if (f) act(f);
  };
  return {
    items: {
      ...sortItems(host, menuField, viewLocked),
      filter_field: {
        name: 'Filter by this field…',
        disabled: lockedOrNoField,
        callback: onField((f) => host.filterField(f.id)),
      },
      sep_view: '---------',
      hide_field: {
        name: 'Hide field',
        disabled: () => viewLocked() || menuField()?.id === s.current?.primary_field_id,
        callback: (_k: string, sel: Selection) =>
          host.hideField(s.fieldAtColumn(sel[0].start.col)?.id ?? LISTS_FIELD_ID),
      },
      freeze: {
        name: () =>
          menuColumn() + 1 === (host.frozen() ?? 1) ? 'Unfreeze columns' : 'Freeze up to here',
        disabled: () => viewLocked() || menuColumn() + 1 > FILTER_LIMITS.frozenColumns,
        callback: () => {
          const upTo = menuColumn() + 1;
          host.freeze(upTo === (host.frozen() ?? 1) ? 0 : upTo);
        },
      },
      sep_field: '---------',
      edit_field: {
        name: 'Edit field…',
        disabled: () => !menuField(),
        callback: onField((f) => host.editField(f.id)),
      },
      insert_left: {
        name: 'Insert field left',
        callback: (_k: string, sel: Selection) =>
          host.addField(s.fieldAtColumn(sel[0].start.col)?.id ?? null, 'left'),
        disabled: () => {
          const sel = host.hot()?.getSelectedRangeLast();
          return !!sel && sel.from.col === 0;
        },
      },
      insert_right: {
        name: 'Insert field right',
        callback: (_k: string, sel: Selection) =>
          host.addField(s.fieldAtColumn(sel[0].start.col)?.id ?? null, 'right'),
      },
      sep: '---------',
      remove_field: {
        name: 'Delete field',
        disabled: () => {
          const sel = host.hot()?.getSelectedRangeLast();
          const f = sel ? s.fieldAtColumn(sel.highlight.col) : undefined;
          return !f || f.id === s.current?.primary_field_id;
        },
        callback: onField((f) => host.removeField(f.id)),
      },
    },
  } as Handsontable.GridSettings['dropdownMenu'];
}
