import { domainErrorOf } from '../../testing/domain-error-of';
import { givenFollowUps } from '../../testing/given-follow-up';
import { eventsOf } from '../../testing/given-when-then';
import { decideLogInteraction, type LogInteraction } from './log-interaction.decide';

const now = '2026-03-01T10:00:00.000Z';
const call: LogInteraction = {
  interaction_id: 'int_1',
  reminder_id: 'rem_1',
  record_id: 'rec_inv',
  kind: 'call',
  occurred_at: '2026-03-01T09:30:00+01:00',
  summary: 'Wants the Q1 letter before committing',
  actor_id: 'usr_max',
  now,
};

describe('logging an interaction', () => {
  it('given an investor, when a call is logged, then one InteractionLogged on its own stream', () => {
    const { ctx } = givenFollowUps();
    const d = decideLogInteraction(call, ctx());
    expect(d.appends.map((a) => a.stream_id)).toEqual(['interaction-rec_inv-int_1']);
    expect(eventsOf(d)).toEqual([
      {
        type: 'InteractionLogged',
        data: {
          interaction_id: 'int_1',
          record_id: 'rec_inv',
          table_id: 'tbl_investors',
          contact_id: null,
          kind: 'call',
          occurred_at: '2026-03-01T08:30:00.000Z',
          summary: 'Wants the Q1 letter before committing',
        },
      },
    ]);
  });

  it('given a next step, then its reminder is created in the same decision, for the Owner', () => {
    const { ctx } = givenFollowUps();
    const d = decideLogInteraction(
      {
        ...call,
        contact_id: 'rec_con',
        next_step: { title: 'Send Q1 letter', due_date: '2026-03-08' },
      },
      ctx(),
    );
    expect(eventsOf(d).map((e) => e.type)).toEqual(['InteractionLogged', 'ReminderCreated']);
    expect(eventsOf(d)[0].data).toMatchObject({ contact_id: 'rec_con' });
    expect(eventsOf(d)[1].data).toMatchObject({
      reminder_id: 'rem_1',
      record_id: 'rec_inv',
      title: 'Send Q1 letter',
      due_date: '2026-03-08',
      assignee_id: 'usr_olga',
      source: 'interaction',
      interaction_id: 'int_1',
    });
  });

  it('takes a date alone as the start of that day (UTC) and an offset as given', () => {
    const { ctx } = givenFollowUps();
    const at = (occurred_at: string) =>
      eventsOf(decideLogInteraction({ ...call, occurred_at }, ctx()))[0].data;
    expect(at('2026-02-27')).toMatchObject({ occurred_at: '2026-02-27T00:00:00.000Z' });
    expect(at('2026-02-27T09:15+0100')).toMatchObject({ occurred_at: '2026-02-27T08:15:00.000Z' });
  });

  it('without occurred_at, it happened now', () => {
    const { ctx } = givenFollowUps();
    const d = decideLogInteraction({ ...call, occurred_at: undefined }, ctx());
    expect(eventsOf(d)[0].data).toMatchObject({ occurred_at: now });
  });

  it.each([
    ['a kind outside the list', { kind: 'lunch' }, 'kind', 'unknown_kind'],
    ['a summary over 20,000 characters', { summary: 'x'.repeat(20_001) }, 'summary', 'too_large'],
    ['no summary', { summary: '' }, 'summary', 'missing_value'],
    ['a time that is not one', { occurred_at: 'yesterday' }, 'occurred_at', 'not_a_date'],
    ['a day no month has', { occurred_at: '2026-02-30T10:00:00Z' }, 'occurred_at', 'not_a_date'],
    ['a date in words', { occurred_at: 'February 27 2026' }, 'occurred_at', 'not_a_date'],
    ['a time without its zone', { occurred_at: '2026-02-27T10:00' }, 'occurred_at', 'not_a_date'],
    ['a call next week', { occurred_at: '2026-03-08T10:00:00Z' }, 'occurred_at', 'invalid_value'],
    ['a fund', { record_id: 'rec_fund' }, 'record_id', 'wrong_table'],
    ['an investor as the contact', { contact_id: 'rec_inv' }, 'contact_id', 'wrong_table'],
    [
      'a next step without a date',
      { next_step: { title: 'Call back' } },
      'next_step.due_date',
      'missing_value',
    ],
    [
      'a next step for a disabled person',
      { next_step: { title: 'Call', due_date: '2026-03-02', assignee_id: 'usr_dora' } },
      'next_step.assignee_id',
      'user_disabled',
    ],
  ])('refuses %s, naming the field', (_label, over, field, reason) => {
    const { ctx } = givenFollowUps();
    const e = domainErrorOf(() => decideLogInteraction({ ...call, ...over }, ctx()));
    expect([e.code, e.details.field, e.reason]).toEqual(['validation', field, reason]);
  });
});
