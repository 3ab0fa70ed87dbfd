import {
  type ListMoveBack,
  listsToRestore,
  listsUndoing,
  type ListsToRestore,
  type RestoreThen,
} from '@crm/domain';
import type { RecordedEvent } from '@crm/events';
import type { CommandMeta } from '../../infrastructure/commands/command-executor';
import { type AutomationCommands } from '../automations';
import { type ListsAt } from './lists-at';

const NO_LISTS: ReadonlySet<string> = new Set();

/** Whether an event is a list move (a rule's, a person's, a restore's). */
export const isListMove = (e: { type: string }) =>
  e.type === 'MembershipAdded' || e.type === 'MembershipRemoved';

/**
 * The lists' side of a restore: what a restore to a moment, or a rollback of a batch, does to the
 * records' lists (read from the log's list moves, never from the memberships' read model), and the
 * moves that do it, in the restore's batch.
 */
export class RestoreLists {
  constructor(
    private readonly lists: ListsAt,
    private readonly commands: Pick<AutomationCommands, 'moveBack'>,
  ) {}

  /** The records live after a restore to `position` whose lists differ from then. */
  back(then: RestoreThen, position: number, head: number): ListsToRestore[] {
    return listsToRestore(
      (id) => then.records.get(id),
      this.lists.at(position),
      this.lists.at(head),
    );
  }

  /** A batch's list moves taken back over the lists now, for the records `live` after it. */
  undone(
    moves: readonly RecordedEvent[],
    live: (id: string) => { table_id: string } | undefined,
    head: number,
  ): ListsToRestore[] {
    if (moves.length === 0) return [];
    const now = this.lists.at(head);
    return listsUndoing(moves, (id) => now.get(id) ?? NO_LISTS, live);
  }

  apply(moves: readonly ListMoveBack[], meta: CommandMeta) {
    return this.commands.moveBack(moves, meta);
  }
}
