import {
  DomainError,
  decideUndo,
  invalid,
  namedByUndo,
  notFound,
  type UndoResult,
} from '@crm/domain';
import { FUNDRAISING_EVENT_TYPES, type RecordedEvent } from '@crm/events';
import { newId } from '../../infrastructure/clock';
import { type Actor } from '../../infrastructure/request-context/actor';
import { type LogRepository } from './log.repository';
import { type FundraisingCommands } from '../fundraising';
import { type UnitOfWork } from '../../infrastructure/database/unit-of-work';
import { type AutomationCommands } from '../automations';
import { type FollowUpUndo } from '../reminders';

/** The list moves a batch may hold (a rule's run, a rollback, a person's move): undone with it. */
const MOVES: readonly string[] = ['MembershipAdded', 'MembershipRemoved'];
const isFundraising = (e: RecordedEvent) =>
  (FUNDRAISING_EVENT_TYPES as readonly string[]).includes(e.type);

/**
 * Undo and redo are compensating batches. An undo carries `causation_id = undo:<batch>`; a redo is
 * the undo of an undo. Members undo their own batches; admins anyone's. A quick log's batch is
 * taken back whole: the investor it made archived, its "Last contacted" edit reversed, its
 * interaction retracted and its next step cancelled (reason `undone`), the follow-up values worked
 * out again from what is left; its redo brings the interaction and the reminder back.
 */
export class UndoService {
  constructor(
    private readonly commands: FundraisingCommands,
    private readonly uow: UnitOfWork,
    private readonly log: LogRepository,
    private readonly lists: Pick<AutomationCommands, 'undoMoves'>,
    private readonly followUp: Pick<FollowUpUndo, 'takeBack' | 'undoable'>,
  ) {}

  private readonly undoable = (e: RecordedEvent) =>
    isFundraising(e) || MOVES.includes(e.type) || this.followUp.undoable(e);

  undo(
    target: { position?: number; correlation_id?: string },
    actor: Actor,
    source: 'grid' | 'api' = 'api',
  ): Promise<UndoResult> {
    return this.uow.write(async () => {
      const events = this.resolve(target);
      const batch = events[0].metadata.correlation_id;
      if (actor.role !== 'admin' && events.some((e) => e.metadata.actor_id !== actor.id)) {
        throw new DomainError(
          'forbidden',
          "members can undo their own changes only; ask an admin to undo someone else's",
          { field: 'correlation_id' },
        );
      }
      const correlation_id = newId('cor');
      const meta = { actor, source, correlation_id, causation_id: `undo:${batch}` };
      const changes = events.filter(isFundraising);
      const undone: Pick<UndoResult, 'reversed' | 'conflicts' | 'skipped'> = {
        reversed: 0,
        conflicts: [],
        skipped: [],
      };
      let version = 0;
      if (changes.length > 0)
        ({ version } = await this.commands.decide(
          meta,
          (ctx, at) => {
            const d = decideUndo({ events: changes, at, actor_id: actor.id }, ctx);
            Object.assign(undone, {
              reversed: d.reversed,
              conflicts: d.conflicts,
              skipped: d.skipped,
            });
            return d;
          },
          namedByUndo(changes),
        ));
      const moves = events.filter((e) => MOVES.includes(e.type));
      const lists = moves.length > 0 ? await this.lists.undoMoves(moves, meta) : null;
      const followUps = events.filter(this.followUp.undoable);
      const taken = followUps.length
        ? await this.followUp.takeBack(followUps, 'undone', meta)
        : null;
      return {
        version: Math.max(version, lists?.version ?? 0, taken?.version ?? 0),
        correlation_id,
        undone: batch,
        reversed: undone.reversed + (lists?.moved ?? 0) + (taken?.reversed ?? 0),
        conflicts: undone.conflicts,
        skipped: [...undone.skipped, ...(taken?.skipped ?? [])],
      };
    });
  }

  /** Redo = undo the undo batch. */
  redo(correlationId: string, actor: Actor, source: 'grid' | 'api' = 'api'): Promise<UndoResult> {
    const first = this.log.byCorrelation(correlationId)[0];
    if (!first)
      throw notFound(`batch ${correlationId} does not exist`, { field: 'correlation_id' });
    if (!(first.metadata.causation_id ?? '').startsWith('undo:'))
      throw invalid('only an undo can be redone; undo the batch instead', {
        field: 'correlation_id',
      });
    return this.undo({ correlation_id: correlationId }, actor, source);
  }

  private resolve(target: { position?: number; correlation_id?: string }): RecordedEvent[] {
    const fundraising = (list: RecordedEvent[]) => list.filter(this.undoable);
    if (target.correlation_id !== undefined) {
      const events = fundraising(this.log.byCorrelation(target.correlation_id));
      if (!events.length)
        throw notFound(`batch ${target.correlation_id} has no changes to undo`, {
          field: 'correlation_id',
        });
      return events;
    }
    const event = target.position !== undefined ? this.log.at(target.position) : undefined;
    if (!event || !fundraising([event]).length)
      throw notFound(`no change at position ${target.position}`, { field: 'position' });
    // A type change and the value conversions it caused are one change: undo them together.
    if (event.type === 'FieldRetyped')
      return fundraising(this.log.byCorrelation(event.metadata.correlation_id));
    return [event];
  }
}
