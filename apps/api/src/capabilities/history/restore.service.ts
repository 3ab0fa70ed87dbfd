import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { ResolvedRestoreTarget, RestorePreview, RestoreResult } from '@crm/contracts';
import {
  DomainError,
  decideRestore,
  decideUndo,
  invalid,
  previewRestore,
  recordsMovedOnSince,
  type Decision,
  type DecideContext,
  type RecordNow,
  listMovesBack,
  type ListsToRestore,
  type RestoreContext,
  type RestorePlan,
  type UndoDecision,
} from '@crm/domain';
import { FUNDRAISING_EVENT_TYPES, type RecordedEvent } from '@crm/events';
import { newId } from '../../infrastructure/clock';
import { type Actor } from '../../infrastructure/request-context/actor';
import { type CommandMeta } from '../../infrastructure/commands/command-executor';
import { type CurrentRecordsRepository } from './current-records.repository';
import { type LogRepository } from './log.repository';
import { type SnapshotStore, type StoredSnapshot } from './snapshot.store';
import { type SqliteEventStore } from '../../infrastructure/event-store/sqlite-event-store';
import { type FundraisingCommands } from '../fundraising';
import { type UnitOfWork } from '../../infrastructure/database/unit-of-work';
import { type Clock } from '../../infrastructure/clock';
import { type FollowUpUndo } from '../reminders';
import { isListMove, type RestoreLists } from './restore-lists';
import { eventsOf, presentSchema, undoChanges, undoFlags, withRecords } from './restore-reads';

/** How many events after the target make a restore read every current record in one scan. */
export const RESTORE_BULK_FROM = 20_000;

/** What to go back to: a moment, a log position, one batch, or one person's edits in a window. */
export type RestoreTarget = ResolvedRestoreTarget;

/** What a preview far back reads of the present before it waits for the snapshot to unzip. */
interface FarBack {
  head: number;
  position: number;
  snapshot: StoredSnapshot | null;
  unzipping: Promise<Buffer> | null;
  now: Iterable<RecordNow>;
  present: Pick<RestoreContext, 'table' | 'tables' | 'view' | 'viewIds'>;
}

const stale = (head: number, now: number) =>
  new DomainError(
    'conflict',
    `the log moved on since the preview (it was at ${head}, now ${now}); preview again`,
    { preview_head: head, current_version: now },
    'stale_preview',
  );

/**
 * Point-in-time restore and selective rollback, both as a preview first: the preview hands back a
 * token bound to the log head it was computed at; applying with a stale token is refused. A restore
 * appends compensating events (source `restore`) in one batch, so it is in the history and can be
 * undone like any batch.
 */
export class RestoreService {
  private readonly key = randomBytes(32);

  /**
   * @param bulkFrom how many events after the target make a restore read every current record in
   *   one scan (and tell what moved on by version) instead of listing the records touched since from
   *   the log and reading them one by one; see the history benchmark for the choice.
   */
  constructor(
    private readonly store: SqliteEventStore,
    private readonly commands: FundraisingCommands,
    private readonly uow: UnitOfWork,
    private readonly clock: Clock,
    private readonly log: LogRepository,
    private readonly snapshots: SnapshotStore,
    private readonly current: CurrentRecordsRepository,
    private readonly bulkFrom = RESTORE_BULK_FROM,
    private readonly followUp: Pick<FollowUpUndo, 'takeBack' | 'undoable'> | null = null,
    /**
     * The records' lists at a moment and the moves that put them back: a restore to a moment
     * brings the lists back as they were too (without it, lists are left as they are).
     */
    private readonly lists?: RestoreLists,
  ) {}

  /**
   * What applying would do, counted in full, with one page of each list. Far back, where nearly
   * every record may differ, the records are compared one by one and no plan is built; the
   * snapshot is unzipped in the thread pool while the current records are read. Everything of the
   * present is read in one transaction with the head the token names; what is read after the wait
   * is the log up to the target, which no later append changes.
   */
  async preview(
    target: RestoreTarget,
    page: { offset: number; limit: number } = { offset: 0, limit: 100 },
  ): Promise<RestorePreview> {
    const first = this.uow.read((): { preview: RestorePreview } | FarBack => {
      const head = this.store.lastPosition();
      const position =
        'at' in target || 'position' in target ? this.positionOf(target, head) : null;
      if (position === null || head - position < this.bulkFrom) {
        const { summary, resolved } = this.summarise(target, head, page);
        return {
          preview: { token: this.sign(resolved, head), target: resolved, head, ...summary },
        };
      }
      const snapshot = this.snapshots.nearestAt(position);
      const unzipping = snapshot && this.snapshots.unzip(snapshot);
      // Handled where it is awaited; this only keeps a failure from counting as unhandled should the read below throw first.
      void unzipping?.catch(() => undefined);
      return {
        head,
        position,
        snapshot,
        unzipping,
        now: this.current.inOrder(),
        present: presentSchema(this.commands.ctx),
      };
    });
    if ('preview' in first) return first.preview;
    const { head, position, snapshot, unzipping, now, present } = first;
    const unzipped =
      snapshot && unzipping ? { format: snapshot.format, unzipped: await unzipping } : null;
    const then = this.uow.read(() => this.snapshots.thenFrom(position, unzipped));
    const s = previewRestore({ then, now, page }, present);
    const resolved = { ...target, position };
    const lists = this.uow.read(() => this.lists?.back(then, position, head) ?? []);
    return {
      token: this.sign(resolved, head),
      target: resolved,
      head,
      counts: {
        ...s.counts,
        changes: s.counts.changes + listMovesBack(lists).length,
        lists: lists.length,
        conflicts: 0,
        skipped: 0,
      },
      lists: lists.slice(page.offset, page.offset + page.limit),
      to_archive: s.to_archive,
      to_bring_back: s.to_bring_back,
      to_change: s.to_change,
      schema: s.schema,
      conflicts: [],
      skipped: [],
    };
  }

