/**
 * Whether a cell editor is open on screen in the grid. Handsontable marks an open editor with
 * `ht_editor_visible` only in the scrolling part of the grid: in a frozen column the holder carries
 * its overlay's class instead (`ht_clone_inline_start`), and a closed one is `ht_editor_hidden`.
 * Elements left in the page but not displayed do not count.
 */
export function cellEditorOpen(root: Element): boolean {
  for (const el of root.querySelectorAll<HTMLElement>('.ht_editor_visible, .handsontableInputHolder:not(.ht_editor_hidden)')) {
    if (el.getClientRects().length > 0 && el.style.opacity !== '0') return true;
  }
  return false;
}
