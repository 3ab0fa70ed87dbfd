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
import { foldReminder, reminderBack, type ReminderWant } from './undo-reminder';

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

/** The system's cancels: an archive's (bringing the record back reopens nothing) and a run's rollback. */
const SYSTEM_REASONS: readonly string[] = ['record_archived', 'run_rolled_back'];

/**
 * The follow-up events an undo or a restore takes back: an interaction logged, taken back or
 * brought back, and a reminder made, changed, done, snoozed, cancelled or reopened (by a person, an
 * undo or a restore). A deletion is not taken back, nor the system's cancels.
 */
export function isUndoableFollowUp(e: Pick<RecordedEvent, 'type' | 'data' | 'metadata'>): boolean {
  switch (e.type) {
    case 'InteractionLogged':
    case 'InteractionRetracted':
    case 'InteractionRestored':
    case 'ReminderCreated':
    case 'ReminderChanged':
    case 'ReminderDone':
    case 'ReminderSnoozed':
    case 'ReminderReopened':
      return true;
    case 'ReminderCancelled':
      return !SYSTEM_REASONS.includes((e.data as { reason: string }).reason);
    default:
      return false;
  }
}

type Wanted =
  | { kind: 'interaction'; live: boolean; data: InteractionRestoredData; at: RecordedEvent }
  | ({ kind: 'reminder' } & ReminderWant);

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
      default: {
        const id = (e.data as { reminder_id: string }).reminder_id;
        const before = wanted.get(id);
        const folded = foldReminder(before?.kind === 'reminder' ? before : undefined, recorded);
        wanted.set(id, { kind: 'reminder', ...folded });
        break;
      }
    }
  }
  return wanted;
}

/**
 * Takes back what a quick log (or any batch of follow-up events) did, as compensating events: an
 * interaction still counting is retracted (`InteractionRetracted`), one retracted is restored; a
 * reminder goes back to its status and fields before (one the events made is cancelled with the
 * reason). What is already as wanted appends nothing; a reminder marked done since stays done, and
 * a field changed again since keeps its value (both listed as skipped).
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
    const back = reminderBack(r, want, cmd.reason);
    for (const reason of back.skipped) skip(`the reminder: ${reason}`);
    if (back.skipped.length === 0) out.reversed++;
    for (const event of back.events)
      b.emit(followUpStreams.reminder(r.record_id, r.id), r.version, event);
    if (back.events.length) records.add(r.record_id);
  }
  return {
    ...b.build(),
    reversed: out.reversed,
    skipped: out.skipped,
    contacted: [...out.contacted],
    records: [...records],
  };
}
