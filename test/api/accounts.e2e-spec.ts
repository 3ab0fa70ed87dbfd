import { dumpReadModels } from '../support/read-models';
import { apiSuite } from '../support/api-suite';
import { createMember, createUser, TEST_ADMIN } from '../support/test-app';

const UNAUTHORIZED = {
  statusCode: 401,
  error: 'Unauthorized',
  message: 'sign in to continue',
  reason: 'unauthenticated',
};
const DAY = 86_400_000;

describe('invites', () => {
  // The token rate limit has its own test (security); here many accepts come from one address.
  const t = apiSuite({
    env: {
      CRM_PUBLIC_URL: 'https://crm.fund.example/',
      CRM_RATE_LIMIT_TOKEN_PER_MINUTE: '1000',
    },
  });

  const invite = async (email: string, role = 'member') =>
    (await t.http().post('/api/admin/invites').send({ email, role }).expect(201)).body;

  it('gives the admin a single-use token of 256 bits bound to the address, and a link, expiring in 7 days', async () => {
    const before = Date.now();
    const body = await invite('Bea@Fund.example', 'admin');
    expect(body).toEqual({
      id: expect.stringMatching(/^inv/),
      email: 'bea@fund.example',
      role: 'admin',
      status: 'pending',
      created_at: expect.any(String),
      created_by: t.adminId,
      expires_at: expect.any(String),
      accepted_by: null,
      closed_at: null,
      token: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      url: `https://crm.fund.example/accept-invite?token=${body.token}`,
    });
    expect(Buffer.from(body.token, 'base64url')).toHaveLength(32);
    expect(Date.parse(body.expires_at) - before).toBeGreaterThanOrEqual(7 * DAY - 1000);
    expect(Date.parse(body.expires_at) - before).toBeLessThanOrEqual(7 * DAY + 5000);
    // Stored only as a SHA-256, and never in the log.
    const row = t.core.db
      .prepare('SELECT token_sha256 FROM invite_tokens WHERE invite_id = ?')
      .get(body.id) as { token_sha256: string };
    expect(row.token_sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(t.core.db.prepare('SELECT * FROM events').all())).not.toContain(
      body.token,
    );
    expect(JSON.stringify(t.core.db.prepare('SELECT * FROM events').all())).not.toContain(
      row.token_sha256,
    );
    const list = await t.http().get('/api/admin/invites').expect(200);
    expect(list.body.find((i: { id: string }) => i.id === body.id)).toEqual({
      ...body,
      token: undefined,
      url: undefined,
    });
    expect(JSON.stringify(list.body)).not.toContain(body.token);
  });

  it("is accepted once: the account gets the invite's address and role, and is signed in", async () => {
    const inv = await invite('carl@fund.example', 'member');
    await t
      .anon()
      .post('/api/auth/invite-info')
      .send({ token: inv.token })
      .expect(200, { email: 'carl@fund.example', role: 'member', expires_at: inv.expires_at });
    const res = await t
      .anon()
      .post('/api/auth/accept-invite')
      .send({ token: inv.token, name: 'Carl', password: 'Velvet-Compass-Harbor-3' })
      .expect(201);
    expect(res.body).toEqual({
      access_token: expect.any(String),
      token_type: 'Bearer',
      expires_in: 43200,
      user: { id: expect.any(String), email: 'carl@fund.example', name: 'Carl', role: 'member' },
    });
    expect(String(res.headers['set-cookie'])).toMatch(/^crm_session=/);
    await t
      .anon()
      .get('/api/auth/me')
      .set('Authorization', `Bearer ${res.body.access_token}`)
      .expect(200);
    await t
      .anon()
      .post('/api/auth/login')
      .send({ email: 'carl@fund.example', password: 'Velvet-Compass-Harbor-3' })
      .expect(200);
    const listed = (await t.http().get('/api/admin/invites')).body.find(
      (i: { id: string }) => i.id === inv.id,
    );
    expect(listed).toMatchObject({ status: 'accepted', accepted_by: res.body.user.id });
    // Reused: refused, and nobody new.
    const again = await t
      .anon()
      .post('/api/auth/accept-invite')
      .send({ token: inv.token, name: 'Mallory', password: 'Velvet-Compass-Harbor-4' })
      .expect(403);
    expect(again.body).toEqual({
      statusCode: 403,
      error: 'Forbidden',
      message: 'this invite was already used',
      reason: 'invite_used',
      details: { field: 'token', reason: 'used' },
    });
    await t.anon().post('/api/auth/invite-info').send({ token: inv.token }).expect(403);
    expect(t.core.users.users().filter((u) => u.email === 'carl@fund.example')).toHaveLength(1);
  });

  it('refuses a revoked, an expired, an unknown and an other-address token', async () => {
    const revoked = await invite('dora@fund.example');
    const del = await t.http().delete(`/api/admin/invites/${revoked.id}`).expect(200);
    expect(del.body).toMatchObject({ id: revoked.id, status: 'revoked' });
    await t.http().delete(`/api/admin/invites/${revoked.id}`).expect(200);
    const body = { name: 'Dora', password: 'Velvet-Compass-Harbor-5' };
    const r = await t
      .anon()
      .post('/api/auth/accept-invite')
      .send({ ...body, token: revoked.token })
      .expect(403);
    expect(r.body.message).toBe('this invite was revoked; ask an admin for a new one');

    const expired = await invite('eli@fund.example');
    const realNow = Date.now;
    const later = Date.parse(expired.expires_at) + 1000;
    Date.now = () => later;
    jest.useFakeTimers({
      now: later,
      doNotFake: [
        'nextTick',
        'setImmediate',
        'clearImmediate',
        'setInterval',
        'clearInterval',
        'setTimeout',
        'clearTimeout',
        'queueMicrotask',
        'hrtime',
        'performance',
      ],
    });
    try {
      const e = await t
        .anon()
        .post('/api/auth/accept-invite')
        .send({ ...body, token: expired.token })
        .expect(403);
      expect(e.body.message).toBe('this invite has expired; ask an admin for a new one');
    } finally {
      jest.useRealTimers();
      Date.now = realNow;
    }
    expect(
      (await t.http().get('/api/admin/invites')).body.find(
        (i: { id: string }) => i.id === expired.id,
      ).status,
    ).toBe('pending');

    const unknown = await t
      .anon()
      .post('/api/auth/accept-invite')
      .send({ ...body, token: 'B'.repeat(43) })
      .expect(403);
    expect(unknown.body.message).toBe('this invite link is not valid');
    await t
      .anon()
      .post('/api/auth/accept-invite')
      .send({ ...body, token: 'not-a-token' })
      .expect(400);

    const bound = await invite('fay@fund.example');
    const other = await t
      .anon()
      .post('/api/auth/accept-invite')
      .send({ ...body, token: bound.token, email: 'eve@evil.example' })
      .expect(403);
    expect(other.body.message).toBe('this invite was made for another email address');
    await t
      .anon()
      .post('/api/auth/accept-invite')
      .send({ ...body, token: bound.token, email: 'FAY@fund.example' })
      .expect(201);
    for (const email of ['dora@fund.example', 'eli@fund.example', 'eve@evil.example'])
      expect(t.core.users.userByEmail(email)).toBeUndefined();
  });

  it('rejects unknown properties such as role in accept-invite and stores none of them', async () => {
    const inv = await invite('gus@fund.example', 'member');
    for (const extra of [
      { role: 'admin' },
      { id: 'usr_chosen' },
      { disabled: false },
      { token_version: 9 },
    ]) {
      const res = await t
        .anon()
        .post('/api/auth/accept-invite')
        .send({ token: inv.token, name: 'Gus', password: 'Velvet-Compass-Harbor-6', ...extra })
        .expect(400);
      expect(res.body.message).toBe(
        `${Object.keys(extra)[0]}: property ${Object.keys(extra)[0]} should not exist`,
      );
    }
    expect(t.core.users.userByEmail('gus@fund.example')).toBeUndefined();
    const ok = await t
      .anon()
      .post('/api/auth/accept-invite')
      .send({ token: inv.token, name: 'Gus', password: 'Velvet-Compass-Harbor-6' })
      .expect(201);
    expect(ok.body.user.role).toBe('member');
    expect(t.core.users.user(ok.body.user.id)).toMatchObject({
      role: 'member',
      disabled: false,
      token_version: 0,
    });
  });

  it('refuses a weak password on accept and leaves the invite usable', async () => {
    const inv = await invite('hal@fund.example');
    const weak = await t
      .anon()
      .post('/api/auth/accept-invite')
      .send({ token: inv.token, name: 'Hal', password: 'qwerty123456' })
      .expect(400);
    expect(weak.body.message).toBe(
      'this password is one of the most common passwords; choose another',
    );
    await t
      .anon()
      .post('/api/auth/accept-invite')
      .send({ token: inv.token, name: 'Hal', password: 'hal@fund.example' })
      .expect(400);
    await t
      .anon()
      .post('/api/auth/accept-invite')
      .send({ token: inv.token, name: 'Hal', password: 'Velvet-Compass-Harbor-7' })
      .expect(201);
  });

  it('replaces a pending invite to the same address; refuses an address that has an account', async () => {
    const first = await invite('ida@fund.example');
    const second = await invite('IDA@fund.example');
    await t
      .anon()
      .post('/api/auth/accept-invite')
      .send({ token: first.token, name: 'Ida', password: 'Velvet-Compass-Harbor-8' })
      .expect(403);
    const taken = await t
      .http()
      .post('/api/admin/invites')
      .send({ email: TEST_ADMIN.email, role: 'member' })
      .expect(409);
    expect(taken.body.message).toBe('an account with this email already exists');
    await t
      .anon()
      .post('/api/auth/accept-invite')
      .send({ token: second.token, name: 'Ida', password: 'Velvet-Compass-Harbor-8' })
      .expect(201);
  });

  it('validates the invite request', async () => {
    await t
      .http()
      .post('/api/admin/invites')
      .send({ email: 'x@fund.example', role: 'owner' })
      .expect(400);
    await t
      .http()
      .post('/api/admin/invites')
      .send({ email: 'not-an-address', role: 'member' })
      .expect(400);
    await t.http().post('/api/admin/invites').send({ email: 'x@fund.example' }).expect(400);
    await t
      .http()
      .post('/api/admin/invites')
      .send({ email: 'x@fund.example', role: 'member', expires_at: '2099-01-01' })
      .expect(400);
    await t.http().delete('/api/admin/invites/inv_nope').expect(404);
  });

  it('is for admins only: a member can neither invite nor list nor revoke', async () => {
    const member = await createMember(t);
    const inv = await invite('jo@fund.example');
    await member
      .http()
      .post('/api/admin/invites')
      .send({ email: 'friend@evil.example', role: 'admin' })
      .expect(403);
    await member.http().get('/api/admin/invites').expect(403);
    await member.http().delete(`/api/admin/invites/${inv.id}`).expect(403);
    await t
      .anon()
      .post('/api/admin/invites')
      .send({ email: 'friend@evil.example', role: 'admin' })
      .expect(401, UNAUTHORIZED);
    expect(t.core.users.pendingInvitesFor('friend@evil.example')).toEqual([]);
  });
});

