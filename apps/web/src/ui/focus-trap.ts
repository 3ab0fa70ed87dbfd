/** The controls inside `root` that Tab can reach, in order, leaving out disabled and undrawn ones. */
export function focusableIn(root: HTMLElement): HTMLElement[] {
  return [
    ...root.querySelectorAll<HTMLElement>(
      'a[href], input, select, textarea, button, [tabindex]:not([tabindex="-1"])',
    ),
  ].filter((el) => !(el as HTMLButtonElement).disabled && el.getClientRects().length > 0);
}

/**
 * Keeps Tab and Shift+Tab inside a modal `root` (from its last control back to its first, and in
 * from wherever focus was): returns whether it moved focus.
 */
export function keepTabInside(root: HTMLElement, e: KeyboardEvent): boolean {
  if (e.key !== 'Tab') return false;
  const all = focusableIn(root);
  if (!all.length) return false;
  const first = all[0];
  const last = all[all.length - 1];
  const inside = root.contains(document.activeElement);
  if (e.shiftKey && (document.activeElement === first || !inside)) {
    e.preventDefault();
    last.focus();
    return true;
  }
  if (!e.shiftKey && (document.activeElement === last || !inside)) {
    e.preventDefault();
    first.focus();
    return true;
  }
  return false;
}
