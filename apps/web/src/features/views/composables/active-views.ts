/** Which view each table opens with, kept in this browser. */
const STORAGE = 'crm.active-views.v1';

export function loadActive(): Record<string, string> {
  try {
    return JSON.parse(localStorage.getItem(STORAGE) ?? '{}') as Record<string, string>;
  } catch {
    return {};
  }
}

/** Makes a view the one a table opens with next time the grid loads (a link into the grid uses it). */
export function rememberActiveView(tableId: string, viewId: string): void {
  saveActive({ ...loadActive(), [tableId]: viewId });
}

export function saveActive(active: Record<string, string>): void {
  try {
    localStorage.setItem(STORAGE, JSON.stringify(active));
  } catch {
    // Private mode: the choice lasts for this visit.
  }
}
