import { reactive } from 'vue';
import { ApiError, NetworkError } from '../../../app/http';
import { toast } from '../../../ui/toast';
import type { GridSession } from '../../fundraising/composables/grid-session';
import { historyApi, type UndoConflict } from '../api/history.api';
import { redoTarget, undoTarget } from './undo-targets';

/** The last undo or redo, shown with a button that does the opposite. */
export const undoNotice = reactive({
  text: '',
  redo: null as string | null,
  conflicts: [] as UndoConflict[],
  visible: false,
});
let hideTimer: ReturnType<typeof setTimeout> | null = null;
let busy = false;

function show(text: string, redo: string | null, conflicts: UndoConflict[]) {
  Object.assign(undoNotice, { text, redo, conflicts, visible: true });
  if (hideTimer) clearTimeout(hideTimer);
  hideTimer = setTimeout(() => (undoNotice.visible = false), conflicts.length ? 12000 : 6000);
}

export function hideUndoNotice(): void {
  undoNotice.visible = false;
}

/** Edits still in the outbox go first, so the server's stack holds them. False when they could not be sent. */
async function flush(s: GridSession, ms = 5000): Promise<boolean> {
  s.queue.flushNow();
  const until = Date.now() + ms;
  while (s.queue.hasPending()) {
    if (Date.now() > until) return false;
    await new Promise((r) => setTimeout(r, 50));
  }
  return true;
}

function conflictText(s: GridSession, conflicts: UndoConflict[]): string {
  return conflicts
    .slice(0, 3)
    .map((c) => {
      const hit = s.model.record(c.record_id);
      const field = hit?.table.fields.find((f) => f.id === c.field_id);
      return `${s.model.recordName(c.record_id) || 'a record'} · ${field?.name ?? 'a field'} (changed by ${c.updated_by ? s.model.actorName(c.updated_by) : 'someone else'})`;
    })
    .join('; ');
}

async function run(s: GridSession, mode: 'undo' | 'redo'): Promise<void> {
  if (busy) return;
  busy = true;
  try {
    if (!(await flush(s))) throw new NetworkError();
    const { entries } = await historyApi.undoStack();
    const target = mode === 'undo' ? undoTarget(entries) : redoTarget(entries);
    if (!target) {
      toast(mode === 'undo' ? 'Nothing to undo' : 'Nothing to redo', 'info');
      return;
    }
    const result =
      mode === 'undo'
        ? await historyApi.undo(target.correlation_id)
        : await historyApi.redo(target.correlation_id);
    await s.reload();
    const what =
      mode === 'undo'
        ? target.summary
        : (entries.find((e) => e.correlation_id === target.undoes)?.summary ?? target.summary);
    show(
      `${mode === 'undo' ? 'Undid' : 'Redid'}: ${what}`,
      mode === 'undo' ? result.correlation_id : null,
      result.conflicts,
    );
    if (result.conflicts.length)
      toast(
        `Not undone, changed since by someone else: ${conflictText(s, result.conflicts)}`,
        'error',
        10000,
      );
  } catch (e) {
    if (e instanceof NetworkError) {
      // Offline: the local stack still knows this session's own edits.
      if (mode === 'undo') s.runUndo();
      else toast('Redo needs the server, which cannot be reached', 'error');
    } else if (e instanceof ApiError && e.status === 403) toast(e.message, 'error');
    else toast(`Could not ${mode}: ${(e as Error).message}`, 'error');
  } finally {
    busy = false;
  }
}

export const serverUndo = (s: GridSession) => run(s, 'undo');
export const serverRedo = (s: GridSession) => run(s, 'redo');

/** Redo exactly the undo just shown in the notice. */
export async function redoNoticed(s: GridSession): Promise<void> {
  const id = undoNotice.redo;
  if (!id || busy) return;
  busy = true;
  hideUndoNotice();
  try {
    await historyApi.redo(id);
    await s.reload();
    show(`Redid: ${undoNotice.text.replace(/^Undid: /, '')}`, null, []);
  } catch (e) {
    toast(`Could not redo: ${(e as Error).message}`, 'error');
  } finally {
    busy = false;
  }
}
