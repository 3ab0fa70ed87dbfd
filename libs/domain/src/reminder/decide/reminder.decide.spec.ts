import { domainErrorOf } from '../../testing/domain-error-of';
import { givenFollowUps } from '../../testing/given-follow-up';
import { eventsOf } from '../../testing/given-when-then';
import { type CreateReminder, decideCreateReminder } from './create-reminder.decide';
import { decideChangeReminder } from './change-reminder.decide';
import { decideChangeFollowUpSettings } from './change-follow-up-settings.decide';
import { DEFAULT_FOLLOW_UP_SETTINGS } from '../follow-up.derive';
import {
  decideCancelReminder,
  decideCompleteReminder,
  decideDeleteReminder,
  decideReopenReminder,
  decideSnoozeReminder,
  type ReminderActor,
} from './reminder-status.decide';

const max: ReminderActor = { id: 'usr_max', role: 'member' };
const olga: ReminderActor = { id: 'usr_olga', role: 'member' };
const admin: ReminderActor = { id: 'usr_admin', role: 'admin' };

const call: CreateReminder = {
  reminder_id: 'rem_1',
  record_id: 'rec_inv',
  title: 'Call about the second close',
  due_date: '2026-03-10',
  source: 'manual',
  actor_id: 'usr_max',
};

function givenReminder(over: Partial<CreateReminder> = {}) {
  const given = givenFollowUps();
  given.g.apply(decideCreateReminder({ ...call, ...over }, given.ctx()), 'usr_max');
  return given;
}

describe('creating a reminder', () => {
  it('given an investor with an Owner, when a reminder names no assignee, then the Owner gets it', () => {
    const { ctx } = givenFollowUps();
    const d = decideCreateReminder(call, ctx());
    expect(d.appends[0]).toMatchObject({
      stream_id: 'reminder-rec_inv-rem_1',
      expected_version: 0,
    });
    expect(eventsOf(d)).toEqual([
      {
        type: 'ReminderCreated',
        data: {
          reminder_id: 'rem_1',
          record_id: 'rec_inv',
          table_id: 'tbl_investors',
          title: 'Call about the second close',
          due_date: '2026-03-10',
          assignee_id: 'usr_olga',
          note: '',
          source: 'manual',
          interaction_id: null,
        },
      },
    ]);
  });

  it('given a record without an Owner, or an Owner who is disabled, then the author gets it', () => {
    const { ctx, targets } = givenFollowUps();
    const bare = decideCreateReminder({ ...call, record_id: 'rec_bare' }, ctx());
    expect(eventsOf(bare)[0].data).toMatchObject({ assignee_id: 'usr_max' });
    targets.set('rec_inv', { ...targets.get('rec_inv')!, owner_id: 'usr_dora' });
    expect(eventsOf(decideCreateReminder(call, ctx()))[0].data).toMatchObject({
      assignee_id: 'usr_max',
    });
  });

  it.each([
    ['no due date', { due_date: undefined }, 'due_date', 'missing_value'],
    ['a due date that is not a date', { due_date: 'next tuesday' }, 'due_date', 'not_a_date'],
    ['a day that does not exist', { due_date: '2026-02-30' }, 'due_date', 'not_a_date'],
    ['a blank title', { title: '  ' }, 'title', 'missing_value'],
    ['a title of 501 characters', { title: 'x'.repeat(501) }, 'title', 'too_large'],
    ['a note of 20,001 characters', { note: 'x'.repeat(20_001) }, 'note', 'too_large'],
    ['an unknown assignee', { assignee_id: 'usr_nobody' }, 'assignee_id', 'unknown_user'],
    ['a disabled assignee', { assignee_id: 'usr_dora' }, 'assignee_id', 'user_disabled'],
    ['a record of another table', { record_id: 'rec_fund' }, 'record_id', 'wrong_table'],
    ['a record that does not exist', { record_id: 'rec_none' }, 'record_id', 'not_found'],
    ['an archived record', { record_id: 'rec_gone' }, 'record_id', 'record_archived'],
  ])('refuses %s, naming the field', (_label, over, field, reason) => {
    const { ctx } = givenFollowUps();
    const e = domainErrorOf(() => decideCreateReminder({ ...call, ...over }, ctx()));
    expect(e.code).toBe('validation');
    expect(e.details.field).toBe(field);
    expect(e.reason).toBe(reason);
  });
});

