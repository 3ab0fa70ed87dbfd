import { type FundraisingEvent, type RecordedEvent } from '@crm/events';
import { type DecideContext, type Decision } from '../base/decide-context';
import {
  undoFieldAdded,
  undoFieldRemoved,
  undoFieldRenamed,
  undoFieldRetyped,
} from './undo/undo-fields.step';
import { undoRecordArchived, undoRecordCreated, undoRecordUpdated } from './undo/undo-records.step';
import { undoViewDeleted, undoViewSaved } from './undo/undo-views.step';
import { type SkippedUndo, UndoWork } from './undo/undo-work';

export interface UndoCommand {
  /** The events to reverse, in any order; they are reversed newest first. */
  events: RecordedEvent[];
  at: string;
  actor_id: string;
}

export interface UndoDecision extends Decision {
  /** Events that cannot be reversed (a table's creation, account events, ...). */
  skipped: SkippedUndo[];
  /** How many of the given events were reversed or already reversed. */
  reversed: number;
}

/**
 * Compensating events for a set of logged events: each change is reversed only where its result is
 * still there. A cell changed again since comes back as a conflict and keeps its current value, so
 * undoing one person's or one batch's edits never overwrites someone else's later work.
 */
export function decideUndo(cmd: UndoCommand, ctx: DecideContext): UndoDecision {
  const w = new UndoWork(ctx, cmd.at, cmd.actor_id);
  const newestFirst = [...cmd.events].sort((x, y) => y.position - x.position);
  for (const recorded of newestFirst) undoOne(w, recorded);
  return { ...w.b.build(), skipped: w.skipped, reversed: w.reversed };
}

function undoOne(w: UndoWork, recorded: RecordedEvent): void {
  const e = recorded as unknown as FundraisingEvent;
  switch (e.type) {
    case 'RecordUpdated':
      return undoRecordUpdated(w, recorded, e);
    case 'RecordCreated':
    case 'RecordUnarchived':
      return undoRecordCreated(w, e);
    case 'RecordArchived':
      return undoRecordArchived(w, e);
    case 'FieldAdded':
      return undoFieldAdded(w, e);
    case 'FieldRemoved':
      return undoFieldRemoved(w, e);
    case 'FieldRenamed':
      return undoFieldRenamed(w, recorded, e);
    case 'FieldRetyped':
      return undoFieldRetyped(w, recorded, e);
    case 'ViewSaved':
      return undoViewSaved(w, e);
    case 'ViewDeleted':
      return undoViewDeleted(w, e);
    default:
      w.skip(recorded, 'this kind of change cannot be undone');
  }
}

/**
 * What undoing these events reads beyond the schema: the records they changed, the records whose
 * values a removed field held, and every record of a table that gained a field (the undo removes
 * it, keeping its values for a redo).
 */
export function namedByUndo(events: readonly RecordedEvent[]): {
  records: string[];
  recordsOf: string[];
} {
  const records = new Set<string>();
  const recordsOf = new Set<string>();
  for (const recorded of events) {
    const e = recorded as unknown as FundraisingEvent;
    switch (e.type) {
      case 'RecordUpdated':
      case 'RecordCreated':
      case 'RecordUnarchived':
      case 'RecordArchived':
        records.add(e.data.record_id);
        break;
      case 'FieldAdded':
        recordsOf.add(e.data.table_id);
        break;
      case 'FieldRemoved':
        for (const id of Object.keys(e.data.values ?? {})) records.add(id);
        break;
      default:
        break;
    }
  }
  return { records: [...records], recordsOf: [...recordsOf] };
}

export type { SkippedUndo } from './undo/undo-work';
