import type { UndoStackEntry } from '../api/history.api';

/** The newest batch of mine that is not undone. */
export const undoTarget = (entries: UndoStackEntry[]) =>
  entries.find((e) => e.kind === 'edit' && !e.undone);

/**
 * The undo a redo would take back: the newest live undo of an edit, unless an edit came after it
 * (a new edit ends the redo chain, as in any editor). Redos are undos of undos and are skipped.
 */
export function redoTarget(entries: UndoStackEntry[]): UndoStackEntry | undefined {
  const byId = new Map(entries.map((e) => [e.correlation_id, e]));
  for (const e of entries) {
    if (e.kind === 'edit') {
      if (!e.undone) return undefined;
      continue;
    }
    const target = e.undoes ? byId.get(e.undoes) : undefined;
    if (target?.kind === 'undo') continue;
    if (!e.undone) return e;
  }
  return undefined;
}
