import {
  type CellConflict,
  type CommitImport,
  decideImport,
  recordsNamedByImport,
  decideImportSlice,
  DomainError,
  sliceImport,
  type ImportCommitResult,
  type ImportProgress,
  type ImportSkip,
} from '@crm/domain';
import { performance } from 'node:perf_hooks';
import type { CommandExecutor } from '../../infrastructure/commands/command-executor';
import { withDeferredCheckpoint } from '../../infrastructure/database/deferred-checkpoint';
import { type Actor } from '../../infrastructure/request-context/actor';
import { type FundraisingCommands, syncLinkSides } from '../fundraising';
import type { BaseAccess } from './base-access';
import { type ImportWrite, writeImport } from './import-commit';
import { SLICE_RECORDS } from './import-planning';
import { type ImportsRepository } from './imports.repository';

export { SLICE_RECORDS };
/** Slices staged per transaction before the first is written. */
const STAGED_PER_WRITE = 10;
/**
 * Slices are added to one transaction while the next is expected to end within this much time: one
 * fsync for several, and an edit that arrives meanwhile still waits no longer than this (edits
 * waiting go first).
 */
const TRANSACTION_BUDGET_MS = 4;
/**
 * The same when nobody else has written for a while: a transaction of a few dozen milliseconds then
 * delays no one, and a large import pays a few dozen commits instead of hundreds.
 */
const QUIET_TRANSACTION_BUDGET_MS = 30;
/**
 * How long without anybody else's write before the import counts as alone. Under steady editing a
 * single turn often passes with no edit parsed yet; judging by that turn alone let 30 ms
 * transactions through and put them in the edits' p99.
 */
const QUIET_AFTER_MS = 1_000;
/**
 * While others write, a slice is written in parts of this many records: a slice of 200 held the
 * write lock ten to twenty milliseconds under the edit load, and the edits that arrived meanwhile
 * waited that long. Under ten clients editing without pause, parts of 25 in transactions of 4 ms
 * kept their p99 at what it is with no import (parts of 50 in 8 ms added about 3 ms to it), for an
 * import half again as long. Alone, an import writes whole slices (a part's own costs, paid
 * eight times as often, would slow it by a fifth or more).
 */
export const PART_RECORDS = 25;
/**
 * Turns of the event loop the import gives queued requests between two of its transactions; then
 * it writes anyway. Without a bound, ten clients editing without pause kept something queued at
 * nearly every turn and a 100,000-row import crawled for over a minute.
 */
const OTHERS_FIRST_TURNS = 4;
const FIRST_CONFLICTS = 50;
const CHECKPOINT_EVERY = 10;

/** A commit under way, as stored with each slice: enough to finish it after a crash. */
interface Writing {
  correlation_id: string;
  actor: Actor;
  slices: number;
  done: number;
  /** The next part of slice `done`, once that slice is being written in parts (see PART_RECORDS). */
  part?: number;
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
 * cut into slices (pure, in the planning thread), each appended through the command executor under
 * the import's one correlation id, a few slices to a short transaction, with the event loop free
 * between transactions, so other people's edits are served while it runs. Once its first slice
 * commits the import is bound to complete: the slices still to write and the progress are stored
 * with each slice, so after a crash `finish` completes it at the next start, exactly once (each
 * slice also carries an idempotency key made of the import and the slice number).
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
    if (w.slices === 1) return this.writeWhole(w, stale);
    return this.track(w.id, this.writeSlices(w, stale));
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

  private async writeWhole(w: ImportWrite, stale: () => void): Promise<ImportCommitResult> {
    const cmd = JSON.parse((await w.sliceJson(0, 1))[0]) as CommitImport;
    const result = await withDeferredCheckpoint(this.base.db, () =>
      this.base.uow.write(() =>
        writeImport({ ...this.base, commands: this.commands }, this.repo, w, cmd, stale),
      ),
    );
    await this.linkSides(w, cmd, result);
    return result;
  }

