import {
  followUpStreams,
  type InteractionRestoredData,
  type RecordedEvent,
  type ReminderEvent,
  type RetractionReason,
} from '@crm/events';
import { type Decision, DecisionBuilder } from '../../base/decide-context';
import { type SkippedUndo } from '../../history/undo/undo-work';
import { type ReminderState } from '../reminder.state';

/** A logged interaction as an undo sees it: whether it still counts, and its stream's version. */
export interface InteractionState {
  id: string;
  record_id: string;
  table_id: string;
  contact_id: string | null;
  retracted: boolean;
  version: number;
}

/** What taking back follow-up events reads, as it is now. */
export interface UndoFollowUpContext {
  interaction(id: string): InteractionState | undefined;
  reminder(id: string): ReminderState | undefined;
}

export interface UndoFollowUp {
  /** Logged follow-up events to take back, in any order (others are ignored). */
  events: readonly RecordedEvent[];
  /** `undone` for an undo or a redo, `restored` for a restore to a moment. */
  reason: RetractionReason;
}

export interface UndoFollowUpDecision extends Decision {
  /** How many of the given events were taken back or already were. */
  reversed: number;
  skipped: SkippedUndo[];
  /** The records (and contacts) whose interactions now count differently: their last contact moves. */
  contacted: string[];
  /** Every record whose follow-up values may have moved. */
  records: string[];
}

const UNDOABLE_REASONS: readonly string[] = ['undone', 'restored'];

/** A batch an undo, a redo or a restore made (its events' causation). */
const compensating = (e: Pick<RecordedEvent, 'metadata'>) =>
  /^(undo|restore):/.test(e.metadata.causation_id ?? '');

/**
 * The follow-up events an undo or a restore takes back: an interaction logged, taken back or
 * brought back, a reminder made, and what an earlier undo or restore did to a reminder. A person's
 * own later work on a reminder (done, snoozed, changed) is theirs and stays.
 */
export function isUndoableFollowUp(e: Pick<RecordedEvent, 'type' | 'data' | 'metadata'>): boolean {
  switch (e.type) {
    case 'InteractionLogged':
    case 'InteractionRetracted':
    case 'InteractionRestored':
    case 'ReminderCreated':
      return true;
    case 'ReminderCancelled':
      return UNDOABLE_REASONS.includes((e.data as { reason: string }).reason);
    case 'ReminderReopened':
      return compensating(e);
    default:
      return false;
  }
}

type Wanted =
  | { kind: 'interaction'; live: boolean; data: InteractionRestoredData; at: RecordedEvent }
  | { kind: 'reminder'; open: boolean; at: RecordedEvent };

/**
 * What each interaction and reminder was before the oldest of the given events touched it: the
 * events are reversed newest first, so the oldest one's inverse is the state to go back to.
 */
function wantedOf(events: readonly RecordedEvent[]): Map<string, Wanted> {
  const wanted = new Map<string, Wanted>();
  const newestFirst = [...events].sort((x, y) => y.position - x.position);
  for (const recorded of newestFirst) {
    if (!isUndoableFollowUp(recorded)) continue;
    const e = recorded as unknown as ReminderEvent;
    switch (e.type) {
      case 'InteractionLogged':
      case 'InteractionRestored':
      case 'InteractionRetracted': {
        const { interaction_id, record_id, table_id, contact_id } = e.data;
        const live = e.type === 'InteractionRetracted';
        const data = { interaction_id, record_id, table_id, contact_id };
        wanted.set(interaction_id, { kind: 'interaction', live, data, at: recorded });
        break;
      }
      case 'ReminderCreated':
      case 'ReminderReopened':
        wanted.set(e.data.reminder_id, { kind: 'reminder', open: false, at: recorded });
        break;
      case 'ReminderCancelled':
        wanted.set(e.data.reminder_id, { kind: 'reminder', open: true, at: recorded });
        break;
      default:
        break;
    }
  }
  return wanted;
}

/**
 * Takes back what a quick log (or any batch of follow-up events) did, as compensating events: an
 * interaction still counting is retracted (`InteractionRetracted`), one retracted is restored, a
 * reminder still open or snoozed is cancelled with the reason, one cancelled by an undo is reopened.
 * What is already as wanted appends nothing; a reminder marked done since stays done (skipped).
 */
export function decideUndoFollowUp(
  cmd: UndoFollowUp,
  ctx: UndoFollowUpContext,
): UndoFollowUpDecision {
  const b = new DecisionBuilder();
  const out = { reversed: 0, skipped: [] as SkippedUndo[], contacted: new Set<string>() };
  const records = new Set<string>();
  for (const [id, want] of wantedOf(cmd.events)) {
    const skip = (reason: string) =>
      out.skipped.push({ position: want.at.position, type: want.at.type, reason });
    if (want.kind === 'interaction') {
      const i = ctx.interaction(id);
      if (!i) {
        skip('the interaction is not in the log');
        continue;
      }
      out.reversed++;
      if (i.retracted !== want.live) continue;
      const stream = followUpStreams.interaction(i.record_id, id);
      b.emit(
        stream,
        i.version,
        want.live
          ? { type: 'InteractionRestored', data: want.data }
          : { type: 'InteractionRetracted', data: { ...want.data, reason: cmd.reason } },
      );
      for (const r of [i.record_id, i.contact_id]) {
        if (!r) continue;
        out.contacted.add(r);
        records.add(r);
      }
      continue;
    }
    const r = ctx.reminder(id);
    if (!r || r.deleted) {
      if (!r) skip('the reminder is not in the log');
      else out.reversed++;
      continue;
    }
    const event = reminderEvent(r, want.open, cmd.reason);
    if (event === 'done') {
      skip('the reminder was marked done since; it stays done');
      continue;
    }
    out.reversed++;
    if (!event) continue;
    b.emit(followUpStreams.reminder(r.record_id, r.id), r.version, event);
    records.add(r.record_id);
  }
  return {
    ...b.build(),
    reversed: out.reversed,
    skipped: out.skipped,
    contacted: [...out.contacted],
    records: [...records],
  };
}

/** The event that takes a reminder where it is wanted; null when it is there; `done` when it ended so. */
function reminderEvent(r: ReminderState, open: boolean, reason: RetractionReason) {
  const data = { reminder_id: r.id, record_id: r.record_id, from: r.status };
  if (open) return r.status === 'cancelled' ? { type: 'ReminderReopened' as const, data } : null;
  if (r.status === 'done') return 'done' as const;
  if (r.status === 'cancelled') return null;
  return { type: 'ReminderCancelled' as const, data: { ...data, reason } };
}
