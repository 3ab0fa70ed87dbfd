import { ProcessorRunner } from '../../apps/api/src/infrastructure/processing/processor-runner';
import { apiSuite } from '../support/api-suite';
import { baseIds, createMember, type TestApp } from '../support/test-app';

type Ids = Awaited<ReturnType<typeof baseIds>>;

async function newRecord(t: TestApp, tableId: string, values: Record<string, unknown>) {
  const res = await t
    .http()
    .post('/api/fundraising/changes')
    .send({ changes: [{ op: 'create', table_id: tableId, values }] })
    .expect(200);
  return res.body.applied[0].record_id as string;
}

/** The app's clock, held at an instant the test moves (the scheduler and processors read it too). */
function holdClock(t: TestApp, iso: string) {
  let now = Date.parse(iso);
  const spy = jest.spyOn(t.core.clock, 'now').mockImplementation(() => new Date(now).toISOString());
  return {
    set: (at: string) => (now = Date.parse(at)),
    restore: () => spy.mockRestore(),
  };
}

describe('reminders', () => {
  const t = apiSuite({ member: true });
  let ids: Ids;
  let investor: string;
  let owned: string;

  beforeAll(async () => {
    ids = await baseIds(t);
    investor = await newRecord(t, ids.investors, { [ids.inv('name')]: 'Northwind Pension' });
    owned = await newRecord(t, ids.investors, {
      [ids.inv('name')]: 'Owned LP',
      [ids.inv('owner')]: [t.member.id],
    });
  });

  it("creates a reminder for the record's Owner, else for the author, and lists mine", async () => {
    const forOwner = await t
      .http()
      .post('/api/reminders')
      .send({ record_id: owned, title: 'Send the deck', due_date: '2030-01-10' })
      .expect(201);
    expect(forOwner.body).toMatchObject({
      record_id: owned,
      record_name: 'Owned LP',
      title: 'Send the deck',
      due_date: '2030-01-10',
      status: 'open',
      assignee_id: t.member.id,
      source: 'manual',
      snoozed_until: null,
    });
    const forAuthor = await t.member
      .http()
      .post('/api/reminders')
      .send({ record_id: investor, title: 'Intro call', due_date: '2030-01-05', note: 'warm' })
      .expect(201);
    expect(forAuthor.body.assignee_id).toBe(t.member.id);
    const mine = await t.member.http().get('/api/reminders?assignee=me').expect(200);
    expect(mine.body.reminders.map((r: { title: string }) => r.title)).toEqual([
      'Intro call',
      'Send the deck',
    ]);
    expect(mine.body.next_before).toBeNull();
    const page = await t.member.http().get('/api/reminders?assignee=me&limit=1').expect(200);
    expect(page.body.reminders).toHaveLength(1);
    const next = await t.member
      .http()
      .get(`/api/reminders?assignee=me&limit=1&before=${page.body.next_before}`)
      .expect(200);
    expect(next.body.reminders[0].title).toBe('Send the deck');
  });

  it.each([
    ['no due date', { title: 'x' }, 'due_date', 'missing_value'],
    ['a due date that is not a date', { title: 'x', due_date: 'soon' }, 'due_date', 'not_a_date'],
    [
      'an unknown assignee',
      { title: 'x', due_date: '2030-01-01', assignee_id: 'usr_nobody' },
      'assignee_id',
      'unknown_user',
    ],
    [
      'a note over 20,000 characters',
      { title: 'x', due_date: '2030-01-01', note: 'n'.repeat(20_001) },
      'note',
      'too_large',
    ],
  ])(
    'refuses %s with a 400 naming the field, appending nothing',
    async (_l, body, field, reason) => {
      const before = t.core.store.lastPosition();
      const res = await t
        .http()
        .post('/api/reminders')
        .send({ record_id: investor, ...body })
        .expect(400);
      expect(res.body.details.field).toBe(field);
      expect(res.body.reason).toBe(reason);
      expect(t.core.store.lastPosition()).toBe(before);
    },
  );

  it('refuses a disabled assignee, a record of another table and an unknown key', async () => {
    const gone = await createMember(t);
    await t.http().patch(`/api/admin/users/${gone.id}`).send({ disabled: true }).expect(200);
    const fund = await newRecord(t, ids.funds, {});
    const before = t.core.store.lastPosition();
    const disabled = await t
      .http()
      .post('/api/reminders')
      .send({ record_id: investor, title: 'x', due_date: '2030-01-01', assignee_id: gone.id })
      .expect(400);
    expect([disabled.body.details.field, disabled.body.reason]).toEqual([
      'assignee_id',
      'user_disabled',
    ]);
    const wrong = await t
      .http()
      .post('/api/reminders')
      .send({ record_id: fund, title: 'x', due_date: '2030-01-01' })
      .expect(400);
    expect([wrong.body.details.field, wrong.body.reason]).toEqual(['record_id', 'wrong_table']);
    await t
      .http()
      .post('/api/reminders')
      .send({ record_id: investor, title: 'x', due_date: '2030-01-01', status: 'done' })
      .expect(400);
    expect(t.core.store.lastPosition()).toBe(before);
  });

  it('answers a retry with the same Idempotency-Key with the first reminder, appending nothing', async () => {
    const body = { record_id: investor, title: 'Retry me', due_date: '2030-02-01' };
    const first = await t
      .http()
      .post('/api/reminders')
      .set('Idempotency-Key', 'reminder-key-1')
      .send(body)
      .expect(201);
    const at = t.core.store.lastPosition();
    const again = await t
      .http()
      .post('/api/reminders')
      .set('Idempotency-Key', 'reminder-key-1')
      .send(body)
      .expect(201);
    expect(again.body.id).toBe(first.body.id);
    expect(t.core.store.lastPosition()).toBe(at);
    await t
      .http()
      .post('/api/reminders')
      .set('Idempotency-Key', 'reminder-key-1')
      .send({ ...body, title: 'Other' })
      .expect(422);
  });

  it('edits, completes, snoozes and deletes; a snoozed reminder opens again on its date', async () => {
    const clock = holdClock(t, '2030-03-01T09:00:00Z');
    try {
      const { body: r } = await t.member
        .http()
        .post('/api/reminders')
        .send({ record_id: investor, title: 'Follow up', due_date: '2030-03-01' })
        .expect(201);
      const changed = await t
        .http()
        .patch(`/api/reminders/${r.id}`)
        .send({ title: 'Follow up on terms' })
        .expect(200);
      expect(changed.body.title).toBe('Follow up on terms');
      const past = await t.member
        .http()
        .post(`/api/reminders/${r.id}/snooze`)
        .send({ until: '2030-02-28' })
        .expect(400);
      expect([past.body.details.field, past.body.reason]).toEqual(['until', 'date_in_the_past']);
      const snoozed = await t.member
        .http()
        .post(`/api/reminders/${r.id}/snooze`)
        .send({ until: '2030-03-04' })
        .expect(200);
      expect(snoozed.body).toMatchObject({ status: 'snoozed', snoozed_until: '2030-03-04' });
      const today = () =>
        t.member.http().get(`/api/reminders?assignee=me&due=today&record_id=${investor}`);
      expect((await today()).body.reminders).toEqual([]);
      clock.set('2030-03-04T08:00:00Z');
      const reopened = (await today()).body.reminders;
      expect(reopened.map((x: { id: string; status: string }) => [x.id, x.status])).toEqual([
        [r.id, 'open'],
      ]);
      await t.member.http().post(`/api/reminders/${r.id}/done`).expect(200);
      expect((await t.http().get(`/api/reminders/${r.id}`)).body.status).toBe('done');
      await t.member.http().delete(`/api/reminders/${r.id}`).expect(200);
      await t.http().get(`/api/reminders/${r.id}`).expect(404);
      await t.member.http().post(`/api/reminders/${r.id}/done`).expect(404);
    } finally {
      clock.restore();
    }
  });

  it("lets a member cancel their own reminder but only an admin someone else's", async () => {
    const { body: adminsOwn } = await t
      .http()
      .post('/api/reminders')
      .send({ record_id: investor, title: 'Admin task', due_date: '2030-01-01' })
      .expect(201);
    const refused = await t.member.http().post(`/api/reminders/${adminsOwn.id}/cancel`).expect(403);
    expect(refused.body.details.field).toBe('id');
    await t.member.http().delete(`/api/reminders/${adminsOwn.id}`).expect(403);
    // Anyone may still complete it.
    await t.member.http().post(`/api/reminders/${adminsOwn.id}/done`).expect(200);
    const { body: membersOwn } = await t.member
      .http()
      .post('/api/reminders')
      .send({ record_id: investor, title: 'Mine', due_date: '2030-01-01' })
      .expect(201);
    await t.member.http().post(`/api/reminders/${membersOwn.id}/cancel`).expect(200);
  });

  it("puts every change in the record's history and the activity feed", async () => {
    const { body: r } = await t
      .http()
      .post('/api/reminders')
      .send({ record_id: owned, title: 'History check', due_date: '2030-05-01' })
      .expect(201);
    await t.http().post(`/api/reminders/${r.id}/done`).expect(200);
    const history = await t.http().get(`/api/fundraising/records/${owned}/history`).expect(200);
    expect(history.body.entries.slice(0, 2).map((e: { summary: string }) => e.summary)).toEqual([
      'marked a reminder done',
      'added reminder "History check" due 2030-05-01',
    ]);
    const feed = await t.member.http().get(`/api/activity?record_id=${owned}&limit=5`).expect(200);
    expect(feed.body.entries[0]).toMatchObject({
      type: 'ReminderDone',
      record_id: owned,
      record_name: 'Owned LP',
    });
  });
});

