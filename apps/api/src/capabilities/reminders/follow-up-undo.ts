import {
  decideUndoFollowUp,
  isUndoableFollowUp,
  type SkippedUndo,
  type UndoFollowUpContext,
} from '@crm/domain';
import type { RecordedEvent, RetractionReason } from '@crm/events';
import type { CommandMeta } from '../../infrastructure/commands/command-executor';
import type { FundraisingCommands } from '../fundraising/index';
import { touchLastContacted } from './last-contacted';
import type { ReminderCommands } from './reminder.commands';

/** What taking back follow-up events did. */
export interface FollowUpTakenBack {
  reversed: number;
  skipped: SkippedUndo[];
  /** The log head after it (0 when nothing was to take back). */
  version: number;
}

/**
 * The follow-up part of an undo, a redo or a restore, in the caller's batch (its meta): the
 * interactions retracted or restored and the reminders cancelled or reopened by compensating
 * events; then each record's "Last contacted" date is moved to its latest interaction left when the
 * undo put back an older one, and the follow-up values of every record concerned are brought up to
 * date from what now counts.
 */
export class FollowUpUndo {
  constructor(
    private readonly reminders: ReminderCommands,
    private readonly fundraising: FundraisingCommands,
  ) {}

  /** Whether an undo or a restore takes this logged event back. */
  readonly undoable = isUndoableFollowUp;

  private readonly ctx: UndoFollowUpContext = {
    interaction: (id) => {
      const row = this.reminders.repo.interaction(id);
      return (
        row && {
          id: row.id,
          record_id: row.record_id,
          table_id: row.table_id,
          contact_id: row.contact_id,
          retracted: row.retracted_at !== null,
          version: row.version,
        }
      );
    },
    reminder: (id) => this.reminders.ctx.reminder(id),
  };

  takeBack(
    events: readonly RecordedEvent[],
    reason: RetractionReason,
    meta: CommandMeta,
  ): Promise<FollowUpTakenBack> {
    return this.reminders.executor.execute(meta, async (scope) => {
      const d = decideUndoFollowUp({ events, reason }, this.ctx);
      if (!(await scope.append(d))) return { reversed: d.reversed, skipped: d.skipped, version: 0 };
      for (const id of d.contacted) {
        const latest = this.reminders.repo.lastContactOf(id);
        if (latest) await touchLastContacted(this.reminders, this.fundraising, scope, id, latest);
      }
      await this.reminders.followUp?.in(scope, d.records);
      return { reversed: d.reversed, skipped: d.skipped, version: scope.position() };
    });
  }
}
