import { decideCreateTable } from '../../table/decide/create-table.decide';
import { domainErrorOf } from '../../testing/domain-error-of';
import { eventsOf, Given } from '../../testing/given-when-then';
import { decideSaveView } from './save-view.decide';

const ANN = { id: 'usr_ann', role: 'member' };

function givenTable(): Given {
  const g = Given.empty();
  g.apply((ctx) =>
    decideCreateTable(
      {
        table_id: 'tbl',
        name: 'Investors',
        fields: [
          { id: 'fld_name', name: 'Name', type: 'text' },
          {
            id: 'fld_stage',
            name: 'Stage',
            type: 'single_select',
            options: { choices: ['Lead', 'Engaged', 'Committed'] },
          },
          { id: 'fld_amount', name: 'Amount', type: 'currency' },
          { id: 'fld_city', name: 'City', type: 'text' },
          { id: 'fld_next', name: 'Next contact', type: 'date' },
          { id: 'fld_notes', name: 'Notes', type: 'long_text' },
        ],
      },
      ctx,
    ),
  );
  return g;
}

const save = (g: Given, config: Record<string, unknown>) =>
  decideSaveView(
    { view_id: 'viw_1', table_id: 'tbl', name: 'V', config: config as never, actor: ANN },
    g.ctx,
  );

describe('saving a grouped view', () => {
  it('given a table, when a view groups by two fields, then the levels are saved in order', () => {
    const group_by = [
      { field_id: 'fld_stage', direction: 'asc' },
      { field_id: 'fld_city', direction: 'desc' },
    ];
    const [e] = eventsOf(save(givenTable(), { group_by, collapsed_groups: ['[0]', '[0]'] }));
    expect(e.data).toMatchObject({ config: { group_by, collapsed_groups: ['[0]'] } });
  });

  it.each([
    [
      { group_by: [{ field_id: 'fld_x', direction: 'asc' }] },
      'group_by[0].field_id',
      'unknown_field',
    ],
    [
      { group_by: [{ field_id: 'fld_stage', direction: 'up' }] },
      'group_by[0].direction',
      'bad_direction',
    ],
    [
      {
        group_by: ['fld_stage', 'fld_city', 'fld_name', 'fld_next'].map((field_id) => ({
          field_id,
          direction: 'asc',
        })),
      },
      'group_by',
      'too_many_levels',
    ],
    [{ group_by: 'fld_stage' }, 'group_by', 'not_a_list'],
    [
      {
        group_by: [
          { field_id: 'fld_stage', direction: 'asc' },
          { field_id: 'fld_stage', direction: 'desc' },
        ],
      },
      'group_by[1].field_id',
      'duplicate',
    ],
    [{ collapsed_groups: [1] }, 'collapsed_groups', 'not_a_list'],
  ])(
    'given a table, when the grouping is %j, then it is refused naming %s',
    (config, field, reason) => {
      const err = domainErrorOf(() => save(givenTable(), config));
      expect(err.code).toBe('validation');
      expect(err.details).toMatchObject({ field, reason });
    },
  );
});

describe('saving a kanban view', () => {
  it('given a table, when a board over the stage is saved, then its settings are kept', () => {
    const kanban = { field_id: 'fld_stage', card_fields: ['fld_amount', 'fld_city'] };
    const [e] = eventsOf(save(givenTable(), { type: 'kanban', kanban }));
    expect(e.data).toMatchObject({ config: { type: 'kanban', kanban } });
  });

  it.each([
    [{ type: 'kanban' }, 'kanban', 'missing'],
    [{ type: 'gallery' }, 'type', 'unknown_type'],
    [{ type: 'kanban', kanban: { field_id: 'fld_city' } }, 'kanban.field_id', 'not_single_select'],
    [{ type: 'kanban', kanban: { field_id: 'fld_zz' } }, 'kanban.field_id', 'unknown_field'],
    [
      {
        type: 'kanban',
        kanban: {
          field_id: 'fld_stage',
          card_fields: ['fld_name', 'fld_amount', 'fld_city', 'fld_next', 'fld_notes'],
        },
      },
      'kanban.card_fields',
      'too_many',
    ],
    [
      { type: 'kanban', kanban: { field_id: 'fld_stage', card_fields: ['fld_gone'] } },
      'kanban.card_fields',
      'unknown_field',
    ],
    [
      { type: 'kanban', kanban: { field_id: 'fld_stage', ranks: { rec_1: 'A!' } } },
      'kanban.ranks.rec_1',
      'bad_rank',
    ],
  ])(
    'given a table, when the board is %j, then it is refused naming %s',
    (config, field, reason) => {
      const err = domainErrorOf(() => save(givenTable(), config));
      expect(err.code).toBe('validation');
      expect(err.details).toMatchObject({ field, reason });
    },
  );
});
