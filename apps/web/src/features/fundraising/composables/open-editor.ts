import type Handsontable from 'handsontable/base';

/** A text editor's holder loses `ht_editor_hidden` while open; list-like editors add `ht_editor_visible`. */
const OPEN_EDITOR = '.handsontableInputHolder:not(.ht_editor_hidden), .ht_editor_visible';

/**
 * Whether a cell editor is on screen. Handsontable's own flags are not enough: `isOpened()` can stay
 * true after an editor closes, and the multiple-select editor keeps its `ht_editor_visible` class on
 * a container it only hides with `display: none`. An element that takes no room is not open.
 */
export function isEditorOpen(hot: Handsontable): boolean {
  for (const el of hot.rootElement.querySelectorAll<HTMLElement>(OPEN_EDITOR)) {
    if (el.getClientRects().length > 0) return true;
  }
  return false;
}
