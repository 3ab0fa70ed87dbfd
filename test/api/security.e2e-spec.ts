import { createHmac, generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as jwt from 'jsonwebtoken';
import request from 'supertest';
import { createApp } from '../../apps/api/src/app.factory';
import {
  jwtSigningKey,
  TOKEN_AUDIENCE,
  TOKEN_ISSUER,
} from '../../apps/api/src/capabilities/auth/token.service';
import { loadConfig } from '../../apps/api/src/config/app-config';
import { coreOf } from '../support/core-handles';
import { apiSuite } from '../support/api-suite';
import {
  createMember,
  createUser,
  startTestApp,
  TEST_ADMIN,
  type TestApp,
} from '../support/test-app';

const UNAUTHORIZED = {
  statusCode: 401,
  error: 'Unauthorized',
  message: 'sign in to continue',
  reason: 'unauthenticated',
};
const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
const now = () => Math.floor(Date.now() / 1000);

describe('tokens', () => {
  const t = apiSuite({ member: true });
  const member = t.member;
  let key: Buffer;
  const good = () => ({
    sub: t.adminId,
    ver: 0,
    iss: TOKEN_ISSUER,
    aud: TOKEN_AUDIENCE,
    iat: now(),
    exp: now() + 600,
  });
  const hs = (payload: object, secret: Buffer | string = key, header: object = {}) =>
    jwt.sign(payload, secret, {
      algorithm: 'HS256',
      header: { alg: 'HS256', typ: 'JWT', ...header },
    });
  const call = (token: string) =>
    t.anon().get('/api/admin/users').set('Authorization', `Bearer ${token}`);

  beforeAll(async () => {
    key = jwtSigningKey(t.config.secretKey!);
  });

  it('accepts a token signed as the server signs them (the control for the cases below)', async () => {
    await call(hs(good())).expect(200);
    await call(t.token).expect(200);
  });

  const attacks: [string, () => string][] = [
    ['alg none, unsigned', () => `${b64({ alg: 'none', typ: 'JWT' })}.${b64(good())}.`],
    [
      'alg none with a signature',
      () => `${b64({ alg: 'none', typ: 'JWT' })}.${b64(good())}.${t.token.split('.')[2]}`,
    ],
    ['alg NONE', () => `${b64({ alg: 'NONE', typ: 'JWT' })}.${b64(good())}.`],
    [
      'forged payload under a real signature',
      () => {
        const [h, , s] = t.token.split('.');
        return `${h}.${b64({ ...good(), sub: member.id })}.${s}`;
      },
    ],
    [
      "a member's token with the subject edited to the admin",
      () => {
        const [h, p, s] = member.token.split('.');
        const claims = JSON.parse(Buffer.from(p, 'base64url').toString());
        return `${h}.${b64({ ...claims, sub: t.adminId, role: 'admin' })}.${s}`;
      },
    ],
    [
      'signed with another secret',
      () => hs(good(), jwtSigningKey('another-secret-of-at-least-32-bytes!!')),
    ],
    [
      'signed with the raw CRM_SECRET_KEY instead of the derived key',
      () => hs(good(), t.config.secretKey!),
    ],
    [
      'signed with an empty key',
      () => {
        const hp = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64(good())}`;
        return `${hp}.${createHmac('sha256', '').update(hp).digest('base64url')}`;
      },
    ],
    [
      'HS512 with the right key (algorithm switched)',
      () => jwt.sign(good(), key, { algorithm: 'HS512' }),
    ],
    [
      'RS256 with an attacker key pair',
      () =>
        jwt.sign(good(), generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey, {
          algorithm: 'RS256',
        }),
    ],
    [
      'RS256 header over an HMAC signature',
      () => {
        const hp = `${b64({ alg: 'RS256', typ: 'JWT' })}.${b64(good())}`;
        return `${hp}.${createHmac('sha256', key).update(hp).digest('base64url')}`;
      },
    ],
    [
      'jku/kid pointing elsewhere, wrong key',
      () =>
        hs(good(), 'attacker-key-attacker-key-attacker-key', {
          kid: 'attacker',
          jku: 'https://evil.example/jwks.json',
        }),
    ],
    ['expired 5 minutes ago', () => hs({ ...good(), iat: now() - 3600, exp: now() - 300 })],
    ['not valid for another 5 minutes (nbf)', () => hs({ ...good(), nbf: now() + 300 })],
    [
      'issued a day in the future (iat)',
      () => hs({ ...good(), iat: now() + 86_400, exp: now() + 86_400 + 600 }),
    ],
    ['issued 2 minutes in the future (iat)', () => hs({ ...good(), iat: now() + 120 })],
    ['without iat', () => jwt.sign(good(), key, { algorithm: 'HS256', noTimestamp: true })],
    [
      'without exp',
      () => {
        const { exp: _exp, ...rest } = good();
        return hs(rest);
      },
    ],
    ['wrong audience', () => hs({ ...good(), aud: 'some-other-api' })],
    [
      'no audience',
      () => {
        const { aud: _aud, ...rest } = good();
        return hs(rest);
      },
    ],
    ['wrong issuer', () => hs({ ...good(), iss: 'evil' })],
    ['unknown user', () => hs({ ...good(), sub: 'usr_does_not_exist' })],
    ['stale token version', () => hs({ ...good(), ver: 7 })],
    ['token version as text', () => hs({ ...good(), ver: '0' })],
    ['garbage', () => 'not.a.token'],
    ['empty', () => ''],
  ];

  it.each(attacks)('refuses %s with the one generic 401', async (_, make) => {
    const res = await call(make()).expect(401);
    expect(res.body).toEqual(UNAUTHORIZED);
    expect(res.headers['set-cookie']).toBeUndefined();
  });

  it.each([
    ['Basic YWRtaW46YWRtaW4='],
    ['Bearer'],
    ['Bearer  two  spaces'],
    ['bearer lowercase.scheme.x'],
    ['Token abc.def.ghi'],
  ])('refuses the Authorization header %j with the same 401', async (header) => {
    const res = await t.anon().get('/api/auth/me').set('Authorization', header).expect(401);
    expect(res.body).toEqual(UNAUTHORIZED);
  });

  it('allows 30 s of clock skew on exp, no more', async () => {
    await call(hs({ ...good(), iat: now() - 700, exp: now() - 10 })).expect(200);
    await call(hs({ ...good(), iat: now() - 700, exp: now() - 60 })).expect(401);
  });

  it('allows 30 s of clock skew on iat and nbf (a server clock a little behind), no more', async () => {
    await call(hs({ ...good(), iat: now() + 20 })).expect(200);
    await call(hs({ ...good(), nbf: now() + 20 })).expect(200);
    await call(hs({ ...good(), iat: now() + 45 })).expect(401);
    await call(hs({ ...good(), nbf: now() + 45 })).expect(401);
  });

  it('does not fall back to the cookie when a bad Bearer header is sent', async () => {
    await t
      .anon()
      .get('/api/auth/me')
      .set('Authorization', 'Bearer x.y.z')
      .set('Cookie', `crm_session=${t.token}`)
      .expect(401);
  });

  it('takes the role from the account as it is now, not from the token', async () => {
    const bea = await createMember(t);
    await bea.http().get('/api/admin/users').expect(403);
    // A token that claims a role changes nothing.
    await call(
      hs({
        sub: bea.id,
        ver: 0,
        role: 'admin',
        iss: TOKEN_ISSUER,
        aud: TOKEN_AUDIENCE,
        exp: now() + 60,
      }),
    ).expect(403);
  });
});

describe('rate limits', () => {
  const login = (t: TestApp, email: string, password: string, xff?: string) => {
    const r = t.anon().post('/api/auth/login');
    if (xff) r.set('X-Forwarded-For', xff);
    return r.send({ email, password });
  };

  it('stops 50 wrong passwords after 5 a minute, with Retry-After, and a spoofed X-Forwarded-For does not reset it', async () => {
    const t = await startTestApp();
    try {
      const victim = await createMember(t);
      const statuses: number[] = [];
      for (let i = 0; i < 50; i++) {
        const res = await login(
          t,
          victim.email,
          `Wrong-Password-${i}`,
          i % 2 ? `198.51.100.${i}` : undefined,
        );
        statuses.push(res.status);
        if (res.status === 429) {
          expect(Number(res.headers['retry-after'])).toBeGreaterThanOrEqual(1);
          expect(Number(res.headers['retry-after'])).toBeLessThanOrEqual(60);
          expect(res.body).toEqual({
            statusCode: 429,
            error: 'Too Many Requests',
            message: 'too many requests; wait a minute and try again',
            reason: 'rate_limited',
          });
        }
      }
      expect(statuses).toEqual([...Array(5).fill(401), ...Array(45).fill(429)]);
      // The right password does not get through the block either.
      await login(t, victim.email, victim.password, '203.0.113.99').expect(429);
      // Another account from the same address is not blocked by it.
      const other = await createMember(t);
      await login(t, other.email, other.password).expect(200);
    } finally {
      await t.close();
    }
  });

  it('stops password spraying: one attempt each at many addresses from one IP', async () => {
    const t = await startTestApp();
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 40; i++)
        statuses.push(
          (await login(t, `person${i}@fund.example`, 'Spring-Garden-2026', `192.0.2.${i}`)).status,
        );
      // 30 a minute from one address; the harness's own sign-in as admin was the first.
      expect(statuses).toEqual([...Array(29).fill(401), ...Array(11).fill(429)]);
    } finally {
      await t.close();
    }
  });

  it('honours X-Forwarded-For only behind a trusted proxy, and then only the address the proxy added', async () => {
    const t = await startTestApp({ CRM_TRUST_PROXY: 'true' });
    try {
      // The attacker rotates the part they control; the proxy appends their real address last.
      const statuses: number[] = [];
      const victim = await createMember(t);
      for (let i = 0; i < 8; i++)
        statuses.push(
          (await login(t, victim.email, `Wrong-${i}-password`, `10.9.8.${i}, 203.0.113.7`)).status,
        );
      expect(statuses).toEqual([...Array(5).fill(401), ...Array(3).fill(429)]);
      // The real admin, behind the same proxy at another address, is not locked out.
      await login(t, victim.email, victim.password, '203.0.113.8').expect(200);
    } finally {
      await t.close();
    }
  });

  it('limits accept-invite, invite look-ups and setup per IP', async () => {
    const t = await startTestApp();
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 6; i++)
        statuses.push(
          (
            await t
              .anon()
              .post('/api/auth/accept-invite')
              .send({ token: 'C'.repeat(43), name: 'X', password: 'Whatever-Long-Pass-1' })
          ).status,
        );
      for (let i = 0; i < 3; i++)
        statuses.push(
          (
            await t
              .anon()
              .post('/api/auth/invite-info')
              .send({ token: 'D'.repeat(43) })
          ).status,
        );
      for (let i = 0; i < 3; i++)
        statuses.push(
          (
            await t
              .anon()
              .post('/api/auth/setup')
              .send({
                token: 'E'.repeat(43),
                email: 'a@b.example',
                name: 'A',
                password: 'Whatever-Long-Pass-1',
              })
          ).status,
        );
      // 10 a minute per route and address.
      expect(statuses.slice(0, 6)).toEqual(Array(6).fill(403));
      const more: number[] = [];
      for (let i = 0; i < 6; i++)
        more.push(
          (
            await t
              .anon()
              .post('/api/auth/accept-invite')
              .send({ token: 'C'.repeat(43), name: 'X', password: 'Whatever-Long-Pass-1' })
          ).status,
        );
      expect(more).toEqual([403, 403, 403, 403, 429, 429]);
    } finally {
      await t.close();
    }
  });

  it('limits writes per address and user, generously by default, and never reads', async () => {
    expect(loadConfig({}).rateLimits.writesPerMinute).toBeGreaterThanOrEqual(5 * 5 * 60); // 5x a 5-edits/s editor
    const t = await startTestApp({ CRM_RATE_LIMIT_WRITES_PER_MINUTE: '60' });
    try {
      const table = (await t.http().get('/api/fundraising/state')).body.tables[0].id;
      const write = (u: { http: () => request.Agent }) =>
        u
          .http()
          .post('/api/fundraising/changes')
          .send({ changes: [{ op: 'create', table_id: table, values: {} }] });
      const admin = { http: t.http };
      for (let i = 0; i < 60; i++) await write(admin).expect(200);
      const limited = await write(admin).expect(429);
      expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
      await t.http().get('/api/fundraising/state').expect(200);
      // One budget across write routes: creating a user is a write too.
      await t
        .http()
        .post('/api/admin/users')
        .send({
          email: 'late@fund.example',
          name: 'Late',
          role: 'member',
          password: 'Late-Arrival-Member-1',
        })
        .expect(429);
      // Another person at the same address has their own budget.
      const other = await createUserDirectly(t);
      await write(other).expect(200);
    } finally {
      await t.close();
    }
  });
});

/** A member made through the core (not over HTTP, which is rate limited in the test above). */
async function createUserDirectly(t: TestApp) {
  const { AccountsService } =
    await import('../../apps/api/src/capabilities/users/accounts.service');
  const { AuthService } = await import('../../apps/api/src/capabilities/auth/auth.service');
  const user = await t.app.get(AccountsService).createUser(
    {
      email: 'direct@fund.example',
      name: 'Direct',
      role: 'member',
      password: 'Direct-Path-Member-1',
    },
    { id: t.adminId, name: 'Admin', role: 'admin' },
  );
  const token = t.app.get(AuthService).signedIn(user).access_token;
  return { http: () => t.anon().set('Authorization', `Bearer ${token}`) };
}

describe('CORS', () => {
  const ORIGIN = 'https://crm.example';
  const t = apiSuite({ env: { CRM_CORS_ORIGIN: `${ORIGIN}, https://admin.crm.example` } });

  it('echoes a listed origin exactly, with credentials and Vary: Origin', async () => {
    const res = await t.anon().get('/api/health').set('Origin', ORIGIN).expect(200);
    expect(res.headers['access-control-allow-origin']).toBe(ORIGIN);
    expect(res.headers['access-control-allow-credentials']).toBe('true');
    expect(res.headers.vary).toMatch(/Origin/);
    const pre = await t
      .anon()
      .options('/api/fundraising/changes')
      .set('Origin', ORIGIN)
      .set('Access-Control-Request-Method', 'POST')
      .set('Access-Control-Request-Headers', 'content-type,authorization,x-requested-with')
      .expect(204);
    expect(pre.headers['access-control-allow-origin']).toBe(ORIGIN);
    expect(pre.headers['access-control-allow-headers']).toBe(
      'Authorization,Content-Type,Idempotency-Key,X-Requested-With,Last-Event-ID',
    );
  });

  it.each([
    'https://evil.example',
    'null',
    'https://crm.example.evil.com',
    'https://evilcrm.example',
    'https://CRM.EXAMPLE',
    'http://crm.example',
    'https://crm.example:8443',
    'https://crm.example/',
  ])('gives no CORS headers to %s, on requests and preflights', async (origin) => {
    const res = await t.anon().get('/api/health').set('Origin', origin).expect(200);
    const pre = await t
      .anon()
      .options('/api/fundraising/changes')
      .set('Origin', origin)
      .set('Access-Control-Request-Method', 'POST');
    for (const r of [res, pre]) {
      expect(Object.keys(r.headers).filter((h) => h.startsWith('access-control-'))).toEqual([]);
    }
    // A cross-site request still needs a token: CORS is not the lock.
    await t
      .anon()
      .post('/api/fundraising/changes')
      .set('Origin', origin)
      .send({ changes: [] })
      .expect(401);
  });

  it('never answers *, and same-origin use needs no setting', async () => {
    const plain = await startTestApp();
    try {
      for (const origin of ['https://crm.example', 'http://127.0.0.1', 'null']) {
        const res = await plain.anon().get('/api/health').set('Origin', origin);
        expect(res.headers['access-control-allow-origin']).toBeUndefined();
      }
      await plain.http().get('/api/fundraising/state').expect(200);
    } finally {
      await plain.close();
    }
    const res = await t.anon().get('/api/health').set('Origin', ORIGIN);
    expect(res.headers['access-control-allow-origin']).not.toBe('*');
  });
});

describe('security headers and error bodies', () => {
  const t = apiSuite();

  it.each([
    ['/api/health', 200],
    ['/api/fundraising/state', 401],
    ['/api/nowhere', 404],
    ['/', 404],
  ])('sets the headers on %s', async (path, status) => {
    const res = await t.anon().get(path).expect(status);
    const csp = String(res.headers['content-security-policy']);
    for (const d of [
      "default-src 'self'",
      "object-src 'none'",
      "frame-ancestors 'none'",
      "base-uri 'none'",
      "script-src 'self'",
    ])
      expect(csp).toContain(d);
    expect(csp).not.toContain('unsafe-eval');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-frame-options']).toBe('DENY');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    expect(res.headers['x-powered-by']).toBeUndefined();
    expect(res.headers['strict-transport-security']).toBeUndefined(); // not production, not HTTPS
    if (path.startsWith('/api')) expect(res.headers['cache-control']).toBe('no-store');
  });

  it('in production: HSTS, a Secure cookie, and no stack trace or internal message in error bodies', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'crm-prod-'));
    const app = await createApp(
      loadConfig({
        CRM_ENV: 'production',
        CRM_DATA_DIR: dir,
        CRM_SECRET_KEY: 'q7J2nX9vK4mR8tY1wZ5pL3sD6fG0hB2cV7xN4',
        CRM_ADMIN_EMAIL: 'root@fund.example',
        CRM_ADMIN_PASSWORD: 'Production-Root-Pass-77',
      }),
      { logger: false },
    );
    await app.init();
    try {
      const http = () => request(app.getHttpServer());
      const login = await http()
        .post('/api/auth/login')
        .send({ email: 'root@fund.example', password: 'Production-Root-Pass-77' })
        .expect(200);
      expect(String(login.headers['set-cookie'])).toMatch(/; Secure/);
      expect(login.headers['strict-transport-security']).toBe('max-age=31536000');
      const bad = await http()
        .post('/api/auth/login')
        .set('Content-Type', 'application/json')
        .send('{"email":')
        .expect(400);
      expect(bad.body).toEqual({
        statusCode: 400,
        error: 'Bad Request',
        message: 'the request body is not valid JSON',
        reason: 'invalid_json',
        details: { field: 'body', reason: 'invalid_json' },
      });
      // Break the database under the app: a 500 says nothing about why.
      coreOf(app).db.close();
      const boom = await http()
        .get('/api/fundraising/state')
        .set('Authorization', `Bearer ${login.body.access_token}`)
        .expect(500);
      expect(boom.body).toEqual({
        statusCode: 500,
        error: 'Internal Server Error',
        message: 'an unexpected error occurred; nothing was saved',
        reason: 'internal_error',
      });
      expect(JSON.stringify(boom.body)).not.toMatch(/ at |\.ts:|\.js:|database/i);
    } finally {
      await app.close().catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('GET /api/security/status', () => {
  it('lists the go-live checks for admins only', async () => {
    const t = await startTestApp();
    try {
      const member = await createMember(t);
      await member.http().get('/api/security/status').expect(403);
      await t.anon().get('/api/security/status').expect(401);
      const res = await t.http().get('/api/security/status').expect(200);
      const byId = Object.fromEntries(
        (res.body.checks as { id: string; status: string; message: string }[]).map((c) => [
          c.id,
          c.status,
        ]),
      );
      expect(res.body.checks.map((c: { id: string }) => c.id)).toEqual([
        'secret_key',
        'environment',
        'cors',
        'https',
        'admins',
        'invites',
        'bootstrap_password',
        'rate_limiting',
        'backups',
      ]);
      expect(byId).toEqual({
        secret_key: 'warn',
        environment: 'warn',
        cors: 'pass',
        https: 'warn',
        admins: 'warn',
        invites: 'pass',
        bootstrap_password: 'warn',
        rate_limiting: 'pass',
        backups: 'warn',
      });
      for (const c of res.body.checks) expect(c.message).toEqual(expect.any(String));
      expect(JSON.stringify(res.body)).not.toContain(t.config.secretKey!);
      expect(JSON.stringify(res.body)).not.toContain(TEST_ADMIN.password);
      await t
        .http()
        .post('/api/admin/invites')
        .send({ email: 'new@fund.example', role: 'member' })
        .expect(201);
      await createUser(t, { role: 'admin' });
      const after = (await t.http().get('/api/security/status').expect(200)).body.checks as {
        id: string;
        status: string;
        message: string;
      }[];
      expect(after.find((c) => c.id === 'invites')).toEqual({
        id: 'invites',
        status: 'warn',
        message:
          '1 invite outstanding; revoke the ones nobody will use (each link opens an account)',
      });
      expect(after.find((c) => c.id === 'admins')).toEqual({
        id: 'admins',
        status: 'pass',
        message: '2 active admins',
      });
    } finally {
      await t.close();
    }
  });

  it('passes the configuration checks of a production deployment behind a TLS proxy', async () => {
    const t = await startTestApp({
      CRM_ENV: 'production',
      CRM_SECRET_KEY: 'r8K3mW6qT1zP9xV2nB5cF7hJ4sL0dG8aY3uE6',
      CRM_PUBLIC_URL: 'https://crm.fund.example',
      CRM_TRUST_PROXY: 'true',
      CRM_CORS_ORIGIN: 'https://grid.fund.example',
      CRM_ADMIN_EMAIL: '',
      CRM_ADMIN_PASSWORD: '',
    });
    try {
      const { AccountsService } =
        await import('../../apps/api/src/capabilities/users/accounts.service');
      const { AuthService } = await import('../../apps/api/src/capabilities/auth/auth.service');
      const admin = await t.app
        .get(AccountsService)
        .createUser(
          { email: 'a@fund.example', name: 'A', role: 'admin', password: 'Harbour-Window-Cedar-1' },
          { id: 'system', name: 'System', role: 'system' },
        );
      const token = t.app.get(AuthService).signedIn(admin).access_token;
      const res = await t
        .anon()
        .get('/api/security/status')
        .set('Authorization', `Bearer ${token}`)
        .set('X-Forwarded-Proto', 'https')
        .expect(200);
      const byId = Object.fromEntries(
        (res.body.checks as { id: string; status: string }[]).map((c) => [c.id, c.status]),
      );
      expect(byId).toMatchObject({
        secret_key: 'pass',
        environment: 'pass',
        cors: 'pass',
        https: 'pass',
        invites: 'pass',
        bootstrap_password: 'pass',
        rate_limiting: 'pass',
      });
    } finally {
      await t.close();
    }
  });
});
