import {
  DomainError,
  type ImportCommitResult,
  type ImportIssue,
  type ImportProgress,
  type ImportRow,
  type ImportSessionView,
  invalid,
  notFound,
  type PlanSummary,
  planIsCommittable,
} from '@crm/domain';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { setTimeout as later } from 'node:timers/promises';
import { newId } from '../../infrastructure/clock';
import { type Actor } from '../../infrastructure/request-context/actor';
import { type CsvDelimiter } from './csv/sniff-delimiter';
import type { ColumnMapping } from '@crm/contracts';
import { type CsvEncoding, decodeCsvBytes } from './csv/decode-text';
import { readCsv } from './csv/read-csv';
import { checkMergeFields, checkOptions, checkTarget } from './import-checks';
import { assertCommittable, importCommandOf } from './import-commit';
import { MAX_PLAN_ATTEMPTS, PlanMoved, planKeptMoving, planMovedSince } from './import-staleness';
import { ImportWriter } from './import-writer';
import type { CommandExecutor } from '../../infrastructure/commands/command-executor';
import { toErrorBody } from '../../infrastructure/http/error-filter';
import { guessColumns, guessMisfitsAgain, suggestLinks } from './import-columns';
import {
  applyMappingPatch,
  checkMapping,
  type ColumnChoice,
  type ColumnInfo,
  type ImportOptions,
} from './import-mapping';
import { type PlanOutcome, planAgainstBase } from './import-planner';
import { type ImportSessionRow, type ImportsRepository } from './imports.repository';
import type { BaseAccess } from './base-access';
import { importView, summarize } from './import-view';
import { committedProgress, keepNewest, newSessionRow } from './import-session-row';
import { readStoredRows } from './stored-file';
import { type FundraisingCommands } from '../fundraising';

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

interface Cached {
  rows: ImportRow[];
  outcome: PlanOutcome | null;
}

const KEEP_DAYS = 7;

/** How an asynchronous commit ended when it failed: the answer the client would have had. */
type ImportFailure = { statusCode: number; message: string; details?: unknown };
const gzipAsync = promisify(gzip);
/** A timer rather than setImmediate: the edits that arrived meanwhile commit before the next step. */
const turn = () => later(0);

/**
 * Import sessions: upload and parse a file, infer its columns, map and plan, then commit the plan as
 * one batch of events (source `import`, one correlation id, provenance on every record). The parsed
 * rows and the last plan of the few most recent sessions stay in memory, so committing right after
 * reviewing does not plan twice.
 */
export class ImportSessions {
  private readonly cache = new Map<string, Cached>();
  private readonly progress = new Map<string, ImportProgress>();
  private readonly failures = new Map<string, ImportFailure>();
  private readonly writer: ImportWriter;

  constructor(
    private readonly base: BaseAccess,
    commands: FundraisingCommands,
    executor: CommandExecutor,
    private readonly repo: ImportsRepository,
  ) {
    this.writer = new ImportWriter(base, commands, executor, repo, (id, p) =>
      this.setProgress(id, p),
    );
  }

