import {
  type CommitImport,
  decideImport,
  DomainError,
  type ImportCommitResult,
  importCommandFromPlan,
  invalid,
  planIsCommittable,
} from '@crm/domain';
import type { FundraisingCommands } from '../fundraising';
import type { BaseAccess } from './base-access';
import { newId } from '../../infrastructure/clock';
import { type Actor } from '../../infrastructure/request-context/actor';
import { type ImportOptions } from './import-mapping';
import { type PlanOutcome } from './import-planner';
import { type ImportSessionRow, type ImportsRepository } from './imports.repository';

/** What one commit writes: the command made from the reviewed plan, by whom, under which correlation. */
export interface ImportWrite {
  id: string;
  cmd: CommitImport;
  outcome: PlanOutcome;
  actor: Actor;
  correlation_id: string;
}

/** A plan that may not be committed as it stands: what to fix, as a 400. */
export function assertCommittable(plan: PlanOutcome['plan'], options: ImportOptions): void {
  if (planIsCommittable(plan, options)) return;
  const blocking = plan.errors.filter((e) => e.line === null).length;
  throw invalid(
    blocking
      ? `the mapping has ${blocking} problem(s) to fix before the import can be committed`
      : `${plan.rows_with_errors} row(s) have errors: fix them, or choose to skip rows with errors`,
    { errors: plan.errors.slice(0, 20), errors_total: plan.errors.length },
  );
}

/** The import command of a reviewed plan: new records get their ids here. */
export function importCommandOf(session: ImportSessionRow, outcome: PlanOutcome): CommitImport {
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

/** The import's events and the session marked committed, in the one write transaction. */
export async function writeImport(
  core: BaseAccess & { commands: FundraisingCommands },
  repo: ImportsRepository,
  { id, cmd, outcome, actor, correlation_id }: ImportWrite,
): Promise<ImportCommitResult> {
  if (core.store.lastPosition() !== outcome.base_version)
    throw new DomainError(
      'conflict',
      'the table changed while the import was being prepared; try again',
      {},
      'stale_plan',
    );
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
  );
  const r: ImportCommitResult = {
    import_id: id,
    created,
    updated,
    unchanged: outcome.plan.unchanged,
    skipped_rows: outcome.plan.rows_with_errors,
    version,
    correlation_id,
  };
  if (!repo.markCommitted(id, r, correlation_id, core.clock.now()))
    throw new DomainError('conflict', 'this import was committed meanwhile', {});
  return r;
}