describe('user administration', () => {
  const t = apiSuite();

  it('creates a user directly, lists users without any secret, and refuses a duplicate address', async () => {
    const res = await t
      .http()
      .post('/api/admin/users')
      .send({
        email: 'Kim@Fund.example',
        name: ' Kim ',
        role: 'member',
        password: 'Amber-Lattice-Quarry-11',
      })
      .expect(201);
    expect(res.body).toEqual({
      id: expect.stringMatching(/^usr/),
      email: 'kim@fund.example',
      name: 'Kim',
      role: 'member',
      disabled: false,
      created_at: expect.any(String),
      updated_at: expect.any(String),
    });
    const list = await t.http().get('/api/admin/users').expect(200);
    expect(list.body.map((u: { email: string }) => u.email)).toEqual([
      TEST_ADMIN.email,
      'kim@fund.example',
    ]);
    expect(JSON.stringify(list.body)).not.toMatch(/argon2|password|hash|token/i);
    const dup = await t
      .http()
      .post('/api/admin/users')
      .send({
        email: 'KIM@fund.example',
        name: 'Kim 2',
        role: 'admin',
        password: 'Amber-Lattice-Quarry-12',
      })
      .expect(409);
    expect(dup.body.message).toBe('an account with this email already exists');
    await t
      .anon()
      .post('/api/auth/login')
      .send({ email: 'kim@fund.example', password: 'Amber-Lattice-Quarry-11' })
      .expect(200);
    // The hash is argon2id, in the credentials table only.
    const cred = t.core.db
      .prepare('SELECT password_hash FROM credentials WHERE user_id = ?')
      .get(res.body.id) as { password_hash: string };
    expect(cred.password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,p=1,t=2\$/);
  });

  it.each([
    ['short', 'Short-1', 'the password must be at least 12 characters long'],
    ['too long', 'Ab1-'.repeat(65), 'the password must be at most 256 characters long'],
    ['common', 'password1234', 'this password is one of the most common passwords; choose another'],
    [
      'common, dressed up',
      '!!Sunshine2024!!',
      'this password is one of the most common passwords; choose another',
    ],
    ['repeated', 'abcabcabcabcabc', 'the password repeats too few characters; choose a longer mix'],
  ])('refuses a %s password', async (_, password, message) => {
    const res = await t
      .http()
      .post('/api/admin/users')
      .send({ email: 'weak@fund.example', name: 'Weak', role: 'member', password })
      .expect(400);
    expect(res.body).toMatchObject({ statusCode: 400, message, details: { field: 'password' } });
    expect(JSON.stringify(res.body)).not.toContain(password);
    expect(t.core.users.userByEmail('weak@fund.example')).toBeUndefined();
  });

  it("changes roles and disables; either ends the user's sessions at once", async () => {
    const lea = await createMember(t);
    await lea.http().get('/api/admin/users').expect(403);
    const promoted = await t
      .http()
      .patch(`/api/admin/users/${lea.id}`)
      .send({ role: 'admin' })
      .expect(200);
    expect(promoted.body).toMatchObject({ id: lea.id, role: 'admin', disabled: false });
    await lea.http().get('/api/auth/me').expect(401, UNAUTHORIZED);
    const relogin = (
      await t
        .anon()
        .post('/api/auth/login')
        .send({ email: lea.email, password: lea.password })
        .expect(200)
    ).body.access_token;
    await t.anon().get('/api/admin/users').set('Authorization', `Bearer ${relogin}`).expect(200);
    await t.http().patch(`/api/admin/users/${lea.id}`).send({ disabled: true }).expect(200);
    await t
      .anon()
      .get('/api/auth/me')
      .set('Authorization', `Bearer ${relogin}`)
      .expect(401, UNAUTHORIZED);
    await t
      .anon()
      .post('/api/auth/login')
      .send({ email: lea.email, password: lea.password })
      .expect(401);
    await t
      .http()
      .patch(`/api/admin/users/${lea.id}`)
      .send({ disabled: false, role: 'member' })
      .expect(200);
    const back = (
      await t
        .anon()
        .post('/api/auth/login')
        .send({ email: lea.email, password: lea.password })
        .expect(200)
    ).body;
    expect(back.user.role).toBe('member');
  });

  it('keeps the last active admin: neither demoted nor disabled, not even by themselves', async () => {
    const res = await t
      .http()
      .patch(`/api/admin/users/${t.adminId}`)
      .send({ role: 'member' })
      .expect(409);
    expect(res.body.message).toBe(
      'the last active admin cannot be demoted; make someone else an admin first',
    );
    const dis = await t
      .http()
      .patch(`/api/admin/users/${t.adminId}`)
      .send({ disabled: true })
      .expect(409);
    expect(dis.body.message).toBe(
      'the last active admin cannot be disabled; make someone else an admin first',
    );
    // A disabled admin is no stand-in.
    const spare = await createUser(t, { role: 'admin' });
    await t.http().patch(`/api/admin/users/${spare.id}`).send({ disabled: true }).expect(200);
    await t.http().patch(`/api/admin/users/${t.adminId}`).send({ role: 'member' }).expect(409);
    // Both changes in one request apply together or not at all.
    await t.http().patch(`/api/admin/users/${spare.id}`).send({ disabled: false }).expect(200);
    await t
      .http()
      .patch(`/api/admin/users/${spare.id}`)
      .send({ role: 'member', disabled: true })
      .expect(200);
    expect(t.core.users.user(spare.id)).toMatchObject({ role: 'member', disabled: true });
    expect(t.core.users.user(t.adminId)).toMatchObject({ role: 'admin', disabled: false });
  });

  it('lets an admin set a new password for someone who forgot theirs, ending their sessions', async () => {
    const rae = await createMember(t);
    const weak = await t
      .http()
      .post(`/api/admin/users/${rae.id}/password`)
      .send({ password: 'qwertyuiop12' })
      .expect(400);
    expect(weak.body.message).toBe(
      'this password is one of the most common passwords; choose another',
    );
    const res = await t
      .http()
      .post(`/api/admin/users/${rae.id}/password`)
      .send({ password: 'Temporary-Gravel-Path-4' })
      .expect(200);
    expect(res.body).toMatchObject({ id: rae.id, email: rae.email, disabled: false });
    await rae.http().get('/api/auth/me').expect(401, UNAUTHORIZED);
    await t
      .anon()
      .post('/api/auth/login')
      .send({ email: rae.email, password: rae.password })
      .expect(401);
    await t
      .anon()
      .post('/api/auth/login')
      .send({ email: rae.email, password: 'Temporary-Gravel-Path-4' })
      .expect(200);
    const ev = t.core.store.readStream(`user-${rae.id}`).pop()!;
    expect([ev.type, ev.data, ev.metadata.actor_id]).toEqual([
      'UserPasswordChanged',
      { user_id: rae.id },
      t.adminId,
    ]);
    const other = await createMember(t);
    await other
      .http()
      .post(`/api/admin/users/${rae.id}/password`)
      .send({ password: 'Hijacked-Account-Pass-1' })
      .expect(403);
    await t
      .http()
      .post('/api/admin/users/usr_nope/password')
      .send({ password: 'Temporary-Gravel-Path-5' })
      .expect(404);
  });

  it('validates the change', async () => {
    const m = await createMember(t);
    await t.http().patch(`/api/admin/users/${m.id}`).send({}).expect(400);
    await t.http().patch(`/api/admin/users/${m.id}`).send({ role: 'owner' }).expect(400);
    await t.http().patch(`/api/admin/users/${m.id}`).send({ disabled: 'yes' }).expect(400);
    await t
      .http()
      .patch(`/api/admin/users/${m.id}`)
      .send({ email: 'new@fund.example' })
      .expect(400);
    await t.http().patch(`/api/admin/users/${m.id}`).send({ token_version: 0 }).expect(400);
    await t.http().patch('/api/admin/users/usr_nope').send({ role: 'admin' }).expect(404);
    expect(t.core.users.user(m.id)).toMatchObject({
      email: m.email,
      role: 'member',
      token_version: 0,
    });
  });

  it('is for admins only', async () => {
    const m = await createMember(t);
    await m.http().get('/api/admin/users').expect(403);
    await m
      .http()
      .post('/api/admin/users')
      .send({
        email: 'x@fund.example',
        name: 'X',
        role: 'admin',
        password: 'Amber-Lattice-Quarry-13',
      })
      .expect(403);
    await m.http().patch(`/api/admin/users/${m.id}`).send({ role: 'admin' }).expect(403);
    expect(t.core.users.user(m.id)!.role).toBe('member');
  });
});