  private async writeSlices(w: ImportWrite, stale: () => void): Promise<ImportCommitResult> {
    const first = JSON.parse((await w.sliceJson(0, 1))[0]) as CommitImport;
    await this.stage(w);
    try {
      await this.writeFirst(w, first, stale);
    } catch (e) {
      await this.base.uow.write(() => this.repo.dropSlices(w.id));
      throw e;
    }
    const result = await this.writeRest(w.id);
    await this.linkSides(w, first, result);
    return result;
  }

  /** Whether the rows (of the first slice: every slice has the same columns) set a two-way link. */
  private writesTwoWayLinks(cmd: CommitImport): boolean {
    const twoWay = new Set(
      (this.base.repo.table(cmd.table_id)?.fields ?? [])
        .filter((f) => f.type === 'link' && typeof f.options.inverse_field_id === 'string')
        .map((f) => f.id),
    );
    if (twoWay.size === 0) return false;
    return (
      cmd.creates.some((c) => Object.keys(c.values).some((id) => twoWay.has(id))) ||
      cmd.updates.some((u) => u.changes.some((c) => twoWay.has(c.field_id)))
    );
  }

  /** The import wrote its table's side of two-way links only: the other sides follow, in its name. */
  private async linkSides(w: ImportWrite, cmd: CommitImport, result: ImportCommitResult) {
    if (result.created + result.updated === 0 || !this.writesTwoWayLinks(cmd)) return;
    const tableId = cmd.table_id;
    const meta = { actor: w.actor, source: 'import' as const, correlation_id: w.correlation_id };
    await syncLinkSides(this.commands, tableId, meta);
  }

  /**
   * Every slice but the first, stored as the planning thread hands them over, before the first is
   * written: from then on they must be done.
   */
  private async stage(w: ImportWrite): Promise<void> {
    await this.base.uow.write(() => this.repo.dropSlices(w.id));
    for (let from = 1; from < w.slices; from += STAGED_PER_WRITE) {
      const json = await w.sliceJson(from, Math.min(w.slices, from + STAGED_PER_WRITE));
      await this.base.uow.othersFirst();
      await this.base.uow.write(() =>
        json.forEach((command, i) => this.repo.stageSlice(w.id, from + i, command)),
      );
    }
  }

