import { type EventOf, type UndoWork } from './undo-work';

/** A saved view goes back to what it was before, or is deleted if the save created it. */
export function undoViewSaved(w: UndoWork, e: EventOf<'ViewSaved'>): void {
  const v = w.view(e.data.view_id);
  if (!v) return;
  const previous = { name: v.name, config: v.config };
  if (e.data.previous) {
    const next = { ...v, name: e.data.previous.name, config: e.data.previous.config };
    w.emitView(
      v.id,
      {
        type: 'ViewSaved',
        data: {
          view_id: v.id,
          table_id: v.table_id,
          name: next.name,
          config: next.config,
          previous,
        },
      },
      next,
    );
  } else {
    w.emitView(
      v.id,
      { type: 'ViewDeleted', data: { view_id: v.id, table_id: v.table_id, previous } },
      undefined,
    );
  }
  w.reversed++;
}

/** A deleted view comes back as it was, unless a view of that id is there again. */
export function undoViewDeleted(w: UndoWork, e: EventOf<'ViewDeleted'>): void {
  if (w.view(e.data.view_id)) return;
  const next = {
    id: e.data.view_id,
    table_id: e.data.table_id,
    name: e.data.previous.name,
    config: e.data.previous.config,
    version: 0,
  };
  w.emitView(
    next.id,
    {
      type: 'ViewSaved',
      data: {
        view_id: next.id,
        table_id: next.table_id,
        name: next.name,
        config: next.config,
        previous: null,
      },
    },
    next,
  );
  w.reversed++;
}
