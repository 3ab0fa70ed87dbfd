import type Handsontable from 'handsontable/base';

/** A text editor's holder loses `ht_editor_hidden` while open; list-like editors add `ht_editor_visible`. */
const OPEN_EDITOR = '.handsontableInputHolder:not(.ht_editor_hidden), .ht_editor_visible';

/**
 * Whether a cell editor is on screen in the grid under `root`. Handsontable's own flags are not
 * enough: `isOpened()` can stay true after an editor closes; the multiple-select editor keeps its
 * `ht_editor_visible` class on a container it only hides with `display: none`; and in a frozen column
 * an open holder carries its overlay's class (`ht_clone_inline_start`) instead of `ht_editor_visible`.
 * An element that takes no room, or is drawn transparent, is not open.
 */
export function cellEditorOpen(root: Element): boolean {
  for (const el of root.querySelectorAll<HTMLElement>(OPEN_EDITOR)) {
    if (el.getClientRects().length > 0 && el.style.opacity !== '0') return true;
  }
  return false;
}

export function isEditorOpen(hot: Handsontable): boolean {
  return cellEditorOpen(hot.rootElement);
}
