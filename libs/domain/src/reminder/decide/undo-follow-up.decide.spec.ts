import { type RecordedEvent } from '@crm/events';
import { givenFollowUps, undoFollowUpContext } from '../../testing/given-follow-up';
import { eventsOf } from '../../testing/given-when-then';
import { decideLogInteraction } from './log-interaction.decide';
import { decideChangeReminder } from './change-reminder.decide';
import {
  decideCancelReminder,
  decideCompleteReminder,
  decideReopenReminder,
  decideSnoozeReminder,
} from './reminder-status.decide';
import { decideUndoFollowUp, isUndoableFollowUp } from './undo-follow-up.decide';

const now = '2026-03-01T10:00:00.000Z';

/** A call with Olga's investor logged by Max, with a next step due a week out. */
function givenQuickLog() {
  const given = givenFollowUps();
  const batch = given.g.apply(
    decideLogInteraction(
      {
        interaction_id: 'int_1',
        reminder_id: 'rem_1',
        record_id: 'rec_inv',
        contact_id: 'rec_con',
        kind: 'call',
        summary: 'Wants the Q1 letter',
        next_step: { title: 'Send Q1 letter', due_date: '2026-03-08' },
        actor_id: 'usr_max',
        now,
      },
      given.ctx(),
    ),
    'usr_max',
  );
  const undo = (events: RecordedEvent[], reason: 'undone' | 'restored' = 'undone') =>
    decideUndoFollowUp({ events, reason }, undoFollowUpContext(given.g, given.ctx()));
  return { ...given, batch, undo };
}

describe('taking back a quick log', () => {
  it('given a call with a next step, when its batch is undone, then the interaction is retracted and the reminder cancelled', () => {
    const { batch, undo } = givenQuickLog();
    const d = undo(batch);
    expect(d.appends.map((a) => [a.stream_id, a.expected_version])).toEqual([
      ['reminder-rec_inv-rem_1', 1],
      ['interaction-rec_inv-int_1', 1],
    ]);
    expect(eventsOf(d)).toEqual([
      {
        type: 'ReminderCancelled',
        data: { reminder_id: 'rem_1', record_id: 'rec_inv', from: 'open', reason: 'undone' },
      },
      {
        type: 'InteractionRetracted',
        data: {
          interaction_id: 'int_1',
          record_id: 'rec_inv',
          table_id: 'tbl_investors',
          contact_id: 'rec_con',
          reason: 'undone',
        },
      },
    ]);
    expect(d.reversed).toBe(2);
    expect(d.contacted.sort()).toEqual(['rec_con', 'rec_inv']);
    expect(d.records.sort()).toEqual(['rec_con', 'rec_inv']);
  });

  it('given the batch already undone, when it is undone again, then nothing is appended', () => {
    const { g, batch, undo } = givenQuickLog();
    g.apply(undo(batch));
    const again = undo(batch);
    expect(eventsOf(again)).toEqual([]);
    expect(again.reversed).toBe(2);
    expect(again.skipped).toEqual([]);
  });

  it('given the next step marked done since, then it stays done and is listed as skipped', () => {
    const { g, ctx, batch, undo } = givenQuickLog();
    g.apply(
      decideCompleteReminder(
        { reminder_id: 'rem_1', actor: { id: 'usr_olga', role: 'member' } },
        ctx(),
      ),
    );
    const d = undo(batch);
    expect(eventsOf(d).map((e) => e.type)).toEqual(['InteractionRetracted']);
    expect(d.skipped).toEqual([
      expect.objectContaining({ type: 'ReminderCreated', reason: expect.stringMatching(/done/) }),
    ]);
  });

  it('given an undone quick log, when the undo is undone (a redo), then the interaction counts again and the reminder reopens', () => {
    const { g, batch, undo } = givenQuickLog();
    const undone = g.apply(undo(batch));
    const redo = undo(undone);
    expect(eventsOf(redo)).toEqual([
      {
        type: 'InteractionRestored',
        data: {
          interaction_id: 'int_1',
          record_id: 'rec_inv',
          table_id: 'tbl_investors',
          contact_id: 'rec_con',
        },
      },
      {
        type: 'ReminderReopened',
        data: { reminder_id: 'rem_1', record_id: 'rec_inv', from: 'cancelled' },
      },
    ]);
    expect(redo.appends.map((a) => a.expected_version)).toEqual([2, 2]);
  });

  it('given a log, its undo and its redo, when all are taken back (a restore before the log), then one retraction and one cancel', () => {
    const { g, batch, undo } = givenQuickLog();
    const undone = g.apply(undo(batch));
    const redone = g.apply(undo(undone));
    const d = undo([...batch, ...undone, ...redone], 'restored');
    expect(
      eventsOf(d)
        .map((e) => [e.type, (e.data as { reason?: string }).reason])
        .sort(),
    ).toEqual([
      ['InteractionRetracted', 'restored'],
      ['ReminderCancelled', 'restored'],
    ]);
  });
});

