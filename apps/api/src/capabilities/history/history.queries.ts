import {
  automationStreams,
  followUpStreams,
  FUNDRAISING_EVENT_TYPES,
  type FundraisingEvent,
  type RecordedEvent,
} from '@crm/events';
import {
  describeEvent,
  type HistoryEntry,
  type HistoryPage,
  notFound,
  type UndoStackEntry,
} from '@crm/domain';
import { type LogRepository } from './log.repository';
import { type ValueContext } from './value-context';
import { type SqliteEventStore } from '../../infrastructure/event-store/sqlite-event-store';
import { type FundraisingRepository } from '../fundraising';
import { type UnitOfWork } from '../../infrastructure/database/unit-of-work';

const FIELD_EVENTS = ['FieldAdded', 'FieldRenamed', 'FieldRetyped', 'FieldRemoved'];
const kindOf = (type: string) => type.replace(/([a-z])([A-Z])/g, '$1_$2').toLowerCase();

/** Reads of the log for people: one record's history and a person's undo stack (the activity feed: activity-feed.ts). */
export class HistoryQueries {
  constructor(
    private readonly store: SqliteEventStore,
    private readonly repo: FundraisingRepository,
    private readonly uow: UnitOfWork,
    private readonly log: LogRepository,
    private readonly values: ValueContext,
  ) {}

  /** Field names as they are now; removed fields keep the name they had when removed. */
  fieldNames(): (tableId: string, fieldId: string) => string {
    const fields = this.values.fields();
    return (_table, fieldId) => fields.get(fieldId)?.name ?? fieldId;
  }

  entry(e: RecordedEvent, names: (tableId: string, fieldId: string) => string): HistoryEntry {
    const ev = e as unknown as FundraisingEvent;
    const d = ev.data as { table_id?: string };
    const tableId = d.table_id ?? '';
    let changes: HistoryEntry['changes'] = [];
    switch (ev.type) {
      case 'RecordUpdated':
        changes = ev.data.changes.map((c) => ({
          field_id: c.field_id,
          field_name: names(tableId, c.field_id),
          from: c.from,
          to: c.to,
        }));
        break;
      case 'RecordCreated':
        changes = Object.entries(ev.data.values).map(([field_id, to]) => ({
          field_id,
          field_name: names(tableId, field_id),
          from: null,
          to,
        }));
        break;
      case 'FieldRenamed':
        changes = [
          {
            field_id: ev.data.field_id,
            field_name: ev.data.to,
            from: ev.data.from,
            to: ev.data.to,
          },
        ];
        break;
      case 'FieldRetyped':
        changes = [
          {
            field_id: ev.data.field_id,
            field_name: names(tableId, ev.data.field_id),
            from: ev.data.from.type,
            to: ev.data.to.type,
          },
        ];
        break;
      case 'FieldAdded':
      case 'FieldRemoved':
        changes = [
          {
            field_id: ev.data.field.id,
            field_name: ev.data.field.name,
            from: ev.type === 'FieldAdded' ? null : ev.data.field.type,
            to: ev.type === 'FieldAdded' ? ev.data.field.type : null,
          },
        ];
        break;
      default:
        break;
    }
    return {
      position: e.position,
      recorded_at: e.recorded_at,
      actor: { id: e.metadata.actor_id, name: e.metadata.actor_name ?? e.metadata.actor_id },
      source: e.metadata.source,
      ...(e.metadata.token_id && {
        token: { id: e.metadata.token_id, name: e.metadata.token_name ?? '' },
      }),
      correlation_id: e.metadata.correlation_id,
      kind: kindOf(e.type),
      summary: describeEvent(e, names),
      changes,
    };
  }

  /** Every event of the record, and the schema changes of its table since it was created; newest first. */
  recordHistory(
    recordId: string,
    before: number | undefined,
    limit: number,
  ): HistoryPage<HistoryEntry> {
    return this.uow.read(() => {
      const record = this.repo.record(recordId);
      if (!record)
        throw notFound(`record ${recordId} does not exist`, {
          field: 'record_id',
          given: recordId,
        });
      const fields = this.values.fields();
      const names = (_table: string, fieldId: string) => fields.get(fieldId)?.name ?? fieldId;
      const own = this.store.readStream(`record-${recordId}`);
      const created = own[0]?.position ?? 0;
      const schema = this.store
        .readStream(`table-${record.table_id}`)
        .filter((e) => e.position > created && FIELD_EVENTS.includes(e.type));
      // The lists it joined and left, by hand or by a rule's run (with the rule's name as the actor).
      const lists = this.store.readStream(automationStreams.membership(recordId));
      // Its reminders and logged interactions, each on a stream of its own.
      const followUps = this.log.byStreamPrefixes(followUpStreams.prefixesOf(recordId));
      const all = [...own, ...schema, ...lists, ...followUps]
        .filter((e) => before === undefined || e.position < before)
        .sort((a, b) => b.position - a.position);
      const page = all.slice(0, limit);
      const entries = page.map((e) => this.entry(e, names));
      const values = entries.filter(
        (e) => e.kind === 'record_created' || e.kind === 'record_updated',
      );
      return {
        entries,
        next_before: all.length > limit ? page[page.length - 1].position : null,
        ...this.values.forPage(values, fields),
      };
    });
  }

  /** A person's recent batches, newest first, with whether each is undone now. */
  undoStack(actorId: string, limit = 50): UndoStackEntry[] {
    return this.uow.read(() => {
      const names = this.fieldNames();
      const batches = this.log.recentBatches(actorId, limit, UNDO_STACK_TYPES);
      return batches.map((b) => {
        const undoneBy = this.log.undoneBy(b.correlation_id);
        const first = b.events[0];
        return {
          correlation_id: b.correlation_id,
          position: b.events[b.events.length - 1].position,
          recorded_at: first.recorded_at,
          source: first.metadata.source,
          kind: (first.metadata.causation_id ?? '').startsWith('undo:') ? 'undo' : 'edit',
          undoes: (first.metadata.causation_id ?? '').startsWith('undo:')
            ? first.metadata.causation_id!.slice(5)
            : null,
          events: b.events.length,
          summary: summarise(b.events.map((e) => describeEvent(e, names))),
          undone: undoneBy !== null,
          undone_by: undoneBy,
        };
      });
    });
  }
}

/** What a batch on the undo stack is made of: data changes, interactions and reminders (see isUndoableFollowUp). */
const UNDO_STACK_TYPES: readonly string[] = [
  ...FUNDRAISING_EVENT_TYPES,
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

function summarise(lines: string[]): string {
  const unique = [...new Set(lines)];
  return unique.length <= 2
    ? unique.join('; ')
    : `${unique.slice(0, 2).join('; ')} and ${lines.length - 2} more`;
}
