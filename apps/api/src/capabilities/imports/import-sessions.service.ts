import {
  DomainError,
  type ImportCommitResult,
  type ImportIssue,
  type ImportProgress,
  type ImportSessionView,
  invalid,
  notFound,
} from '@crm/domain';
import { newId } from '../../infrastructure/clock';
import { type Actor } from '../../infrastructure/request-context/actor';
import { type CsvDelimiter } from './csv/sniff-delimiter';
import type { ColumnMapping } from '@crm/contracts';
import { type CsvEncoding } from './csv/decode-text';
import { checkMergeFields, checkOptions, checkTarget } from './import-checks';
import { assertCommittable } from './import-commit';
import { MAX_PLAN_ATTEMPTS, PlanMoved, planKeptMoving, planMovedSince } from './import-staleness';
import { ImportWriter } from './import-writer';
import type { CommandExecutor } from '../../infrastructure/commands/command-executor';
import { toErrorBody } from '../../infrastructure/http/error-filter';
import {
  applyMappingPatch,
  checkMapping,
  type ColumnChoice,
  type ImportOptions,
} from './import-mapping';
import { type ImportSessionRow, type ImportsRepository } from './imports.repository';
import type { BaseAccess } from './base-access';
import { importView } from './import-view';
import { committedProgress, keepNewest } from './import-session-row';
import { type FundraisingCommands } from '../fundraising';
import {
  type PlanDigest,
  type PlanSession,
  type PreparedCommit,
  type StartAnswer,
} from './import-planning';
import { movable } from '../../infrastructure/workers/worker-thread';
import { type PlanningClient, planningClient } from './import-planning.client';

export interface StartImport {
  file_name: string;
  bytes: Uint8Array;
  table_id?: string;
  new_table_name?: string;
  merge_fields?: string[];
  encoding?: CsvEncoding;
  delimiter?: CsvDelimiter;
}

export interface PatchImport {
  mapping?: Record<string, ColumnMapping>;
  merge_fields?: string[];
  options?: Partial<ImportOptions>;
}

const KEEP_DAYS = 7;

/** How an asynchronous commit ended when it failed: the answer the client would have had. */
type ImportFailure = { statusCode: number; message: string; details?: unknown };

/**
 * Import sessions: upload and parse a file, infer its columns, map and plan, then commit the plan as
 * one batch of events (source `import`, one correlation id, provenance on every record). Parsing and
 * planning run off the server's thread (see ImportPlanning); here stay the summary of the few most
 * recent plans, the checks of what people send, and the writes.
 */
export class ImportSessions {
  private readonly cache = new Map<string, PlanDigest>();
  private readonly progress = new Map<string, ImportProgress>();
  private readonly failures = new Map<string, ImportFailure>();
  private readonly writer: ImportWriter;
  private readonly planning: PlanningClient;

  constructor(
    private readonly base: BaseAccess,
    commands: FundraisingCommands,
    executor: CommandExecutor,
    private readonly repo: ImportsRepository,
  ) {
    this.writer = new ImportWriter(base, commands, executor, repo, (id, p) =>
      this.setProgress(id, p),
    );
    this.planning = planningClient(base, repo);
  }

  /** Stops the planning thread (what it kept of recent sessions goes with it). */
  close(): Promise<void> {
    return this.planning.close();
  }

  async start(input: StartImport, actor: Actor): Promise<ImportSessionView> {
    const existing = checkTarget(input, this.base.repo) ?? null;
    const id = newId('imp');
    this.setProgress(id, { phase: 'reading', done: 0, total: input.bytes.length });
    let filed = false;
    try {
      const { session, digest, stored } = await this.planning.request<StartAnswer>(
        { op: 'start', id, input, existing, actor, now: this.base.clock.now() },
        (p) => this.setProgress(id, p),
        movable(input.bytes),
      );
      filed = true;
      const parts = await this.repo.writeFile(this.base.uow, id, stored.bytes, session.created_at);
      await this.base.uow.write(() => {
        const now = Date.parse(session.created_at);
        this.repo.prune(new Date(now - KEEP_DAYS * 86_400_000).toISOString());
        this.repo.insert(
          {
            ...session,
            plan: digest.summary,
            plan_fingerprint: digest.fingerprint,
            base_version: digest.base_version,
          },
          null,
          stored.gzipped,
          parts,
        );
      });
      this.remember(id, digest);
      this.setProgress(id, { phase: 'planned', done: session.row_count, total: session.row_count });
      return this.view(this.repo.get(id)!, digest);
    } catch (e) {
      this.progress.delete(id);
      if (filed) await this.base.uow.write(() => this.repo.dropFile(id)).catch(() => undefined);
      throw e;
    }
  }

