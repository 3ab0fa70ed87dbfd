import { canonicalBase } from '@crm/domain';
import { HISTORY, type History } from '../../apps/api/src/capabilities/history/history.providers';
import request from 'supertest';
import { AuthService } from '../../apps/api/src/capabilities/auth/auth.service';
import { apiSuite } from '../support/api-suite';
import { baseIds, createMember, type TestApp } from '../support/test-app';

describe('history, undo, archive and activity', () => {
  const t = apiSuite({ member: { name: 'Mia Member' } });
  const member = t.member;
  let ids: Awaited<ReturnType<typeof baseIds>>;

  beforeAll(async () => {
    ids = await baseIds(t);
  });

  const changes = async (as: () => ReturnType<TestApp['http']>, list: unknown[]) =>
    (await as().post('/api/fundraising/changes').send({ changes: list }).expect(200)).body;
  const create = async (name: string, as = t.http) =>
    (
      await changes(as, [
        { op: 'create', table_id: ids.investors, values: { [ids.inv('name')]: name } },
      ])
    ).applied[0].record_id as string;
  const set = (
    as: () => ReturnType<TestApp['http']>,
    record_id: string,
    role: string,
    from: unknown,
    to: unknown,
  ) => changes(as, [{ op: 'set', record_id, field_id: ids.inv(role), from, to }]);
  const withToken = (token: string) =>
    request.agent(t.app.getHttpServer()).set('Authorization', `Bearer ${token}`);
  const value = (id: string, role: string) => t.core.repo.record(id)!.values[ids.inv(role)] ?? null;

  it("lists a record's history newest first, with actors, sources and the schema changes of its table", async () => {
    const id = await create('History LP');
    await set(t.http, id, 'notes', null, 'Ana');
    await set(member.http, id, 'notes', 'Ana', 'Ben');
    await t
      .http()
      .patch(`/api/fundraising/fields/${ids.inv('next_step')}`)
      .send({ name: 'Next action' })
      .expect(200);
    const res = await t.http().get(`/api/fundraising/records/${id}/history`).expect(200);
    const entries = res.body.entries;
    expect(entries.map((e: { kind: string }) => e.kind)).toEqual([
      'field_renamed',
      'record_updated',
      'record_updated',
      'record_created',
    ]);
    expect(entries[1]).toMatchObject({
      actor: { id: member.id, name: 'Mia Member' },
      source: 'grid',
      changes: [{ field_id: ids.inv('notes'), field_name: 'Notes', from: 'Ana', to: 'Ben' }],
    });
    expect(entries[0]).toMatchObject({
      source: 'api',
      changes: [{ from: 'Next step', to: 'Next action' }],
    });
    expect(entries[3].changes).toEqual([
      { field_id: ids.inv('name'), field_name: 'Name', from: null, to: 'History LP' },
    ]);
    const page = await t.http().get(`/api/fundraising/records/${id}/history?limit=2`).expect(200);
    expect(page.body.entries).toHaveLength(2);
    const rest = await t
      .http()
      .get(`/api/fundraising/records/${id}/history?limit=10&before=${page.body.next_before}`)
      .expect(200);
    expect(rest.body.entries.map((e: { position: number }) => e.position)).toEqual(
      entries.slice(2).map((e: { position: number }) => e.position),
    );
    const cells = (await t.http().get(`/api/fundraising/records/${id}`).expect(200)).body.cells;
    expect(cells[ids.inv('notes')].by).toBe(member.id);
    await t
      .http()
      .patch(`/api/fundraising/fields/${ids.inv('next_step')}`)
      .send({ name: 'Next step' })
      .expect(200);
  });

  it('undoes an edit and redoes it; the undo stack shows both', async () => {
    const id = await create('Undo LP', member.http);
    await set(member.http, id, 'notes', null, 'Cleo');
    const stack = (await member.http().get('/api/fundraising/undo-stack').expect(200)).body.entries;
    expect(stack[0]).toMatchObject({ kind: 'edit', undone: false, summary: 'changed "Notes"' });
    const undone = (
      await member
        .http()
        .post('/api/fundraising/undo')
        .send({ correlation_id: stack[0].correlation_id })
        .expect(200)
    ).body;
    expect(undone).toMatchObject({ reversed: 1, conflicts: [] });
    expect(value(id, 'notes')).toBeNull();
    const after = (await member.http().get('/api/fundraising/undo-stack').expect(200)).body.entries;
    expect(after[0]).toMatchObject({ kind: 'undo', undoes: stack[0].correlation_id });
    expect(after[1]).toMatchObject({
      correlation_id: stack[0].correlation_id,
      undone: true,
      undone_by: undone.correlation_id,
    });
    await member
      .http()
      .post('/api/fundraising/redo')
      .send({ correlation_id: undone.correlation_id })
      .expect(200);
    expect(value(id, 'notes')).toBe('Cleo');
    const again = (await member.http().get('/api/fundraising/undo-stack').expect(200)).body.entries;
    expect(
      again.find((e: { correlation_id: string }) => e.correlation_id === stack[0].correlation_id)
        .undone,
    ).toBe(false);
  });

  it('does not overwrite a cell changed since: the undo reports a conflict and leaves the value', async () => {
    const id = await create('Conflict LP', member.http);
    const mine = await set(member.http, id, 'notes', null, 'Dana');
    const event = t.core.store.readStream(`record-${id}`).at(-1)!;
    expect(event.position).toBe(mine.version);
    await set(t.http, id, 'notes', 'Dana', 'Eve');
    const before = t.core.store.lastPosition();
    const res = (
      await member
        .http()
        .post('/api/fundraising/undo')
        .send({ position: event.position })
        .expect(200)
    ).body;
    expect(res.conflicts).toEqual([
      expect.objectContaining({
        record_id: id,
        field_id: ids.inv('notes'),
        current: 'Eve',
        expected: 'Dana',
      }),
    ]);
    expect(value(id, 'notes')).toBe('Eve');
    expect(t.core.store.lastPosition()).toBe(before);
  });

  it("lets members undo only their own changes (403 for someone else's) while admins may undo anyone's", async () => {
    const id = await create('Permissions LP');
    const edit = await set(t.http, id, 'notes', null, 'Finn');
    await member.http().post('/api/fundraising/undo').send({ position: edit.version }).expect(403);
    expect(value(id, 'notes')).toBe('Finn');
    await t.http().post('/api/fundraising/undo').send({ position: edit.version }).expect(200);
    expect(value(id, 'notes')).toBeNull();
  });

  it('lists archived records and brings them back', async () => {
    const id = await create('Archived LP');
    await changes(t.http, [{ op: 'archive', record_id: id }]);
    const res = await t.http().get(`/api/fundraising/tables/${ids.investors}/archived`).expect(200);
    expect(res.body.records.map((r: { id: string }) => r.id)).toContain(id);
    await changes(t.http, [{ op: 'unarchive', record_id: id }]);
    const after = await t
      .http()
      .get(`/api/fundraising/tables/${ids.investors}/archived`)
      .expect(200);
    expect(after.body.records.map((r: { id: string }) => r.id)).not.toContain(id);
  });

  it('serves an activity feed filtered by actor, record and type, paged by position', async () => {
    const id = await create('Feed LP', member.http);
    await set(member.http, id, 'notes', null, 'Gus');
    const mine = (await t.http().get(`/api/activity?actor_id=${member.id}&limit=500`).expect(200))
      .body.entries;
    expect(mine.every((e: { actor: { id: string } }) => e.actor.id === member.id)).toBe(true);
    const rec = (await t.http().get(`/api/activity?record_id=${id}`).expect(200)).body.entries;
    expect(rec.map((e: { type: string }) => e.type)).toEqual(['RecordUpdated', 'RecordCreated']);
    const users = (await t.http().get('/api/activity?types=UserCreated,UserInvited').expect(200))
      .body.entries;
    expect(users.length).toBeGreaterThan(0);
    expect(
      users.every((e: { type: string }) => ['UserCreated', 'UserInvited'].includes(e.type)),
    ).toBe(true);
    const first = (await t.http().get('/api/activity?limit=3').expect(200)).body;
    const next = (
      await t.http().get(`/api/activity?limit=3&before=${first.next_before}`).expect(200)
    ).body;
    expect(next.entries[0].position).toBeLessThan(first.entries[2].position);
    await t.http().get('/api/activity?types=Bad;Type').expect(400);
  });

  it('shows a batch as one entry of the feed, names what it did, and pages its rows with record names', async () => {
    const batch = await changes(
      t.http,
      ['Batch A', 'Batch B', 'Batch C'].map((name) => ({
        op: 'create',
        table_id: ids.investors,
        values: { [ids.inv('name')]: name },
      })),
    );
    const created = batch.applied.map((a: { record_id: string }) => a.record_id);
    // "Committed amount" is a rollup in the default base: the typed amount here is the target.
    const amount = ids.inv('target_commitment');
    await changes(
      t.http,
      created.slice(0, 2).flatMap((record_id: string) => [
        { op: 'set', record_id, field_id: amount, from: null, to: 5_000_000 },
        { op: 'set', record_id, field_id: ids.inv('notes'), from: null, to: 'Pat' },
      ]),
    );
    const feed = (await t.http().get('/api/activity?limit=2').expect(200)).body;
    expect(feed.entries[0]).toMatchObject({
      summary: 'changed 4 cells in 2 records',
      record_id: null,
      can_roll_back: true,
      batch: { events: 4, records: 2, kind: 'edit' },
      changes: [],
    });
    expect(feed.entries[1]).toMatchObject({
      summary: 'created 3 records',
      can_roll_back: true,
      batch: { events: 3, records: 3 },
    });
    // The next page starts below the whole batch.
    expect(feed.next_before).toBe(feed.entries[1].batch.first_position);
    const older = (
      await t.http().get(`/api/activity?limit=1&before=${feed.next_before}`).expect(200)
    ).body.entries[0];
    expect(older.position).toBeLessThan(feed.entries[1].batch.first_position);

    const rows = (
      await t
        .http()
        .get(`/api/activity/batches/${feed.entries[1].correlation_id}?limit=2`)
        .expect(200)
    ).body;
    expect(rows).toMatchObject({ total: 3, next_offset: 2 });
    expect(rows.entries.map((e: { record_name: string }) => e.record_name)).toEqual([
      'Batch A',
      'Batch B',
    ]);
    const rest = (
      await t
        .http()
        .get(`/api/activity/batches/${feed.entries[1].correlation_id}?offset=2&limit=2`)
        .expect(200)
    ).body;
    expect(rest).toMatchObject({
      total: 3,
      next_offset: null,
      entries: [{ record_name: 'Batch C' }],
    });
    const paste = (
      await t.http().get(`/api/activity/batches/${feed.entries[0].correlation_id}`).expect(200)
    ).body;
    expect(paste.fields[amount]).toMatchObject({ type: 'currency', options: { symbol: '$' } });
    expect(paste.entries[0].changes).toContainEqual(
      expect.objectContaining({ field_id: amount, from: null, to: 5_000_000 }),
    );

    await t.http().get('/api/activity/batches/cor_nothing').expect(404);
    await t
      .http()
      .get(`/api/activity/batches/${feed.entries[0].correlation_id}?offset=-1`)
      .expect(400);
  });

  it('names linked records in the values of a page, and offers no rollback on account events', async () => {
    const investor = await create('Linked LP');
    const contact = (
      await changes(t.http, [
        {
          op: 'create',
          table_id: ids.contacts,
          values: {
            [ids.field('contacts', 'contact.name')]: 'Lee',
            [ids.field('contacts', 'contact.investor')]: [investor],
          },
        },
      ])
    ).applied[0].record_id;
    const page = (await t.http().get(`/api/activity?record_id=${contact}`).expect(200)).body;
    expect(page.entries[0]).toMatchObject({ record_name: 'Lee', batch: null });
    expect(page.fields[ids.field('contacts', 'contact.investor')]).toMatchObject({ type: 'link' });
    expect(page.names[investor]).toBe('Linked LP');
    const accounts = (await t.http().get('/api/activity?types=UserCreated,UserInvited').expect(200))
      .body.entries;
    expect(accounts.every((e: { can_roll_back: boolean }) => !e.can_roll_back)).toBe(true);
  });

  it("shows members the data's events and their own account's, never other people's administration or backups; admins see everything", async () => {
    const ola = await createMember(t, { name: 'Ola Member' });
    const pat = await createMember(t, { name: 'Pat Member' });
    await t
      .http()
      .post('/api/admin/invites')
      .send({ email: 'newcomer@fund.example', role: 'member' })
      .expect(201);
    await t.http().patch(`/api/admin/users/${pat.id}`).send({ disabled: true }).expect(200);
    await t.http().post('/api/fundraising/backup').expect(201);
    await ola
      .http()
      .post('/api/auth/password')
      .send({ current_password: ola.password, new_password: 'Brisk-Meadow-Compass-42' })
      .expect(200);
    const olaNow = t.app.get(AuthService).signedIn(t.core.users.user(ola.id)!).access_token;
    const asOla = () => withToken(olaNow);
    await t
      .http()
      .post('/api/fundraising/views')
      .send({ table_id: ids.investors, name: 'Admin only', personal: true })
      .expect(201);
    await create('Visible LP');

    const feed = async (as: () => ReturnType<TestApp['http']>, query = '') => {
      const out: { type: string; actor: { id: string }; position: number }[] = [];
      for (let before = ''; ;) {
        const page = (await as().get(`/api/activity?limit=7${query}${before}`).expect(200)).body;
        out.push(...page.entries);
        if (page.next_before === null) return out;
        before = `&before=${page.next_before}`;
      }
    };
    const seen = await feed(asOla);
    const types = new Set(seen.map((e) => e.type));
    expect(types).toContain('RecordCreated');
    for (const hidden of ['UserInvited', 'UserDisabled', 'BackupCreated', 'InviteRevoked'])
      expect(types).not.toContain(hidden);
    // Her own account's events, and no one else's.
    const account = seen.filter((e) => e.type.startsWith('User'));
    expect(account.map((e) => e.type).sort()).toEqual(['UserCreated', 'UserPasswordChanged']);
    expect(JSON.stringify(seen)).not.toContain('newcomer@fund.example');
    expect(JSON.stringify(seen)).not.toContain('Admin only');
    // Asking by type does not widen it; paging neither repeats nor skips.
    expect(await feed(asOla, '&types=UserInvited,UserDisabled,BackupCreated')).toEqual([]);
    expect(new Set(seen.map((e) => e.position)).size).toBe(seen.length);
    // The admin sees the administration (and still not another person's personal view).
    const all = new Set((await feed(t.http)).map((e) => e.type));
    for (const shown of [
      'UserInvited',
      'UserDisabled',
      'BackupCreated',
      'UserPasswordChanged',
      'RecordCreated',
    ])
      expect(all).toContain(shown);
    const olaView = (
      await asOla()
        .post('/api/fundraising/views')
        .send({ table_id: ids.investors, name: 'Ola private', personal: true })
        .expect(201)
    ).body;
    expect(JSON.stringify(await feed(t.http, '&types=ViewSaved'))).not.toContain(olaView.id);
  });
});

