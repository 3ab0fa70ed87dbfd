import { DecisionBuilder } from '../../base/decide-context';
import { domainErrorOf } from '../../testing/domain-error-of';
import { commitCommand, givenImportTables } from '../../testing/given-import-commit';
import { eventsOf } from '../../testing/given-when-then';
import { LIMITS } from '../../values/limits';
import { decideImportSchema } from './import-schema.step';

describe('decideImportSchema (step 1 of decideImport)', () => {
  it('given a new table, creates it with its grid view', () => {
    const g = givenImportTables();
    const b = new DecisionBuilder();
    const cmd = commitCommand({
      table_id: 'tbl_new',
      new_table: { name: 'LPs', view_id: 'viw_new' },
      new_fields: [{ id: 'fld_lp', name: 'Name', type: 'text' }],
    });
    const tables = decideImportSchema(cmd, g.ctx, b);
    expect(eventsOf(b.build()).map((e) => e.type)).toEqual(['TableCreated', 'ViewSaved']);
    expect(b.build().appends.map((a) => a.stream_id)).toEqual(['table-tbl_new', 'view-viw_new']);
    expect(tables.table('tbl_new')?.fields.map((f) => f.id)).toEqual(['fld_lp']);
  });

  it('given new fields and choices, adds them in one batch on the table, read at its version', () => {
    const g = givenImportTables();
    const b = new DecisionBuilder();
    const cmd = commitCommand({
      new_fields: [{ id: 'fld_city', name: 'City', type: 'text' }],
      new_choices: [{ field_id: 'fld_stage', choices: ['Lead', 'Engaged'] }],
    });
    const tables = decideImportSchema(cmd, g.ctx, b);
    const d = b.build();
    expect(d.appends).toHaveLength(1);
    expect(d.appends[0].expected_version).toBe(g.ctx.table('tbl_inv')!.version);
    expect(eventsOf(d).map((e) => e.type)).toEqual(['FieldAdded', 'FieldRetyped']);
    const stage = tables.table('tbl_inv')!.fields.find((f) => f.id === 'fld_stage')!;
    expect(stage.options.choices).toEqual([{ name: 'Lead' }, { name: 'Engaged' }]);
  });

  it('given only choices the field has, emits nothing', () => {
    const g = givenImportTables();
    const b = new DecisionBuilder();
    decideImportSchema(
      commitCommand({ new_choices: [{ field_id: 'fld_stage', choices: ['Lead'] }] }),
      g.ctx,
      b,
    );
    expect(b.build().appends).toEqual([]);
  });

  it('given choices for a field without any, or too many fields, refuses', () => {
    const g = givenImportTables();
    const noChoices = commitCommand({ new_choices: [{ field_id: 'fld_name', choices: ['x'] }] });
    expect(
      domainErrorOf(() => decideImportSchema(noChoices, g.ctx, new DecisionBuilder())).message,
    ).toBe('field "Name" has no choices');
    const many = Array.from({ length: LIMITS.fieldsPerTable }, (_, i) => ({
      id: `fld_x${i}`,
      name: `X${i}`,
      type: 'text',
    }));
    const tooMany = commitCommand({ new_fields: many });
    expect(
      domainErrorOf(() => decideImportSchema(tooMany, g.ctx, new DecisionBuilder())).details,
    ).toEqual({
      field: 'fields',
    });
  });
});
