import { decideCreateTable } from '../../table/decide/create-table.decide';
import { domainErrorOf } from '../../testing/domain-error-of';
import { eventsOf, Given } from '../../testing/given-when-then';
import { type ChangeOp, decideChanges } from './apply-changes.decide';

const INV = 'tbl_inv';
const CON = 'tbl_con';
const ADA = 'usr_ada';
const BOB = 'usr_bob';
const CAROL = 'usr_carol';

/** Given an Investors table and a Contacts table linking to it. */
function givenBase(): Given {
  const g = Given.empty();
  g.apply((ctx) =>
    decideCreateTable(
      {
        table_id: INV,
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
          { id: 'fld_anchor', name: 'Anchor', type: 'checkbox' },
          { id: 'fld_site', name: 'Website', type: 'url' },
          { id: 'fld_met', name: 'Met at', type: 'date_time' },
        ],
      },
      ctx,
    ),
  );
  g.apply((ctx) =>
    decideCreateTable(
      {
        table_id: CON,
        name: 'Contacts',
        fields: [
          { id: 'fld_cname', name: 'Name', type: 'text' },
          { id: 'fld_investor', name: 'Investor', type: 'link', options: { table_id: INV } },
        ],
      },
      ctx,
    ),
  );
  return g;
}

const decide = (g: Given, changes: ChangeOp[], actor = ADA) =>
  decideChanges({ changes, at: g.now, actor_id: actor }, g.ctx);
const run = (g: Given, changes: ChangeOp[], actor = ADA) =>
  g.apply(decide(g, changes, actor), actor);
const create = (
  record_id: string,
  values: Record<string, unknown> = {},
  table_id = INV,
): ChangeOp => ({ op: 'create', table_id, record_id, values });
const set = (record_id: string, field_id: string, from: unknown, to: unknown): ChangeOp => ({
  op: 'set',
  record_id,
  field_id,
  from,
  to,
});

