import { decideAddField } from '../table/decide/add-field.decide';
import { decideCreateTable } from '../table/decide/create-table.decide';
import { decideRenameField } from '../table/decide/rename-field.decide';
import { decideRetypeField } from '../table/decide/retype-field.decide';
import { decideChanges } from '../record/decide/apply-changes.decide';
import { domainErrorOf } from '../testing/domain-error-of';
import { eventsOf, Given } from '../testing/given-when-then';
import { fieldsForDisplay, formulaForDisplay, referencedFieldIds } from './formula-field';

function givenTable(): Given {
  const g = Given.empty();
  g.apply((ctx) =>
    decideCreateTable(
      {
        table_id: 'tbl',
        name: 'Investors',
        fields: [
          { id: 'fld_name', name: 'Name', type: 'text' },
          { id: 'fld_amount', name: 'Target amount', type: 'currency' },
          { id: 'fld_rate', name: 'Rate', type: 'percent' },
        ],
      },
      ctx,
    ),
  );
  return g;
}

const addFormula = (g: Given, id: string, name: string, formula: string) =>
  g.apply((ctx) =>
    decideAddField(
      { table_id: 'tbl', field: { id, name, type: 'formula', options: { formula } } },
      ctx,
    ),
  );

describe('formula fields', () => {
  it('stores the formula with field ids and its result type', () => {
    const g = givenTable();
    const d = decideAddField(
      {
        table_id: 'tbl',
        field: {
          id: 'fld_f',
          name: 'Fee',
          type: 'formula',
          options: { formula: '{Target amount} * Rate', result_type: 'text' },
        },
      },
      g.ctx,
    );
    expect(eventsOf(d)).toEqual([
      {
        type: 'FieldAdded',
        data: {
          table_id: 'tbl',
          field: {
            id: 'fld_f',
            name: 'Fee',
            type: 'formula',
            options: { formula: '{fld_amount} * {fld_rate}', result_type: 'number' },
            role: null,
          },
        },
      },
    ]);
  });

  it('keeps working and shows the new name after a referenced field is renamed', () => {
    const g = givenTable();
    addFormula(g, 'fld_f', 'Fee', 'ROUND({Target amount} * 0.02, 0) /* 2% */');
    g.apply((ctx) => decideRenameField({ field_id: 'fld_amount', name: 'Commitment {USD}' }, ctx));
    const table = g.state.tables.get('tbl')!;
    const f = table.fields.find((x) => x.id === 'fld_f')!;
    expect(f.options.formula).toBe('ROUND({fld_amount} * 0.02, 0) /* 2% */');
    expect(formulaForDisplay(String(f.options.formula), table.fields)).toBe(
      'ROUND({Commitment \\{USD\\}} * 0.02, 0) /* 2% */',
    );
    expect(fieldsForDisplay(table.fields).find((x) => x.id === 'fld_f')!.options.formula).toBe(
      'ROUND({Commitment \\{USD\\}} * 0.02, 0) /* 2% */',
    );
    // Sent back as shown, it is the same formula: no retype event.
    expect(
      eventsOf(
        decideRetypeField(
          {
            field_id: 'fld_f',
            type: 'formula',
            options: { formula: 'ROUND({Commitment \\{USD\\}} * 0.02, 0) /* 2% */' },
          },
          g.ctx,
        ),
      ),
    ).toEqual([]);
  });

  it.each([
    ['{Nope} + 1', 'unknown field {Nope}', 0],
    ['LEFT({Name}, 2', 'expected "," or ")" to close LEFT( but found the end of the formula', 14],
    [
      'ROUND({Name}, 2)',
      'ROUND() expects a number as its first argument, but {Name} is text; VALUE() reads a number from text',
      6,
    ],
    ['FOO(1)', 'unknown function FOO()', 0],
  ])('refuses %s with the position of the mistake', (formula, message, position) => {
    const err = domainErrorOf(() =>
      decideAddField(
        {
          table_id: 'tbl',
          field: { id: 'fld_f', name: 'Bad', type: 'formula', options: { formula } },
        },
        givenTable().ctx,
      ),
    );
    expect(err.code).toBe('validation');
    expect(err.message).toBe(
      `field "Bad": ${message} (at character ${position + 1} of the formula)`,
    );
    expect(err.details).toMatchObject({
      field: 'Bad',
      option: 'formula',
      position,
      formula_error: message,
    });
  });

  it('refuses a loop between formula fields, at the reference that closes it', () => {
    const g = givenTable();
    addFormula(g, 'fld_a', 'A', '{Target amount} + 1');
    addFormula(g, 'fld_b', 'B', '{A} * 2');
    const err = domainErrorOf(() =>
      decideRetypeField(
        { field_id: 'fld_a', type: 'formula', options: { formula: '{Rate} + {B}' } },
        g.ctx,
      ),
    );
    expect(err.message).toBe(
      'field "A": {B} depends on this field: formula fields cannot refer to each other in a loop (at character 10 of the formula)',
    );
    expect(err.details).toMatchObject({ position: 9, length: 3 });
    const self = domainErrorOf(() =>
      decideRetypeField(
        { field_id: 'fld_a', type: 'formula', options: { formula: '{A} + 1' } },
        g.ctx,
      ),
    );
    expect(self.message).toMatch(/cannot refer to its own field/);
  });

  it('cannot be typed into', () => {
    const g = givenTable();
    addFormula(g, 'fld_f', 'Fee', '{Target amount} * 2');
    g.apply((ctx) =>
      decideChanges(
        {
          changes: [
            { op: 'create', table_id: 'tbl', record_id: 'rec_1', values: { fld_name: 'A' } },
          ],
          at: g.now,
          actor_id: 'usr',
        },
        ctx,
      ),
    );
    const err = domainErrorOf(() =>
      decideChanges(
        {
          changes: [{ op: 'set', record_id: 'rec_1', field_id: 'fld_f', from: null, to: 5 }],
          at: g.now,
          actor_id: 'usr',
        },
        g.ctx,
      ),
    );
    expect(err.message).toBe(
      'field "Fee" (formula) is filled in by the system and cannot be edited',
    );
  });

  it('cannot be the primary field', () => {
    const err = domainErrorOf(() =>
      decideCreateTable(
        {
          table_id: 't2',
          name: 'T2',
          fields: [{ id: 'f1', name: 'F', type: 'formula', options: { formula: '1' } }],
        },
        Given.empty().ctx,
      ),
    );
    expect(err.message).toMatch(/primary/);
  });

  it('turning a field into a formula clears its stored values (the events keep them)', () => {
    const g = givenTable();
    g.apply((ctx) =>
      decideChanges(
        {
          changes: [
            {
              op: 'create',
              table_id: 'tbl',
              record_id: 'rec_1',
              values: { fld_name: 'A', fld_rate: 0.5 },
            },
          ],
          at: g.now,
          actor_id: 'usr',
        },
        ctx,
      ),
    );
    const d = decideRetypeField(
      { field_id: 'fld_rate', type: 'formula', options: { formula: '{Target amount} / 100' } },
      g.ctx,
    );
    expect(eventsOf(d).map((e) => e.type)).toEqual(['FieldRetyped', 'RecordUpdated']);
    expect(eventsOf(d)[1].data).toEqual({
      table_id: 'tbl',
      record_id: 'rec_1',
      changes: [{ field_id: 'fld_rate', from: 0.5, to: null }],
    });
  });

  it('turning a formula into a plain field keeps the values it showed', () => {
    const g = givenTable();
    addFormula(g, 'fld_f', 'Fee', '{Target amount} * 2');
    g.apply((ctx) =>
      decideChanges(
        {
          changes: [
            {
              op: 'create',
              table_id: 'tbl',
              record_id: 'rec_1',
              values: { fld_name: 'A', fld_amount: 10 },
            },
          ],
          at: g.now,
          actor_id: 'usr',
        },
        ctx,
      ),
    );
    // The read model holds formula values; a decide context over it hands them to the decider.
    const ctx = g.ctx;
    const withComputed = {
      ...ctx,
      recordsOf: function* (id: string) {
        for (const r of ctx.recordsOf(id)) yield { ...r, computed: { fld_f: 20 } };
      },
    };
    const d = decideRetypeField({ field_id: 'fld_f', type: 'number' }, withComputed);
    expect(eventsOf(d)[1].data).toEqual({
      table_id: 'tbl',
      record_id: 'rec_1',
      changes: [{ field_id: 'fld_f', from: null, to: 20 }],
    });
  });

  it('lists the field ids a stored formula reads', () => {
    expect(referencedFieldIds('{fld_a} + IF({fld_b}, {fld_a}, Price)')).toEqual([
      'fld_a',
      'fld_b',
      'Price',
    ]);
    expect(referencedFieldIds('NOT (valid')).toEqual(['valid']);
    expect(referencedFieldIds('"unclosed')).toEqual([]);
  });
});

describe('formula result types follow the fields they read', () => {
  it('retypes the formulas whose result type changes, in the same decision', () => {
    const g = givenTable();
    addFormula(g, 'fld_echo', 'Echo', 'IF({Name}, {Name}, BLANK())');
    addFormula(g, 'fld_twice', 'Twice', 'IF({Echo}, {Echo}, BLANK())');
    addFormula(g, 'fld_len', 'Length', 'LEN({Name})');
    const d = decideRetypeField({ field_id: 'fld_name', type: 'number' }, g.ctx);
    const retyped = eventsOf(d)
      .filter((e) => e.type === 'FieldRetyped')
      .map((e) => e.data as { field_id: string; to: { options: { result_type: string } } });
    expect(retyped.map((e) => [e.field_id, e.to.options.result_type])).toEqual([
      ['fld_name', undefined],
      ['fld_echo', 'number'],
      ['fld_twice', 'number'],
    ]);
    g.apply(d);
    expect(g.state.tables.get('tbl')!.fields.find((f) => f.id === 'fld_twice')!.options).toEqual({
      formula: 'IF({fld_echo}, {fld_echo}, BLANK())',
      result_type: 'number',
    });
  });
});
