import { type AutomationAction, type CellValue } from '@crm/events';
import { type RecordState } from '../record/record.state';
import { type TableState } from '../table/table.state';
import { valuesEqual } from '../values/normalize';

/** What one action will do to one record, before the membership and change deciders run. */
export type PlannedStep =
  | { kind: 'membership'; record_id: string; list: string; op: 'add' | 'remove' | 'move' }
  | {
      kind: 'cell';
      record_id: string;
      field_id: string;
      /** The value the rule saw: a compare-and-set, so a person's later edit wins. */
      from: CellValue;
      to: CellValue;
    }
  | { kind: 'note'; record_id: string; text: string }
  | {
      kind: 'reminder';
      record_id: string;
      title: string;
      due_in_days: number;
      assignee: string;
    };

/** A planned reminder as a run's effect; the reminders' processor makes it after the run commits. */
export const reminderEffect = (step: Extract<PlannedStep, { kind: 'reminder' }>) => ({
  record_id: step.record_id,
  what: 'reminder',
  from: null,
  to: { title: step.title, due_in_days: step.due_in_days, assignee: step.assignee },
});

/** A rule's actions on a record, in order; a field that already holds the value is left alone. */
export function planActions(
  actions: readonly AutomationAction[],
  record: Pick<RecordState, 'id' | 'values'>,
  table: TableState,
): PlannedStep[] {
  const steps: PlannedStep[] = [];
  for (const a of actions) {
    switch (a.type) {
      case 'set_membership':
        steps.push({ kind: 'membership', record_id: record.id, list: a.list, op: a.op });
        break;
      case 'set_field': {
        if (!table.fields.some((f) => f.id === a.field_id)) break;
        const from = record.values[a.field_id] ?? null;
        if (!valuesEqual(from, a.value))
          steps.push({
            kind: 'cell',
            record_id: record.id,
            field_id: a.field_id,
            from,
            to: a.value as CellValue,
          });
        break;
      }
      case 'log_note':
        steps.push({ kind: 'note', record_id: record.id, text: a.text });
        break;
      case 'create_reminder':
        steps.push({
          kind: 'reminder',
          record_id: record.id,
          title: a.title,
          due_in_days: a.due_in_days,
          assignee: a.assignee,
        });
        break;
    }
  }
  return steps;
}
