import {
  type CellConflict,
  type CommitImport,
  decideImport,
  decideImportSlice,
  DomainError,
  type ImportCommitResult,
  type ImportProgress,
  type ImportSkip,
  sliceImport,
} from '@crm/domain';
import { setTimeout as later } from 'node:timers/promises';
import type { CommandExecutor } from '../../infrastructure/commands/command-executor';
import { withDeferredCheckpoint } from '../../infrastructure/database/deferred-checkpoint';
import { type Actor } from '../../infrastructure/request-context/actor';
import type { FundraisingCommands } from '../fundraising';
import type { BaseAccess } from './base-access';
import { type ImportWrite, writeImport } from './import-commit';
import { type ImportsRepository } from './imports.repository';

/**
 * Records per slice: measured (bench/background.bench.js) so that a slice's transaction, with its
 * projections, stays well under the pause an edit may wait behind it.
 */
export const SLICE_RECORDS = 200;
/** Slices staged per transaction before the first is written. */
const STAGED_PER_WRITE = 10;
const FIRST_CONFLICTS = 50;
const CHECKPOINT_EVERY = 10;

/** A commit under way, as stored with each slice: enough to finish it after a crash. */
interface Writing {
  correlation_id: string;
  actor: Actor;
  slices: number;
  done: number;
  /** Records the import writes, for the progress. */
  records: number;
  created: number;
  updated: number;
  unchanged: number;
  skipped_rows: number;
  conflicts: { count: number; first: CellConflict[] };
  skipped: ImportSkip[];
}

/**
 * Writes an import's events. A small import is one transaction, as it always was. A larger one is
 * cut into slices (pure, up front), each appended in a transaction of its own through the command
 * executor under the import's one correlation id, with the event loop free between them, so other
 * people's edits are served while it runs. Once its first slice commits the import is bound to
 * complete: the slices still to write and the progress are stored with each slice, so after a crash
 * `finish` completes it at the next start, exactly once (each slice also carries an idempotency
 * key made of the import and the slice number).
 */
export class ImportWriter {
  private readonly running = new Map<string, Promise<ImportCommitResult>>();

  constructor(
    private readonly base: BaseAccess,
    private readonly commands: FundraisingCommands,
    private readonly executor: CommandExecutor,
    private readonly repo: ImportsRepository,
    private readonly progress: (id: string, p: ImportProgress) => void,
  ) {}

  /** The commit of `id` under way in this process, if any. */
  pending(id: string): Promise<ImportCommitResult> | undefined {
    return this.running.get(id);
  }

  /** Writes the import; `stale` throws when the plan no longer holds (checked in the first transaction). */
  write(w: ImportWrite, stale: () => void): Promise<ImportCommitResult> {
    const slices = sliceImport(w.cmd, SLICE_RECORDS);
    if (slices.length === 1)
      return withDeferredCheckpoint(this.base.db, () =>
        this.base.uow.write(() =>
          writeImport({ ...this.base, commands: this.commands }, this.repo, w, stale),
        ),
      );
    return this.track(w.id, this.writeSlices(w, slices, stale));
  }

  /** Finishes a commit that began before the process stopped. */
  finish(id: string): Promise<ImportCommitResult> {
    return this.pending(id) ?? this.track(id, this.writeRest(id));
  }

  private track(id: string, work: Promise<ImportCommitResult>): Promise<ImportCommitResult> {
    const done = work.finally(() => this.running.delete(id));
    this.running.set(id, done);
    return done;
  }

  private async writeSlices(
    w: ImportWrite,
    slices: CommitImport[],
    stale: () => void,
  ): Promise<ImportCommitResult> {
    await later(0);
    await this.stage(w.id, slices);
    try {
      await this.writeFirst(w, slices, stale);
    } catch (e) {
      await this.base.uow.write(() => this.repo.dropSlices(w.id));
      throw e;
    }
    return this.writeRest(w.id);
  }

  /** Every slice but the first, stored before the first is written: from then on they must be done. */
  private async stage(id: string, slices: CommitImport[]): Promise<void> {
    await this.base.uow.write(() => this.repo.dropSlices(id));
    for (let from = 1; from < slices.length; from += STAGED_PER_WRITE) {
      await this.base.uow.write(() => {
        const to = Math.min(slices.length, from + STAGED_PER_WRITE);
        for (let seq = from; seq < to; seq++) this.repo.stageSlice(id, seq, slices[seq]);
      });
      await later(0);
    }
  }

