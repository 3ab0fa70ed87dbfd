import { LISTS_FIELD_ID } from '@crm/domain';
import type Handsontable from 'handsontable/base';
import { baseRenderer } from 'handsontable/renderers';
import type { RecordLists } from '../../automations/composables/record-lists';
import { type GridRow, type TableModel } from '../composables/base-model';
import { headerHtml } from '../composables/column-header';
import { columnWidth, orderedFields } from '../composables/column-layout';
import type { GridSession } from '../composables/grid-session';
import { chips, columnFor } from './column-settings';

const LISTS_WIDTH = 200;

/**
 * The grid's columns for a table: its fields in column order, then, on the Investors table once its
 * lists are read, the read-only Lists column (the record's lists as chips, kept current by the live
 * stream). The Lists column is not a field: it has no physical index, only a reader of the row.
 */
export function gridColumns(
  session: GridSession,
  t: TableModel,
): Pick<Handsontable.GridSettings, 'columns' | 'colHeaders' | 'colWidths'> {
  const fields = orderedFields(t);
  const columns = fields.map((f) => columnFor(f, t.fields.indexOf(f), session, t));
  const colHeaders = fields.map((f) => headerHtml(f, f.id === t.primary_field_id));
  const colWidths = fields.map((f) => columnWidth(t, f));
  if (hasListsColumn(t, session.lists)) {
    columns.push(listsColumn(session.lists));
    colHeaders.push(headerHtml(LISTS_PSEUDO_FIELD, false));
    colWidths.push(t.widths[LISTS_FIELD_ID] ?? LISTS_WIDTH);
  }
  return { columns, colHeaders, colWidths };
}

/** Whether the table shows the Lists column after its fields. */
export const hasListsColumn = (t: TableModel, lists: RecordLists): boolean =>
  t.role === 'investors' && lists.loaded;

const LISTS_PSEUDO_FIELD = {
  id: LISTS_FIELD_ID,
  name: 'Lists',
  type: 'lists',
  options: {},
  role: null,
};

function listsColumn(lists: RecordLists): Handsontable.ColumnSettings {
  return {
    // A reader of the row, not an index: nothing of the grid's edit paths takes it for a field.
    data: ((row: GridRow) =>
      lists.namesOf(row.id)) as unknown as Handsontable.ColumnSettings['data'],
    readOnly: true,
    editor: false,
    renderer(hot, td, row, col, prop, value, cellProperties) {
      baseRenderer(hot, td, row, col, prop, value, cellProperties);
      td.classList.add('cell--chips', 'cell--computed');
      td.innerHTML = Array.isArray(value) ? chips(value as string[], 'choice') : '';
    },
  };
}
