import { type RecordedEvent } from '@crm/events';
import { evolveReminder } from '../reminder/reminder.evolve';
import {
  type Assignable,
  type FollowUpContext,
  type FollowUpTarget,
  type ReminderState,
} from '../reminder/reminder.state';
import {
  type InteractionState,
  type UndoFollowUpContext,
} from '../reminder/decide/undo-follow-up.decide';
import { Given } from './given-when-then';

const target = (
  record_id: string,
  table_role: string,
  over: Partial<FollowUpTarget> = {},
): FollowUpTarget => ({
  record_id,
  table_id: `tbl_${table_role}`,
  table_role,
  archived: false,
  owner_id: null,
  ...over,
});

/**
 * An investor owned by Olga (`rec_inv`), one without an Owner (`rec_bare`), an archived one, a
 * contact, a fund; Olga and Max can sign in, Dora is disabled.
 */
export function givenFollowUps(): {
  g: Given;
  ctx: () => FollowUpContext;
  targets: Map<string, FollowUpTarget>;
} {
  const g = Given.empty();
  const targets = new Map<string, FollowUpTarget>(
    [
      target('rec_inv', 'investors', { owner_id: 'usr_olga' }),
      target('rec_bare', 'investors'),
      target('rec_gone', 'investors', { archived: true }),
      target('rec_con', 'contacts'),
      target('rec_fund', 'funds'),
    ].map((t) => [t.record_id, t]),
  );
  const team = new Map<string, Assignable>([
    ['usr_olga', { id: 'usr_olga', disabled: false }],
    ['usr_max', { id: 'usr_max', disabled: false }],
    ['usr_dora', { id: 'usr_dora', disabled: true }],
  ]);
  const ctx = (): FollowUpContext => {
    const reminders = new Map<string, ReminderState>();
    for (const e of g.store.readAll() as RecordedEvent[]) {
      if (!e.stream_id.startsWith('reminder-')) continue;
      const id = (e.data as { reminder_id: string }).reminder_id;
      const next = evolveReminder(reminders.get(id), e);
      if (next) reminders.set(id, next);
    }
    return {
      target: (id) => targets.get(id),
      member: (id) => team.get(id),
      reminder: (id) => reminders.get(id),
    };
  };
  return { g, ctx, targets };
}

/** The interactions and reminders of a log as an undo of follow-up events reads them. */
export function undoFollowUpContext(g: Given, ctx: FollowUpContext): UndoFollowUpContext {
  const interactions = new Map<string, InteractionState>();
  for (const e of g.store.readAll() as RecordedEvent[]) {
    if (!e.stream_id.startsWith('interaction-')) continue;
    const d = e.data as Omit<InteractionState, 'id' | 'retracted' | 'version'> & {
      interaction_id: string;
    };
    interactions.set(d.interaction_id, {
      id: d.interaction_id,
      record_id: d.record_id,
      table_id: d.table_id,
      contact_id: d.contact_id,
      retracted: e.type === 'InteractionRetracted',
      version: e.stream_version,
    });
  }
  return { interaction: (id) => interactions.get(id), reminder: (id) => ctx.reminder(id) };
}
