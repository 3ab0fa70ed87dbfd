import type { ColumnMapping, ColumnPatch } from '@crm/contracts';
import { type FieldDefinition } from '@crm/events';
import {
  type ColumnFormat,
  type ColumnInference,
  FIELD_TYPES,
  type FormulaGuardMode,
  invalid,
  isComputedType,
  isValidTimeZone,
  LOOKUP_HEADER,
  normalizeFieldOptions,
  type PlanColumn,
  type TableState,
} from '@crm/domain';

/** A column as the upload found it: what the file holds and what the inference made of it. */
export interface ColumnInfo extends ColumnInference {
  name: string;
  index: number;
  /** A list column whose items name records of one table: imported as a link to it by default. */
  link_to?: { table_id: string; table_name: string } | null;
}

/** What the person chose for a column: an existing field, a new field, or nothing. */
export interface ColumnChoice {
  column: string;
  action: 'field' | 'new' | 'skip';
  /** The existing field, or the id the new field will have (fixed at upload, so plans are stable). */
  field_id: string | null;
  new_field: { name: string; type: string; options: Record<string, unknown> } | null;
  format: ColumnFormat;
}

export interface ImportOptions {
  create_missing_links: boolean;
  skip_rows_with_errors: boolean;
  formula_guard: FormulaGuardMode;
}

export const DEFAULT_IMPORT_OPTIONS: ImportOptions = {
  create_missing_links: false,
  skip_rows_with_errors: false,
  formula_guard: 'auto',
};

/** Types a table's first (primary) field may take: ones a record can be named by. */
const PRIMARY_TYPES = new Set([
  'text',
  'long_text',
  'email',
  'url',
  'phone',
  'number',
  'currency',
  'percent',
  'date',
  'date_time',
  'single_select',
]);
const nameKey = (s: string) => s.trim().toLowerCase();

/**
 * The mapping an upload starts with. Into an existing table, each column goes to the field of the
 * same name, or else to a new field of its inferred type, so that no column of the file is lost;
 * computed fields (created time, …) are skipped. Into a new table every column is a new field and
 * the first is the primary one.
 */
export function defaultMapping(
  columns: ColumnInfo[],
  table: TableState | null,
  newFieldId: () => string,
): ColumnChoice[] {
  return columns.map((c, i) => {
    const existing = table?.fields.find((f) => nameKey(f.name) === nameKey(c.name));
    if (existing) {
      return {
        column: c.name,
        action: isComputedType(existing.type) ? 'skip' : 'field',
        field_id: existing.id,
        new_field: null,
        format: { ...c.format },
      };
    }
    let type: string = c.link_to ? 'link' : c.inferred_type;
    if (!table && i === 0 && !PRIMARY_TYPES.has(type)) type = 'text';
    const options = type === 'link' ? { table_id: c.link_to!.table_id } : { ...c.options };
    return {
      column: c.name,
      action: 'new',
      field_id: newFieldId(),
      new_field: { name: c.name, type, options },
      format: { ...c.format },
    };
  });
}

/** Applies a PATCH's mapping to the current choices; every problem is a 400 naming the column. */
export function applyMappingPatch(
  current: ColumnChoice[],
  patch: Record<string, ColumnMapping>,
  table: TableState | null,
  tableExists: (id: string) => boolean,
  newFieldId: () => string,
): ColumnChoice[] {
  const next = current.map((c) => ({ ...c, format: { ...c.format } }));
  for (const [column, raw] of Object.entries(patch)) {
    const choice = next.find((c) => c.column === column);
    if (!choice)
      throw invalid(`mapping: the file has no column “${column}”`, { field: `mapping.${column}` });
    const p: ColumnPatch = raw === 'skip' ? { skip: true } : raw;
    if (p === null || typeof p !== 'object')
      throw invalid(`mapping.${column} must be "skip" or an object`, {
        field: `mapping.${column}`,
      });
    const targets = [p.skip === true, p.field_id !== undefined, p.new_field !== undefined].filter(
      Boolean,
    ).length;
    if (targets > 1)
      throw invalid(`mapping.${column}: give one of field_id, new_field or skip`, {
        field: `mapping.${column}`,
      });
    if (p.skip === true) Object.assign(choice, { action: 'skip' });
    if (p.field_id !== undefined) {
      const field = table?.fields.find((f) => f.id === p.field_id);
      if (!field)
        throw invalid(
          `mapping.${column}: field ${String(p.field_id)} is not a field of the table`,
          { field: `mapping.${column}.field_id`, given: p.field_id },
        );
      if (isComputedType(field.type))
        throw invalid(
          `mapping.${column}: “${field.name}” is filled in by the system and cannot be imported into`,
          { field: `mapping.${column}.field_id` },
        );
      Object.assign(choice, { action: 'field', field_id: field.id, new_field: null });
    }
    if (p.new_field !== undefined) {
      const type = p.new_field?.type;
      if (
        typeof type !== 'string' ||
        !(FIELD_TYPES as readonly string[]).includes(type) ||
        isComputedType(type)
      ) {
        throw invalid(
          `mapping.${column}.new_field.type must be one of ${FIELD_TYPES.filter((t) => !isComputedType(t)).join(', ')}`,
          { field: `mapping.${column}.new_field.type`, given: type ?? null },
        );
      }
      const name = p.new_field.name ?? column;
      const options = normalizeFieldOptions(name, type, p.new_field.options ?? {}, { tableExists });
      Object.assign(choice, {
        action: 'new',
        field_id: choice.action === 'new' && choice.field_id ? choice.field_id : newFieldId(),
        new_field: { name, type, options },
      });
    }
    applyFormatPatch(choice, column, p);
  }
  checkMapping(next, table);
  return next;
}

