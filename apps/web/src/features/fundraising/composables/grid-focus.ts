import type Handsontable from 'handsontable/base';

/**
 * Gives the grid the keyboard, as a skip link's target: its selected cell, else the first one.
 * Focus alone is not enough: Handsontable takes keys only while it listens, and its focus scopes
 * stop it listening on any click outside the grid, the skip link's own click included (its window
 * listener runs after the link's handler). So this runs once that click is over: the cell is
 * selected, the grid listens, and its focus manager moves focus to the highlighted cell.
 */
export function focusGrid(hot: Handsontable | null | undefined): void {
  setTimeout(() => {
    if (!hot || hot.isDestroyed) return;
    if (!hot.getSelectedRangeLast() && hot.countRows() > 0 && hot.countCols() > 0)
      hot.selectCell(0, 0);
    hot.listen();
    hot.getFocusManager().focusOnHighlightedCell();
  }, 0);
}

/**
 * After a field's dialog opened from its column menu closes: the menu that had the keyboard is
 * gone, and focus handed back to a cell (the dialog's opener) is not enough, as the grid stopped
 * listening while the dialog had the keys. So the grid listens again and its selection (the column
 * the menu was opened on) takes focus, unless focus went somewhere else on the page.
 */
export function keysBackToGrid(hot: Handsontable | null | undefined): void {
  setTimeout(() => {
    // A column menu opened meanwhile (a quick Shift+Alt+↓: the browser handles keys before timers
    // on a busy machine) has the keyboard: taking it for the grid left that menu deaf to Escape.
    if (!hot || hot.isDestroyed || columnMenuOpen(hot)) return;
    const at = document.activeElement;
    const lost = !at || at === document.body || !!at.closest('.htDropdownMenu');
    if (!(lost || hot.rootElement.contains(at))) return;
    hot.listen();
    hot.getFocusManager().focusOnHighlightedCell();
  }, 0);
}

/** Whether a column's field menu is open (Handsontable's typings leave its menu out). */
function columnMenuOpen(hot: Handsontable): boolean {
  const plugin = hot.getPlugin('dropdownMenu') as unknown as {
    menu?: { isOpened(): boolean } | null;
  } | null;
  return plugin?.menu?.isOpened() ?? false;
}
