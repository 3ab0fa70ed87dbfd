import { type FieldDefinition } from '@crm/events';
import { type DecideContext } from '../base/decide-context';
import { DEFAULT_FORMAT, type ColumnFormat } from '../import/column-format';
import { decideImport } from '../import/decide-import';
import { importCommandFromPlan } from '../import/import-command';
import { buildLinkDirectory } from '../import/link-directory';
import {
  type ImportPlan,
  type ImportRow,
  type PlanColumn,
  planImport,
  type PlanOptions,
} from '../import/plan-import';
import { type Given } from './given-when-then';

export interface CsvLike {
  header: string[];
  rows: string[][];
}

/** Rows as the CSV reader gives them: line 1 is the header. */
export const rowsOf = (csv: CsvLike): ImportRow[] =>
  csv.rows.map((cells, i) => ({ line: i + 2, cells }));

export const DEFAULT_OPTIONS: PlanOptions = {
  create_missing_links: false,
  skip_rows_with_errors: false,
  formula_guard: 'auto',
};

/** Maps each header to the field of the same name (or to one given by name), the way the wizard does first. */
export function columnsByName(
  ctx: DecideContext,
  tableId: string,
  header: string[],
  over: Record<string, { field?: FieldDefinition | null; format?: Partial<ColumnFormat> }> = {},
): PlanColumn[] {
  const table = ctx.table(tableId)!;
  return header.map((name, index) => {
    const o = over[name] ?? {};
    const field =
      o.field !== undefined
        ? o.field
        : (table.fields.find((f) => f.name.toLowerCase() === name.toLowerCase()) ?? null);
    return {
      index,
      name,
      field,
      added: !!field && !table.fields.some((f) => f.id === field.id),
      format: { ...DEFAULT_FORMAT, ...o.format },
    };
  });
}

export function plan(
  g: Given,
  tableId: string,
  csv: CsvLike,
  opts: { merge?: string[]; columns?: PlanColumn[]; options?: Partial<PlanOptions> } = {},
): ImportPlan {
  const ctx = g.ctx;
  const table = ctx.table(tableId)!;
  const columns = opts.columns ?? columnsByName(ctx, tableId, csv.header);
  return planImport({
    table_id: tableId,
    primary_field_id: table.primary_field_id,
    header_count: csv.header.length,
    columns,
    rows: rowsOf(csv),
    merge_columns: (opts.merge ?? []).map((m) => csv.header.indexOf(m)),
    records: ctx.recordsOf(tableId),
    links: (id) =>
      ctx.table(id) ? buildLinkDirectory(ctx.table(id)!, ctx.recordsOf(id)) : undefined,
    options: { ...DEFAULT_OPTIONS, ...opts.options },
  });
}

let serial = 0;
/** Commits a plan into the given log, as the API's commit handler does. */
export function commit(
  g: Given,
  tableId: string,
  p: ImportPlan,
  newFields: PlanColumn[] = [],
  importId = 'imp_test',
) {
  const cmd = importCommandFromPlan(p, {
    import_id: importId,
    file_name: 'investors.csv',
    table_id: tableId,
    new_table: null,
    new_fields: newFields.filter((c) => c.added && c.field).map((c) => ({ ...c.field! })),
    newRecordId: () => `rec${String(++serial).padStart(14, '0')}`,
  });
  const d = decideImport(cmd, g.ctx);
  g.apply(d);
  return { cmd, decision: d };
}