  /** The first slice: the schema, the plan still holding, and a conflict refusing it all, as ever. */
  private async writeFirst(w: ImportWrite, slices: CommitImport[], stale: () => void) {
    const meta = { actor: w.actor, source: 'import' as const, correlation_id: w.correlation_id };
    await withDeferredCheckpoint(this.base.db, () =>
      this.executor.execute(
        meta,
        (scope) => {
          stale();
          const d = decideImport(slices[0], this.commands.ctx);
          scope.append(d);
          const writing: Writing = {
            correlation_id: w.correlation_id,
            actor: w.actor,
            slices: slices.length,
            done: 1,
            records: slices.reduce((n, s) => n + recordsOf(s), 0),
            created: d.created,
            updated: d.updated,
            unchanged: w.outcome.plan.unchanged,
            skipped_rows: w.outcome.plan.rows_with_errors,
            conflicts: { count: 0, first: [] },
            skipped: [],
          };
          if (!this.repo.setWriting(w.id, writing, scope.at))
            throw new DomainError('conflict', 'this import was committed meanwhile', {});
          return writing.done;
        },
        sliceKey(w.id, 0),
      ),
    );
  }

  /** The slices after the ones done, each in its own transaction, others' requests served between. */
  private async writeRest(id: string): Promise<ImportCommitResult> {
    let writing = this.repo.writing<Writing>(id);
    if (!writing) throw new DomainError('illegal_state', `import ${id} is not being written`, {});
    let result: ImportCommitResult | null = null;
    while (!result) {
      const done = Math.min(writing.records, writing.done * SLICE_RECORDS);
      this.progress(id, { phase: 'writing', done, total: writing.records });
      // A timer, not setImmediate: the edits that arrived meanwhile commit before the next slice.
      await later(0);
      const step = await this.writeSlice(id, writing);
      writing = step.writing;
      result = step.result;
    }
    return result;
  }

  private writeSlice(id: string, writing: Writing) {
    const seq = writing.done;
    const slice = this.repo.slice<CommitImport>(id, seq);
    if (!slice)
      throw new DomainError('illegal_state', `slice ${seq} of import ${id} is missing`, {});
    const meta = {
      actor: writing.actor,
      source: 'import' as const,
      correlation_id: writing.correlation_id,
    };
    // The WAL is checkpointed every few slices, not after each: a checkpoint per slice cost more than the slice.
    const checkpoint = (task: () => void) => {
      if (seq % CHECKPOINT_EVERY === 0 || seq === writing.slices - 1) setImmediate(task);
    };
    return withDeferredCheckpoint(
      this.base.db,
      () =>
        this.executor.execute(
          meta,
          (scope) => {
            const d = decideImportSlice(slice, this.commands.ctx);
            scope.append(d);
            const next = progressed(writing, d);
            this.repo.dropSlice(id, seq);
            if (next.done < next.slices) {
              this.repo.setWriting(id, next, scope.at);
              return { writing: next, result: null };
            }
            const result = resultOf(id, next, scope.position());
            if (!this.repo.markCommitted(id, result, next.correlation_id, scope.at))
              throw new DomainError('conflict', 'this import was committed meanwhile', {});
            return { writing: next, result };
          },
          sliceKey(id, seq),
        ),
      checkpoint,
    );
  }
}

const recordsOf = (s: CommitImport) => s.link_creates.length + s.creates.length + s.updates.length;

/** Each slice's command is sent once: a retry after a crash finds its answer and appends nothing. */
const sliceKey = (id: string, seq: number) => ({
  key: `import:${id}:${seq}`,
  request: { import_id: id, slice: seq },
});

function progressed(w: Writing, d: ReturnType<typeof decideImportSlice>): Writing {
  const first = [...w.conflicts.first, ...d.conflicts].slice(0, FIRST_CONFLICTS);
  return {
    ...w,
    done: w.done + 1,
    created: w.created + d.created,
    updated: w.updated + d.updated,
    conflicts: { count: w.conflicts.count + d.conflicts.length, first },
    skipped: [...w.skipped, ...d.skipped],
  };
}

function resultOf(id: string, w: Writing, version: number): ImportCommitResult {
  return {
    import_id: id,
    created: w.created,
    updated: w.updated,
    unchanged: w.unchanged,
    skipped_rows: w.skipped_rows,
    version,
    correlation_id: w.correlation_id,
    ...(w.conflicts.count ? { conflicts: w.conflicts } : {}),
    ...(w.skipped.length ? { skipped: w.skipped } : {}),
  };
}