describe('changing a reminder', () => {
  it('given a reminder, when its date and note change, then one event holds each field before and after', () => {
    const { g, ctx } = givenReminder();
    const d = decideChangeReminder(
      {
        reminder_id: 'rem_1',
        actor: olga,
        input: { due_date: '2026-03-12', note: 'bring the deck', title: call.title },
      },
      ctx(),
    );
    expect(d.appends[0]).toMatchObject({ expected_version: 1 });
    expect(eventsOf(d)).toEqual([
      {
        type: 'ReminderChanged',
        data: {
          reminder_id: 'rem_1',
          record_id: 'rec_inv',
          from: { due_date: '2026-03-10', note: '' },
          to: { due_date: '2026-03-12', note: 'bring the deck' },
        },
      },
    ]);
    g.apply(d);
    expect(ctx().reminder('rem_1')).toMatchObject({ due_date: '2026-03-12', version: 2 });
  });

  it('refuses a bad date or a disabled assignee, naming the field', () => {
    const { ctx } = givenReminder();
    const bad = (input: Record<string, unknown>) =>
      domainErrorOf(() => decideChangeReminder({ reminder_id: 'rem_1', actor: max, input }, ctx()));
    expect(bad({ due_date: '10/03/2026' }).details.field).toBe('due_date');
    expect(bad({ assignee_id: 'usr_dora' }).reason).toBe('user_disabled');
    expect(bad({}).reason).toBe('missing_value');
  });
});