  /** A preview from the whole plan, paged: undo of a batch or of one person's edits, and a restore close to the head. */
  private summarise(
    target: RestoreTarget,
    head: number,
    page: { offset: number; limit: number },
  ): {
    summary: Omit<RestorePreview, 'token' | 'target' | 'head'>;
    resolved: RestoreTarget & { position?: number };
  } {
    const { plan, resolved, lists } = this.plan(target, head);
    const slice = <T>(list: T[]) => list.slice(page.offset, page.offset + page.limit);
    const restore = 'to_change' in plan ? (plan as RestorePlan) : null;
    const undo = 'reversed' in plan ? (plan as UndoDecision) : null;
    const changes = restore?.to_change ?? undoChanges(undo!);
    // A rollback archives what its batch created and brings back what it archived: list those too.
    const toArchive = restore?.to_archive ?? undoFlags(undo!, 'RecordArchived');
    const toBringBack = restore?.to_bring_back ?? undoFlags(undo!, 'RecordUnarchived');
    return {
      summary: {
        counts: {
          to_archive: toArchive.length,
          to_bring_back: toBringBack.length,
          to_change: changes.length,
          cells: changes.reduce((n, c) => n + c.changes.length, 0),
          schema: restore?.schema.length ?? 0,
          changes: eventsOf(plan) + listMovesBack(lists).length,
          lists: lists.length,
          conflicts: plan.conflicts.length,
          skipped: undo?.skipped.length ?? 0,
        },
        lists: slice(lists),
        to_archive: slice(toArchive),
        to_bring_back: slice(toBringBack),
        to_change: slice(changes),
        schema: restore?.schema ?? [],
        conflicts: slice(plan.conflicts),
        skipped: slice(undo?.skipped ?? []),
      },
      resolved,
    };
  }

  /**
   * Applies a previewed restore; refused when anything was appended after the preview. `changes`
   * counts what was written as the preview's `counts.changes` does (`events` is the same number).
   */
  restore(token: string, actor: Actor): Promise<RestoreResult> {
    return this.uow.write(() => this.restored(token, actor));
  }

  private async restored(token: string, actor: Actor): Promise<RestoreResult> {
    const { target, head } = this.verify(token);
    const correlation_id = newId('cor');
    let events = 0;
    let lists: ListsToRestore[] = [];
    const meta = {
      actor,
      source: 'restore' as const,
      correlation_id,
      causation_id: `restore:${JSON.stringify(target)}`,
    };
    const decided = await this.commands.decide(
      meta,
      (ctx) => {
        const now = this.store.lastPosition();
        if (now !== head) throw stale(head, now);
        const planned = this.plan(target, head, ctx);
        events = eventsOf(planned.plan);
        lists = planned.lists;
        return planned.plan;
      },
      // A restore compares the whole base with the moment it goes back to.
      { recordsOf: 'all' },
    );
    let version = decided.version;
    // The lists go back in the same batch, after the records (a record brought back is live again).
    const moves = listMovesBack(lists);
    if (moves.length > 0 && this.lists) {
      const moved = await this.lists.apply(moves, meta);
      events += moved.moved;
      version = Math.max(version, moved.version);
    }
    const followUp = await this.takeBackFollowUp(target, meta);
    version = Math.max(version, followUp?.version ?? 0);
    return { version, correlation_id, events, changes: events };
  }

