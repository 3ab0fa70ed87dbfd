import { decideCreateTable } from '../../table/decide/create-table.decide';
import { decideRemoveField } from '../../table/decide/remove-field.decide';
import { domainErrorOf } from '../../testing/domain-error-of';
import { eventsOf, Given } from '../../testing/given-when-then';
import { decideDeleteView, decideSaveView } from './save-view.decide';

const ADMIN = { id: 'usr_admin', role: 'admin' };
const ANN = { id: 'usr_ann', role: 'member' };
const BOB = { id: 'usr_bob', role: 'member' };

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
          { id: 'fld_next', name: 'Next contact', type: 'date' },
          {
            id: 'fld_tags',
            name: 'Tags',
            type: 'multiple_select',
            options: { choices: ['Anchor', 'ESG'] },
          },
          { id: 'fld_done', name: 'Done', type: 'checkbox' },
        ],
      },
      ctx,
    ),
  );
  return g;
}

const threeLevels = {
  conjunction: 'and',
  conditions: [
    { field_id: 'fld_amount', operator: '>=', value: 1_000_000 },
    {
      conjunction: 'or',
      conditions: [
        { field_id: 'fld_stage', operator: 'is', value: 'Engaged' },
        {
          conjunction: 'and',
          conditions: [
            { field_id: 'fld_tags', operator: 'has_any_of', value: ['Anchor'] },
            { field_id: 'fld_next', operator: 'is_within', value: { direction: 'next', days: 30 } },
          ],
        },
      ],
    },
  ],
};

