import type Handsontable from 'handsontable';

/**
 * What Handsontable's own ARIA leaves out, set again after each render (it redraws cells as they
 * scroll): the grid is named after its table; the scrolling holder inside it loses its `tabindex`
 * (a focusable element that is not a row breaks the treegrid's structure for assistive
 * technology); and one data cell is in the page's Tab order, the selected one if drawn, so the grid
 * can be reached with Tab and its scrolling region with the keyboard.
 */
export function exposeGrid(hot: Handsontable, name: string): void {
  const root = hot.rootElement;
  exposeEditors(root);
  const grid = root.querySelector<HTMLElement>('[role=treegrid]') ?? root;
  if (grid.getAttribute('aria-label') !== name) grid.setAttribute('aria-label', name);
  const holder = root.querySelector<HTMLElement>('.ht_master > .wtHolder');
  if (!holder) return;
  holder.removeAttribute('tabindex');
  // With no records there is no cell to take the keyboard, and the master's own headers are hidden
  // under the drawn ones: the region is not scrolled then (keys still scroll it, as Handsontable
  // sets its offset itself), so it is no scrolling region the keyboard cannot reach.
  const empty = hot.countRows() === 0;
  if (empty !== (holder.style.overflow === 'hidden')) holder.style.overflow = empty ? 'hidden' : '';
  const selected = hot.getSelectedRangeLast()?.highlight;
  const chosen =
    (selected && selected.row >= 0 && selected.col >= 0
      ? (hot.getCell(selected.row, selected.col) as HTMLElement | null)
      : null) ?? holder.querySelector<HTMLElement>('tbody td');
  for (const cell of holder.querySelectorAll<HTMLElement>('tbody td[tabindex="0"]'))
    if (cell !== chosen) cell.setAttribute('tabindex', '-1');
  if (chosen && holder.contains(chosen) && chosen.getAttribute('tabindex') !== '0')
    chosen.setAttribute('tabindex', '0');
}

/**
 * Handsontable keeps its cell editors inside the grid's element. A closed editor is hidden from
 * assistive technology (a text box among the rows is not part of a grid); an open one is named.
 */
export function exposeEditors(root: HTMLElement): void {
  for (const holder of root.querySelectorAll<HTMLElement>(':scope > .handsontableInputHolder')) {
    const closed = holder.classList.contains('ht_editor_hidden');
    if (closed) holder.setAttribute('aria-hidden', 'true');
    else holder.removeAttribute('aria-hidden');
    const input = holder.querySelector('textarea, input');
    if (input && !input.hasAttribute('aria-label')) input.setAttribute('aria-label', 'Edit cell');
  }
}
