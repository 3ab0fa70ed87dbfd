import { apiSuite } from '../support/api-suite';
import { baseIds, createMember, type TestApp } from '../support/test-app';

type Agent = ReturnType<TestApp['http']>;

/** supertest with an API token as the Bearer credential. */
const withToken = (t: TestApp, token: string) => () =>
  t.anon().set('Authorization', `Bearer ${token}`) as Agent;

const makeToken = async (http: Agent, body: Record<string, unknown>) =>
  (await http.post('/api/me/tokens').send(body).expect(201)).body as {
    id: string;
    token: string;
    name: string;
  };

/** Polls until `check` holds (a token's expiry is a matter of the wall clock), failing after 10 s. */
async function eventually(check: () => Promise<boolean>): Promise<void> {
  const until = Date.now() + 10_000;
  while (!(await check())) {
    if (Date.now() > until) throw new Error('the condition did not hold within 10 s');
    await new Promise((r) => setImmediate(r));
  }
}

describe('API tokens', () => {
  const t = apiSuite({ member: { name: 'Mo Member' } });

  it('shows the token once, stores only a keyed hash, and lists it without the secret', async () => {
    const made = await makeToken(t.member.http(), { name: 'Nightly export', scope: 'read' });
    expect(made).toEqual({
      id: expect.stringMatching(/^tok/),
      token: expect.stringMatching(/^crm_[A-Za-z0-9_-]{43}$/),
      name: 'Nightly export',
      scope: 'read',
      created_at: expect.any(String),
      expires_at: null,
      last_used_at: null,
      revoked_at: null,
      status: 'active',
      owner: { id: t.member.id, name: 'Mo Member', email: t.member.email },
    });
    const list = await t.member.http().get('/api/me/tokens').expect(200);
    expect(list.body.tokens).toEqual([{ ...made, token: undefined }].map(withoutToken));
    const secret = made.token.slice(4);
    const dump = t.core.db
      .prepare(`SELECT group_concat(data || metadata, '') AS all_events FROM events`)
      .get() as { all_events: string };
    expect(dump.all_events).toContain('Nightly export');
    expect(dump.all_events).not.toContain(secret);
    const stored = t.core.db.prepare('SELECT token_hmac FROM api_token_secrets').all();
    expect(JSON.stringify(stored)).not.toContain(secret);
    expect(dump.all_events).not.toContain((stored[0] as { token_hmac: string }).token_hmac);
  });

  it("acts as its owner; its writes are recorded with source api and the token's name", async () => {
    const { token, id } = await makeToken(t.member.http(), { name: 'CRM sync', scope: 'write' });
    const ids = await baseIds(t);
    const res = await withToken(t, token)()
      .post('/api/fundraising/changes')
      .send({ changes: [{ op: 'create', table_id: ids.investors, values: {} }] })
      .expect(200);
    expect(res.body.version).toEqual(expect.any(Number));
    const last = t.core.store.readAll(t.core.store.lastPosition() - 1).at(-1)!;
    expect([last.type, last.metadata]).toEqual([
      'RecordCreated',
      expect.objectContaining({
        actor_id: t.member.id,
        source: 'api',
        token_id: id,
        token_name: 'CRM sync',
      }),
    ]);
    const feed = await t.http().get('/api/activity?limit=5').expect(200);
    expect(feed.body.entries[0]).toMatchObject({
      actor: { id: t.member.id },
      source: 'api',
      token: { id, name: 'CRM sync' },
    });
    expect(feed.body.entries[1]).toMatchObject({
      summary: 'made API token "CRM sync" (read and write)',
    });
    const me = await withToken(t, token)().get('/api/auth/me').expect(200);
    expect(me.body.id ?? me.body.user?.id).toBe(t.member.id);
    await eventually(async () => {
      const listed = await t.member.http().get('/api/me/tokens');
      return listed.body.tokens.find((x: { id: string }) => x.id === id).last_used_at !== null;
    });
  });

  it('refuses every write to a read token with 403 token_read_only, and lets it read', async () => {
    const { token } = await makeToken(t.member.http(), { name: 'Dashboard', scope: 'read' });
    const read = withToken(t, token);
    await read().get('/api/fundraising/state').expect(200);
    const before = t.core.store.lastPosition();
    for (const [method, path] of [
      ['post', '/api/fundraising/changes'],
      ['put', '/api/fundraising/state'],
      ['patch', '/api/fundraising/fields/x'],
      ['delete', '/api/fundraising/views/x'],
      ['post', '/api/me/tokens'],
    ] as const) {
      const res = await read()[method](path).send({ changes: [] });
      expect([path, res.status, res.body.reason]).toEqual([path, 403, 'token_read_only']);
    }
    expect(t.core.store.lastPosition()).toBe(before);
  });

  it('answers 401 with a reason for a malformed, unknown, revoked or expired token, or a disabled owner', async () => {
    const reasonOf = async (token: string) => {
      const res = await withToken(t, token)().get('/api/fundraising/state');
      return [res.status, res.body.reason, res.body.details?.reason];
    };
    expect(await reasonOf('crm_short')).toEqual([401, 'token_malformed', 'token_malformed']);
    expect(await reasonOf(`crm_${'A'.repeat(43)}`)).toEqual([
      401,
      'token_unknown',
      'token_unknown',
    ]);

    const revoked = await makeToken(t.member.http(), { name: 'Old script', scope: 'write' });
    await withToken(t, revoked.token)().get('/api/fundraising/state').expect(200);
    const gone = await t.member.http().delete(`/api/me/tokens/${revoked.id}`).expect(200);
    expect(gone.body).toMatchObject({ status: 'revoked', revoked_at: expect.any(String) });
    expect(await reasonOf(revoked.token)).toEqual([401, 'token_revoked', 'token_revoked']);

    const soon = new Date(Date.now() + 1500).toISOString();
    const expiring = await makeToken(t.member.http(), {
      name: 'Short',
      scope: 'read',
      expires_at: soon,
    });
    await withToken(t, expiring.token)().get('/api/fundraising/state').expect(200);
    await eventually(async () => (await reasonOf(expiring.token))[1] === 'token_expired');

    const owner = await createMember(t);
    const theirs = await makeToken(owner.http(), { name: 'Theirs', scope: 'read' });
    await t.http().patch(`/api/admin/users/${owner.id}`).send({ disabled: true }).expect(200);
    expect(await reasonOf(theirs.token)).toEqual([
      401,
      'token_owner_disabled',
      'token_owner_disabled',
    ]);
  });

  it('refuses a name over 100 characters, an unknown scope and a past expiry with 400 naming the field', async () => {
    const post = (body: Record<string, unknown>) =>
      t.member.http().post('/api/me/tokens').send(body);
    const long = await post({ name: 'x'.repeat(101), scope: 'read' }).expect(400);
    expect([long.body.reason, long.body.details.field]).toEqual(['too_large', 'name']);
    const scope = await post({ name: 'x', scope: 'admin' }).expect(400);
    expect(scope.body.reason).toBe('validation_failed');
    const past = await post({ name: 'x', scope: 'read', expires_at: '2020-01-01T00:00:00Z' });
    expect([past.status, past.body.details.field]).toEqual([400, 'expires_at']);
  });

  it("lets an admin list and revoke everyone's tokens; a member sees and revokes only their own", async () => {
    const mine = await makeToken(t.member.http(), { name: 'Member tool', scope: 'write' });
    const admins = await makeToken(t.http(), { name: 'Admin tool', scope: 'write' });
    const all = await t.http().get('/api/admin/tokens').expect(200);
    expect(all.body.tokens.map((x: { id: string }) => x.id)).toEqual(
      expect.arrayContaining([mine.id, admins.id]),
    );
    const own = await t.member.http().get('/api/me/tokens').expect(200);
    expect(own.body.tokens.map((x: { id: string }) => x.id)).not.toContain(admins.id);
    await t.member.http().get('/api/admin/tokens').expect(403);
    const notTheirs = await t.member.http().delete(`/api/me/tokens/${admins.id}`).expect(404);
    expect(notTheirs.body.details.field).toBe('token_id');
    // An admin's own page revokes only their own too; the admin route revokes anyone's.
    await t.http().delete(`/api/me/tokens/${mine.id}`).expect(404);
    await t.http().delete(`/api/admin/tokens/${mine.id}`).expect(200);
    const res = await withToken(t, mine.token)().get('/api/fundraising/state');
    expect([res.status, res.body.reason]).toEqual([401, 'token_revoked']);
    const revoked = t.core.store.readAll(t.core.store.lastPosition() - 1).at(-1)!;
    expect([revoked.type, revoked.metadata.actor_id]).toEqual(['ApiTokenRevoked', t.adminId]);
  });
});

describe('API tokens and the write limit', () => {
  const t = apiSuite({ member: true, env: { CRM_RATE_LIMIT_WRITES_PER_MINUTE: '60' } });

  it("count against their owner's budget, as the owner's session does", async () => {
    const { token } = await makeToken(t.member.http(), { name: 'Bulk', scope: 'write' });
    // Making the token was the first write of the minute; 58 more by session make 59.
    for (let i = 2; i < 60; i++)
      await t.member.http().post('/api/fundraising/changes').send({ changes: [] });
    const last = await withToken(t, token)().post('/api/fundraising/changes').send({ changes: [] });
    expect(last.status).not.toBe(429);
    const res = await withToken(t, token)().post('/api/fundraising/changes').send({ changes: [] });
    expect([res.status, res.body.reason]).toEqual([429, 'rate_limited']);
  });
});

function withoutToken<T extends { token?: unknown }>(x: T): Omit<T, 'token'> {
  const copy = { ...x };
  delete copy.token;
  return copy;
}
