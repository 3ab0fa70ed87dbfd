import {
  at,
  type GivenEvent,
  givenEvents,
  type Projected,
} from '../../../../../test/support/projector-harness';

const stream = 'reminder-rec_1-rem_1';
const reminder = (type: string, data: object, s: number, by = 'usr_max'): GivenEvent => ({
  stream_id: stream,
  type,
  data: { reminder_id: 'rem_1', record_id: 'rec_1', ...data },
  at: at(s),
  by,
  source: 'api',
});
const interaction = (id: string, occurred_at: string, s: number, by: string): GivenEvent => ({
  stream_id: `interaction-rec_1-${id}`,
  type: 'InteractionLogged',
  data: {
    interaction_id: id,
    record_id: 'rec_1',
    table_id: 'tbl_inv',
    contact_id: null,
    kind: 'call',
    occurred_at,
    summary: `call ${id}`,
  },
  at: at(s),
  by,
  source: 'api',
});

const HISTORY: (GivenEvent | GivenEvent[])[] = [
  reminder(
    'ReminderCreated',
    {
      table_id: 'tbl_inv',
      title: 'Call back',
      due_date: '2026-03-10',
      assignee_id: 'usr_olga',
      note: '',
      source: 'manual',
      interaction_id: null,
    },
    0,
  ),
  reminder('ReminderChanged', { from: { note: '' }, to: { note: 'deck' } }, 1),
  reminder('ReminderSnoozed', { from: 'open', until: '2026-03-15' }, 2),
  interaction('int_2', '2026-03-01T10:00:00.000Z', 3, 'usr_olga'),
  // Logged later, happened earlier: not the last contact.
  interaction('int_1', '2026-02-20T10:00:00.000Z', 3, 'usr_max'),
  reminder('ReminderDone', { from: 'snoozed' }, 4),
  reminder('ReminderDeleted', { from: 'done' }, 5),
  {
    stream_id: 'follow-up-settings',
    type: 'FollowUpSettingsChanged',
    data: {
      from: { aging_days: 30, stale_days: 60, time_zone: 'UTC' },
      to: { aging_days: 21, stale_days: 45, time_zone: 'Europe/Zurich' },
    },
    at: at(6),
    by: 'usr_admin',
  },
];

describe('RemindersProjector', () => {
  let p: Projected;
  afterEach(async () => p?.close());

  const snapshot = (q: Projected) => ({
    reminders: q.rows('SELECT * FROM reminders ORDER BY id'),
    interactions: q.rows('SELECT * FROM interactions ORDER BY id'),
    records: q.rows('SELECT * FROM follow_up_records ORDER BY record_id'),
    settings: q.rows('SELECT * FROM follow_up_settings'),
  });

  it('keeps each reminder as its events left it, the last contact by when it happened, and the settings', async () => {
    p = await givenEvents('reminders', HISTORY);
    const s = snapshot(p);
    expect(s.reminders).toEqual([
      {
        id: 'rem_1',
        record_id: 'rec_1',
        table_id: 'tbl_inv',
        title: 'Call back',
        due_date: '2026-03-10',
        status: 'done',
        snoozed_until: null,
        due_on: '2026-03-10',
        assignee_id: 'usr_olga',
        note: 'deck',
        source: 'manual',
        interaction_id: null,
        created_at: at(0),
        created_by: 'usr_max',
        updated_at: at(5),
        version: 5,
        deleted_at: at(5),
      },
    ]);
    expect(s.interactions.map((i) => [i.id, i.actor_id])).toEqual([
      ['int_1', 'usr_max'],
      ['int_2', 'usr_olga'],
    ]);
    expect(s.records).toEqual([
      {
        record_id: 'rec_1',
        table_id: 'tbl_inv',
        last_contacted_at: '2026-03-01T10:00:00.000Z',
        last_contacted_by: 'usr_olga',
        last_interaction_id: 'int_2',
      },
    ]);
    expect(s.settings).toEqual([
      { id: 1, aging_days: 21, stale_days: 45, time_zone: 'Europe/Zurich', version: 1 },
    ]);
  });

  it("while snoozed, a reminder is due on the snooze's end", async () => {
    p = await givenEvents('reminders', HISTORY.slice(0, 3));
    expect(p.rows('SELECT status, snoozed_until, due_on FROM reminders')).toEqual([
      { status: 'snoozed', snoozed_until: '2026-03-15', due_on: '2026-03-15' },
    ]);
  });

  it('gives the same rows when rebuilt from the log and when every event is applied again', async () => {
    p = await givenEvents('reminders', HISTORY);
    const live = snapshot(p);
    await p.rebuild();
    expect(snapshot(p)).toEqual(live);
    await p.applyAgain();
    expect(snapshot(p)).toEqual(live);
  });
});