/** How a column's values are read: date order, decimal mark, time zone. */
function applyFormatPatch(choice: ColumnChoice, column: string, p: ColumnPatch): void {
  if (p.date_order !== undefined) {
    if (p.date_order !== 'mdy' && p.date_order !== 'dmy')
      throw invalid(`mapping.${column}.date_order must be mdy or dmy`, {
        field: `mapping.${column}.date_order`,
        given: p.date_order,
      });
    choice.format.date_order = p.date_order;
  }
  if (p.decimal !== undefined) {
    if (p.decimal !== '.' && p.decimal !== ',')
      throw invalid(`mapping.${column}.decimal must be "." or ","`, {
        field: `mapping.${column}.decimal`,
        given: p.decimal,
      });
    choice.format.decimal = p.decimal;
  }
  if (p.time_zone !== undefined) {
    if (typeof p.time_zone !== 'string' || !isValidTimeZone(p.time_zone))
      throw invalid(`mapping.${column}.time_zone must be an IANA time zone such as Europe/Paris`, {
        field: `mapping.${column}.time_zone`,
        given: p.time_zone,
      });
    choice.format.time_zone = p.time_zone;
  }
}

/** The rules a mapping must keep whatever was patched: unique field names, one column per field, a usable primary. */
export function checkMapping(choices: ColumnChoice[], table: TableState | null): void {
  const names = new Map((table?.fields ?? []).map((f) => [nameKey(f.name), f.name]));
  const used = new Map<string, string>();
  for (const c of choices) {
    if (c.action === 'new') {
      const clash = names.get(nameKey(c.new_field!.name));
      if (clash !== undefined)
        throw invalid(
          `mapping.${c.column}: a field named “${clash}” already exists; map the column to it or choose another name`,
          { field: `mapping.${c.column}.new_field.name` },
        );
      names.set(nameKey(c.new_field!.name), c.new_field!.name);
    }
    if (c.action !== 'skip') {
      const other = used.get(c.field_id!);
      if (other)
        throw invalid(`mapping: columns “${other}” and “${c.column}” both fill the same field`, {
          field: `mapping.${c.column}`,
        });
      used.set(c.field_id!, c.column);
    }
  }
  if (!table) {
    const primary = choices.find((c) => c.action !== 'skip');
    if (!primary)
      throw invalid('mapping: a new table needs at least one column', { field: 'mapping' });
    if (!PRIMARY_TYPES.has(primary.new_field!.type))
      throw invalid(
        `mapping.${primary.column}: the first column becomes the primary field and cannot be ${primary.new_field!.type}`,
        { field: `mapping.${primary.column}` },
      );
  }
}

/** Field definitions of the columns the import adds (for the plan, and for the commit's FieldAdded events). */
export function newFieldsOf(
  choices: ColumnChoice[],
  tableExists: (id: string) => boolean,
): FieldDefinition[] {
  return choices
    .filter((c) => c.action === 'new')
    .map((c) => ({
      id: c.field_id!,
      name: c.new_field!.name,
      type: c.new_field!.type,
      role: null,
      options: normalizeFieldOptions(c.new_field!.name, c.new_field!.type, c.new_field!.options, {
        tableExists,
      }),
    }));
}

/** The columns as the planner sees them. */
export function planColumns(
  choices: ColumnChoice[],
  columns: ColumnInfo[],
  table: TableState | null,
  added: FieldDefinition[],
): PlanColumn[] {
  return choices.map((c) => {
    const index = columns.find((x) => x.name === c.column)!.index;
    const field =
      c.action === 'field'
        ? (table!.fields.find((f) => f.id === c.field_id) ?? null)
        : c.action === 'new'
          ? (added.find((f) => f.id === c.field_id) ?? null)
          : null;
    return { index, name: c.column, field, added: c.action === 'new', format: c.format };
  });
}

export const isLookupColumn = (name: string) => LOOKUP_HEADER.test(name);
