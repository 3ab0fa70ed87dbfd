import { ref } from 'vue';
import type { GridSession } from './grid-session';

/**
 * What a picker of a cell's ids (linked records, people) holds and does: the ids the cell has now,
 * ticked and unticked, saved as the cell's value in one edit, and closing back to the grid (or to
 * the drawer it was opened from). `source` names the picker in the edit's history.
 */
export function useCellPicker(
  s: GridSession,
  recordId: string,
  fieldId: string,
  source: string,
  closed: () => void,
) {
  const hit = s.model.record(recordId);
  const field = hit?.table.fields.find((f) => f.id === fieldId);
  const current = (hit && field ? hit.row[hit.table.fields.indexOf(field)] : null) as
    string[] | null;
  const selected = ref<string[]>([...(current ?? [])]);
  const error = ref('');

  function toggle(id: string) {
    selected.value = selected.value.includes(id)
      ? selected.value.filter((x) => x !== id)
      : [...selected.value, id];
  }

  function close() {
    closed();
    // Opened from a cell: the keyboard goes back to the grid (from the drawer, the drawer keeps it).
    if (!s.ui.drawerRecordId) s.refocusGrid();
  }

  function save(ids: string[] = selected.value) {
    const err = s.setCell(recordId, fieldId, ids, source);
    if (err) error.value = err;
    else {
      s.ui.revision++;
      close();
    }
  }

  return { field, selected, error, toggle, close, save };
}
