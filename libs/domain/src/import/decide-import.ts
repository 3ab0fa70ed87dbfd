import {
  type CellChange,
  type CellValue,
  type FieldDefinition,
  type FundraisingEvent,
  type ImportProvenance,
  streams,
} from '@crm/events';
import { type DecideContext, type Decision, DecisionBuilder } from '../base/decide-context';
import { DomainError, illegal, invalid, notFound } from '../errors';
import { cellValue } from '../record/record.state';
import {
  buildField,
  decideCreateTable,
  type FieldInput,
} from '../table/decide/create-table.decide';
import { requireTable } from '../table/table.lookup';
import { evolveTable } from '../table/table.evolve';
import { checkFieldNameFree } from '../table/table.rules';
import { type TableState } from '../table/table.state';
import { normalizeFieldOptions } from '../values/field-options';
import { LIMITS } from '../values/limits';
import { isEmptyValue, normalizeCell, valuesEqual } from '../values/normalize';

export interface CommitImport {
  import_id: string;
  file_name: string;
  table_id: string;
  /** Set when the import creates its table; `new_fields` are then all of its fields, the first being the primary. */
  new_table: { name: string; view_id: string } | null;
  /** Fields the import adds (ids given), with their options and choices. */
  new_fields: FieldInput[];
  /** Choices that existing select fields gain. */
  new_choices: { field_id: string; choices: string[] }[];
  /** Records of linked tables created from names that matched none. */
  link_creates: { table_id: string; record_id: string; name: string; line: number }[];
  creates: { record_id: string; line: number; values: Record<string, CellValue> }[];
  /** Cell changes with the value each replaces; a cell that no longer holds it is a conflict. */
  updates: { record_id: string; line: number; changes: CellChange[] }[];
}

export interface ImportDecision extends Decision {
  created: number;
  updated: number;
}

/**
 * Applies a reviewed import plan as events: the table or new fields and choices first, then linked
 * records named in the file, then the rows' records, each carrying its provenance (import, file,
 * line). Every value is checked as a grid edit would be. A cell changed since the plan was made is a
 * conflict and refuses the whole import, so it never overwrites someone's later edit.
 */
