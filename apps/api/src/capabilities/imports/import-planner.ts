import { createHash } from 'node:crypto';
import {
  buildLinkDirectory,
  type ImportPlan,
  type ImportRow,
  type LinkDirectory,
  type MergeKeySuggestion,
  planImport,
  type RecordState,
  suggestMergeKey,
  type TableState,
} from '@crm/domain';
import { type FieldDefinition } from '@crm/events';
import type { BaseAccess } from './base-access';
import { type PlanReads } from './import-staleness';
import {
  type ColumnChoice,
  type ColumnInfo,
  type ImportOptions,
  newFieldsOf,
  planColumns,
} from './import-mapping';

export interface PlanOutcome {
  plan: ImportPlan;
  /** The log position the plan was made at: a commit at the same position applies it as it is. */
  base_version: number;
  /** The tables the plan read: only changes to them can make it stale (see planMovedSince). */
  reads: PlanReads;
  fingerprint: string;
  suggestion: MergeKeySuggestion | null;
  added: FieldDefinition[];
}

export interface PlanRequest {
  table_id: string;
  /** Null for an import into an existing table. */
  new_table_name: string | null;
  columns: ColumnInfo[];
  choices: ColumnChoice[];
  merge_fields: string[];
  options: ImportOptions;
  header_count: number;
  rows: ImportRow[];
  suggest: boolean;
}

/**
 * Runs the pure planner against the live read model: the table's records, the linked tables by the
 * text of their primary field. Reads happen in one snapshot, so the plan matches one log position.
 */
export function planAgainstBase(base: BaseAccess, req: PlanRequest): PlanOutcome {
  return base.uow.read(() => {
    const base_version = base.store.lastPosition();
    const tableExists = (id: string) => !!base.repo.table(id) || id === req.table_id;
    const existing = req.new_table_name === null ? (base.repo.table(req.table_id) ?? null) : null;
    const added = newFieldsOf(req.choices, tableExists);
    const table: TableState = existing ?? {
      id: req.table_id,
      name: req.new_table_name ?? 'New table',
      role: null,
      primary_field_id: added[0]?.id ?? '',
      fields: added,
      version: 0,
    };
    const records: RecordState[] = existing ? [...base.repo.recordsOf(existing.id)] : [];
    const columns = planColumns(req.choices, req.columns, existing, added);
    const directories = new Map<string, LinkDirectory | undefined>();
    const actorName = (id: string) => base.users.user(id)?.name ?? id;
    const links = (id: string): LinkDirectory | undefined => {
      if (!directories.has(id)) {
        const t = id === table.id ? table : base.repo.table(id);
        directories.set(
          id,
          t
            ? buildLinkDirectory(
                t,
                id === table.id ? records : base.repo.cells.namedRecordsOf(id, t.primary_field_id),
                actorName,
              )
            : undefined,
        );
      }
      return directories.get(id);
    };
    const byName = new Map(req.columns.map((c) => [c.name, c.index]));
    const plan = planImport({
      table_id: table.id,
      primary_field_id: table.primary_field_id,
      header_count: req.header_count,
      columns,
      rows: req.rows,
      merge_columns: req.merge_fields.map((n) => byName.get(n)!),
      records,
      links,
      options: req.options,
    });
    const suggestion =
      req.suggest && existing && req.merge_fields.length === 0
        ? suggestMergeKey(columns, req.rows, records, existing.primary_field_id)
        : null;
    const linked = [...directories.keys()].filter((id) => id !== table.id);
    return {
      plan,
      base_version,
      reads: { table_id: table.id, linked },
      fingerprint: fingerprintOf(plan),
      suggestion,
      added,
    };
  });
}

/**
 * What a commit must find unchanged to apply the plan someone reviewed. A created record's values
 * come from the file, except its links, which depend on the table's records: only those are hashed.
 */
export function fingerprintOf(plan: ImportPlan): string {
  const h = createHash('sha256');
  h.update(
    JSON.stringify([
      plan.creates.length,
      plan.unchanged,
      plan.rows_with_errors,
      plan.errors.length,
      plan.new_choices,
      plan.link_creates,
      plan.unmatched_links,
    ]),
  );
  // Gathered into pieces of about a megabyte: one update per list would cost more than the hashing.
  let piece = '';
  for (const c of plan.creates) {
    for (const k in c.values) {
      const v = c.values[k];
      if (Array.isArray(v) && typeof v[0] === 'string')
        piece += `${c.line}:${(v as string[]).join(',')};`;
    }
    if (piece.length > 1_000_000) {
      h.update(piece);
      piece = '';
    }
  }
  h.update(piece);
  for (const u of plan.updates) h.update(JSON.stringify(u));
  return h.digest('hex');
}