describe('done, snooze, cancel, reopen and delete', () => {
  const today = '2026-03-01';

  it('marks done once; done again appends nothing', () => {
    const { g, ctx } = givenReminder();
    const d = decideCompleteReminder({ reminder_id: 'rem_1', actor: max }, ctx());
    expect(eventsOf(d)).toEqual([
      { type: 'ReminderDone', data: { reminder_id: 'rem_1', record_id: 'rec_inv', from: 'open' } },
    ]);
    g.apply(d);
    expect(eventsOf(decideCompleteReminder({ reminder_id: 'rem_1', actor: max }, ctx()))).toEqual(
      [],
    );
  });

  it('snoozes until a later date; a date not after today is refused naming until', () => {
    const { ctx } = givenReminder();
    const snooze = (until: unknown) =>
      decideSnoozeReminder({ reminder_id: 'rem_1', actor: max, until, today }, ctx());
    expect(eventsOf(snooze('2026-03-05'))[0]).toEqual({
      type: 'ReminderSnoozed',
      data: { reminder_id: 'rem_1', record_id: 'rec_inv', from: 'open', until: '2026-03-05' },
    });
    for (const [until, reason] of [
      ['2026-02-28', 'date_in_the_past'],
      [today, 'date_in_the_past'],
      ['soon', 'not_a_date'],
    ]) {
      const e = domainErrorOf(() => snooze(until));
      expect([e.details.field, e.reason]).toEqual(['until', reason]);
    }
  });

  it('given a reminder of Olga made by Olga, when Max cancels or deletes it, then it is forbidden; an admin may', () => {
    const { ctx } = givenReminder({ actor_id: 'usr_olga' });
    // Made by usr_max in the log (the actor of the append) but assigned to Olga: Max made it.
    expect(
      eventsOf(decideCancelReminder({ reminder_id: 'rem_1', actor: max, reason: 'person' }, ctx())),
    ).toHaveLength(1);
    const { g, ctx: ctx2 } = givenFollowUps();
    g.apply(decideCreateReminder({ ...call, actor_id: 'usr_olga' }, ctx2()), 'usr_olga');
    const e = domainErrorOf(() =>
      decideCancelReminder({ reminder_id: 'rem_1', actor: max, reason: 'person' }, ctx2()),
    );
    expect(e.code).toBe('forbidden');
    expect(
      domainErrorOf(() => decideDeleteReminder({ reminder_id: 'rem_1', actor: max }, ctx2())).code,
    ).toBe('forbidden');
    expect(
      eventsOf(
        decideCancelReminder({ reminder_id: 'rem_1', actor: admin, reason: 'person' }, ctx2()),
      ),
    ).toHaveLength(1);
    // Anyone may still edit, complete and snooze it.
    expect(
      eventsOf(decideCompleteReminder({ reminder_id: 'rem_1', actor: max }, ctx2())),
    ).toHaveLength(1);
  });

  it('given a cancelled reminder, it cannot be marked done; reopening needs its record live', () => {
    const { g, ctx, targets } = givenReminder();
    g.apply(decideCancelReminder({ reminder_id: 'rem_1', actor: max, reason: 'person' }, ctx()));
    expect(
      domainErrorOf(() => decideCompleteReminder({ reminder_id: 'rem_1', actor: max }, ctx())).code,
    ).toBe('illegal_state');
    targets.set('rec_inv', { ...targets.get('rec_inv')!, archived: true });
    expect(
      domainErrorOf(() => decideReopenReminder({ reminder_id: 'rem_1', actor: max }, ctx())).reason,
    ).toBe('record_archived');
    targets.set('rec_inv', { ...targets.get('rec_inv')!, archived: false });
    expect(eventsOf(decideReopenReminder({ reminder_id: 'rem_1', actor: max }, ctx()))).toEqual([
      {
        type: 'ReminderReopened',
        data: { reminder_id: 'rem_1', record_id: 'rec_inv', from: 'cancelled' },
      },
    ]);
  });

  it('given a deleted reminder, every command answers not found', () => {
    const { g, ctx } = givenReminder();
    g.apply(decideDeleteReminder({ reminder_id: 'rem_1', actor: max }, ctx()));
    expect(ctx().reminder('rem_1')?.deleted).toBe(true);
    expect(
      domainErrorOf(() => decideCompleteReminder({ reminder_id: 'rem_1', actor: max }, ctx())).code,
    ).toBe('not_found');
    expect(
      domainErrorOf(() => decideDeleteReminder({ reminder_id: 'rem_1', actor: max }, ctx())).code,
    ).toBe('not_found');
  });
});

describe('follow-up settings', () => {
  const current = { settings: DEFAULT_FOLLOW_UP_SETTINGS, version: 0 };
  it('changes the thresholds and the zone, with the settings before and after', () => {
    const d = decideChangeFollowUpSettings({ aging_days: 21, time_zone: 'Europe/Zurich' }, current);
    expect(eventsOf(d)).toEqual([
      {
        type: 'FollowUpSettingsChanged',
        data: {
          from: DEFAULT_FOLLOW_UP_SETTINGS,
          to: { aging_days: 21, stale_days: 60, time_zone: 'Europe/Zurich' },
        },
      },
    ]);
    expect(eventsOf(decideChangeFollowUpSettings({ aging_days: 30 }, current))).toEqual([]);
  });

  it('refuses stale before aging, a fraction of a day, or an unknown zone', () => {
    const bad = (input: Record<string, unknown>) =>
      domainErrorOf(() => decideChangeFollowUpSettings(input, current));
    expect(bad({ stale_days: 20 }).details.field).toBe('stale_days');
    expect(bad({ aging_days: 1.5 }).details.field).toBe('aging_days');
    expect(bad({ time_zone: 'Mars/Olympus' }).reason).toBe('unknown_time_zone');
  });
});