export function decideImport(cmd: CommitImport, ctx: DecideContext): ImportDecision {
  const b = new DecisionBuilder();
  const tables = new Map<string, TableState>();
  const tableOf = (id: string): TableState | undefined => tables.get(id) ?? ctx.table(id);
  const emitTable = (t: TableState | undefined, event: FundraisingEvent, readVersion: number) => {
    b.emit(streams.table(event.data.table_id), readVersion, event);
    tables.set(event.data.table_id, evolveTable(t, event)!);
  };
  const provenance = (line: number): ImportProvenance => ({
    import_id: cmd.import_id,
    file_name: cmd.file_name,
    line,
  });

  // ---- the schema: a new table, or new fields and choices ----
  if (cmd.new_table) {
    const created = decideCreateTable(
      { table_id: cmd.table_id, name: cmd.new_table.name, fields: cmd.new_fields },
      ctx,
    );
    const event = created.appends[0].events[0] as FundraisingEvent;
    emitTable(undefined, event, 0);
    const t = tables.get(cmd.table_id)!;
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
    const readVersion = table.version;
    let t = table;
    if (t.fields.length + cmd.new_fields.length > LIMITS.fieldsPerTable)
      throw invalid(`a table has at most ${LIMITS.fieldsPerTable} fields`, { field: 'fields' });
    for (const input of cmd.new_fields) {
      const field = buildField(input, { table: tableOf });
      checkFieldNameFree(t, field.name);
      if (ctx.tables().some((x) => x.fields.some((f) => f.id === field.id)))
        throw invalid(`field id ${field.id} is already used`, { field: 'id' });
      emitTable(t, { type: 'FieldAdded', data: { table_id: t.id, field } }, readVersion);
      t = tables.get(t.id)!;
    }
    for (const add of cmd.new_choices) {
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
        { tableExists: (id) => !!tableOf(id) },
      );
      emitTable(
        t,
        {
          type: 'FieldRetyped',
          data: {
            table_id: t.id,
            field_id: field.id,
            from: { type: field.type, options: field.options },
            to: { type: field.type, options },
            unconverted: [],
          },
        },
        readVersion,
      );
      t = tables.get(t.id)!;
    }
  }
  const table = tableOf(cmd.table_id)!;
  const fields = new Map(table.fields.map((f) => [f.id, f]));

  // ---- records ----
  // The records this import makes, by table: built on the first link to check, as most imports have none.
  let createdIn: Map<string, string> | null = null;
  const madeHere = (): Map<string, string> => {
    if (createdIn) return createdIn;
    createdIn = new Map(cmd.link_creates.map((lc) => [lc.record_id, lc.table_id]));
    for (const c of cmd.creates) createdIn.set(c.record_id, table.id);
    return createdIn;
  };
  const liveIn = new Map<string, string | null>();
  const tableOfRecord = (id: string): string | null => {
    const made = madeHere().get(id);
    if (made) return made;
    let known = liveIn.get(id);
    if (known === undefined) {
      const r = ctx.record(id);
      known = r && !r.archived ? r.table_id : null;
      liveIn.set(id, known);
    }
    return known;
  };
  const checkLinks = (field: FieldDefinition, value: CellValue, line: number) => {
    if (field.type !== 'link' || !Array.isArray(value)) return;
    for (const id of value as string[]) {
      if (tableOfRecord(id) !== field.options.table_id) {
        throw invalid(
          `line ${line}: field "${field.name}" links to ${id}, which is not a record of its linked table`,
          { field: field.id, line, given: id },
        );
      }
    }
  };
  const fieldAt = (fieldId: string, line: number): FieldDefinition => {
    const field = fields.get(fieldId);
    if (!field)
      throw notFound(`line ${line}: field ${fieldId} does not exist in table "${table.name}"`, {
        field: 'field_id',
        given: fieldId,
        line,
      });
    return field;
  };
  // Called for every cell of the file: returns the value alone, with no wrapper object per cell.
  const valueAt = (field: FieldDefinition, raw: unknown, line: number): CellValue => {
    try {
      return normalizeCell(field, raw);
    } catch (e) {
      if (e instanceof DomainError)
        throw new DomainError(
          e.code,
          `line ${line}: ${e.message}`,
          { ...e.details, line },
          e.reason,
        );
      throw e;
    }
  };

  for (const lc of cmd.link_creates) {
    const target = requireTable({ table: tableOf }, lc.table_id);
    const primary = target.fields.find((f) => f.id === target.primary_field_id)!;
    const value = normalizeCell(primary, lc.name);
    // Fresh ids: expected version 0 makes the store refuse one that is somehow taken.
    b.emitNew(streams.record(lc.record_id), {
      type: 'RecordCreated',
      data: {
        table_id: target.id,
        record_id: lc.record_id,
        values: { [primary.id]: value },
        provenance: provenance(lc.line),
      },
    });
  }
  // One function per row (optimised within the first import), not a loop body in this long function.
  const createRecord = (c: CommitImport['creates'][number]): void => {
    const values: Record<string, CellValue> = {};
    for (const fieldId in c.values) {
      const field = fieldAt(fieldId, c.line);
      const value = valueAt(field, c.values[fieldId], c.line);
      checkLinks(field, value, c.line);
      if (!isEmptyValue(value) && value !== false) values[field.id] = value;
    }
    b.emitNew(streams.record(c.record_id), {
      type: 'RecordCreated',
      data: { table_id: table.id, record_id: c.record_id, values, provenance: provenance(c.line) },
    });
  };
  for (const c of cmd.creates) createRecord(c);
  let updated = 0;
  const updateRecord = (u: CommitImport['updates'][number]): void => {
    const record = ctx.record(u.record_id);
    if (!record || record.table_id !== table.id)
      throw notFound(
        `line ${u.line}: record ${u.record_id} does not exist in table "${table.name}"`,
        { field: 'record_id', given: u.record_id, line: u.line },
      );
    if (record.archived)
      throw illegal(`line ${u.line}: record ${record.id} was deleted since the plan was made`, {
        field: 'record_id',
        line: u.line,
      });
    const changes: CellChange[] = [];
    for (const ch of u.changes) {
      const field = fieldAt(ch.field_id, u.line);
      const value = valueAt(field, ch.to, u.line);
      const now = cellValue(record, field);
      if (!valuesEqual(now, ch.from)) {
        const cell = record.cells[field.id];
        b.conflicts.push({
          record_id: record.id,
          field_id: field.id,
          expected: ch.from,
          current: now,
          updated_at: cell?.at ?? record.created_at,
          updated_by: cell?.by ?? record.created_by,
        });
        continue;
      }
      if (valuesEqual(now, value)) continue;
      checkLinks(field, value, u.line);
      changes.push({ field_id: field.id, from: now, to: value });
    }
    if (changes.length === 0) return;
    b.emit(streams.record(record.id), record.version, {
      type: 'RecordUpdated',
      data: { table_id: table.id, record_id: record.id, changes, provenance: provenance(u.line) },
    });
    updated++;
  };
  for (const u of cmd.updates) updateRecord(u);
  if (b.conflicts.length) {
    throw new DomainError(
      'conflict',
      `${b.conflicts.length} cell(s) changed since the import was planned; plan it again`,
      { conflicts: b.conflicts.slice(0, 50) },
      'cell_conflict',
    );
  }
  return { ...b.build(), created: cmd.link_creates.length + cmd.creates.length, updated };
}
