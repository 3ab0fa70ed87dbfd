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

/**
 * Two clicks on a cell open its editor only if the grid kept the keyboard from one to the other.
 * Handsontable pairs two clicks on the same cell into a double click by its own clock alone (the
 * second within half a second of the first), whatever came between them. Its column menu and the
 * field dialogs opened from it are outside its table, so it never sees them: a cell clicked, its
 * column's "Delete field" picked, the dialog closed with Escape and the cell clicked again, quickly,
 * and that one click opened the editor where a spreadsheet selects the cell. The menu, a dialog or a
 * click elsewhere take the keyboard from the grid (its `afterUnlisten`): a click after that starts
 * a new pair.
 */
export function pairClicksOnlyUnbroken(hot: Handsontable): void {
  /** The grid let go of the keyboard since the last left click on a cell. */
  let letGo = false;
  /** The last left click on a cell came after that: it is nobody's second click. */
  let firstOfPair = false;
  hot.addHook('afterUnlisten', () => {
    letGo = true;
  });
  hot.addHook('afterOnCellMouseDown', (event: MouseEvent) => {
    // Only the left button (or a touch) counts towards a double click, as in Handsontable.
    if (event instanceof MouseEvent && event.button !== 0) return;
    firstOfPair = letGo;
    letGo = false;
  });
  hot.addHook('beforeBeginEditing', (_row, _col, _value, event: Event | undefined) => {
    // A double click (or tap) reaches here with the event that ended it; keys are not clicks.
    if (firstOfPair && (event?.type === 'mouseup' || event?.type === 'touchend')) return false;
    return undefined;
  });
}