  targets() {
    return this.base.repo.tables().map((t) => ({
      id: t.id,
      name: t.name,
      role: t.role,
      primary_field_id: t.primary_field_id,
      fields: t.fields.map((f) => ({ id: f.id, name: f.name, type: f.type, options: f.options })),
    }));
  }

  get(id: string, actor: Actor): ImportSessionView {
    const session = this.load(id, actor);
    return this.view(session, this.cache.get(id) ?? null);
  }

  async patch(id: string, body: PatchImport, actor: Actor): Promise<ImportSessionView> {
    const session = this.load(id, actor);
    if (session.status !== 'planned')
      throw new DomainError(
        'illegal_state',
        'this import is committed; start a new one to import again',
        { field: 'id' },
      );
    const table = this.tableOf(session);
    const tableExists = (tid: string) => !!this.base.repo.table(tid) || tid === session.table_id;
    let choices = session.mapping as ColumnChoice[];
    if (body.mapping !== undefined) {
      if (body.mapping === null || typeof body.mapping !== 'object' || Array.isArray(body.mapping))
        throw invalid('mapping must be an object of column name → choice', { field: 'mapping' });
      choices = applyMappingPatch(choices, body.mapping, table, tableExists, () => newId('fld'));
    } else checkMapping(choices, table);
    const merge_fields =
      body.merge_fields !== undefined
        ? checkMergeFields(body.merge_fields, session.header)
        : session.merge_fields;
    const options = { ...(session.options as ImportOptions), ...checkOptions(body.options) };
    const next: ImportSessionRow = { ...session, mapping: choices, merge_fields, options };
    const digest = await this.planning.request<PlanDigest>({
      op: 'plan',
      session: planSession(next),
      suggest: merge_fields.length === 0,
    });
    await this.base.uow.write(() => this.repo.savePlan(id, savedPlan(next, digest, this.base)));
    this.remember(id, digest);
    return this.view(this.repo.get(id)!, digest);
  }

  /**
   * Applies the plan, all or nothing as people see it (see ImportWriter). When what the plan read
   * has changed since it was made, the plan is made again; if it differs from the one reviewed,
   * nothing is written and the new plan comes back with 409.
   */
  async commit(id: string, actor: Actor): Promise<ImportCommitResult> {
    const session = this.load(id, actor);
    if (session.status === 'committed') return session.result as ImportCommitResult;
    const under = this.writer.pending(id);
    if (under) return under;
    if (this.repo.writing(id)) return this.finishWriting(id);
    this.setProgress(id, { phase: 'checking', done: 0, total: session.row_count });
    this.failures.delete(id);
    try {
      const result = await this.planAndWrite(session, actor);
      this.forget(id);
      this.setProgress(id, committedProgress(result));
      return result;
    } catch (e) {
      this.setProgress(id, { phase: 'failed', done: 0, total: null });
      throw e;
    } finally {
      // A new table or field changes the cached schema of the grid.
      this.base.repo.invalidateSchema();
    }
  }

  /** Commits that a stop of the server interrupted: they finish now, while the server serves. */
  async resumeUnfinished(): Promise<number> {
    await this.base.uow.write(() => this.repo.dropOrphanSlices());
    const ids = this.repo.unfinished();
    for (const id of ids) {
      await this.finishWriting(id).catch((e: unknown) =>
        this.recordFailure(id, toErrorBody(e).body),
      );
    }
    return ids.length;
  }

  private async finishWriting(id: string): Promise<ImportCommitResult> {
    try {
      const result = await this.writer.finish(id);
      this.forget(id);
      this.setProgress(id, committedProgress(result));
      return result;
    } finally {
      this.base.repo.invalidateSchema();
    }
  }

