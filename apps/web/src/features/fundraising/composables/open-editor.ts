import type Handsontable from 'handsontable/base';

/** A text editor's holder loses `ht_editor_hidden` while open; list-like editors add `ht_editor_visible`. */
const OPEN_EDITOR = '.handsontableInputHolder:not(.ht_editor_hidden), .ht_editor_visible';

/**
 * Whether a cell editor is open and on screen. Neither Handsontable's flag nor the page alone says so:
 * - the multiple-select editor can report `isOpened()` after it closes, keeping its `ht_editor_visible`
 *   class on a container it only hides with `display: none`;
 * - the text editor's holder is shown again, unhidden, over the next selected cell right after an
 *   edit finishes (Enter), while no editor is open;
 * - in a frozen column an open holder carries its overlay's class instead of `ht_editor_visible`.
 * So the active editor must say it is open, and an element of it must take room and be drawn.
 */
export function isEditorOpen(hot: Handsontable): boolean {
  return !!hot.getActiveEditor()?.isOpened() && editorOnScreen(hot.rootElement);
}

function editorOnScreen(root: Element): boolean {
  for (const el of root.querySelectorAll<HTMLElement>(OPEN_EDITOR)) {
    if (el.getClientRects().length > 0 && el.style.opacity !== '0') return true;
  }
  return false;
}