describe('decideChanges', () => {
  describe('create', () => {
    it('creates a batch of records, one stream each, with values normalised and empties left out', () => {
      const g = givenBase();
      const d = decide(g, [
        create('rec_1', {
          fld_name: 'Acme',
          fld_stage: 'Lead',
          fld_amount: 5_000_000,
          fld_anchor: true,
          fld_site: 'acme.com',
          fld_met: '2026-01-05T09:00:00+01:00',
        }),
        create('rec_2', { fld_name: 'Beta', fld_stage: '', fld_site: null, fld_amount: null }),
      ]);
      expect(d.appends).toEqual([
        {
          stream_id: 'record-rec_1',
          expected_version: 0,
          events: [
            {
              type: 'RecordCreated',
              data: {
                table_id: INV,
                record_id: 'rec_1',
                values: {
                  fld_name: 'Acme',
                  fld_stage: 'Lead',
                  fld_amount: 5_000_000,
                  fld_anchor: true,
                  fld_site: 'https://acme.com',
                  fld_met: '2026-01-05T08:00:00.000Z',
                },
              },
            },
          ],
        },
        {
          stream_id: 'record-rec_2',
          expected_version: 0,
          events: [
            {
              type: 'RecordCreated',
              data: { table_id: INV, record_id: 'rec_2', values: { fld_name: 'Beta' } },
            },
          ],
        },
      ]);
      expect(d.conflicts).toEqual([]);
      expect(d.applied).toEqual([
        { index: 0, op: 'create', record_id: 'rec_1', changed: true },
        { index: 1, op: 'create', record_id: 'rec_2', changed: true },
      ]);
    });

    it('creates a record with no values', () => {
      const g = givenBase();
      expect(eventsOf(decide(g, [{ op: 'create', table_id: INV, record_id: 'rec_1' }]))).toEqual([
        { type: 'RecordCreated', data: { table_id: INV, record_id: 'rec_1', values: {} } },
      ]);
    });

    it('refuses a record id already used in the log', () => {
      const g = givenBase();
      run(g, [create('rec_1')]);
      const err = domainErrorOf(() => decide(g, [create('rec_1')]));
      expect(err.code).toBe('validation');
      expect(err.message).toBe('changes[0]: record id is missing or already used');
    });

    it('refuses a record id used earlier in the same batch', () => {
      const g = givenBase();
      const err = domainErrorOf(() => decide(g, [create('rec_1'), create('rec_1')]));
      expect(err.code).toBe('validation');
      expect(err.details).toEqual({ field: 'changes[1].record_id' });
    });

    it('refuses an unknown table with not_found naming it', () => {
      const err = domainErrorOf(() => decide(givenBase(), [create('rec_1', {}, 'tbl_nope')]));
      expect(err.code).toBe('not_found');
      expect(err.message).toBe('table tbl_nope does not exist');
    });

    it('refuses an unknown field with not_found naming it', () => {
      const err = domainErrorOf(() => decide(givenBase(), [create('rec_1', { fld_nope: 'x' })]));
      expect(err.code).toBe('not_found');
      expect(err.message).toBe('changes[0]: field fld_nope does not exist in table "Investors"');
    });
  });

  describe('set (compare-and-set)', () => {
    it('applies when the cell holds `from`; the event carries from and to', () => {
      const g = givenBase();
      run(g, [create('rec_1', { fld_name: 'Acme', fld_stage: 'Lead' })]);
      const d = decide(g, [set('rec_1', 'fld_stage', 'Lead', 'Engaged')]);
      expect(d.appends).toEqual([
        {
          stream_id: 'record-rec_1',
          expected_version: 1,
          events: [
            {
              type: 'RecordUpdated',
              data: {
                table_id: INV,
                record_id: 'rec_1',
                changes: [{ field_id: 'fld_stage', from: 'Lead', to: 'Engaged' }],
              },
            },
          ],
        },
      ]);
      expect(d.conflicts).toEqual([]);
      expect(d.applied).toEqual([
        { index: 0, op: 'set', record_id: 'rec_1', field_id: 'fld_stage', changed: true },
      ]);
    });

    it('stores `to` normalised and `from` as it was stored', () => {
      const g = givenBase();
      run(g, [create('rec_1', { fld_name: 'Acme', fld_site: 'acme.com' })]);
      expect(eventsOf(decide(g, [set('rec_1', 'fld_site', 'acme.com', ' www.acme.io ')]))).toEqual([
        {
          type: 'RecordUpdated',
          data: {
            table_id: INV,
            record_id: 'rec_1',
            changes: [
              { field_id: 'fld_site', from: 'https://acme.com', to: 'https://www.acme.io' },
            ],
          },
        },
      ]);
    });

    it("reads `from` in the field's stored form (a date-time in another offset is the same instant)", () => {
      const g = givenBase();
      run(g, [create('rec_1', { fld_met: '2026-01-05T08:00:00Z' })]);
      const d = decide(g, [
        set('rec_1', 'fld_met', '2026-01-05T10:00:00+02:00', '2026-01-06T08:00:00Z'),
      ]);
      expect(d.conflicts).toEqual([]);
      expect(eventsOf(d)).toEqual([
        {
          type: 'RecordUpdated',
          data: {
            table_id: INV,
            record_id: 'rec_1',
            changes: [
              {
                field_id: 'fld_met',
                from: '2026-01-05T08:00:00.000Z',
                to: '2026-01-06T08:00:00.000Z',
              },
            ],
          },
        },
      ]);
    });

    it('fills a never-set cell when `from` is null or empty', () => {
      const g = givenBase();
      run(g, [create('rec_1', { fld_name: 'Acme' })]);
      expect(eventsOf(decide(g, [set('rec_1', 'fld_amount', null, 100)]))).toEqual([
        {
          type: 'RecordUpdated',
          data: {
            table_id: INV,
            record_id: 'rec_1',
            changes: [{ field_id: 'fld_amount', from: null, to: 100 }],
          },
        },
      ]);
      expect(decide(g, [set('rec_1', 'fld_amount', '', 100)]).conflicts).toEqual([]);
      expect(decide(g, [set('rec_1', 'fld_amount', undefined, 100)]).conflicts).toEqual([]);
    });

    it('compares a never-set checkbox equal to false', () => {
      const g = givenBase();
      run(g, [create('rec_1', { fld_name: 'Acme' })]);
      for (const from of [false, null]) {
        const d = decide(g, [set('rec_1', 'fld_anchor', from, true)]);
        expect(d.conflicts).toEqual([]);
        expect(eventsOf(d)).toEqual([
          {
            type: 'RecordUpdated',
            data: {
              table_id: INV,
              record_id: 'rec_1',
              changes: [{ field_id: 'fld_anchor', from: false, to: true }],
            },
          },
        ]);
      }
      // and setting it to false is already true of it: nothing to append
      const none = decide(g, [set('rec_1', 'fld_anchor', false, false)]);
      expect(none.appends).toEqual([]);
      expect(none.applied).toEqual([
        { index: 0, op: 'set', record_id: 'rec_1', field_id: 'fld_anchor', changed: false },
      ]);
      // a checked box is not "from false"
      run(g, [set('rec_1', 'fld_anchor', false, true)], BOB);
      expect(decide(g, [set('rec_1', 'fld_anchor', false, null)]).conflicts).toEqual([
        {
          record_id: 'rec_1',
          field_id: 'fld_anchor',
          expected: false,
          current: true,
          updated_at: g.state.records.get('rec_1')!.updated_at,
          updated_by: BOB,
        },
      ]);
    });

    it('applies as a no-op when the cell already holds `to`, whatever `from` says', () => {
      const g = givenBase();
      run(g, [create('rec_1', { fld_name: 'Acme', fld_stage: 'Engaged' })]);
      const d = decide(g, [set('rec_1', 'fld_stage', 'Lead', 'Engaged')]);
      expect(d.appends).toEqual([]);
      expect(d.conflicts).toEqual([]);
      expect(d.applied).toEqual([
        { index: 0, op: 'set', record_id: 'rec_1', field_id: 'fld_stage', changed: false },
      ]);
    });

    it('reports a conflict for that cell alone while the rest of the batch applies', () => {
      const g = givenBase();
      run(g, [create('rec_1', { fld_name: 'Acme', fld_stage: 'Lead' })]);
      const [bobs] = run(g, [set('rec_1', 'fld_name', 'Acme', 'Acme Capital')], BOB);
      run(g, [set('rec_1', 'fld_stage', 'Lead', 'Engaged')], CAROL);
      // Ada still sees name "Acme" and stage "Engaged"
      const d = decide(g, [
        set('rec_1', 'fld_name', 'Acme', 'ACME'),
        set('rec_1', 'fld_amount', null, 250_000),
      ]);
      expect(d.conflicts).toEqual([
        {
          record_id: 'rec_1',
          field_id: 'fld_name',
          expected: 'Acme',
          current: 'Acme Capital',
          updated_at: bobs.recorded_at,
          updated_by: BOB,
        },
      ]);
      expect(d.appends).toEqual([
        {
          stream_id: 'record-rec_1',
          expected_version: 3,
          events: [
            {
              type: 'RecordUpdated',
              data: {
                table_id: INV,
                record_id: 'rec_1',
                changes: [{ field_id: 'fld_amount', from: null, to: 250_000 }],
              },
            },
          ],
        },
      ]);
      expect(d.applied).toEqual([
        { index: 1, op: 'set', record_id: 'rec_1', field_id: 'fld_amount', changed: true },
      ]);
    });

    it('stamps a conflict on a cell set at creation with who created it', () => {
      const g = givenBase();
      const [created] = run(g, [create('rec_1', { fld_name: 'Acme' })], BOB);
      run(g, [set('rec_1', 'fld_stage', null, 'Lead')], CAROL);
      expect(decide(g, [set('rec_1', 'fld_name', 'Other', 'X')]).conflicts).toEqual([
        {
          record_id: 'rec_1',
          field_id: 'fld_name',
          expected: 'Other',
          current: 'Acme',
          updated_at: created.recorded_at,
          updated_by: BOB,
        },
      ]);
    });

    it('lets later changes of a batch see the earlier ones', () => {
      const g = givenBase();
      run(g, [create('rec_1', { fld_name: 'A' })]);
      const d = decide(g, [set('rec_1', 'fld_name', 'A', 'B'), set('rec_1', 'fld_name', 'B', 'C')]);
      expect(d.conflicts).toEqual([]);
      expect(d.appends).toEqual([
        {
          stream_id: 'record-rec_1',
          expected_version: 1,
          events: [
            {
              type: 'RecordUpdated',
              data: {
                table_id: INV,
                record_id: 'rec_1',
                changes: [{ field_id: 'fld_name', from: 'A', to: 'B' }],
              },
            },
            {
              type: 'RecordUpdated',
              data: {
                table_id: INV,
                record_id: 'rec_1',
                changes: [{ field_id: 'fld_name', from: 'B', to: 'C' }],
              },
            },
          ],
        },
      ]);
    });
  });

  describe('several changes to one record in a batch', () => {
    it('land as consecutive events of its stream', () => {
      const g = givenBase();
      const d = decide(g, [
        create('rec_1', { fld_name: 'Acme' }),
        set('rec_1', 'fld_stage', null, 'Lead'),
        set('rec_1', 'fld_amount', null, 10),
      ]);
      expect(d.appends).toEqual([
        {
          stream_id: 'record-rec_1',
          expected_version: 0,
          events: [
            {
              type: 'RecordCreated',
              data: { table_id: INV, record_id: 'rec_1', values: { fld_name: 'Acme' } },
            },
            {
              type: 'RecordUpdated',
              data: {
                table_id: INV,
                record_id: 'rec_1',
                changes: [{ field_id: 'fld_stage', from: null, to: 'Lead' }],
              },
            },
            {
              type: 'RecordUpdated',
              data: {
                table_id: INV,
                record_id: 'rec_1',
                changes: [{ field_id: 'fld_amount', from: null, to: 10 }],
              },
            },
          ],
        },
      ]);
      expect(
        run(g, [
          create('rec_1', { fld_name: 'Acme' }),
          set('rec_1', 'fld_stage', null, 'Lead'),
          set('rec_1', 'fld_amount', null, 10),
        ]).map((e) => [e.stream_id, e.stream_version]),
      ).toEqual([
        ['record-rec_1', 1],
        ['record-rec_1', 2],
        ['record-rec_1', 3],
      ]);
    });

    it('interleaved with another record, carry the expected version each append will meet, and the store takes them', () => {
      const g = givenBase();
      run(g, [create('rec_1', { fld_name: 'A' }), create('rec_2', { fld_name: 'B' })]);
      const changes = [
        set('rec_1', 'fld_stage', null, 'Lead'),
        set('rec_2', 'fld_stage', null, 'Engaged'),
        set('rec_1', 'fld_amount', null, 5),
        { op: 'archive' as const, record_id: 'rec_2' },
      ];
      const d = decide(g, changes);
      expect(
        d.appends.map((a) => [a.stream_id, a.expected_version, a.events.map((e) => e.type)]),
      ).toEqual([
        ['record-rec_1', 1, ['RecordUpdated']],
        ['record-rec_2', 1, ['RecordUpdated']],
        ['record-rec_1', 2, ['RecordUpdated']],
        ['record-rec_2', 2, ['RecordArchived']],
      ]);
      const recorded = g.apply(d);
      expect(recorded.map((e) => [e.stream_id, e.stream_version])).toEqual([
        ['record-rec_1', 2],
        ['record-rec_2', 2],
        ['record-rec_1', 3],
        ['record-rec_2', 3],
      ]);
      const s = g.state;
      expect(s.records.get('rec_1')).toMatchObject({
        version: 3,
        values: { fld_name: 'A', fld_stage: 'Lead', fld_amount: 5 },
        archived: false,
      });
      expect(s.records.get('rec_2')).toMatchObject({
        version: 3,
        values: { fld_name: 'B', fld_stage: 'Engaged' },
        archived: true,
      });
    });
  });

  describe('archive and unarchive', () => {
    it('archives, and archiving again appends nothing', () => {
      const g = givenBase();
      run(g, [create('rec_1')]);
      const d = decide(g, [{ op: 'archive', record_id: 'rec_1' }]);
      expect(d.appends).toEqual([
        {
          stream_id: 'record-rec_1',
          expected_version: 1,
          events: [{ type: 'RecordArchived', data: { table_id: INV, record_id: 'rec_1' } }],
        },
      ]);
      expect(d.applied).toEqual([{ index: 0, op: 'archive', record_id: 'rec_1', changed: true }]);
      g.apply(d);
      const again = decide(g, [{ op: 'archive', record_id: 'rec_1' }]);
      expect(again.appends).toEqual([]);
      expect(again.applied).toEqual([
        { index: 0, op: 'archive', record_id: 'rec_1', changed: false },
      ]);
    });

    it('unarchives, and unarchiving a live record appends nothing', () => {
      const g = givenBase();
      run(g, [create('rec_1'), create('rec_2')]);
      run(g, [{ op: 'archive', record_id: 'rec_1' }]);
      const d = decide(g, [
        { op: 'unarchive', record_id: 'rec_1' },
        { op: 'unarchive', record_id: 'rec_2' },
      ]);
      expect(d.appends).toEqual([
        {
          stream_id: 'record-rec_1',
          expected_version: 2,
          events: [{ type: 'RecordUnarchived', data: { table_id: INV, record_id: 'rec_1' } }],
        },
      ]);
      expect(d.applied.map((a) => a.changed)).toEqual([true, false]);
    });

    it('refuses to edit an archived record', () => {
      const g = givenBase();
      run(g, [create('rec_1', { fld_name: 'Acme' })]);
      run(g, [{ op: 'archive', record_id: 'rec_1' }]);
      const err = domainErrorOf(() => decide(g, [set('rec_1', 'fld_name', 'Acme', 'X')]));
      expect(err.code).toBe('illegal_state');
      expect(err.message).toBe('changes[0]: record rec_1 is archived; unarchive it first');
    });

    it('refuses an edit after an archive in the same batch, and takes one after an unarchive', () => {
      const g = givenBase();
      run(g, [create('rec_1', { fld_name: 'Acme' })]);
      expect(
        domainErrorOf(() =>
          decide(g, [{ op: 'archive', record_id: 'rec_1' }, set('rec_1', 'fld_name', 'Acme', 'X')]),
        ).code,
      ).toBe('illegal_state');
      run(g, [{ op: 'archive', record_id: 'rec_1' }]);
      expect(
        eventsOf(
          decide(g, [
            { op: 'unarchive', record_id: 'rec_1' },
            set('rec_1', 'fld_name', 'Acme', 'X'),
          ]),
        ).map((e) => e.type),
      ).toEqual(['RecordUnarchived', 'RecordUpdated']);
    });
  });

  describe('link cells', () => {
    it('take records of the linked table', () => {
      const g = givenBase();
      run(g, [create('rec_1', { fld_name: 'Acme' })]);
      expect(
        eventsOf(decide(g, [create('con_1', { fld_cname: 'Ada', fld_investor: ['rec_1'] }, CON)])),
      ).toEqual([
        {
          type: 'RecordCreated',
          data: {
            table_id: CON,
            record_id: 'con_1',
            values: { fld_cname: 'Ada', fld_investor: ['rec_1'] },
          },
        },
      ]);
    });

    it('take a record created earlier in the same batch', () => {
      const g = givenBase();
      const d = decide(g, [
        create('rec_1', { fld_name: 'Acme' }),
        create('con_1', { fld_investor: ['rec_1'] }, CON),
      ]);
      expect(eventsOf(d)).toEqual([
        {
          type: 'RecordCreated',
          data: { table_id: INV, record_id: 'rec_1', values: { fld_name: 'Acme' } },
        },
        {
          type: 'RecordCreated',
          data: { table_id: CON, record_id: 'con_1', values: { fld_investor: ['rec_1'] } },
        },
      ]);
      g.apply(d);
      expect(g.state.records.get('con_1')?.values).toEqual({ fld_investor: ['rec_1'] });
    });

    it.each([
      ['a record that does not exist', 'rec_nope', []],
      ['a record of another table', 'con_0', []],
      ['an archived record', 'rec_old', []],
      ['a record created later in the batch', 'rec_later', [create('rec_later')]],
    ] as [string, string, ChangeOp[]][])('refuse %s', (_label, target, after) => {
      const g = givenBase();
      run(g, [create('con_0', {}, CON), create('rec_old')]);
      run(g, [{ op: 'archive', record_id: 'rec_old' }]);
      const err = domainErrorOf(() =>
        decide(g, [create('con_1', { fld_investor: [target] }, CON), ...after]),
      );
      expect(err.code).toBe('validation');
      expect(err.message).toBe(
        `changes[0]: field "Investor" links to ${target}, which is not a record of its linked table`,
      );
      expect(err.details).toEqual({ field: 'changes[0]', field_id: 'fld_investor', given: target });
    });

    it('are checked on set too', () => {
      const g = givenBase();
      run(g, [create('rec_1'), create('con_1', {}, CON)]);
      expect(
        domainErrorOf(() => decide(g, [set('con_1', 'fld_investor', [], ['rec_1', 'rec_nope'])]))
          .code,
      ).toBe('validation');
      expect(eventsOf(decide(g, [set('con_1', 'fld_investor', [], ['rec_1'])]))).toEqual([
        {
          type: 'RecordUpdated',
          data: {
            table_id: CON,
            record_id: 'con_1',
            changes: [{ field_id: 'fld_investor', from: [], to: ['rec_1'] }],
          },
        },
      ]);
    });
  });

  describe('rejections', () => {
    it('an unknown record is not_found, named', () => {
      const g = givenBase();
      for (const change of [
        set('rec_nope', 'fld_name', null, 'x'),
        { op: 'archive' as const, record_id: 'rec_nope' },
      ]) {
        const err = domainErrorOf(() => decide(g, [change]));
        expect(err.code).toBe('not_found');
        expect(err.message).toBe('changes[0]: record rec_nope does not exist');
      }
    });

    it('an unknown field is not_found, named', () => {
      const g = givenBase();
      run(g, [create('rec_1')]);
      const err = domainErrorOf(() => decide(g, [set('rec_1', 'fld_nope', null, 'x')]));
      expect(err.code).toBe('not_found');
      expect(err.message).toBe('changes[0]: field fld_nope does not exist in table "Investors"');
    });

    it('a bad value anywhere rejects the whole batch: validation, and no events at all', () => {
      const g = givenBase();
      run(g, [create('rec_1', { fld_name: 'Acme' })]);
      const before = g.store.lastPosition();
      const batch = [
        set('rec_1', 'fld_name', 'Acme', 'Acme Capital'),
        create('rec_2', { fld_name: 'Beta' }),
        set('rec_1', 'fld_amount', null, 'a lot'),
      ];
      const err = domainErrorOf(() => run(g, batch));
      expect(err.code).toBe('validation');
      expect(err.message).toBe(
        'field "Amount" (currency) expects a finite number; got text "a lot"',
      );
      expect(g.store.lastPosition()).toBe(before);
      expect(g.state.records.get('rec_1')?.values).toEqual({ fld_name: 'Acme' });
      expect(g.state.records.has('rec_2')).toBe(false);
    });

    it('a bad value in a create rejects the batch too', () => {
      const g = givenBase();
      expect(
        domainErrorOf(() => decide(g, [create('rec_1'), create('rec_2', { fld_stage: 'Nope' })]))
          .code,
      ).toBe('validation');
    });

    it('an empty batch or an unknown op is a validation error', () => {
      const g = givenBase();
      expect(domainErrorOf(() => decide(g, [])).code).toBe('validation');
      const err = domainErrorOf(() =>
        decide(g, [{ op: 'delete', record_id: 'rec_1' } as unknown as ChangeOp]),
      );
      expect(err.code).toBe('validation');
      expect(err.message).toBe('changes[0].op must be create, set, archive or unarchive');
    });
  });
});
