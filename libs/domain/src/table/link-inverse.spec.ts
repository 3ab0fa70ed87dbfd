import { decideChanges } from '../record/decide/apply-changes.decide';
import { domainErrorOf } from '../testing/domain-error-of';
import { eventsOf, Given } from '../testing/given-when-then';
import { decideAddField } from './decide/add-field.decide';
import { decideCreateTable } from './decide/create-table.decide';
import { decideRemoveField } from './decide/remove-field.decide';
import { decideAddLinkInverses, decideSyncLinkInverses } from './link-inverse';

const I1 = 'recI1xxxxxxxxxxxx';
const I2 = 'recI2xxxxxxxxxxxx';
const C1 = 'recC1xxxxxxxxxxxx';

/** Investors and commitments; commitments link to investors, one-way (made before two sides). */
function given(): Given {
  const g = Given.empty();
  g.apply((ctx) =>
    decideCreateTable(
      {
        table_id: 'tbl_inv',
        name: 'Investors',
        fields: [{ id: 'i_name', name: 'Name', type: 'text' }],
      },
      ctx,
    ),
  );
  g.apply((ctx) =>
    decideCreateTable(
      {
        table_id: 'tbl_com',
        name: 'Commitments',
        fields: [
          { id: 'c_name', name: 'Name', type: 'text' },
          { id: 'c_inv', name: 'Investor', type: 'link', options: { table_id: 'tbl_inv' } },
          { id: 'c_amount', name: 'Amount', type: 'number' },
        ],
      },
      ctx,
    ),
  );
  const at = g.now;
  g.apply((ctx) =>
    decideChanges(
      {
        at,
        actor_id: 'usr_a',
        changes: [
          { op: 'create', table_id: 'tbl_inv', record_id: I1, values: { i_name: 'Yale' } },
          { op: 'create', table_id: 'tbl_inv', record_id: I2, values: { i_name: 'MIT' } },
          {
            op: 'create',
            table_id: 'tbl_com',
            record_id: C1,
            values: { c_name: 'Y1', c_inv: [I1] },
          },
        ],
      },
      ctx,
    ),
  );
  return g;
}

const upgraded = () => {
  const g = given();
  g.apply((ctx) => decideAddLinkInverses({ inverse_ids: { c_inv: 'i_deals' } }, ctx));
  return g;
};

