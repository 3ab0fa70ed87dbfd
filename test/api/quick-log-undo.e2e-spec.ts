import { ProcessorRunner } from '../../apps/api/src/infrastructure/processing/processor-runner';
import { apiSuite } from '../support/api-suite';
import { baseIds, type TestApp } from '../support/test-app';

type Ids = Awaited<ReturnType<typeof baseIds>>;

/** The app's clock, held at an instant the test moves. */
function holdClock(t: TestApp, iso: string) {
  let now = Date.parse(iso);
  const spy = jest.spyOn(t.core.clock, 'now').mockImplementation(() => new Date(now).toISOString());
  return { set: (at: string) => (now = Date.parse(at)), restore: () => spy.mockRestore() };
}

describe('undoing a quick log takes back everything it did', () => {
  const t = apiSuite({ member: true });
  let ids: Ids;
  let clock: ReturnType<typeof holdClock>;

  beforeAll(async () => {
    ids = await baseIds(t);
    clock = holdClock(t, '2030-06-01T12:00:00Z');
  });
  afterAll(() => clock.restore());

  const member = () => t.member.http();
  const settled = () => t.app.get(ProcessorRunner).settled();
  const log = (body: object) =>
    member().post('/api/fundraising/log-communication').send(body).expect(201);

  /**
   * An investor the member owns, its "Last contacted" then typed as `typed` (an edit, which brings
   * its follow-up values up to date after commit).
   */
  async function investor(name: string, typed: string | null): Promise<string> {
    const values = { [ids.inv('name')]: name, [ids.inv('owner')]: [t.member.id] };
    const made = await member()
      .post('/api/fundraising/changes')
      .send({ changes: [{ op: 'create', table_id: ids.investors, values }] })
      .expect(200);
    const id = made.body.applied[0].record_id;
    if (typed)
      await member()
        .post('/api/fundraising/changes')
        .send({
          changes: [
            {
              op: 'set',
              record_id: id,
              field_id: ids.inv('last_contacted'),
              from: null,
              to: typed,
            },
          ],
        })
        .expect(200);
    await settled();
    return id;
  }

  /** Everything a partner sees of a record's follow-up: its cells, the drawer's values and lists. */
  async function seen(recordId: string) {
    await settled();
    const record = t.core.repo.record(recordId)!;
    const followUp = (await member().get(`/api/fundraising/records/${recordId}/follow-up`)).body;
    const interactions = (await member().get(`/api/fundraising/records/${recordId}/interactions`))
      .body.interactions;
    const reminders = (await member().get(`/api/reminders?record_id=${recordId}`)).body.reminders;
    return {
      archived: record.archived,
      // An emptied cell (null) reads as one never filled.
      values: Object.fromEntries(Object.entries(record.values).filter(([, v]) => v !== null)),
      followUp,
      interactions: interactions.map((i: { id: string }) => i.id),
      open: reminders
        .filter((r: { status: string }) => r.status === 'open')
        .map((r: { id: string }) => r.id),
    };
  }

  const batchOf = (interactionId: string) =>
    t.core.store
      .readAll(0)
      .find(
        (e) =>
          e.type === 'InteractionLogged' &&
          (e.data as { interaction_id: string }).interaction_id === interactionId,
      )!.metadata.correlation_id;

  it('log with a next step → undo: Last contacted, Last contacted by, Staleness, Interactions (90 days) and the reminder are as before; a retry appends nothing; redo brings it all back', async () => {
    const id = await investor('Undo Capital', '2030-02-01');
    const before = await seen(id);
    expect(before.followUp).toMatchObject({ staleness: 'stale', interactions_90_days: 0 });
    const logged = await log({
      record_id: id,
      kind: 'call',
      summary: 'Wants the Q2 letter',
      occurred_at: '2030-05-30T10:00:00Z',
      next_step: { title: 'Send the Q2 letter', due_date: '2030-06-05' },
    });
    const after = await seen(id);
    expect(after.values[ids.inv('last_contacted')]).toBe('2030-05-30');
    expect(after.followUp).toMatchObject({
      last_contacted_by: t.member.id,
      staleness: '',
      reminder_status: 'due_soon',
      interactions_90_days: 1,
    });
    expect(after.open).toEqual([logged.body.reminder_id]);

    // The grid's Ctrl+Z takes the newest batch of the undo stack: this quick log.
    const stack = (await member().get('/api/fundraising/undo-stack')).body.entries;
    const batch = batchOf(logged.body.interaction_id);
    expect(stack[0]).toMatchObject({ correlation_id: batch, kind: 'edit', undone: false });
    expect(stack[0].summary).toContain('logged a call');

    const undo = await member()
      .post('/api/fundraising/undo')
      .send({ correlation_id: batch })
      .expect(200);
    expect(undo.body.conflicts).toEqual([]);
    expect(await seen(id)).toEqual(before);
    const reminder = (await member().get(`/api/reminders/${logged.body.reminder_id}`)).body;
    expect(reminder.status).toBe('cancelled');
    const undoEvents = t.core.store
      .readAll(0)
      .filter((e) => e.metadata.correlation_id === undo.body.correlation_id);
    expect(undoEvents.map((e) => e.type)).toEqual(
      expect.arrayContaining(['RecordUpdated', 'InteractionRetracted', 'ReminderCancelled']),
    );
    expect(undoEvents.find((e) => e.type === 'ReminderCancelled')!.data).toMatchObject({
      reason: 'undone',
    });
    expect(new Set(undoEvents.map((e) => e.metadata.causation_id))).toEqual(
      new Set([`undo:${batch}`]),
    );

    // A retry of the undo (the answer was lost) finds everything taken back and appends nothing.
    const head = t.core.store.lastPosition();
    await member().post('/api/fundraising/undo').send({ correlation_id: batch }).expect(200);
    await settled();
    expect(t.core.store.lastPosition()).toBe(head);

    // The feed and the record's history say so.
    const feed = (await member().get(`/api/activity?record_id=${id}`)).body.entries;
    const summaries = JSON.stringify(feed);
    expect(summaries).toContain('took back a logged interaction (undone)');
    const history = (await member().get(`/api/fundraising/records/${id}/history`)).body.entries;
    expect(history.map((e: { summary: string }) => e.summary)).toEqual(
      expect.arrayContaining([
        'took back a logged interaction (undone)',
        'cancelled a reminder (the change that made it was undone)',
      ]),
    );

    await member()
      .post('/api/fundraising/redo')
      .send({ correlation_id: undo.body.correlation_id })
      .expect(200);
    expect(await seen(id)).toEqual(after);
  });

  it('a quick log that made the investor: undo archives it and cancels its next step as undone', async () => {
    const logged = await log({
      investor_name: 'Made By Quick Log LP',
      kind: 'meeting',
      summary: 'First meeting',
      next_step: { title: 'Send the deck', due_date: '2030-06-10' },
    });
    expect(logged.body.investor).toBe('created');
    await settled();
    await member()
      .post('/api/fundraising/undo')
      .send({ correlation_id: batchOf(logged.body.interaction_id) })
      .expect(200);
    await settled();
    expect(t.core.repo.record(logged.body.record_id)!.archived).toBe(true);
    const cancels = t.core.store
      .readAll(0)
      .filter(
        (e) =>
          e.type === 'ReminderCancelled' &&
          (e.data as { reminder_id: string }).reminder_id === logged.body.reminder_id,
      );
    // Cancelled once, by the undo; the archive's upkeep found nothing left open.
    expect(cancels.map((e) => (e.data as { reason: string }).reason)).toEqual(['undone']);
    const day = (await member().get('/api/my-day')).body;
    expect(JSON.stringify(day.recent_interactions)).not.toContain('First meeting');
  });

  it('an earlier call logged after it stays: Last contacted falls back to it, not to the typed date', async () => {
    const id = await investor('Two Calls LP', null);
    const late = await log({
      record_id: id,
      kind: 'call',
      summary: 'The later call',
      occurred_at: '2030-05-20T10:00:00Z',
    });
    // Logged afterwards, happened earlier: it did not move the date.
    await log({
      record_id: id,
      kind: 'email',
      summary: 'Earlier',
      occurred_at: '2030-05-02T09:00:00Z',
    });
    expect(t.core.repo.record(id)!.values[ids.inv('last_contacted')]).toBe('2030-05-20');
    await member()
      .post('/api/fundraising/undo')
      .send({ correlation_id: batchOf(late.body.interaction_id) })
      .expect(200);
    const now = await seen(id);
    expect(now.values[ids.inv('last_contacted')]).toBe('2030-05-02');
    expect(now.followUp).toMatchObject({
      last_contacted: '2030-05-02T09:00:00.000Z',
      interactions_90_days: 1,
    });
    expect(now.interactions).toHaveLength(1);
  });

  it('a restore to a moment before the quick log ends where its undo does', async () => {
    const id = await investor('Restore Partners', '2030-03-15');
    const before = await seen(id);
    const position = t.core.store.lastPosition();
    const logged = await log({
      record_id: id,
      kind: 'call',
      summary: 'Call before the restore',
      occurred_at: '2030-05-31T10:00:00Z',
      next_step: { title: 'Follow up', due_date: '2030-06-03' },
    });
    await settled();
    const preview = await t.http().post('/api/fundraising/restore-preview').send({ position });
    expect(preview.status).toBe(200);
    await t.http().post('/api/fundraising/restore').send({ token: preview.body.token }).expect(200);
    expect(await seen(id)).toEqual(before);
    const reminder = (await member().get(`/api/reminders/${logged.body.reminder_id}`)).body;
    expect(reminder.status).toBe('cancelled');
    const retracted = t.core.store.readAll(0).filter((e) => e.type === 'InteractionRetracted');
    // Rolled back as a batch from the feed, another quick log goes the same way.
    const again = await log({
      record_id: id,
      kind: 'note',
      summary: 'Noted',
      next_step: { title: 'Ping', due_date: '2030-06-04' },
    });
    const rollback = await t
      .http()
      .post('/api/fundraising/restore-preview')
      .send({ correlation_id: batchOf(again.body.interaction_id) })
      .expect(200);
    await t
      .http()
      .post('/api/fundraising/restore')
      .send({ token: rollback.body.token })
      .expect(200);
    expect(await seen(id)).toEqual(before);
    expect((await member().get(`/api/reminders/${again.body.reminder_id}`)).body.status).toBe(
      'cancelled',
    );
    expect(retracted.at(-1)!.data).toMatchObject({
      interaction_id: logged.body.interaction_id,
      reason: 'restored',
    });
  });

  it('Ctrl+Z after marking a reminder done (or snoozing it) opens it again', async () => {
    const id = await investor('Done By Mistake LP', null);
    const made = await member()
      .post('/api/reminders')
      .send({ record_id: id, title: 'Call back', due_date: '2030-06-03' })
      .expect(201);
    await member().post(`/api/reminders/${made.body.id}/done`).expect(200);
    await settled();
    const stack = (await member().get('/api/fundraising/undo-stack')).body.entries;
    expect(stack[0].summary).toContain('marked a reminder done');
    await member()
      .post('/api/fundraising/undo')
      .send({ correlation_id: stack[0].correlation_id })
      .expect(200);
    const status = async () =>
      (await member().get(`/api/reminders/${made.body.id}`)).body.status as string;
    expect(await status()).toBe('open');
    expect((await seen(id)).followUp.reminder_status).toBe('due_soon');
    await member()
      .post(`/api/reminders/${made.body.id}/snooze`)
      .send({ until: '2030-06-20' })
      .expect(200);
    await settled();
    const snoozed = (await member().get('/api/fundraising/undo-stack')).body.entries[0];
    await member()
      .post('/api/fundraising/undo')
      .send({ correlation_id: snoozed.correlation_id })
      .expect(200);
    expect(await status()).toBe('open');
  });
});