  /**
   * The interactions and reminders as they were at the moment (or before the batch or window rolled
   * back): what was logged, retracted, planned or done to a reminder since is taken back in the
   * same batch (a deletion and the system's cancels stay; a snooze's end is not brought back).
   */
  private takeBackFollowUp(target: RestoreTarget, meta: CommandMeta) {
    const followUp = this.followUp;
    if (!followUp) return null;
    const events =
      'at' in target || 'position' in target
        ? this.log.byTypesAfter(FOLLOW_UP_TAKEN_BACK, this.positionOf(target, Infinity))
        : 'correlation_id' in target
          ? this.log.byCorrelation(target.correlation_id)
          : this.actorWindow(target);
    const taken = events.filter((e) => followUp.undoable(e));
    const reason = 'at' in target || 'position' in target ? 'restored' : 'undone';
    return taken.length ? followUp.takeBack(taken, reason, meta) : null;
  }

  private plan(
    target: RestoreTarget,
    head: number,
    ctx: DecideContext = this.commands.ctx,
  ): {
    plan: Decision;
    resolved: RestoreTarget & { position?: number };
    /** The records whose lists go back, and to what. */
    lists: ListsToRestore[];
  } {
    const at = this.clock.now();
    if ('at' in target || 'position' in target) {
      const position = this.positionOf(target, head);
      const then = this.snapshots.thenAt(position);
      const lists = this.lists?.back(then, position, head) ?? [];
      if (head - position < this.bulkFrom)
        return {
          plan: decideRestore({ then, touched: this.log.recordsTouchedAfter(position) }, ctx),
          resolved: { ...target, position },
          lists,
        };
      const now = this.current.all();
      return {
        plan: decideRestore(
          { then, touched: recordsMovedOnSince(then, now.values()) },
          withRecords(ctx, now),
        ),
        resolved: { ...target, position },
        lists,
      };
    }
    const events =
      'correlation_id' in target
        ? this.log.byCorrelation(target.correlation_id)
        : this.actorWindow(target);
    const fundraising = events.filter((e) =>
      (FUNDRAISING_EVENT_TYPES as readonly string[]).includes(e.type),
    );
    const moves = events.filter(isListMove);
    if (fundraising.length === 0 && moves.length === 0)
      throw invalid('nothing to roll back: no changes match', {
        field: 'correlation_id' in target ? 'correlation_id' : 'actor_id',
      });
    const plan: UndoDecision = fundraising.length
      ? decideUndo({ events: fundraising, at, actor_id: 'restore' }, ctx)
      : { appends: [], reversed: 0, conflicts: [], skipped: [] };
    const archived = new Set(undoFlags(plan, 'RecordArchived').map((r) => r.record_id));
    const back = new Set(undoFlags(plan, 'RecordUnarchived').map((r) => r.record_id));
    const live = (id: string) => {
      const r = ctx.record(id);
      return r && !archived.has(id) && (!r.archived || back.has(id)) ? r : undefined;
    };
    return { plan, resolved: target, lists: this.lists?.undone(moves, live, head) ?? [] };
  }

  private positionOf(target: { at: string } | { position: number }, head: number): number {
    const position = 'position' in target ? target.position : this.log.positionAt(target.at);
    if (!Number.isInteger(position) || position < 0 || position > head)
      throw invalid(`position must be between 0 and the log head (${head})`, {
        field: 'position',
        given: position,
      });
    return position;
  }

  private actorWindow(t: { actor_id: string; from: string; to: string }): RecordedEvent[] {
    if (!(Date.parse(t.from) <= Date.parse(t.to)))
      throw invalid('from must be a time before to', { field: 'from' });
    const start = this.log.positionAt(t.from) + 1;
    const end = this.log.positionAt(t.to);
    return this.log.byActorBetween(t.actor_id, start, end);
  }

  private sign(target: RestoreTarget, head: number): string {
    const body = Buffer.from(JSON.stringify({ target, head })).toString('base64url');
    return `${body}.${createHmac('sha256', this.key).update(body).digest('base64url')}`;
  }

  private verify(token: string): { target: RestoreTarget; head: number } {
    const [body, mac] = typeof token === 'string' ? token.split('.') : [];
    const expected = body ? createHmac('sha256', this.key).update(body).digest() : Buffer.alloc(0);
    const given = Buffer.from(mac ?? '', 'base64url');
    if (!body || given.length !== expected.length || !timingSafeEqual(given, expected)) {
      throw invalid(
        'the restore token is not one this server issued (or the server restarted); preview again',
        { field: 'token' },
      );
    }
    return JSON.parse(Buffer.from(body, 'base64url').toString()) as {
      target: RestoreTarget;
      head: number;
    };
  }
}

/** The follow-up events a restore to a moment may take back (see `isUndoableFollowUp`). */
const FOLLOW_UP_TAKEN_BACK = [
  'InteractionLogged',
  'InteractionRetracted',
  'InteractionRestored',
  'ReminderCreated',
  'ReminderChanged',
  'ReminderDone',
  'ReminderSnoozed',
  'ReminderCancelled',
  'ReminderReopened',
];
