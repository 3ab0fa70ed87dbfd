import { decideCancelReminder } from '@crm/domain';
import type { RecordArchivedData, RecordedEvent } from '@crm/events';
import type { Processor, ProcessorContext } from '../../infrastructure/processing/processor';
import { SYSTEM_ACTOR } from '../../infrastructure/request-context/actor';
import type { ReminderCommands } from './reminder.commands';

/**
 * Archiving an investor or contact cancels its open reminders: one system command per archive,
 * caused by the archive event (so the record's history says why), keyed by it (a redelivery
 * cancels nothing twice). Bringing the record back reopens nothing by itself: the record's drawer
 * lists what was cancelled and offers to reopen it.
 */
export class ReminderUpkeepProcessor implements Processor {
  readonly name = 'reminder-upkeep';
  readonly types = ['RecordArchived'] as const;

  constructor(private readonly reminders: ReminderCommands) {}

  async handle(event: RecordedEvent, ctx: ProcessorContext): Promise<void> {
    const { record_id } = event.data as RecordArchivedData;
    if (this.reminders.repo.openOf(record_id).length === 0) return;
    await ctx.execute({ actor: SYSTEM_ACTOR, source: 'system' }, async (scope) => {
      // Read again inside the command: the record may have been brought back meanwhile.
      const record = this.reminders.base.record(record_id);
      if (!record?.archived) return 0;
      let cancelled = 0;
      for (const r of this.reminders.repo.openOf(record_id))
        if (
          await scope.append(
            decideCancelReminder(
              { reminder_id: r.id, actor: SYSTEM_ACTOR, reason: 'record_archived' },
              this.reminders.ctx,
            ),
          )
        )
          cancelled++;
      return cancelled;
    });
  }
}