  /** The current plan, written; made again when what it read moved before its first write. */
  private async planAndWrite(session: ImportSessionRow, actor: Actor): Promise<ImportCommitResult> {
    for (let attempt = 1; ; attempt++) {
      const prepared = await this.currentPlan(session);
      assertCommittable(prepared);
      this.setProgress(session.id, { phase: 'writing', done: 0, total: prepared.records });
      const write = {
        id: session.id,
        slices: prepared.slices,
        records: prepared.records,
        sliceJson: (from: number, to: number) =>
          this.planning.request<string[]>({ op: 'slices', id: session.id, from, to }),
        unchanged: prepared.summary.unchanged,
        skipped_rows: prepared.summary.rows_with_errors,
        actor,
        correlation_id: newId('cor'),
      };
      try {
        return await this.writer.write(write, () => {
          if (planMovedSince(this.base, prepared.base_version, prepared.reads))
            throw new PlanMoved();
        });
      } catch (e) {
        if (!(e instanceof PlanMoved)) throw e;
        if (attempt === MAX_PLAN_ATTEMPTS) throw planKeptMoving();
      }
    }
  }

  /**
   * The plan to commit, its command made ready in the planning thread: the one reviewed while what
   * it read has not moved, else made again. A plan made again that differs from the one reviewed
   * is saved and comes back with 409.
   */
  private async currentPlan(session: ImportSessionRow): Promise<PreparedCommit> {
    const prepared = await this.planning.request<PreparedCommit>({
      op: 'prepare',
      session: planSession(session),
    });
    this.remember(session.id, prepared);
    if (prepared.fingerprint === session.plan_fingerprint) return prepared;
    await this.base.uow.write(() =>
      this.repo.savePlan(session.id, savedPlan(session, prepared, this.base)),
    );
    throw new DomainError(
      'conflict',
      'the table changed since this plan was made: review the new plan and commit again',
      { plan: prepared.summary },
      'stale_plan',
    );
  }

  /** For an asynchronous commit: what happened, once it is over. */
  recordFailure(id: string, failure: ImportFailure): void {
    keepNewest(this.failures, id, failure, 100);
  }

  /** Every error of the plan (not only the first thousand), for the CSV download. */
  async errorsOf(id: string, actor: Actor): Promise<ImportIssue[]> {
    const session = this.load(id, actor);
    if (session.status === 'committed') return [];
    return this.planning.request<ImportIssue[]>({ op: 'errors', session: planSession(session) });
  }

  private view(session: ImportSessionRow, digest: PlanDigest | null): ImportSessionView {
    return importView(
      this.base,
      session,
      digest,
      this.progress.get(session.id) ?? null,
      this.failures.get(session.id) ?? null,
    );
  }

  private load(id: string, actor: Actor): ImportSessionRow {
    const session = typeof id === 'string' ? this.repo.get(id) : undefined;
    // Someone else's import is not found rather than forbidden: its existence is not theirs to know.
    if (!session || (session.created_by !== actor.id && actor.role !== 'admin'))
      throw notFound(`import ${id} does not exist`, { field: 'id' });
    return session;
  }

  private tableOf(session: ImportSessionRow) {
    if (session.new_table_name !== null) return null;
    const t = this.base.repo.table(session.table_id);
    if (!t) throw notFound(`table ${session.table_id} no longer exists`, { field: 'table_id' });
    return t;
  }

  private setProgress(id: string, p: ImportProgress): void {
    keepNewest(this.progress, id, p, 100);
  }

  private remember(id: string, digest: PlanDigest): void {
    keepNewest(this.cache, id, digest, 3);
  }

  /** A committed import's plan is needed no more, here or in the planning thread. */
  private forget(id: string): void {
    this.cache.delete(id);
    this.planning.request({ op: 'forget', id }).catch(() => undefined);
  }
}

/** The session as the planning thread needs it: its choices, without the stored plan and result. */
const planSession = ({ plan: _plan, result: _result, ...rest }: ImportSessionRow): PlanSession =>
  rest;

/** A plan as saved with the session: the choices it was made from, its summary and fingerprint. */
const savedPlan = (
  s: Pick<ImportSessionRow, 'mapping' | 'merge_fields' | 'options'>,
  d: PlanDigest,
  base: BaseAccess,
) => ({
  mapping: s.mapping,
  merge_fields: s.merge_fields,
  options: s.options,
  plan: d.summary,
  fingerprint: d.fingerprint,
  base_version: d.base_version,
  at: base.clock.now(),
});