describe('restore to a point in time and selective rollback', () => {
  const t = apiSuite({ member: true });
  const member = t.member;
  let ids: Awaited<ReturnType<typeof baseIds>>;
  let history: History;

  beforeAll(async () => {
    ids = await baseIds(t);
    history = t.app.get<History>(HISTORY);
  });

  const canonicalAt = (position: number) => canonicalBase(history.snapshots.stateAt(position));
  const canonicalNow = () => canonicalAt(t.core.store.lastPosition());
  const post = (list: unknown[], as = t.http) =>
    as()
      .post('/api/fundraising/changes')
      .send({ changes: list })
      .expect(200)
      .then((r) => r.body);

  it('restores the base to random earlier moments exactly, and undoing a restore gives back the present', async () => {
    const recs: string[] = [];
    for (let i = 0; i < 40; i++) {
      const r = i % 5;
      if (r === 0 || recs.length < 3)
        recs.push(
          (
            await post([
              { op: 'create', table_id: ids.investors, values: { [ids.inv('name')]: `LP ${i}` } },
            ])
          ).applied[0].record_id,
        );
      else if (r === 3)
        await post([{ op: 'archive', record_id: recs[i % recs.length] }]).catch(() => undefined);
      else {
        const id = recs[i % recs.length];
        const rec = t.core.repo.record(id)!;
        if (!rec.archived)
          await post([
            {
              op: 'set',
              record_id: id,
              field_id: ids.inv('notes'),
              from: rec.values[ids.inv('notes')] ?? null,
              to: `Owner ${i}`,
            },
          ]);
      }
      if (i === 20)
        await t
          .http()
          .post(`/api/fundraising/tables/${ids.investors}/fields`)
          .send({ name: 'Region', type: 'text' })
          .expect(201);
      if (i === 30)
        await t
          .http()
          .patch(`/api/fundraising/fields/${ids.inv('notes')}`)
          .send({ name: 'Coverage partner' })
          .expect(200);
    }
    const head = t.core.store.lastPosition();
    for (const target of [head - 3, head - 12, head - 25, Math.floor(head / 2)]) {
      const before = canonicalNow();
      const preview = (
        await t
          .http()
          .post('/api/fundraising/restore-preview')
          .send({ position: target })
          .expect(200)
      ).body;
      expect(preview.head).toBe(t.core.store.lastPosition());
      const done = (
        await t.http().post('/api/fundraising/restore').send({ token: preview.token }).expect(200)
      ).body;
      expect(canonicalNow()).toBe(canonicalAt(target));
      const restoreEvents = t.core.store
        .readAll(done.version - done.events, done.events + 5)
        .filter((e) => e.metadata.correlation_id === done.correlation_id);
      expect(restoreEvents.every((e) => e.metadata.source === 'restore')).toBe(true);
      await t
        .http()
        .post('/api/fundraising/undo')
        .send({ correlation_id: done.correlation_id })
        .expect(200);
      expect(canonicalNow()).toBe(before);
    }
  });

  it('previews by timestamp with counts and details, and shows the restore in the history', async () => {
    const id = (
      await post([
        {
          op: 'create',
          table_id: ids.investors,
          values: { [ids.inv('name')]: 'Timestamp LP', [ids.inv('notes')]: 'Old' },
        },
      ])
    ).applied[0].record_id;
    await new Promise((r) => setTimeout(r, 20));
    const moment = new Date().toISOString();
    await new Promise((r) => setTimeout(r, 20));
    await post([{ op: 'set', record_id: id, field_id: ids.inv('notes'), from: 'Old', to: 'New' }]);
    const fresh = (
      await post([
        { op: 'create', table_id: ids.investors, values: { [ids.inv('name')]: 'Too new' } },
      ])
    ).applied[0].record_id;
    const preview = (
      await t.http().post('/api/fundraising/restore-preview').send({ at: moment }).expect(200)
    ).body;
    expect(preview.counts).toMatchObject({ to_archive: 1, to_change: 1, cells: 1, conflicts: 0 });
    expect(preview.to_archive).toEqual([{ record_id: fresh, table_id: ids.investors }]);
    expect(preview.to_change).toEqual([
      {
        record_id: id,
        table_id: ids.investors,
        changes: [
          { field_id: ids.inv('notes'), field_name: expect.any(String), from: 'New', to: 'Old' },
        ],
      },
    ]);
    await t.http().post('/api/fundraising/restore').send({ token: preview.token }).expect(200);
    const hist = (await t.http().get(`/api/fundraising/records/${id}/history`).expect(200)).body
      .entries;
    expect(hist[0]).toMatchObject({
      source: 'restore',
      kind: 'record_updated',
      changes: [expect.objectContaining({ from: 'New', to: 'Old' })],
    });
  });

  it('refuses a stale token with 409 and appends nothing', async () => {
    const preview = (
      await t.http().post('/api/fundraising/restore-preview').send({ position: 5 }).expect(200)
    ).body;
    await post([
      { op: 'create', table_id: ids.investors, values: { [ids.inv('name')]: 'Moves the head' } },
    ]);
    const before = t.core.store.lastPosition();
    const res = await t
      .http()
      .post('/api/fundraising/restore')
      .send({ token: preview.token })
      .expect(409);
    expect(res.body.message).toMatch(/preview again/);
    expect(t.core.store.lastPosition()).toBe(before);
    await t.http().post('/api/fundraising/restore').send({ token: 'forged.token' }).expect(400);
  });

  it('is admin-only: a member gets 403 on preview and restore', async () => {
    await member.http().post('/api/fundraising/restore-preview').send({ position: 1 }).expect(403);
    await member.http().post('/api/fundraising/restore').send({ token: 'x.y' }).expect(403);
  });

  it('rejects bad targets with 400', async () => {
    await t.http().post('/api/fundraising/restore-preview').send({}).expect(400);
    await t
      .http()
      .post('/api/fundraising/restore-preview')
      .send({ position: 1, at: new Date().toISOString() })
      .expect(400);
    await t.http().post('/api/fundraising/restore-preview').send({ position: -1 }).expect(400);
    await t
      .http()
      .post('/api/fundraising/restore-preview')
      .send({ position: 10_000_000 })
      .expect(400);
    await t.http().post('/api/fundraising/restore-preview').send({ at: 'yesterday' }).expect(400);
    await t
      .http()
      .post('/api/fundraising/restore-preview')
      .send({ actor_id: member.id })
      .expect(400);
  });

  it("rolls back one person's edits in a window and keeps another person's interleaved edits", async () => {
    const a = (
      await post([
        {
          op: 'create',
          table_id: ids.investors,
          values: { [ids.inv('name')]: 'Window A', [ids.inv('notes')]: 'orig' },
        },
      ])
    ).applied[0].record_id;
    const b = (
      await post([
        {
          op: 'create',
          table_id: ids.investors,
          values: { [ids.inv('name')]: 'Window B', [ids.inv('notes')]: 'orig' },
        },
      ])
    ).applied[0].record_id;
    await new Promise((r) => setTimeout(r, 15));
    const from = new Date().toISOString();
    await new Promise((r) => setTimeout(r, 15));
    await post(
      [{ op: 'set', record_id: a, field_id: ids.inv('notes'), from: 'orig', to: 'member-a' }],
      member.http,
    );
    await post([
      { op: 'set', record_id: b, field_id: ids.inv('notes'), from: 'orig', to: 'admin-b' },
    ]);
    await post(
      [{ op: 'set', record_id: b, field_id: ids.inv('next_step'), from: null, to: 'member-step' }],
      member.http,
    );
    await post([
      { op: 'set', record_id: a, field_id: ids.inv('next_step'), from: null, to: 'admin-step' },
    ]);
    const mistake = (
      await post(
        [
          {
            op: 'create',
            table_id: ids.investors,
            values: { [ids.inv('name')]: 'Member mistake' },
          },
        ],
        member.http,
      )
    ).applied[0].record_id;
    await new Promise((r) => setTimeout(r, 15));
    const to = new Date().toISOString();
    const preview = (
      await t
        .http()
        .post('/api/fundraising/restore-preview')
        .send({ actor_id: member.id, from, to })
        .expect(200)
    ).body;
    expect(preview.counts.conflicts).toBe(0);
    await t.http().post('/api/fundraising/restore').send({ token: preview.token }).expect(200);
    const v = (id: string, role: string) => t.core.repo.record(id)!.values[ids.inv(role)] ?? null;
    expect([v(a, 'notes'), v(b, 'next_step')]).toEqual(['orig', null]);
    expect([v(b, 'notes'), v(a, 'next_step')]).toEqual(['admin-b', 'admin-step']);
    expect(t.core.repo.record(mistake)!.archived).toBe(true);
  });

  it('counts one number of changes in the preview and in the result: the events the restore writes', async () => {
    const kept = (
      await post([
        {
          op: 'create',
          table_id: ids.investors,
          values: { [ids.inv('name')]: 'Count LP', [ids.inv('notes')]: 'Before' },
        },
      ])
    ).applied[0].record_id;
    const target = t.core.store.lastPosition();
    // A table created since stays (listed, not a change); a field added since is removed; a cell goes back; a record is archived.
    await t
      .http()
      .post('/api/fundraising/tables')
      .send({ name: 'Counted later', fields: [{ name: 'Name', type: 'text' }] })
      .expect(201);
    await t
      .http()
      .post(`/api/fundraising/tables/${ids.investors}/fields`)
      .send({ name: 'Counted field', type: 'text' })
      .expect(201);
    await post([
      { op: 'set', record_id: kept, field_id: ids.inv('notes'), from: 'Before', to: 'After' },
    ]);
    await post([
      { op: 'create', table_id: ids.investors, values: { [ids.inv('name')]: 'Count LP 2' } },
    ]);
    const preview = (
      await t.http().post('/api/fundraising/restore-preview').send({ position: target }).expect(200)
    ).body;
    expect(preview.counts).toMatchObject({ schema: 2, to_change: 1, to_archive: 1, changes: 3 });
    const head = t.core.store.lastPosition();
    const done = (
      await t.http().post('/api/fundraising/restore').send({ token: preview.token }).expect(200)
    ).body;
    expect(done.changes).toBe(3);
    expect(t.core.store.lastPosition() - head).toBe(3);
  });

  it('lists what rolling back a batch of new records archives, and counts it', async () => {
    const batch = await post([
      { op: 'create', table_id: ids.investors, values: { [ids.inv('name')]: 'Batch count 1' } },
      { op: 'create', table_id: ids.investors, values: { [ids.inv('name')]: 'Batch count 2' } },
    ]);
    const created = batch.applied.map((a: { record_id: string }) => a.record_id);
    const correlation = t.core.store.readStream(`record-${created[0]}`)[0].metadata.correlation_id;
    const preview = (
      await t
        .http()
        .post('/api/fundraising/restore-preview')
        .send({ correlation_id: correlation })
        .expect(200)
    ).body;
    expect(preview.counts).toMatchObject({ to_archive: 2, changes: 2 });
    expect(preview.to_archive.map((r: { record_id: string }) => r.record_id).sort()).toEqual(
      [...created].sort(),
    );
    const done = (
      await t.http().post('/api/fundraising/restore').send({ token: preview.token }).expect(200)
    ).body;
    expect(done.changes).toBe(2);
  });

  it('rolls back one batch by correlation id', async () => {
    const batch = await post([
      { op: 'create', table_id: ids.investors, values: { [ids.inv('name')]: 'Paste 1' } },
      { op: 'create', table_id: ids.investors, values: { [ids.inv('name')]: 'Paste 2' } },
    ]);
    const created = batch.applied.map((a: { record_id: string }) => a.record_id);
    const correlation = t.core.store.readStream(`record-${created[0]}`)[0].metadata.correlation_id;
    const preview = (
      await t
        .http()
        .post('/api/fundraising/restore-preview')
        .send({ correlation_id: correlation })
        .expect(200)
    ).body;
    await t.http().post('/api/fundraising/restore').send({ token: preview.token }).expect(200);
    expect(created.map((id: string) => t.core.repo.record(id)!.archived)).toEqual([true, true]);
  });
});
