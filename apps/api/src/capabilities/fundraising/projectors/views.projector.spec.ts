import { viewDeleted, viewSaved } from '../../../../../../test/support/fundraising-events';
import { at, givenEvents, type Projected } from '../../../../../../test/support/projector-harness';

const GRID = { hidden_fields: [], column_widths: { fld_name: 220 } };
const COMMITTED = {
  filters: {
    conjunction: 'and',
    conditions: [{ field_id: 'fld_status', operator: 'is', value: 'Committed' }],
  },
  sorts: [{ field_id: 'fld_amount', direction: 'desc' }],
};

const views = (p: Projected) => p.rows('SELECT * FROM fundraising_views ORDER BY id');

describe('ViewsProjector', () => {
  let p: Projected;
  afterEach(async () => {
    await p.close();
  });

  it('writes a saved view with its config, version and who saved it', async () => {
    p = await givenEvents('views', [
      viewSaved('viw_grid', 'tbl_inv', 'Grid', GRID, null, { at: at(0), by: 'usr_ada' }),
    ]);
    expect(views(p)).toEqual([
      {
        id: 'viw_grid',
        table_id: 'tbl_inv',
        name: 'Grid',
        config: JSON.stringify(GRID),
        version: 1,
        updated_at: at(0),
        updated_by: 'usr_ada',
      },
    ]);
  });

  it('replaces name and config when the view is saved again', async () => {
    p = await givenEvents('views', [
      viewSaved('viw_c', 'tbl_inv', 'Committed', { filters: COMMITTED.filters }, null, {
        at: at(0),
      }),
      viewSaved(
        'viw_c',
        'tbl_inv',
        'Committed, largest first',
        COMMITTED,
        { name: 'Committed', config: { filters: COMMITTED.filters } },
        { at: at(30), by: 'usr_bo' },
      ),
    ]);
    expect(views(p)).toEqual([
      {
        id: 'viw_c',
        table_id: 'tbl_inv',
        name: 'Committed, largest first',
        config: JSON.stringify(COMMITTED),
        version: 2,
        updated_at: at(30),
        updated_by: 'usr_bo',
      },
    ]);
  });

  it('removes a deleted view and leaves the others', async () => {
    p = await givenEvents('views', [
      viewSaved('viw_grid', 'tbl_inv', 'Grid', GRID, null, { at: at(0) }),
      viewSaved('viw_c', 'tbl_inv', 'Committed', COMMITTED, null, { at: at(1) }),
      viewDeleted('viw_c', 'tbl_inv', { name: 'Committed', config: COMMITTED }, { at: at(2) }),
    ]);
    expect(p.rows('SELECT id, name, version FROM fundraising_views')).toEqual([
      { id: 'viw_grid', name: 'Grid', version: 1 },
    ]);
  });

  it('gives the same rows when rebuilt from the log and when every event is applied again', async () => {
    p = await givenEvents('views', [
      viewSaved('viw_grid', 'tbl_inv', 'Grid', GRID, null, { at: at(0) }),
      viewSaved('viw_c', 'tbl_inv', 'Committed', COMMITTED, null, { at: at(1) }),
      viewSaved(
        'viw_c',
        'tbl_inv',
        'Won',
        COMMITTED,
        { name: 'Committed', config: COMMITTED },
        {
          at: at(2),
        },
      ),
      viewDeleted('viw_grid', 'tbl_inv', { name: 'Grid', config: GRID }, { at: at(3) }),
    ]);
    const live = views(p);
    expect(live).toEqual([expect.objectContaining({ id: 'viw_c', name: 'Won', version: 2 })]);
    await p.applyAgain();
    expect(views(p)).toEqual(live);
    await p.rebuild();
    expect(views(p)).toEqual(live);
  });
});