describe('archiving a record', () => {
  const t = apiSuite({ member: true });
  const settled = () => t.app.get(ProcessorRunner).settled();

  it('cancels its open reminders once, caused by the archive; bringing it back reopens nothing', async () => {
    const ids = await baseIds(t);
    const lp = await newRecord(t, ids.investors, { [ids.inv('name')]: 'Archived LP' });
    const made = [];
    for (const title of ['One', 'Two'])
      made.push(
        (
          await t
            .http()
            .post('/api/reminders')
            .send({ record_id: lp, title, due_date: '2030-01-01' })
            .expect(201)
        ).body.id as string,
      );
    await t.http().post(`/api/reminders/${made[1]}/done`).expect(200);
    await t
      .http()
      .post('/api/fundraising/changes')
      .send({ changes: [{ op: 'archive', record_id: lp }] })
      .expect(200);
    await settled();
    const cancels = t.core.store.readAll(0).filter((e) => e.type === 'ReminderCancelled');
    expect(cancels).toHaveLength(1);
    const archive = t.core.store.readAll(0).find((e) => e.type === 'RecordArchived')!;
    expect(cancels[0].data).toMatchObject({ reminder_id: made[0], reason: 'record_archived' });
    expect(cancels[0].metadata).toMatchObject({ causation_id: archive.event_id, source: 'system' });
    // Redelivery (as after a crash before the checkpoint was saved): the archive is handled again.
    const runner = t.app.get(ProcessorRunner) as unknown as {
      slots: Map<string, { row: { position: number } }>;
    };
    runner.slots.get('reminder-upkeep')!.row.position = archive.position - 1;
    await settled();
    expect(runner.slots.get('reminder-upkeep')!.row.position).toBeGreaterThan(archive.position);
    expect(t.core.store.readAll(0).filter((e) => e.type === 'ReminderCancelled')).toHaveLength(1);
    await t
      .http()
      .post('/api/fundraising/changes')
      .send({ changes: [{ op: 'unarchive', record_id: lp }] })
      .expect(200);
    await settled();
    expect((await t.http().get(`/api/reminders/${made[0]}`)).body.status).toBe('cancelled');
    await t.member.http().post(`/api/reminders/${made[0]}/reopen`).expect(200);
    expect((await t.http().get(`/api/reminders/${made[0]}`)).body.status).toBe('open');
  });
});

