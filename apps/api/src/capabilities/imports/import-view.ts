import {
  formatCellText,
  type ImportCommitResult,
  type ImportProgress,
  type ImportSessionView,
  type PlanOptions,
  type PlanSummary,
  type TableState,
} from '@crm/domain';
import { type FieldDefinition } from '@crm/events';
import type { BaseAccess } from './base-access';
import { type ColumnChoice, type ColumnInfo } from './import-mapping';
import { type PlanOutcome } from './import-planner';
import { type ImportSessionRow } from './imports.repository';

export const MAX_LISTED_ERRORS = 1000;
export const MAX_LISTED_UPDATES = 200;

export function summarize(o: PlanOutcome, committable: boolean): PlanSummary {
  const p = o.plan;
  return {
    create: p.creates.length,
    update: p.updates.length,
    unchanged: p.unchanged,
    blank_rows: p.blank_rows,
    rows_with_errors: p.rows_with_errors,
    errors: p.errors.slice(0, MAX_LISTED_ERRORS),
    errors_total: p.errors.length,
    warnings: p.warnings,
    new_choices: p.new_choices,
    unmatched_links: p.unmatched_links,
    link_creates: p.link_creates.length,
    updates: p.updates.slice(0, MAX_LISTED_UPDATES),
    updates_total: p.updates.length,
    committable,
    suggested_merge_fields: o.suggestion,
  };
}

/** The JSON of an import session: what the wizard shows at every step. */
export function importView(
  base: BaseAccess,
  s: ImportSessionRow,
  outcome: Pick<PlanOutcome, 'added'> | null,
  progress: ImportProgress | null,
  failure: ImportSessionView['failure'],
): ImportSessionView {
  const choices = s.mapping as ColumnChoice[];
  const columns = s.columns as ColumnInfo[];
  const plan = s.plan as PlanSummary | null;
  const table = s.new_table_name === null ? base.repo.table(s.table_id) : undefined;
  const added: FieldDefinition[] = outcome?.added ?? [];
  const fieldName = (id: string) =>
    table?.fields.find((f) => f.id === id)?.name ??
    added.find((f) => f.id === id)?.name ??
    choices.find((c) => c.field_id === id)?.new_field?.name ??
    id;
  const primary = table?.fields.find((f) => f.id === table.primary_field_id);
  const actorName = (id: string) => base.users.user(id)?.name ?? id;
  const recordName = (id: string) => {
    const r = base.repo.record(id);
    return r && primary
      ? formatCellText(primary, r.values[primary.id], { linkText: () => undefined, actorName })
      : '';
  };
  return {
    id: s.id,
    status: s.status,
    file_name: s.file_name,
    file_bytes: s.file_bytes,
    encoding: s.encoding,
    delimiter: s.delimiter,
    table_id: s.table_id,
    new_table_name: s.new_table_name,
    rows: s.row_count,
    columns: columns.map((c) =>
      columnView(
        c,
        choices.find((x) => x.column === c.name)!,
        table,
        fieldName,
      ),
    ),
    merge_fields: s.merge_fields,
    suggested_merge_fields: plan?.suggested_merge_fields ?? null,
    options: s.options as PlanOptions,
    plan: plan && {
      ...plan,
      updates: plan.updates.map((u) => ({
        ...u,
        record_name: recordName(u.record_id),
        changes: u.changes.map((ch) => ({ ...ch, field: fieldName(ch.field_id) })),
      })),
    },
    base_version: s.base_version,
    progress:
      progress ??
      (s.status === 'committed'
        ? { phase: 'committed', done: 1, total: 1 }
        : { phase: 'planned', done: s.row_count, total: s.row_count }),
    result: s.result as ImportCommitResult | null,
    correlation_id: s.correlation_id,
    failure,
    created_at: s.created_at,
    created_by: s.created_by,
  };
}

/** One column of the file as the wizard shows it: what was guessed, and where it goes. */
function columnView(
  c: ColumnInfo,
  choice: ColumnChoice,
  table: TableState | undefined,
  fieldName: (id: string) => string,
): ImportSessionView['columns'][number] {
  return {
    name: c.name,
    index: c.index,
    inferred_type: c.inferred_type,
    confidence: c.confidence,
    // Sessions stored before the reason was kept have none.
    confidence_reason: c.confidence_reason ?? '',
    samples: c.samples,
    notes: c.notes,
    date_ambiguity: c.date_ambiguity,
    non_empty: c.non_empty,
    field_id: choice.action === 'skip' ? null : choice.field_id,
    target:
      choice.action === 'skip'
        ? { action: 'skip' as const }
        : choice.action === 'field'
          ? {
              action: 'field' as const,
              field_id: choice.field_id!,
              name: fieldName(choice.field_id!),
              type: table?.fields.find((f) => f.id === choice.field_id)?.type ?? null,
            }
          : {
              action: 'new' as const,
              field_id: choice.field_id!,
              name: choice.new_field!.name,
              type: choice.new_field!.type,
              options: choice.new_field!.options,
            },
    format: choice.format,
  };
}