  async start(input: StartImport, actor: Actor): Promise<ImportSessionView> {
    const existing = checkTarget(input, this.base.repo) ?? null;
    const id = newId('imp');
    this.setProgress(id, { phase: 'reading', done: 0, total: input.bytes.length });
    // The file is kept gzipped (a seventh of the size), compressed in the thread pool while it is read and planned here.
    const packed = gzipAsync(input.bytes, { level: 1 }).catch(() => null);
    try {
      const { text, encoding } = decodeCsvBytes(input.bytes, input.encoding);
      const csv = await readCsv(text, {
        delimiter: input.delimiter,
        onProgress: (rows) => this.setProgress(id, { phase: 'reading', done: rows, total: null }),
      });
      this.setProgress(id, { phase: 'planning', done: 0, total: csv.rows.length });
      // Between the steps below, others' requests are served (each step still runs in one go).
      await turn();
      const guess = guessColumns(csv);
      await turn();
      suggestLinks(this.base.repo, guess.columns, existing);
      const session = newSessionRow({
        id,
        input,
        csv,
        encoding,
        columns: guess.columns,
        existing,
        actor,
        now: this.base.clock.now(),
      });
      await turn();
      let outcome = this.planFor(session, csv.rows, true);
      await turn();
      const again = guessMisfitsAgain(outcome, session.mapping as ColumnChoice[], guess, existing);
      if (again) {
        session.mapping = again;
        outcome = this.planFor(session, csv.rows, true);
        await turn();
      }
      const gzipped = await packed;
      await this.base.uow.write(() => {
        const now = Date.parse(session.created_at);
        this.repo.prune(new Date(now - KEEP_DAYS * 86_400_000).toISOString());
        this.repo.insert(
          {
            ...session,
            plan: this.summaryOf(outcome, session.options as ImportOptions),
            plan_fingerprint: outcome.fingerprint,
            base_version: outcome.base_version,
          },
          gzipped ?? input.bytes,
          gzipped !== null,
        );
      });
      this.remember(id, { rows: csv.rows, outcome });
      this.setProgress(id, { phase: 'planned', done: csv.rows.length, total: csv.rows.length });
      return this.view(this.repo.get(id)!, outcome);
    } catch (e) {
      this.progress.delete(id);
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
    const cached = this.cache.get(id)?.outcome ?? null;
    return this.view(session, cached);
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
    const rows = await this.rowsOf(session);
    const outcome = this.planFor(next, rows, merge_fields.length === 0);
    await this.base.uow.write(() =>
      this.repo.savePlan(id, {
        mapping: choices,
        merge_fields,
        options,
        plan: this.summaryOf(outcome, options),
        fingerprint: outcome.fingerprint,
        base_version: outcome.base_version,
        at: this.base.clock.now(),
      }),
    );
    this.remember(id, { rows, outcome });
    return this.view(this.repo.get(id)!, outcome);
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
    const rows = await this.rowsOf(session);
    this.setProgress(id, { phase: 'checking', done: 0, total: rows.length });
    this.failures.delete(id);
    try {
      const result = await this.planAndWrite(session, rows, actor);
      this.cache.delete(id);
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
      this.cache.delete(id);
      this.setProgress(id, committedProgress(result));
      return result;
    } finally {
      this.base.repo.invalidateSchema();
    }
  }

  /** The current plan, written; made again when what it read moved before its first write. */
  private async planAndWrite(
    session: ImportSessionRow,
    rows: ImportRow[],
    actor: Actor,
  ): Promise<ImportCommitResult> {
    for (let attempt = 1; ; attempt++) {
      const outcome = await this.currentPlan(session, rows);
      assertCommittable(outcome.plan, session.options as ImportOptions);
      await turn();
      const cmd = importCommandOf(session, outcome);
      await turn();
      const total = cmd.creates.length + cmd.updates.length + cmd.link_creates.length;
      this.setProgress(session.id, { phase: 'writing', done: 0, total });
      const write = { id: session.id, cmd, outcome, actor, correlation_id: newId('cor') };
      try {
        return await this.writer.write(write, () => {
          if (planMovedSince(this.base, outcome.base_version, outcome.reads)) throw new PlanMoved();
        });
      } catch (e) {
        if (!(e instanceof PlanMoved)) throw e;
        if (attempt === MAX_PLAN_ATTEMPTS) throw planKeptMoving();
      }
    }
  }

  /**
   * The plan to commit: the one in memory while the log has not moved since it was made, else made
   * again. A plan made again that differs from the one reviewed is saved and comes back with 409.
   */
  private async currentPlan(session: ImportSessionRow, rows: ImportRow[]): Promise<PlanOutcome> {
    const cached = this.cache.get(session.id)?.outcome ?? null;
    if (cached && !planMovedSince(this.base, cached.base_version, cached.reads)) return cached;
    const options = session.options as ImportOptions;
    const outcome = this.planFor(session, rows, false);
    this.remember(session.id, { rows, outcome });
    if (outcome.fingerprint === session.plan_fingerprint) return outcome;
    await this.base.uow.write(() =>
      this.repo.savePlan(session.id, {
        mapping: session.mapping,
        merge_fields: session.merge_fields,
        options,
        plan: this.summaryOf(outcome, options),
        fingerprint: outcome.fingerprint,
        base_version: outcome.base_version,
        at: this.base.clock.now(),
      }),
    );
    throw new DomainError(
      'conflict',
      'the table changed since this plan was made: review the new plan and commit again',
      { plan: this.summaryOf(outcome, options) },
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
    const cached = this.cache.get(id)?.outcome;
    if (cached) return cached.plan.errors;
    if (session.status === 'committed') return [];
    return this.planFor(session, await this.rowsOf(session), false).plan.errors;
  }

  private planFor(session: ImportSessionRow, rows: ImportRow[], suggest: boolean): PlanOutcome {
    return planAgainstBase(this.base, {
      table_id: session.table_id,
      new_table_name: session.new_table_name,
      columns: session.columns as ColumnInfo[],
      choices: session.mapping as ColumnChoice[],
      merge_fields: session.merge_fields,
      options: session.options as ImportOptions,
      header_count: session.header.length,
      rows,
      suggest,
    });
  }

  /** The stored plan keeps what the review shows; the full lists are made again from the rows. */
  private summaryOf(o: PlanOutcome, options: ImportOptions): PlanSummary {
    return summarize(o, planIsCommittable(o.plan, options));
  }

  private view(session: ImportSessionRow, outcome: PlanOutcome | null): ImportSessionView {
    return importView(
      this.base,
      session,
      outcome,
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

  /** The rows, from memory or else read again from the stored file (after a restart). */
  private async rowsOf(session: ImportSessionRow): Promise<ImportRow[]> {
    const cached = this.cache.get(session.id);
    if (cached) return cached.rows;
    const file = this.repo.file(session.id);
    if (!file)
      throw new DomainError(
        'illegal_state',
        'this import has no rows left to plan (it was committed)',
        { field: 'id' },
      );
    const rows = await readStoredRows(file, session);
    this.remember(session.id, { rows, outcome: null });
    return rows;
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

  private remember(id: string, c: Cached): void {
    keepNewest(this.cache, id, c, 3);
  }
}