describe('a rule that creates reminders', () => {
  const t = apiSuite({ member: true });

  it('makes a reminder for the Owner after the run, caused by it, once', async () => {
    const ids = await baseIds(t);
    const { body: rule } = await t
      .http()
      .post('/api/automations')
      .send({
        name: 'New investor → intro call',
        trigger: { type: 'record_created', table_id: ids.investors },
        conditions: null,
        actions: [
          { type: 'create_reminder', title: 'Intro call', due_in_days: 3, assignee: 'owner' },
        ],
        enabled: true,
      })
      .expect(201);
    const dry = await t
      .http()
      .post('/api/automations/dry-run')
      .send({ rule_id: rule.id })
      .expect(200);
    expect(dry.body.total_effects).toBe(0);
    const owned = await newRecord(t, ids.investors, {
      [ids.inv('name')]: 'Ruled LP',
      [ids.inv('owner')]: [t.member.id],
    });
    const nobody = await newRecord(t, ids.investors, { [ids.inv('name')]: 'Ownerless LP' });
    await t.app.get(ProcessorRunner).settled();
    await t.app.get(ProcessorRunner).settled();
    const mine = await t.member.http().get(`/api/reminders?record_id=${owned}`).expect(200);
    expect(mine.body.reminders).toEqual([
      expect.objectContaining({
        title: 'Intro call',
        assignee_id: t.member.id,
        source: 'automation',
        status: 'open',
      }),
    ]);
    const due = new Date(Date.parse(t.core.clock.now()) + 3 * 86_400_000)
      .toISOString()
      .slice(0, 10);
    expect(mine.body.reminders[0].due_date).toBe(due);
    const created = t.core.store.readAll(0).filter((e) => e.type === 'ReminderCreated');
    const run = t.core.store
      .readAll(0)
      .find(
        (e) =>
          e.type === 'AutomationRunSucceeded' &&
          (e.data as { effects: { record_id: string }[] }).effects[0]?.record_id === owned,
      )!;
    expect(created).toHaveLength(1);
    expect(created[0].metadata).toMatchObject({
      causation_id: run.event_id,
      source: 'automation',
      actor_id: rule.id,
    });
    // No Owner, nobody named: no reminder (and the run stands).
    expect((await t.http().get(`/api/reminders?record_id=${nobody}`)).body.reminders).toEqual([]);
  });

  it("cancels the reminders a run made when the run is rolled back, in the record's history, once", async () => {
    const ids = await baseIds(t);
    await t
      .http()
      .post('/api/automations')
      .send({
        name: 'New investor → first meeting',
        trigger: { type: 'record_created', table_id: ids.investors },
        conditions: null,
        actions: [
          { type: 'create_reminder', title: 'First meeting', due_in_days: 5, assignee: 'owner' },
        ],
        enabled: true,
      })
      .expect(201);
    const lp = await newRecord(t, ids.investors, {
      [ids.inv('name')]: 'Rolled Back LP',
      [ids.inv('owner')]: [t.member.id],
    });
    await t.app.get(ProcessorRunner).settled();
    const mine = (await t.http().get(`/api/reminders?record_id=${lp}`).expect(200)).body.reminders;
    const made = mine.find((r: { title: string }) => r.title === 'First meeting');
    expect(made).toMatchObject({ status: 'open' });
    const runs = (await t.http().get('/api/automation-runs').expect(200)).body.runs as {
      id: string;
      trigger: { record_id: string | null };
    }[];
    const run = runs.find((r) => r.trigger.record_id === lp)!;
    const preview = await t
      .http()
      .post(`/api/automation-runs/${run.id}/rollback-preview`)
      .send({})
      .expect(200);
    await t
      .http()
      .post(`/api/automation-runs/${run.id}/rollback`)
      .send({ token: preview.body.token })
      .expect(200);
    await t.app.get(ProcessorRunner).settled();
    expect((await t.http().get(`/api/reminders/${made.id}`).expect(200)).body.status).toBe(
      'cancelled',
    );
    const cancelled = t.core.store.readAll(0).filter((e) => e.type === 'ReminderCancelled');
    expect(
      cancelled.filter((e) => (e.data as { reminder_id: string }).reminder_id === made.id),
    ).toEqual([
      expect.objectContaining({
        data: expect.objectContaining({ reason: 'run_rolled_back' }),
        metadata: expect.objectContaining({ actor_id: t.adminId, source: 'restore' }),
      }),
    ]);
  });
});
