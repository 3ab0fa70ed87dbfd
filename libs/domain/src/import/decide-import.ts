import { type CellChange, type CellValue } from '@crm/events';
import { type DecideContext, type Decision, DecisionBuilder } from '../base/decide-context';
import { DomainError } from '../errors';
import { type FieldInput } from '../table/decide/create-table.decide';
import { decideCreates, decideLinkCreates } from './commit/create-records.step';
import { decideImportSchema } from './commit/import-schema.step';
import { ImportValues } from './commit/import-values';
import { decideUpdates } from './commit/update-records.step';

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
 * conflict and refuses the whole import, so it never overwrites someone's later edit; with
 * `keepTheirs` (a slice of an import already under way) the cell keeps its newer value instead and
 * the conflict is in the decision.
 */
export function decideImport(
  cmd: CommitImport,
  ctx: DecideContext,
  options: { keepTheirs?: boolean } = {},
): ImportDecision {
  const b = new DecisionBuilder();
  const tables = decideImportSchema(cmd, ctx, b);
  const values = new ImportValues(cmd, ctx, tables.table(cmd.table_id)!);
  decideLinkCreates(cmd, tables, values, b);
  decideCreates(cmd, values, b);
  const updated = decideUpdates(cmd, ctx, values, b);
  if (b.conflicts.length && !options.keepTheirs) {
    throw new DomainError(
      'conflict',
      `${b.conflicts.length} cell(s) changed since the import was planned; plan it again`,
      { conflicts: b.conflicts.slice(0, 50) },
      'cell_conflict',
    );
  }
  return { ...b.build(), created: cmd.link_creates.length + cmd.creates.length, updated };
}

/**
 * The records an import (or one slice of it) reads beyond the schema: those it updates, and every
 * id its link values name (checked to be live records of the linked table). Ids it creates itself
 * are named too and simply found absent.
 */
export function recordsNamedByImport(cmd: CommitImport): string[] {
  const ids = new Set<string>();
  const linked = (value: CellValue | undefined) => {
    if (Array.isArray(value)) for (const v of value) if (typeof v === 'string') ids.add(v);
  };
  for (const u of cmd.updates) {
    ids.add(u.record_id);
    for (const c of u.changes) linked(c.to);
  }
  for (const c of cmd.creates) for (const k in c.values) linked(c.values[k]);
  return [...ids];
}
