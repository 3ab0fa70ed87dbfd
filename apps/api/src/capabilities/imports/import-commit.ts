import {
  type CommitImport,
  decideImport,
  recordsNamedByImport,
  DomainError,
  type ImportCommitResult,
  importCommandFromPlan,
  invalid,
  type PlanSummary,
} from '@crm/domain';
import type { FundraisingCommands } from '../fundraising';
import type { BaseAccess } from './base-access';
import { newId } from '../../infrastructure/clock';
import { type Actor } from '../../infrastructure/request-context/actor';
import { type PlanOutcome } from './import-planner';
import { type ImportSessionRow, type ImportsRepository } from './imports.repository';

/**
 * What one commit writes: the command made from the reviewed plan, cut into `slices` handed over
 * as JSON a few at a time (see ImportPlanning), by whom, under which correlation.
 */
export interface ImportWrite {
  id: string;
  slices: number;
  /** Records the command writes, for the progress. */
  records: number;
  sliceJson: (from: number, to: number) => Promise<string[]>;
  /** The plan's rows that change nothing, and its rows left out for their errors. */
  unchanged: number;
  skipped_rows: number;
  actor: Actor;
  correlation_id: string;
}

/** A plan that may not be committed as it stands: what to fix, as a 400. */
export function assertCommittable(p: { summary: PlanSummary; blocking: number }): void {
  if (p.summary.committable) return;
  throw invalid(
    p.blocking
      ? `the mapping has ${p.blocking} problem(s) to fix before the import can be committed`
      : `${p.summary.rows_with_errors} row(s) have errors: fix them, or choose to skip rows with errors`,
    { errors: p.summary.errors.slice(0, 20), errors_total: p.summary.errors_total },
  );
}

/** The import command of a reviewed plan: new records get their ids here. */
export function importCommandOf(
  session: Pick<
    ImportSessionRow,
    'id' | 'file_name' | 'table_id' | 'new_table_name' | 'new_view_id'
  >,
  outcome: PlanOutcome,
): CommitImport {
  return importCommandFromPlan(outcome.plan, {
    import_id: session.id,
    file_name: session.file_name,
    table_id: session.table_id,
    new_table: session.new_table_name
      ? { name: session.new_table_name, view_id: session.new_view_id! }
      : null,
    new_fields: outcome.added.map((f) => ({
      id: f.id,
      name: f.name,
      type: f.type,
      options: f.options,
    })),
    newRecordId: () => newId('rec'),
  });
}

/**
 * The import's events and the session marked committed, in the one write transaction; `stale`
 * throws when what the plan read has changed since it was made.
 */
export async function writeImport(
  core: BaseAccess & { commands: FundraisingCommands },
  repo: ImportsRepository,
  { id, unchanged, skipped_rows, actor, correlation_id }: ImportWrite,
  cmd: CommitImport,
  stale: () => void,
): Promise<ImportCommitResult> {
  stale();
  let created = 0;
  let updated = 0;
  const { version } = await core.commands.decide(
    { actor, source: 'import', correlation_id },
    (ctx) => {
      const d = decideImport(cmd, ctx);
      created = d.created;
      updated = d.updated;
      return d;
    },
    { records: recordsNamedByImport(cmd) },
  );
  const r: ImportCommitResult = {
    import_id: id,
    created,
    updated,
    unchanged,
    skipped_rows,
    version,
    correlation_id,
  };
  if (!repo.markCommitted(id, r, correlation_id, core.clock.now()))
    throw new DomainError('conflict', 'this import was committed meanwhile', {});
  return r;
}