describe('two-way links', () => {
  it('given a one-way link, the upgrade adds its inverse filled from the links there', () => {
    const g = given();
    const d = decideAddLinkInverses({ inverse_ids: { c_inv: 'i_deals' } }, g.ctx);
    expect(eventsOf(d)).toEqual([
      {
        type: 'FieldRetyped',
        data: {
          table_id: 'tbl_com',
          field_id: 'c_inv',
          from: { type: 'link', options: { table_id: 'tbl_inv' } },
          to: { type: 'link', options: { table_id: 'tbl_inv', inverse_field_id: 'i_deals' } },
          unconverted: [],
        },
      },
      {
        type: 'FieldAdded',
        data: {
          table_id: 'tbl_inv',
          field: {
            id: 'i_deals',
            name: 'Commitments',
            type: 'link',
            options: { table_id: 'tbl_com', inverse_field_id: 'c_inv' },
            role: null,
          },
        },
      },
      {
        type: 'RecordUpdated',
        data: {
          table_id: 'tbl_inv',
          record_id: I1,
          changes: [{ field_id: 'i_deals', from: [], to: [C1] }],
        },
      },
    ]);
    g.apply(d);
    expect(eventsOf(decideAddLinkInverses({ inverse_ids: {} }, g.ctx))).toEqual([]);
  });

  it('when a link cell is edited, the records linked and unlinked change on their side too', () => {
    const g = upgraded();
    const d = decideChanges(
      {
        at: g.now,
        actor_id: 'usr_a',
        changes: [{ op: 'set', record_id: C1, field_id: 'c_inv', from: [I1], to: [I2] }],
      },
      g.ctx,
    );
    expect(eventsOf(d).map((e) => e.data)).toEqual([
      {
        table_id: 'tbl_com',
        record_id: C1,
        changes: [{ field_id: 'c_inv', from: [I1], to: [I2] }],
      },
      {
        table_id: 'tbl_inv',
        record_id: I2,
        changes: [{ field_id: 'i_deals', from: [], to: [C1] }],
      },
      {
        table_id: 'tbl_inv',
        record_id: I1,
        changes: [{ field_id: 'i_deals', from: [C1], to: [] }],
      },
    ]);
  });

  it('when many records created in one batch link to one record, its side is written once', () => {
    const g = upgraded();
    const created = ['recC2xxxxxxxxxxxx', 'recC3xxxxxxxxxxxx', 'recC4xxxxxxxxxxxx'];
    const d = decideChanges(
      {
        at: g.now,
        actor_id: 'usr_a',
        changes: created.map((record_id) => ({
          op: 'create' as const,
          table_id: 'tbl_com',
          record_id,
          values: { c_inv: [I1] },
        })),
      },
      g.ctx,
    );
    const sides = eventsOf(d).filter((e) => e.type === 'RecordUpdated');
    expect(sides.map((e) => e.data)).toEqual([
      {
        table_id: 'tbl_inv',
        record_id: I1,
        changes: [{ field_id: 'i_deals', from: [C1], to: [C1, ...created] }],
      },
    ]);
  });

  it('when the inverse side is edited, the link side follows', () => {
    const g = upgraded();
    const d = decideChanges(
      {
        at: g.now,
        actor_id: 'usr_a',
        changes: [{ op: 'set', record_id: I1, field_id: 'i_deals', from: [C1], to: [] }],
      },
      g.ctx,
    );
    expect(eventsOf(d).map((e) => e.data)).toEqual([
      {
        table_id: 'tbl_inv',
        record_id: I1,
        changes: [{ field_id: 'i_deals', from: [C1], to: [] }],
      },
      { table_id: 'tbl_com', record_id: C1, changes: [{ field_id: 'c_inv', from: [I1], to: [] }] },
    ]);
  });

  it('a new link field comes with its inverse, in the same decision', () => {
    const g = upgraded();
    const d = decideAddField(
      {
        table_id: 'tbl_inv',
        field: { id: 'i_lead', name: 'Lead deal', type: 'link', options: { table_id: 'tbl_com' } },
        inverse_field_id: 'c_lead_of',
      },
      g.ctx,
    );
    expect(eventsOf(d).map((e) => e.data)).toEqual([
      {
        table_id: 'tbl_inv',
        field: {
          id: 'i_lead',
          name: 'Lead deal',
          type: 'link',
          options: { table_id: 'tbl_com', inverse_field_id: 'c_lead_of' },
          role: null,
        },
      },
      {
        table_id: 'tbl_com',
        field: {
          id: 'c_lead_of',
          name: 'Investors',
          type: 'link',
          options: { table_id: 'tbl_inv', inverse_field_id: 'i_lead' },
          role: null,
        },
      },
    ]);
  });

  it('removing one side keeps the other as the linked names, or removes it too', () => {
    const g = upgraded();
    const keep = eventsOf(decideRemoveField({ field_id: 'c_inv' }, g.ctx));
    expect(keep.map((e) => e.type)).toEqual(['FieldRemoved', 'FieldRetyped', 'RecordUpdated']);
    expect(keep[2].data).toEqual({
      table_id: 'tbl_inv',
      record_id: I1,
      changes: [{ field_id: 'i_deals', from: [C1], to: 'Y1' }],
    });
    const both = eventsOf(
      decideRemoveField({ field_id: 'c_inv', keep_inverse_as_text: false }, g.ctx),
    );
    expect(both.map((e) => [e.type, (e.data as { table_id: string }).table_id])).toEqual([
      ['FieldRemoved', 'tbl_com'],
      ['FieldRemoved', 'tbl_inv'],
    ]);
  });

  it('removing a field a rollup reads is a conflict naming it, unless cascaded', () => {
    const g = upgraded();
    g.apply((ctx) =>
      decideAddField(
        {
          table_id: 'tbl_inv',
          field: {
            id: 'i_total',
            name: 'Total',
            type: 'rollup',
            options: {
              link_field_id: 'i_deals',
              target_field_id: 'c_amount',
              formula: 'SUM(values)',
            },
          },
        },
        ctx,
      ),
    );
    const e = domainErrorOf(() => decideRemoveField({ field_id: 'c_amount' }, g.ctx));
    expect(e.code).toBe('conflict');
    expect(e.details.dependents).toEqual([
      { table_id: 'tbl_inv', field_id: 'i_total', name: 'Investors.Total' },
    ]);
    // The link's other side is read by the rollup too.
    expect(domainErrorOf(() => decideRemoveField({ field_id: 'c_inv' }, g.ctx)).code).toBe(
      'conflict',
    );
    expect(
      eventsOf(decideRemoveField({ field_id: 'c_amount', cascade: true }, g.ctx)),
    ).toHaveLength(1);
  });

  it('given one side written alone (an import), the sync sets the other side to match', () => {
    const g = upgraded();
    // A write that set the commitment's side only, as an import's rows do.
    g.appendAll([
      {
        stream_id: `record-${C1}`,
        expected_version: 1,
        events: [
          {
            type: 'RecordUpdated',
            data: {
              table_id: 'tbl_com',
              record_id: C1,
              changes: [{ field_id: 'c_inv', from: [I1], to: [I2] }],
            },
          },
        ],
      },
    ]);
    const d = decideSyncLinkInverses({ table_ids: ['tbl_com'] }, g.ctx);
    expect(eventsOf(d).map((e) => e.data)).toEqual([
      {
        table_id: 'tbl_inv',
        record_id: I1,
        changes: [{ field_id: 'i_deals', from: [C1], to: [] }],
      },
      {
        table_id: 'tbl_inv',
        record_id: I2,
        changes: [{ field_id: 'i_deals', from: [], to: [C1] }],
      },
    ]);
    g.apply(d);
    expect(eventsOf(decideSyncLinkInverses({ table_ids: ['tbl_com'] }, g.ctx))).toEqual([]);
  });
});