describe('accounts in the log', () => {
  const t = apiSuite();

  it('records every account event with who did it and no secret; fundraising events carry the real user', async () => {
    const inv = (
      await t
        .http()
        .post('/api/admin/invites')
        .send({ email: 'max@fund.example', role: 'member' })
        .expect(201)
    ).body;
    const joined = (
      await t
        .anon()
        .post('/api/auth/accept-invite')
        .send({ token: inv.token, name: 'Max', password: 'Cobalt-Ribbon-Forest-21' })
        .expect(201)
    ).body;
    const max = { id: joined.user.id, token: joined.access_token };
    const bob = await createMember(t, { password: 'Cobalt-Ribbon-Forest-22' });
    await t.http().patch(`/api/admin/users/${bob.id}`).send({ role: 'admin' }).expect(200);
    await t.http().patch(`/api/admin/users/${bob.id}`).send({ disabled: true }).expect(200);
    await t.http().patch(`/api/admin/users/${bob.id}`).send({ disabled: false }).expect(200);
    const revoked = (
      await t
        .http()
        .post('/api/admin/invites')
        .send({ email: 'nia@fund.example', role: 'admin' })
        .expect(201)
    ).body;
    await t.http().delete(`/api/admin/invites/${revoked.id}`).expect(200);
    const changed = await t
      .anon()
      .post('/api/auth/password')
      .set('Authorization', `Bearer ${max.token}`)
      .send({
        current_password: 'Cobalt-Ribbon-Forest-21',
        new_password: 'Cobalt-Ribbon-Forest-23',
      })
      .expect(200);
    await t
      .anon()
      .post('/api/auth/logout')
      .set('Authorization', `Bearer ${changed.body.access_token}`)
      .expect(204);

    const events = t.core.store
      .readAll()
      .filter((e) => e.stream_id.startsWith('user-') || e.stream_id.startsWith('invite-'));
    expect(events.map((e) => [e.type, e.metadata.actor_id])).toEqual([
      ['UserCreated', 'system'],
      ['UserInvited', t.adminId],
      ['UserJoined', max.id],
      ['InviteAccepted', max.id],
      ['UserCreated', t.adminId],
      ['UserRoleChanged', t.adminId],
      ['UserDisabled', t.adminId],
      ['UserEnabled', t.adminId],
      ['UserInvited', t.adminId],
      ['InviteRevoked', t.adminId],
      ['UserPasswordChanged', max.id],
      ['UserLoggedOut', max.id],
    ]);
    const text = JSON.stringify(t.core.db.prepare('SELECT data, metadata FROM events').all());
    for (const secret of [
      inv.token,
      revoked.token,
      'Cobalt-Ribbon-Forest-2',
      TEST_ADMIN.password,
      '$argon2',
      max.token,
    ])
      expect(text).not.toContain(secret);
    for (const e of events)
      expect(
        Object.keys(e.data as object).filter((k) => /pass|hash|token|secret/i.test(k)),
      ).toEqual([]);

    const table = (await t.http().get('/api/fundraising/state')).body.tables[0];
    await bob.http().get('/api/auth/me').expect(401); // role change ended bob's session
    const member = await createMember(t, { name: 'Olive Member' });
    await member
      .http()
      .post('/api/fundraising/changes')
      .send({ changes: [{ op: 'create', table_id: table.id, values: {} }] })
      .expect(200);
    const created = t.core.store
      .readAll()
      .filter((e) => e.type === 'RecordCreated')
      .pop()!;
    expect(created.metadata).toMatchObject({
      actor_id: member.id,
      actor_name: 'Olive Member',
      source: 'grid',
    });
  });

  it('rebuilds users and invites from the log to the same tables, and leaves the secrets alone', async () => {
    await t
      .http()
      .post('/api/admin/invites')
      .send({ email: 'pia@fund.example', role: 'admin' })
      .expect(201);
    const tables = ['users', 'invites'];
    const live = dumpReadModels(t.core.db, tables);
    const secrets = dumpReadModels(t.core.db, ['credentials', 'invite_tokens', 'setup_tokens']);
    expect(live).toContain('max@fund.example');
    await t.core.runner.rebuild();
    expect(dumpReadModels(t.core.db, tables)).toBe(live);
    expect(dumpReadModels(t.core.db, ['credentials', 'invite_tokens', 'setup_tokens'])).toBe(
      secrets,
    );
    // Tokens issued before the rebuild still work: the token version is a fold over the log.
    await t.http().get('/api/auth/me').expect(200);
  });
});
