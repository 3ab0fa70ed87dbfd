import { type FundraisingEvent, streams } from '@crm/events';
import { type DecideContext, type DecisionBuilder } from '../../base/decide-context';
import { invalid, notFound } from '../../errors';
import { buildField, decideCreateTable } from '../../table/decide/create-table.decide';
import { requireTable } from '../../table/table.lookup';
import { evolveTable } from '../../table/table.evolve';
import { checkFieldNameFree } from '../../table/table.rules';
import { type TableState } from '../../table/table.state';
import { normalizeFieldOptions } from '../../values/field-options';
import { LIMITS } from '../../values/limits';
import { type CommitImport } from '../decide-import';

/** The tables as the import leaves them: its own table with its new fields and choices. */
export type ImportTables = Pick<DecideContext, 'table'>;

/**
 * Step 1 of decideImport: the schema the records need, emitted first. A new table (with its grid
 * view), or the new fields and the choices select fields gain, each checked as a schema edit is.
 */
export function decideImportSchema(
  cmd: CommitImport,
  ctx: DecideContext,
  b: DecisionBuilder,
): ImportTables {
  const schema = new SchemaEmitter(ctx, b);
  if (cmd.new_table) {
    const created = decideCreateTable(
      { table_id: cmd.table_id, name: cmd.new_table.name, fields: cmd.new_fields },
      ctx,
    );
    const t = schema.emit(undefined, created.appends[0].events[0] as FundraisingEvent, 0);
    b.emit(streams.view(cmd.new_table.view_id), 0, {
      type: 'ViewSaved',
      data: {
        view_id: cmd.new_table.view_id,
        table_id: t.id,
        name: 'Grid view',
        config: { default: true, field_order: t.fields.map((f) => f.id), field_widths: {} },
        previous: null,
      },
    });
  } else {
    const table = requireTable(ctx, cmd.table_id);
    const t = addFields(schema, table, cmd.new_fields);
    addChoices(schema, t, table.version, cmd.new_choices);
  }
  return { table: (id) => schema.table(id) };
}

/** Emits table events and keeps the tables they change, evolved. */
class SchemaEmitter {
  private readonly tables = new Map<string, TableState>();

  constructor(
    readonly ctx: DecideContext,
    private readonly b: DecisionBuilder,
  ) {}

  table(id: string): TableState | undefined {
    return this.tables.get(id) ?? this.ctx.table(id);
  }

  emit(t: TableState | undefined, event: FundraisingEvent, readVersion: number): TableState {
    this.b.emit(streams.table(event.data.table_id), readVersion, event);
    const next = evolveTable(t, event)!;
    this.tables.set(event.data.table_id, next);
    return next;
  }
}

function addFields(
  schema: SchemaEmitter,
  table: TableState,
  inputs: CommitImport['new_fields'],
): TableState {
  if (table.fields.length + inputs.length > LIMITS.fieldsPerTable)
    throw invalid(`a table has at most ${LIMITS.fieldsPerTable} fields`, { field: 'fields' });
  let t = table;
  for (const input of inputs) {
    const field = buildField(input, { table: (id) => schema.table(id) });
    checkFieldNameFree(t, field.name);
    if (schema.ctx.tables().some((x) => x.fields.some((f) => f.id === field.id)))
      throw invalid(`field id ${field.id} is already used`, { field: 'id' });
    t = schema.emit(t, { type: 'FieldAdded', data: { table_id: t.id, field } }, table.version);
  }
  return t;
}

function addChoices(
  schema: SchemaEmitter,
  table: TableState,
  readVersion: number,
  additions: CommitImport['new_choices'],
): void {
  let t = table;
  for (const add of additions) {
    const field = t.fields.find((f) => f.id === add.field_id);
    if (!field)
      throw notFound(`field ${add.field_id} does not exist in table "${t.name}"`, {
        field: 'field_id',
        given: add.field_id,
      });
    if (field.type !== 'single_select' && field.type !== 'multiple_select')
      throw invalid(`field "${field.name}" has no choices`, {
        field: 'field_id',
        given: add.field_id,
      });
    const current = (field.options.choices as { name: string }[] | undefined) ?? [];
    const known = new Set(current.map((c) => c.name));
    const extra = add.choices.filter((c) => !known.has(c));
    if (extra.length === 0) continue;
    const options = normalizeFieldOptions(
      field.name,
      field.type,
      { ...field.options, choices: [...current, ...extra.map((name) => ({ name }))] },
      { tableExists: (id) => !!schema.table(id) },
    );
    const from = { type: field.type, options: field.options };
    const to = { type: field.type, options };
    t = schema.emit(
      t,
      {
        type: 'FieldRetyped',
        data: { table_id: t.id, field_id: field.id, from, to, unconverted: [] },
      },
      readVersion,
    );
  }
}
