import { type FundraisingEvent, type RecordedEvent } from '@crm/events';
import { describeApiTokenEvent } from '../api-token/describe-api-token';
import { describeAutomationEvent } from '../automation/describe-automation';
import { describeFeatureRequestEvent } from '../feature-request/describe-feature-request';
import { describeReminderEvent } from '../reminder/describe-reminder';

export interface FieldNames {
  (tableId: string, fieldId: string): string;
}

/** A short, human sentence for an event, for history, the activity feed and the undo stack. */
export function describeEvent(recorded: RecordedEvent, fieldName: FieldNames): string {
  const e = recorded as unknown as FundraisingEvent;
  switch (e.type) {
    case 'TableCreated':
      return `created table "${e.data.name}"`;
    case 'TableRenamed':
      return `renamed table "${e.data.from}" to "${e.data.to}"`;
    case 'FieldAdded':
      return `added field "${e.data.field.name}"`;
    case 'FieldRenamed':
      return `renamed field "${e.data.from}" to "${e.data.to}"`;
    case 'FieldRetyped':
      return `changed field "${fieldName(e.data.table_id, e.data.field_id)}" from ${e.data.from.type} to ${e.data.to.type}`;
    case 'FieldRemoved':
      return `removed field "${e.data.field.name}"`;
    case 'RecordCreated':
      return 'created a record';
    case 'RecordUpdated': {
      const names = e.data.changes.map((c) => `"${fieldName(e.data.table_id, c.field_id)}"`);
      return `changed ${names.slice(0, 3).join(', ')}${names.length > 3 ? ` and ${names.length - 3} more` : ''}`;
    }
    case 'RecordArchived':
      return 'archived a record';
    case 'RecordUnarchived':
      return 'brought back a record';
    case 'ViewSaved':
      return e.data.previous ? `changed view "${e.data.name}"` : `created view "${e.data.name}"`;
    case 'ViewDeleted':
      return `deleted view "${e.data.previous.name}"`;
    default:
      return (
        describeAutomationEvent(recorded) ??
        describeApiTokenEvent(recorded) ??
        describeReminderEvent(recorded) ??
        describeFeatureRequestEvent(recorded) ??
        recorded.type.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase()
      );
  }
}
