import { type FieldDefinition } from '@crm/events';
import { FormulaGraph } from './dependency-graph';
import { type LinkContext, type LinkedRecord } from './link-field';

const field = (
  id: string,
  type: string,
  options: Record<string, unknown> = {},
): FieldDefinition => ({ id, name: id, type, options, role: null });

const commitmentFields = [
  field('c_name', 'text'),
  field('c_amount', 'currency'),
  field('c_status', 'single_select'),
  field('c_date', 'date'),
];
const signed = {
  conjunction: 'and',
  conditions: [{ field_id: 'c_status', operator: 'is', value: 'Signed' }],
};
const rollup = (formula: string, extra: Record<string, unknown> = {}) =>
  field('agg', 'rollup', {
    link_field_id: 'i_commitments',
    target_field_id: 'c_amount',
    formula,
    result_type: 'number',
    ...extra,
  });
const links: LinkContext = {
  fieldsOf: (id) => (id === 'tbl_com' ? commitmentFields : undefined),
  primaryFieldOf: () => 'c_name',
  records: () => [],
};

/** The delta of the investor's derived field `agg` over its commitments. */
function deltaOf(agg: FieldDefinition) {
  const fields = [field('i_commitments', 'link', { table_id: 'tbl_com' }), agg];
  return FormulaGraph.of(fields, links).node('agg')!.compiled!.delta;
}

const commitment = (values: Record<string, unknown>, archived = false): LinkedRecord => ({
  id: 'c1',
  table_id: 'tbl_com',
  values,
  archived,
});

describe('aggregates moved by one linked record', () => {
  it('given SUM, when an amount changes, then the old amount goes out and the new one in', () => {
    const delta = deltaOf(rollup('SUM(values)'))!;
    expect(delta(700, commitment({ c_amount: 200 }), commitment({ c_amount: 450 }), 0)).toBe(950);
  });

  it('given SUM with conditions, when the status stops meeting them, then the amount goes out', () => {
    const delta = deltaOf(rollup('SUM(values)', { conditions: signed }))!;
    const before = commitment({ c_amount: 200, c_status: 'Signed' });
    expect(delta(700, before, commitment({ c_amount: 200, c_status: 'Soft' }), 0)).toBe(500);
  });

  it('given a count, when the record is archived or unarchived, then it is taken out or back', () => {
    const delta = deltaOf(field('agg', 'count', { link_field_id: 'i_commitments' }))!;
    const live = commitment({ c_amount: 1 });
    expect(delta(3, live, commitment({ c_amount: 1 }, true), 0)).toBe(2);
    expect(delta(2, commitment({ c_amount: 1 }, true), live, 0)).toBe(3);
  });

  it('given MAX, when the largest amount may leave, then it is recomputed in full', () => {
    const delta = deltaOf(rollup('MAX(values)'))!;
    expect(delta(500, commitment({ c_amount: 200 }), commitment({ c_amount: 800 }), 0)).toBe(800);
    expect(delta(500, commitment({ c_amount: 500 }), commitment({ c_amount: 300 }), 0)).toBe(
      undefined,
    );
  });

  it('given fractions, an error or no old value, then it is recomputed in full', () => {
    const delta = deltaOf(rollup('SUM(values)'))!;
    expect(delta(10, commitment({ c_amount: 1 }), commitment({ c_amount: 0.1 }), 0)).toBe(
      undefined,
    );
    expect(delta({ error: 'x' }, null, commitment({ c_amount: 1 }), 0)).toBe(undefined);
    expect(delta(undefined, null, commitment({ c_amount: 1 }), 0)).toBe(undefined);
  });

  it('given other formulas or conditions on dates, then there is no delta', () => {
    expect(deltaOf(rollup('ARRAYJOIN(values, ", ")'))).toBe(undefined);
    expect(deltaOf(rollup('SUM(values) * 2'))).toBe(undefined);
    const recent = {
      conjunction: 'and',
      conditions: [{ field_id: 'c_date', operator: 'is_after', value: { relative: 'today' } }],
    };
    expect(deltaOf(rollup('SUM(values)', { conditions: recent }))).toBe(undefined);
  });
});