describe("taking back a person's work on a reminder", () => {
  const olga = { id: 'usr_olga', role: 'member' as const };

  it('given a reminder marked done, when that is undone, then it is open again', () => {
    const { g, ctx, undo } = givenQuickLog();
    const done = g.apply(decideCompleteReminder({ reminder_id: 'rem_1', actor: olga }, ctx()));
    expect(eventsOf(undo(done))).toEqual([
      {
        type: 'ReminderReopened',
        data: { reminder_id: 'rem_1', record_id: 'rec_inv', from: 'done' },
      },
    ]);
  });

  it('given a snooze, when it is undone, then the reminder is open (due on its date) again', () => {
    const { g, ctx, undo } = givenQuickLog();
    const snoozed = g.apply(
      decideSnoozeReminder(
        { reminder_id: 'rem_1', actor: olga, until: '2026-03-20', today: '2026-03-01' },
        ctx(),
      ),
    );
    expect(eventsOf(undo(snoozed)).map((e) => e.type)).toEqual(['ReminderReopened']);
  });

  it('given a change of title and date, when it is undone, then both go back; a field changed again since keeps its value', () => {
    const { g, ctx, undo } = givenQuickLog();
    const change = (input: object) =>
      g.apply(decideChangeReminder({ reminder_id: 'rem_1', actor: olga, input }, ctx()));
    const mine = change({ title: 'Send the letter', due_date: '2026-03-12' });
    expect(eventsOf(undo(mine))).toEqual([
      {
        type: 'ReminderChanged',
        data: {
          reminder_id: 'rem_1',
          record_id: 'rec_inv',
          from: { title: 'Send the letter', due_date: '2026-03-12' },
          to: { title: 'Send Q1 letter', due_date: '2026-03-08' },
        },
      },
    ]);
    change({ due_date: '2026-03-15' });
    const d = undo(mine);
    expect(eventsOf(d)[0].data).toMatchObject({
      from: { title: 'Send the letter' },
      to: { title: 'Send Q1 letter' },
    });
    expect(d.skipped).toEqual([
      expect.objectContaining({ reason: expect.stringMatching(/due date was changed again/) }),
    ]);
  });

  it('given a person cancelling and reopening, when both are taken back, then nothing moves', () => {
    const { g, ctx, undo } = givenQuickLog();
    const cancelled = g.apply(
      decideCancelReminder({ reminder_id: 'rem_1', actor: olga, reason: 'person' }, ctx()),
    );
    const reopened = g.apply(decideReopenReminder({ reminder_id: 'rem_1', actor: olga }, ctx()));
    expect(eventsOf(undo([...cancelled, ...reopened]))).toEqual([]);
    expect(eventsOf(undo(reopened))).toEqual([
      {
        type: 'ReminderCancelled',
        data: { reminder_id: 'rem_1', record_id: 'rec_inv', from: 'open', reason: 'undone' },
      },
    ]);
  });
});

describe('which follow-up events an undo takes back', () => {
  const meta = (causation_id: string | null) =>
    ({ causation_id, correlation_id: 'cor', actor_id: 'usr', source: 'api' }) as never;
  it.each([
    ['a logged interaction', 'InteractionLogged', {}, null, true],
    ['a reminder made', 'ReminderCreated', {}, null, true],
    ["an undo's cancel", 'ReminderCancelled', { reason: 'undone' }, 'undo:cor_1', true],
    ["a person's cancel", 'ReminderCancelled', { reason: 'person' }, null, true],
    ["an archive's cancel", 'ReminderCancelled', { reason: 'record_archived' }, null, false],
    ["a rolled-back run's cancel", 'ReminderCancelled', { reason: 'run_rolled_back' }, null, false],
    ["an undo's reopen", 'ReminderReopened', {}, 'undo:cor_1', true],
    ["a person's reopen", 'ReminderReopened', {}, null, true],
    ['a reminder done', 'ReminderDone', {}, null, true],
    ['a reminder deleted', 'ReminderDeleted', {}, null, false],
    ['a change of settings', 'FollowUpSettingsChanged', {}, null, false],
  ])('%s: %s', (_label, type, data, causation, expected) => {
    expect(isUndoableFollowUp({ type, data, metadata: meta(causation) })).toBe(expected);
  });
});
