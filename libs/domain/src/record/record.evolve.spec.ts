import fc from 'fast-check';
import { type FundraisingEvent } from '@crm/events';
import { evolveRecord, evolveRecordInPlace } from './record.evolve';
import { type RecordState } from './record.state';

const FIELDS = ['fldA', 'fldB', 'fldC', '1', '10', 'fld-d'];
const value = fc.oneof(
  fc.constant(null),
  fc.integer(),
  fc.boolean(),
  fc.string({ maxLength: 8 }),
  fc.array(fc.string({ maxLength: 4 }), { maxLength: 3 }),
);
const stamp = fc.record({
  recorded_at: fc.constantFrom('2026-01-01T00:00:00.000Z', '2026-03-04T05:06:07.000Z'),
  actor_id: fc.constantFrom('usr_a', 'usr_b'),
});

const created = fc
  .dictionary(fc.constantFrom(...FIELDS), value)
  .map((values): FundraisingEvent => ({
    type: 'RecordCreated',
    data: { table_id: 't', record_id: 'r', values },
  }));
const later = fc.oneof(
  fc
    .array(fc.record({ field_id: fc.constantFrom(...FIELDS), from: value, to: value }), {
      minLength: 1,
      maxLength: 4,
    })
    .map((changes): FundraisingEvent => ({
      type: 'RecordUpdated',
      data: { table_id: 't', record_id: 'r', changes },
    })),
  fc.constantFrom<FundraisingEvent>(
    { type: 'RecordArchived', data: { table_id: 't', record_id: 'r' } },
    { type: 'RecordUnarchived', data: { table_id: 't', record_id: 'r' } },
  ),
);

describe('evolveRecordInPlace', () => {
  it('reaches the state evolveRecord reaches, with the same keys in the same order (what the read model stores as JSON)', () => {
    fc.assert(
      fc.property(
        created,
        stamp,
        fc.array(fc.tuple(later, stamp), { maxLength: 12 }),
        (first, s0, rest) => {
          let pure = evolveRecord(undefined, first, s0);
          let owned = evolveRecordInPlace(undefined, first, s0);
          for (const [event, s] of rest) {
            pure = evolveRecord(pure, event, s);
            owned = evolveRecordInPlace(owned, event, s);
          }
          expect(owned).toEqual(pure);
          expect(JSON.stringify(owned)).toBe(JSON.stringify(pure));
        },
      ),
    );
  });

  it('writes into the state it is given instead of copying it', () => {
    const state: RecordState = evolveRecord(
      undefined,
      { type: 'RecordCreated', data: { table_id: 't', record_id: 'r', values: { fldA: 1 } } },
      { recorded_at: 'a', actor_id: 'u' },
    )!;
    const next = evolveRecordInPlace(
      state,
      {
        type: 'RecordUpdated',
        data: { table_id: 't', record_id: 'r', changes: [{ field_id: 'fldA', from: 1, to: 2 }] },
      },
      { recorded_at: 'b', actor_id: 'v' },
    );
    expect(next).toBe(state);
    expect(state).toMatchObject({
      values: { fldA: 2 },
      cells: { fldA: { at: 'b', by: 'v' } },
      version: 2,
      updated_at: 'b',
      updated_by: 'v',
    });
  });

  it('leaves a missing record missing', () => {
    expect(
      evolveRecordInPlace(
        undefined,
        { type: 'RecordArchived', data: { table_id: 't', record_id: 'r' } },
        { recorded_at: 'a', actor_id: 'u' },
      ),
    ).toBeUndefined();
  });
});
