import type Handsontable from 'handsontable';
import { isEditorOpen } from './open-editor';

/**
 * Whether a key press asks for the grid's shortcut sheet: "?" without a modifier, not over another
 * dialog (the sheet is for the grid), and not meant for an open cell editor or a form field.
 */
export function asksForShortcuts(e: KeyboardEvent, hot: Handsontable | null | undefined): boolean {
  if (e.key !== '?' || e.ctrlKey || e.metaKey || e.altKey || document.querySelector('.modal'))
    return false;
  const target = e.target as HTMLElement | null;
  const grid = document.querySelector('[data-testid=grid]');
  const inGrid = !!target && !!grid?.contains(target);
  if (inGrid && hot && isEditorOpen(hot)) return false;
  return !(
    !inGrid &&
    target &&
    target !== document.body &&
    target.closest('input, textarea, select, [contenteditable=""], [contenteditable=true]')
  );
}
