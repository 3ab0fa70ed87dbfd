import { statSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { AccountsService } from '../../apps/api/src/capabilities/users/accounts.service';
import { createApp } from '../../apps/api/src/app.factory';
import { loadConfig } from '../../apps/api/src/config/app-config';
import { apiSuite } from '../support/api-suite';
import { createMember, createUser, startTestApp, TEST_ADMIN } from '../support/test-app';

const UNAUTHORIZED = {
  statusCode: 401,
  error: 'Unauthorized',
  message: 'sign in to continue',
  reason: 'unauthenticated',
};
const LOGIN_FAILED = {
  statusCode: 401,
  error: 'Unauthorized',
  message: 'the email or password is not right',
  reason: 'unauthenticated',
};

/** The session cookie a response set, parsed into its attributes. */
function sessionCookie(res: request.Response): { value: string; attrs: string[] } {
  const raw = ([] as string[])
    .concat(res.headers['set-cookie'] ?? [])
    .find((c) => c.startsWith('crm_session='));
  if (!raw) throw new Error(`no session cookie in ${JSON.stringify(res.headers['set-cookie'])}`);
  const [pair, ...attrs] = raw.split(';').map((s) => s.trim());
  return { value: pair.slice('crm_session='.length), attrs: attrs.map((a) => a.toLowerCase()) };
}

describe('sign-in', () => {
  const t = apiSuite();

  it('answers a good sign-in with a token, the user and an httpOnly SameSite=Strict cookie', async () => {
    const res = await t
      .anon()
      .post('/api/auth/login')
      .send({ email: 'Admin@Fund.Example ', password: TEST_ADMIN.password })
      .expect(200);
    expect(res.body).toEqual({
      access_token: expect.stringMatching(/^[\w-]+\.[\w-]+\.[\w-]+$/),
      token_type: 'Bearer',
      expires_in: 720 * 60,
      user: { id: t.adminId, email: TEST_ADMIN.email, name: TEST_ADMIN.name, role: 'admin' },
    });
    const cookie = sessionCookie(res);
    expect(cookie.value).toBe(res.body.access_token);
    expect(cookie.attrs).toEqual(
      expect.arrayContaining(['httponly', 'samesite=strict', 'path=/api', 'max-age=43200']),
    );
    expect(cookie.attrs).not.toContain('secure'); // not production
    await t
      .anon()
      .get('/api/auth/me')
      .set('Authorization', `Bearer ${res.body.access_token}`)
      .expect(200, {
        id: t.adminId,
        email: TEST_ADMIN.email,
        name: TEST_ADMIN.name,
        role: 'admin',
      });
  });

  it('says the same thing for a wrong password, an unknown address and a disabled account', async () => {
    const member = await createMember(t, { email: 'gone@fund.example' });
    await t.http().patch(`/api/admin/users/${member.id}`).send({ disabled: true }).expect(200);
    const answers = await Promise.all([
      t
        .anon()
        .post('/api/auth/login')
        .send({ email: TEST_ADMIN.email, password: 'Wrong-Password-123' }),
      t
        .anon()
        .post('/api/auth/login')
        .send({ email: 'nobody@fund.example', password: TEST_ADMIN.password }),
      t
        .anon()
        .post('/api/auth/login')
        .send({ email: 'gone@fund.example', password: member.password }),
      t.anon().post('/api/auth/login').send({ email: 'not an address', password: 'x' }),
    ]);
    for (const res of answers) {
      expect(res.status).toBe(401);
      expect(res.body).toEqual(LOGIN_FAILED);
      expect(res.headers['set-cookie']).toBeUndefined();
    }
  });

  it('refuses malformed bodies before checking anything', async () => {
    await t.anon().post('/api/auth/login').send({ email: TEST_ADMIN.email }).expect(400);
    await t
      .anon()
      .post('/api/auth/login')
      .send({ email: TEST_ADMIN.email, password: TEST_ADMIN.password, role: 'admin' })
      .expect(400);
    await t
      .anon()
      .post('/api/auth/login')
      .send({ email: ['a'], password: 'x' })
      .expect(400);
    await t
      .anon()
      .post('/api/auth/login')
      .set('Content-Type', 'text/plain')
      .send(JSON.stringify({ email: TEST_ADMIN.email, password: TEST_ADMIN.password }))
      .expect(415);
  });

  it('signs in with the cookie alone; writes by cookie need X-Requested-With, reads do not', async () => {
    const member = await createMember(t);
    const login = await t
      .anon()
      .post('/api/auth/login')
      .send({ email: member.email, password: member.password })
      .expect(200);
    const cookie = `crm_session=${sessionCookie(login).value}`;
    await t.anon().get('/api/auth/me').set('Cookie', cookie).expect(200);
    await t.anon().get('/api/fundraising/state').set('Cookie', cookie).expect(200);
    const table = (await t.http().get('/api/fundraising/state')).body.tables[0];
    const body = { changes: [{ op: 'create', table_id: table.id, values: {} }] };
    const refused = await t
      .anon()
      .post('/api/fundraising/changes')
      .set('Cookie', cookie)
      .send(body)
      .expect(403);
    expect(refused.body.message).toBe(
      'requests signed in by cookie that change data must send the header X-Requested-With: XMLHttpRequest',
    );
    await t
      .anon()
      .post('/api/fundraising/changes')
      .set('Cookie', cookie)
      .set('X-Requested-With', 'fetch')
      .send(body)
      .expect(403);
    await t
      .anon()
      .post('/api/fundraising/changes')
      .set('Cookie', cookie)
      .set('X-Requested-With', 'XMLHttpRequest')
      .send(body)
      .expect(200);
    // A Bearer token is not sent by browsers on their own: no header needed.
    await t
      .anon()
      .post('/api/fundraising/changes')
      .set('Authorization', `Bearer ${member.token}`)
      .send(body)
      .expect(200);
    // A bad cookie is a 401 like any bad token, header or not.
    await t
      .anon()
      .get('/api/auth/me')
      .set('Cookie', 'crm_session=not-a-token')
      .expect(401, UNAUTHORIZED);
  });

  it('logout ends every session of the user at once and clears the cookie', async () => {
    const member = await createMember(t);
    const second = (
      await t
        .anon()
        .post('/api/auth/login')
        .send({ email: member.email, password: member.password })
        .expect(200)
    ).body.access_token;
    const res = await member.http().post('/api/auth/logout').expect(204);
    expect(
      ([] as string[])
        .concat(res.headers['set-cookie'] ?? [])
        .some((c) => /^crm_session=;/.test(c) && /Expires=Thu, 01 Jan 1970/.test(c)),
    ).toBe(true);
    await member.http().get('/api/auth/me').expect(401, UNAUTHORIZED);
    await t
      .anon()
      .get('/api/auth/me')
      .set('Authorization', `Bearer ${second}`)
      .expect(401, UNAUTHORIZED);
    // Signing in again works.
    const again = (
      await t
        .anon()
        .post('/api/auth/login')
        .send({ email: member.email, password: member.password })
        .expect(200)
    ).body.access_token;
    await t.anon().get('/api/auth/me').set('Authorization', `Bearer ${again}`).expect(200);
  });

  it('refuses a password change with a wrong current password or a new one the policy refuses', async () => {
    const member = await createMember(t);
    const wrong = await member
      .http()
      .post('/api/auth/password')
      .send({ current_password: 'Not-The-Password-1', new_password: 'Fresh-Meadow-Copper-77' })
      .expect(400);
    expect(wrong.body.message).toBe('the current password is not right');
    for (const [pw, message] of [
      ['short-1', 'the password must be at least 12 characters long'],
      ['Password1234', 'this password is one of the most common passwords; choose another'],
      ['x'.repeat(257), 'the password must be at most 256 characters long'],
      [member.password, 'the new password is the same as the current one'],
    ]) {
      const res = await member
        .http()
        .post('/api/auth/password')
        .send({ current_password: member.password, new_password: pw })
        .expect(400);
      expect(res.body.message).toBe(message);
    }
    // Password attempts count like sign-ins: five a minute for one account.
    await member
      .http()
      .post('/api/auth/password')
      .send({ current_password: member.password, new_password: 'Fresh-Meadow-Copper-77' })
      .expect(429);
    expect(t.core.users.user(member.id)!.token_version).toBe(0);
  });

  it('changes the own password: old sessions end, the answer signs in again', async () => {
    const member = await createMember(t);
    const other = (
      await t
        .anon()
        .post('/api/auth/login')
        .send({ email: member.email, password: member.password })
    ).body.access_token;
    const res = await member
      .http()
      .post('/api/auth/password')
      .send({ current_password: member.password, new_password: 'Fresh-Meadow-Copper-77' })
      .expect(200);
    expect(res.body.user).toEqual({
      id: member.id,
      email: member.email,
      name: member.name,
      role: 'member',
    });
    expect(sessionCookie(res).value).toBe(res.body.access_token);
    await member.http().get('/api/auth/me').expect(401);
    await t.anon().get('/api/auth/me').set('Authorization', `Bearer ${other}`).expect(401);
    await t
      .anon()
      .get('/api/auth/me')
      .set('Authorization', `Bearer ${res.body.access_token}`)
      .expect(200);
    await t
      .anon()
      .post('/api/auth/login')
      .send({ email: member.email, password: member.password })
      .expect(401);
    await t
      .anon()
      .post('/api/auth/login')
      .send({ email: member.email, password: 'Fresh-Meadow-Copper-77' })
      .expect(200);
  });

  it.each([
    ['POST', '/api/auth/register'],
    ['POST', '/api/auth/signup'],
    ['POST', '/api/auth/sign-up'],
    ['POST', '/api/users'],
    ['POST', '/api/register'],
    ['POST', '/api/signup'],
    ['POST', '/api/auth/users'],
    ['PUT', '/api/auth/me'],
    ['PATCH', '/api/auth/me'],
    ['POST', '/api/auth/me'],
  ])('has no self-registration: %s %s is 404', async (method, path) => {
    const body = {
      email: 'eve@evil.example',
      name: 'Eve',
      password: 'Eve-Wants-In-2026',
      role: 'admin',
    };
    await t.anon()[method.toLowerCase() as 'post'](path).send(body).expect(404);
    await t.http()[method.toLowerCase() as 'post'](path).send(body).expect(404);
    expect(t.core.users.userByEmail('eve@evil.example')).toBeUndefined();
  });

  it("refuses a disabled user's still-valid token at once, on every route", async () => {
    const member = await createUser(t, { role: 'admin' });
    await t.http().patch(`/api/admin/users/${member.id}`).send({ disabled: true }).expect(200);
    await member.http().get('/api/auth/me').expect(401, UNAUTHORIZED);
    await member.http().get('/api/admin/users').expect(401, UNAUTHORIZED);
  });
});

describe('the first admin', () => {
  it('comes from CRM_ADMIN_EMAIL and CRM_ADMIN_PASSWORD only when there is no account, and once', async () => {
    const t = await startTestApp();
    try {
      expect(t.core.users.users()).toEqual([
        expect.objectContaining({ email: TEST_ADMIN.email, role: 'admin', name: TEST_ADMIN.name }),
      ]);
      const created = t.core.store.readAll().filter((e) => e.type === 'UserCreated');
      expect(created.map((e) => [e.data, e.metadata.actor_id, e.metadata.source])).toEqual([
        [
          {
            user_id: t.adminId,
            email: TEST_ADMIN.email,
            name: TEST_ADMIN.name,
            role: 'admin',
            via: 'environment',
          },
          'system',
          'system',
        ],
      ]);
      await t.anon().get('/api/auth/setup-status').expect(200, { needs_setup: false });
      expect(await t.app.get(AccountsService).issueSetupToken()).toBeNull();
      // A restart with other bootstrap settings changes nothing: the admin exists.
      const again = await createApp(
        loadConfig({
          CRM_ENV: 'test',
          CRM_DATA_DIR: t.dataDir,
          CRM_ADMIN_EMAIL: 'other@fund.example',
          CRM_ADMIN_PASSWORD: 'Another-Strong-Pass-42',
        }),
        { logger: false },
      );
      await again.init();
      await again.close();
      expect(t.core.users.users().map((u) => u.email)).toEqual([TEST_ADMIN.email]);
    } finally {
      await t.close();
    }
  });

  describe('without bootstrap settings', () => {
    const t = apiSuite({ env: { CRM_ADMIN_EMAIL: '', CRM_ADMIN_PASSWORD: '' }, perTest: true });

    it('is made once through the one-time setup token, which signs the admin in', async () => {
      expect(t.token).toBe('');
      await t.anon().get('/api/auth/setup-status').expect(200, { needs_setup: true });
      const setup = (await t.app.get(AccountsService).issueSetupToken())!;
      expect(setup.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(Date.parse(setup.expires_at) - Date.now()).toBeGreaterThan(23.9 * 3_600_000);
      // Only a hash is kept.
      expect(JSON.stringify(t.core.db.prepare('SELECT * FROM setup_tokens').all())).not.toContain(
        setup.token,
      );
      const body = {
        token: setup.token,
        email: 'Founder@Fund.example',
        name: 'Founder',
        password: 'Granite-Orchard-Signal-5',
      };
      const res = await t.anon().post('/api/auth/setup').send(body).expect(201);
      expect(res.body).toEqual({
        access_token: expect.any(String),
        token_type: 'Bearer',
        expires_in: 43200,
        user: {
          id: expect.any(String),
          email: 'founder@fund.example',
          name: 'Founder',
          role: 'admin',
        },
      });
      expect(sessionCookie(res).value).toBe(res.body.access_token);
      await t
        .anon()
        .get('/api/admin/users')
        .set('Authorization', `Bearer ${res.body.access_token}`)
        .expect(200);
      await t.anon().get('/api/auth/setup-status').expect(200, { needs_setup: false });
      // Used: refused, and a second admin cannot come in this way.
      const reused = await t
        .anon()
        .post('/api/auth/setup')
        .send({ ...body, email: 'eve@evil.example' })
        .expect(403);
      expect(reused.body.message).toBe(
        'this setup link is not valid, was used or has expired; restart the server for a new one',
      );
      expect(await t.app.get(AccountsService).issueSetupToken()).toBeNull();
      expect(t.core.users.users()).toHaveLength(1);
      const event = t.core.store.readAll().find((e) => e.type === 'UserCreated')!;
      expect(event.data).toEqual({
        user_id: res.body.user.id,
        email: 'founder@fund.example',
        name: 'Founder',
        role: 'admin',
        via: 'setup',
      });
      expect(event.metadata).toMatchObject({ actor_id: res.body.user.id, actor_name: 'Founder' });
    });

    it('refuses an unknown, replaced or expired setup token, and a weak password, creating nobody', async () => {
      const accounts = t.app.get(AccountsService);
      const first = (await accounts.issueSetupToken())!;
      const second = (await accounts.issueSetupToken())!;
      const body = {
        email: 'founder@fund.example',
        name: 'Founder',
        password: 'Granite-Orchard-Signal-5',
      };
      await t
        .anon()
        .post('/api/auth/setup')
        .send({ ...body, token: first.token })
        .expect(403);
      await t
        .anon()
        .post('/api/auth/setup')
        .send({ ...body, token: 'A'.repeat(43) })
        .expect(403);
      await t
        .anon()
        .post('/api/auth/setup')
        .send({ ...body, token: 'short' })
        .expect(400);
      const weak = await t
        .anon()
        .post('/api/auth/setup')
        .send({ ...body, token: second.token, password: 'password' })
        .expect(400);
      expect(weak.body.message).toBe('the password must be at least 12 characters long');
      await t
        .anon()
        .post('/api/auth/setup')
        .send({ ...body, token: second.token, role: 'member' })
        .expect(400);
      t.core.db.prepare("UPDATE setup_tokens SET expires_at = '2020-01-01T00:00:00.000Z'").run();
      await t
        .anon()
        .post('/api/auth/setup')
        .send({ ...body, token: second.token })
        .expect(403);
      expect(t.core.users.userCount()).toBe(0);
      expect(t.core.store.readAll().filter((e) => e.stream_id.startsWith('user-'))).toEqual([]);
    });

    it('has every guarded route answer 401 while nobody can sign in', async () => {
      await t.anon().get('/api/fundraising/state').expect(401, UNAUTHORIZED);
      await t.anon().get('/api/admin/users').expect(401, UNAUTHORIZED);
      await t.anon().get('/api/health').expect(200);
    });
  });
});

describe('the signing key outside production', () => {
  it('is generated once into the data directory (0600), so sign-ins survive a restart', async () => {
    const t = await startTestApp();
    const file = join(t.dataDir, 'secret.key');
    try {
      expect(statSync(file).mode & 0o777).toBe(0o600);
      expect(statSync(t.dataDir).mode & 0o077).toBe(0);
      expect(t.config.secretKeySource).toBe('data-dir');
      const restarted = await createApp(
        loadConfig({ CRM_ENV: 'development', CRM_DATA_DIR: t.dataDir }),
        { logger: false },
      );
      await restarted.init();
      try {
        await request(restarted.getHttpServer())
          .get('/api/auth/me')
          .set('Authorization', `Bearer ${t.token}`)
          .expect(200);
      } finally {
        await restarted.close();
      }
      // A set CRM_SECRET_KEY wins, and then the old tokens stop working.
      const keyed = await createApp(
        loadConfig({
          CRM_ENV: 'development',
          CRM_DATA_DIR: t.dataDir,
          CRM_SECRET_KEY: 'k'.repeat(20) + 'another-key-of-enough-length',
        }),
        { logger: false },
      );
      await keyed.init();
      try {
        await request(keyed.getHttpServer())
          .get('/api/auth/me')
          .set('Authorization', `Bearer ${t.token}`)
          .expect(401, UNAUTHORIZED);
      } finally {
        await keyed.close();
      }
    } finally {
      await t.close();
    }
  });
});
