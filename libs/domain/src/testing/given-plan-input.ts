import { type FieldDefinition } from '@crm/events';
import { DEFAULT_FORMAT } from '../import/column-format';
import { type LinkDirectory } from '../import/link-directory';
import { type PlanColumn, type PlanImportInput } from '../import/plan-import.types';
import { type RecordState } from '../record/record.state';

/** Fields of the table the planning steps' specs import into (`tbl_inv`). */
export const PLAN_FIELDS = {
  name: field('fld_name', 'Name', 'text'),
  email: field('fld_email', 'Email', 'email'),
  stage: field('fld_stage', 'Stage', 'single_select', { choices: [{ name: 'Lead' }] }),
  fund: field('fld_fund', 'Fund', 'link', { table_id: 'tbl_fund' }),
  parent: field('fld_parent', 'Parent', 'link', { table_id: 'tbl_inv' }),
  met: field('fld_met', 'Met', 'date'),
  created: field('fld_created', 'Created', 'created_time'),
};

export function field(
  id: string,
  name: string,
  type: string,
  options: Record<string, unknown> = {},
): FieldDefinition {
  return { id, name, type, options, role: null };
}

export function record(id: string, values: RecordState['values']): RecordState {
  const at = '2026-01-01T00:00:00.000Z';
  return {
    id,
    table_id: 'tbl_inv',
    values,
    archived: false,
    version: 1,
    created_at: at,
    created_by: 'usr_a',
    updated_at: at,
    updated_by: 'usr_a',
    cells: {},
  };
}

/** A directory of a linked table whose records are named as given (`{ id: name }`). */
export function directory(
  table_id: string,
  table_name: string,
  names: Record<string, string>,
): LinkDirectory {
  const entries = Object.entries(names);
  return {
    table_id,
    table_name,
    find: (name) => entries.filter(([, n]) => n === name).map(([id]) => id),
    has: (id) => id in names,
  };
}

/** A plan input: the header's columns mapped to the given fields (null skips one), rows from line 2. */
export function planInput(
  fields: (FieldDefinition | null)[],
  rows: string[][],
  over: Partial<PlanImportInput> = {},
): PlanImportInput {
  const columns: PlanColumn[] = fields.map((f, index) => ({
    index,
    name: f?.name ?? `Column ${index + 1}`,
    field: f,
    added: false,
    format: DEFAULT_FORMAT,
  }));
  const dirs = [
    directory('tbl_fund', 'Funds', { rec_f1: 'Fund I' }),
    directory('tbl_inv', 'Investors', {}),
  ];
  return {
    table_id: 'tbl_inv',
    primary_field_id: PLAN_FIELDS.name.id,
    header_count: fields.length,
    columns,
    rows: rows.map((cells, i) => ({ line: i + 2, cells })),
    merge_columns: [],
    records: [],
    links: (id) => dirs.find((d) => d.table_id === id),
    options: { create_missing_links: false, skip_rows_with_errors: false, formula_guard: 'auto' },
    ...over,
  };
}