describe('decideSaveView', () => {
  it('saves filters three levels deep, sorts and layout', () => {
    const g = givenTable();
    const config = {
      filters: threeLevels,
      sorts: [
        { field_id: 'fld_amount', direction: 'desc' },
        { field_id: 'fld_name', direction: 'asc' },
      ],
      hidden_fields: ['fld_done'],
      field_order: ['fld_name', 'fld_amount'],
      field_widths: { fld_name: 240 },
      frozen_columns: 1,
      row_height: 'medium',
    };
    const d = decideSaveView(
      { view_id: 'viw_1', table_id: 'tbl', name: 'Big tickets', config, actor: ANN },
      g.ctx,
    );
    expect(eventsOf(d)).toEqual([
      {
        type: 'ViewSaved',
        data: { view_id: 'viw_1', table_id: 'tbl', name: 'Big tickets', config, previous: null },
      },
    ]);
  });

  it.each([
    [
      {
        filters: {
          conjunction: 'and',
          conditions: [{ field_id: 'fld_gone', operator: 'is', value: 'x' }],
        },
      },
      'filters.conditions[0].field_id: unknown field "fld_gone"',
    ],
    [
      {
        filters: {
          conjunction: 'and',
          conditions: [{ field_id: 'fld_amount', operator: 'contains', value: 'x' }],
        },
      },
      'filters.conditions[0].operator: "contains" does not fit field "Amount" (currency); use one of =, !=, <, <=, >, >=, is_empty, is_not_empty',
    ],
    [
      {
        filters: {
          conjunction: 'and',
          conditions: [{ field_id: 'fld_amount', operator: '>', value: 'lots' }],
        },
      },
      'filters.conditions[0].value: > on field "Amount" (currency) needs a number; got "lots"',
    ],
    [
      {
        filters: {
          conjunction: 'or',
          conditions: [
            {
              conjunction: 'and',
              conditions: [{ field_id: 'fld_stage', operator: 'is', value: 'Closed' }],
            },
          ],
        },
      },
      'filters.conditions[0].conditions[0].value: "Closed" is not a choice of field "Stage" (single_select)',
    ],
    [
      { filters: { conjunction: 'xor', conditions: [] } },
      'filters.conjunction: must be "and" or "or"',
    ],
    [
      {
        filters: {
          conjunction: 'and',
          conditions: [{ field_id: 'fld_next', operator: 'is_within', value: 30 }],
        },
      },
      'filters.conditions[0].value: is_within on field "Next contact" (date) needs { direction: "past" | "next", days: a whole number }; got 30',
    ],
    [
      {
        filters: {
          conjunction: 'and',
          conditions: [{ field_id: 'fld_next', operator: 'is_on', value: '2026-02-30' }],
        },
      },
      expect.stringMatching(
        /^filters.conditions\[0\].value: is_on on field "Next contact" \(date\) needs a date as YYYY-MM-DD/,
      ),
    ],
    [
      {
        filters: {
          conjunction: 'and',
          conditions: [{ field_id: 'fld_tags', operator: 'has_all_of', value: 'Anchor' }],
        },
      },
      'filters.conditions[0].value: has_all_of on field "Tags" (multiple_select) needs a list of texts; got "Anchor"',
    ],
    [
      {
        filters: {
          conjunction: 'and',
          conditions: [{ field_id: 'fld_name', operator: 'like', value: 'x' }],
        },
      },
      expect.stringMatching(/^filters.conditions\[0\].operator: unknown operator "like"/),
    ],
    [
      { sorts: [{ field_id: 'fld_name', direction: 'up' }] },
      'sorts[0].direction: must be "asc" or "desc"',
    ],
    [
      { sorts: [{ field_id: 'fld_x', direction: 'asc' }] },
      'sorts[0].field_id: unknown field "fld_x"',
    ],
    [{ frozen_columns: -1 }, 'frozen_columns: must be a whole number from 0 to 20'],
    [{ row_height: 'huge' }, 'row_height: must be one of short, medium, tall, extra_tall'],
  ])('refuses a bad config, naming where: %j', (config, message) => {
    const err = domainErrorOf(() =>
      decideSaveView(
        { view_id: 'viw_1', table_id: 'tbl', name: 'V', config: config as never, actor: ANN },
        givenTable().ctx,
      ),
    );
    expect(err.code).toBe('validation');
    expect(err.message).toEqual(message);
  });

  it('ignores conditions whose value is not filled in yet and drops layout ids of removed fields', () => {
    const g = givenTable();
    const config = {
      filters: {
        conjunction: 'and',
        conditions: [
          { field_id: 'fld_name', operator: 'contains', value: '' },
          { field_id: 'fld_done', operator: 'is', value: null },
        ],
      },
      field_order: ['fld_name', 'fld_gone'],
    };
    const d = decideSaveView(
      { view_id: 'viw_1', table_id: 'tbl', name: 'V', config, actor: ANN },
      g.ctx,
    );
    expect((eventsOf(d)[0].data as { config: unknown }).config).toEqual({
      ...config,
      field_order: ['fld_name'],
    });
  });

  it('hides the Lists column by its pseudo-field id, which field_order does not take', () => {
    const g = givenTable();
    const config = { hidden_fields: ['lists', 'fld_done'], field_order: ['lists', 'fld_name'] };
    const d = decideSaveView(
      { view_id: 'viw_1', table_id: 'tbl', name: 'V', config, actor: ANN },
      g.ctx,
    );
    expect((eventsOf(d)[0].data as { config: unknown }).config).toEqual({
      hidden_fields: ['lists', 'fld_done'],
      field_order: ['fld_name'],
    });
  });

  it('drops, without complaint, conditions and sorts the view had on a field removed since', () => {
    const g = givenTable();
    const old = {
      filters: {
        conjunction: 'and',
        conditions: [
          { field_id: 'fld_next', operator: 'is_before', value: { relative: 'today' } },
          { field_id: 'fld_name', operator: 'is_not_empty', value: null },
        ],
      },
      sorts: [{ field_id: 'fld_next', direction: 'asc' }],
    };
    g.apply((ctx) =>
      decideSaveView(
        { view_id: 'viw_1', table_id: 'tbl', name: 'V', config: old, actor: ANN },
        ctx,
      ),
    );
    g.apply((ctx) => decideRemoveField({ field_id: 'fld_next' }, ctx));
    const d = decideSaveView(
      {
        view_id: 'viw_1',
        table_id: 'tbl',
        name: 'V',
        config: { ...old, field_widths: { fld_name: 300 } },
        actor: ANN,
      },
      g.ctx,
    );
    expect((eventsOf(d)[0].data as { config: unknown }).config).toEqual({
      filters: {
        conjunction: 'and',
        conditions: [{ field_id: 'fld_name', operator: 'is_not_empty', value: null }],
      },
      sorts: [],
      field_widths: { fld_name: 300 },
    });
  });

  describe('the shape of a config', () => {
    it('refuses a setting it does not know from a person, naming it with a reason', () => {
      const err = domainErrorOf(() =>
        decideSaveView(
          { view_id: 'viw_1', table_id: 'tbl', name: 'V', config: { colour: 'red' }, actor: ANN },
          givenTable().ctx,
        ),
      );
      expect(err.details).toMatchObject({ field: 'config.colour', reason: 'unknown_key' });
    });

    it('keeps a key the view already had (saved by an older version), and lets the system use any', () => {
      const g = givenTable();
      g.apply((ctx) =>
        decideSaveView(
          { view_id: 'viw_1', table_id: 'tbl', name: 'V', config: { legacy: { x: 1 } } },
          ctx,
        ),
      );
      g.apply((ctx) =>
        decideSaveView(
          {
            view_id: 'viw_1',
            table_id: 'tbl',
            name: 'V',
            config: { legacy: { x: 1 }, sorts: [] },
            actor: ANN,
          },
          ctx,
        ),
      );
      expect(g.state.views.get('viw_1')!.config).toEqual({ legacy: { x: 1 }, sorts: [] });
    });

    it('refuses a config nested deeper than 16 levels, naming the path, from anyone', () => {
      let deep: unknown = 1;
      for (let i = 0; i < 40; i++) deep = { a: deep };
      for (const actor of [ANN, undefined]) {
        const err = domainErrorOf(() =>
          decideSaveView(
            {
              view_id: 'viw_1',
              table_id: 'tbl',
              name: 'V',
              config: { field_widths: deep } as never,
              actor,
            },
            givenTable().ctx,
          ),
        );
        expect(err.details).toMatchObject({
          reason: 'too_deep',
          field: `config.field_widths${'.a'.repeat(15)}`,
        });
      }
    });
  });

  describe('personal and locked views', () => {
    const personal = (g: Given) =>
      g.apply((ctx) =>
        decideSaveView(
          {
            view_id: 'viw_p',
            table_id: 'tbl',
            name: 'Mine',
            config: { personal: true, owner_id: 'usr_bob' },
            actor: ANN,
          },
          ctx,
        ),
      );

    it('gives a personal view its creator as owner, whatever the client says', () => {
      const g = givenTable();
      personal(g);
      expect(g.state.views.get('viw_p')!.config).toEqual({ personal: true, owner_id: 'usr_ann' });
    });

    it('hides a personal view from everyone else, admins included', () => {
      const g = givenTable();
      personal(g);
      for (const actor of [BOB, ADMIN]) {
        expect(
          domainErrorOf(() =>
            decideSaveView(
              { view_id: 'viw_p', table_id: 'tbl', name: 'Taken', config: {}, actor },
              g.ctx,
            ),
          ).code,
        ).toBe('not_found');
        expect(domainErrorOf(() => decideDeleteView({ view_id: 'viw_p', actor }, g.ctx)).code).toBe(
          'not_found',
        );
      }
      expect(eventsOf(decideDeleteView({ view_id: 'viw_p', actor: ANN }, g.ctx))[0].type).toBe(
        'ViewDeleted',
      );
    });

    it('lets the owner share a personal view, but not make a shared view personal', () => {
      const g = givenTable();
      personal(g);
      g.apply((ctx) =>
        decideSaveView(
          {
            view_id: 'viw_p',
            table_id: 'tbl',
            name: 'Ours',
            config: { personal: false },
            actor: ANN,
          },
          ctx,
        ),
      );
      expect(g.state.views.get('viw_p')!.config).toEqual({});
      const err = domainErrorOf(() =>
        decideSaveView(
          {
            view_id: 'viw_p',
            table_id: 'tbl',
            name: 'Ours',
            config: { personal: true },
            actor: BOB,
          },
          g.ctx,
        ),
      );
      expect(err.message).toBe(
        'a shared view cannot become personal; duplicate it as a personal view instead',
      );
    });

    it('lets only admins lock a shared view, and then only admins change or delete it', () => {
      const g = givenTable();
      g.apply((ctx) =>
        decideSaveView(
          { view_id: 'viw_s', table_id: 'tbl', name: 'Pipeline', config: {}, actor: ANN },
          ctx,
        ),
      );
      expect(
        domainErrorOf(() =>
          decideSaveView(
            {
              view_id: 'viw_s',
              table_id: 'tbl',
              name: 'Pipeline',
              config: { locked: true },
              actor: ANN,
            },
            g.ctx,
          ),
        ).code,
      ).toBe('forbidden');
      g.apply((ctx) =>
        decideSaveView(
          {
            view_id: 'viw_s',
            table_id: 'tbl',
            name: 'Pipeline',
            config: { locked: true },
            actor: ADMIN,
          },
          ctx,
        ),
      );
      expect(
        domainErrorOf(() =>
          decideSaveView(
            {
              view_id: 'viw_s',
              table_id: 'tbl',
              name: 'Renamed',
              config: { locked: true },
              actor: BOB,
            },
            g.ctx,
          ),
        ).message,
      ).toBe('view "Pipeline" is locked; only an admin can change it');
      expect(
        domainErrorOf(() => decideDeleteView({ view_id: 'viw_s', actor: BOB }, g.ctx)).code,
      ).toBe('forbidden');
      // A save that leaves `locked` out keeps the view locked.
      g.apply((ctx) =>
        decideSaveView(
          {
            view_id: 'viw_s',
            table_id: 'tbl',
            name: 'Pipeline 2',
            config: { sorts: [] },
            actor: ADMIN,
          },
          ctx,
        ),
      );
      expect(g.state.views.get('viw_s')!.config).toEqual({ sorts: [], locked: true });
    });

    it('lets a member save a locked view exactly as it is: no events, no refusal', () => {
      const g = givenTable();
      g.apply((ctx) =>
        decideSaveView(
          {
            view_id: 'viw_s',
            table_id: 'tbl',
            name: 'Pipeline',
            config: { locked: true, sorts: [{ field_id: 'fld_name', direction: 'asc' }] },
            actor: ADMIN,
          },
          ctx,
        ),
      );
      const stored = g.state.views.get('viw_s')!;
      expect(
        eventsOf(
          decideSaveView(
            {
              view_id: 'viw_s',
              table_id: 'tbl',
              name: stored.name,
              config: stored.config,
              actor: BOB,
            },
            g.ctx,
          ),
        ),
      ).toEqual([]);
      expect(
        domainErrorOf(() =>
          decideSaveView(
            {
              view_id: 'viw_s',
              table_id: 'tbl',
              name: stored.name,
              config: { ...stored.config, sorts: [] },
              actor: BOB,
            },
            g.ctx,
          ),
        ).code,
      ).toBe('forbidden');
    });

    it('keeps the default view default and undeletable by people', () => {
      const g = givenTable();
      g.apply((ctx) =>
        decideSaveView(
          {
            view_id: 'viw_d',
            table_id: 'tbl',
            name: 'Grid view',
            config: { default: true, field_order: ['fld_name'], field_widths: {} },
          },
          ctx,
        ),
      );
      g.apply((ctx) =>
        decideSaveView(
          {
            view_id: 'viw_d',
            table_id: 'tbl',
            name: 'Grid view',
            config: { field_order: ['fld_stage', 'fld_name'], field_widths: {} },
            actor: ANN,
          },
          ctx,
        ),
      );
      expect(g.state.views.get('viw_d')!.config).toEqual({
        default: true,
        field_order: ['fld_stage', 'fld_name'],
        field_widths: {},
      });
      expect(
        domainErrorOf(() => decideDeleteView({ view_id: 'viw_d', actor: ADMIN }, g.ctx)).code,
      ).toBe('illegal_state');
    });
  });
});
