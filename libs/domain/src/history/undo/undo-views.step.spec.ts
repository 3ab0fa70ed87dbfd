import { ANY_VERSION } from '@crm/events';
import { decideDeleteView, decideSaveView } from '../../view/decide/save-view.decide';
import { asEvent, givenUndoBase, undoWork } from '../../testing/given-undo';
import { eventsOf } from '../../testing/given-when-then';
import { undoViewDeleted, undoViewSaved } from './undo-views.step';

const save = (name: string) => ({ view_id: 'viw_1', table_id: 'tbl', name, config: {} });

describe('undo of view events', () => {
  it('given a view created, deletes it', () => {
    const g = givenUndoBase();
    const [saved] = g.apply((ctx) => decideSaveView(save('Pipeline'), ctx));
    const w = undoWork(g);
    undoViewSaved(w, asEvent(saved, 'ViewSaved'));
    expect(eventsOf(w.b.build()).map((e) => e.type)).toEqual(['ViewDeleted']);
  });

  it('given a view changed, saves it as it was before', () => {
    const g = givenUndoBase();
    g.apply((ctx) => decideSaveView(save('Pipeline'), ctx));
    const [renamed] = g.apply((ctx) => decideSaveView(save('Closing'), ctx));
    const w = undoWork(g);
    undoViewSaved(w, asEvent(renamed, 'ViewSaved'));
    expect(eventsOf(w.b.build())[0].data).toMatchObject({
      name: 'Pipeline',
      previous: { name: 'Closing' },
    });
  });

  it('given a view deleted, brings it back, skipping the stream version check', () => {
    const g = givenUndoBase();
    g.apply((ctx) => decideSaveView(save('Pipeline'), ctx));
    const [deleted] = g.apply((ctx) => decideDeleteView({ view_id: 'viw_1' }, ctx));
    const w = undoWork(g);
    undoViewDeleted(w, asEvent(deleted, 'ViewDeleted'));
    const d = w.b.build();
    expect(eventsOf(d)[0]).toMatchObject({
      type: 'ViewSaved',
      data: { name: 'Pipeline', previous: null },
    });
    expect(d.appends[0].expected_version).toBe(ANY_VERSION);
  });
});