  /** The first slice: the schema, the plan still holding, and a conflict refusing it all, as ever. */
  private async writeFirst(w: ImportWrite, first: CommitImport, stale: () => void) {
    const meta = { actor: w.actor, source: 'import' as const, correlation_id: w.correlation_id };
    await withDeferredCheckpoint(this.base.db, () =>
      this.executor.execute(
        meta,
        async (scope) => {
          stale();
          const d = decideImport(
            first,
            await this.commands.load({ records: recordsNamedByImport(first) }),
          );
          await scope.append(d);
          const writing: Writing = {
            correlation_id: w.correlation_id,
            actor: w.actor,
            slices: w.slices,
            done: 1,
            records: w.records,
            created: d.created,
            updated: d.updated,
            unchanged: w.unchanged,
            skipped_rows: w.skipped_rows,
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

  /** The slices after the ones done, a few to a transaction, others' requests served between. */
  private async writeRest(id: string): Promise<ImportCommitResult> {
    let writing = this.repo.writing<Writing>(id);
    if (!writing) throw new DomainError('illegal_state', `import ${id} is not being written`, {});
    let result: ImportCommitResult | null = null;
    // Alone until somebody else writes; from then on, alone again only after a quiet second.
    let othersWroteAt = -Infinity;
    let commitsSeen = this.base.uow.groupCommits();
    while (!result) {
      const written = writing.done * SLICE_RECORDS + (writing.part ?? 0) * PART_RECORDS;
      const done = Math.min(writing.records, written);
      this.progress(id, { phase: 'writing', done, total: writing.records });
      await this.base.uow.othersFirst(OTHERS_FIRST_TURNS);
      // Counted, not judged by the log's head: requests queued during the import's transaction
      // commit right after it, before this loop could look.
      if (this.base.uow.groupCommits() !== commitsSeen) othersWroteAt = performance.now();
      commitsSeen = this.base.uow.groupCommits();
      const quiet = performance.now() - othersWroteAt >= QUIET_AFTER_MS;
      // Alone: whole slices in long transactions; beside others: parts in short ones.
      const budget = quiet ? QUIET_TRANSACTION_BUDGET_MS : TRANSACTION_BUDGET_MS;
      const step = await this.writeBatch(id, writing, budget, !quiet);
      writing = step.writing;
      result = step.result;
    }
    return result;
  }

  /**
   * Slices (or their parts), each with its own key and progress, in one transaction while the
   * budget lasts.
   */
  private writeBatch(id: string, writing: Writing, budgetMs: number, inParts: boolean) {
    const from = writing.done;
    let step: { writing: Writing; result: ImportCommitResult | null } = { writing, result: null };
    // The WAL is checkpointed every few slices, not after each: a checkpoint per slice cost more than the slice.
    const checkpoint = (task: () => void) => {
      const every = CHECKPOINT_EVERY;
      if (step.result || Math.floor(step.writing.done / every) > Math.floor(from / every))
        setImmediate(task);
    };
    return withDeferredCheckpoint(
      this.base.db,
      () =>
        this.base.uow.write(async () => {
          // Another slice only when it should end within the budget, judged by the longest so far.
          const start = performance.now();
          let longest = 0;
          let elapsed = 0;
          do {
            step = await this.writeSlice(id, step.writing, inParts);
            const now = performance.now() - start;
            longest = Math.max(longest, now - elapsed);
            elapsed = now;
          } while (!step.result && elapsed + longest < budgetMs);
          return step;
        }),
      checkpoint,
    );
  }

  /**
   * The next slice, or the next part of it: a slice begun in parts is finished in parts (cut the
   * same way each time, so a part is known by its number after a restart too).
   */
  private writeSlice(
    id: string,
    writing: Writing,
    inParts: boolean,
  ): Promise<{ writing: Writing; result: ImportCommitResult | null }> {
    const seq = writing.done;
    const stored = this.repo.slice<CommitImport>(id, seq);
    if (!stored)
      throw new DomainError('illegal_state', `slice ${seq} of import ${id} is missing`, {});
    const parts = inParts || writing.part !== undefined ? sliceImport(stored, PART_RECORDS) : null;
    const part = writing.part ?? 0;
    const slice = parts ? parts[part] : stored;
    const last = !parts || part === parts.length - 1;
    const meta = {
      actor: writing.actor,
      source: 'import' as const,
      correlation_id: writing.correlation_id,
    };
    // Inside the batch's transaction: each slice a command of its own, with its own key.
    return this.executor.execute(
      meta,
      async (scope) => {
        const d = decideImportSlice(
          slice,
          await this.commands.load({ records: recordsNamedByImport(slice) }),
        );
        await scope.append(d);
        const next = progressed(writing, d, last);
        if (!last) {
          this.repo.setWriting(id, next, scope.at);
          return { writing: next, result: null };
        }
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
      parts ? sliceKey(id, seq, part) : sliceKey(id, seq),
    );
  }
}

/** Each slice's (or part's) command is sent once: a retry after a crash finds its answer and appends nothing. */
const sliceKey = (id: string, seq: number, part?: number) =>
  part === undefined
    ? { key: `import:${id}:${seq}`, request: { import_id: id, slice: seq } }
    : { key: `import:${id}:${seq}:${part}`, request: { import_id: id, slice: seq, part } };

/** The progress after a slice, or after a part of one (`sliceDone` false: the slice's next part is due). */
function progressed(
  w: Writing,
  d: ReturnType<typeof decideImportSlice>,
  sliceDone: boolean,
): Writing {
  const first = [...w.conflicts.first, ...d.conflicts].slice(0, FIRST_CONFLICTS);
  const { part, ...rest } = w;
  return {
    ...rest,
    ...(sliceDone ? { done: w.done + 1 } : { part: (part ?? 0) + 1 }),
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
