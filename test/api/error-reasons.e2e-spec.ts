import Database from 'better-sqlite3';
import type { ErrorBody, ErrorReason } from '@crm/contracts';
import {
  baseIds,
  createMember,
  startTestApp,
  type TestApp,
  type TestUser,
} from '../support/test-app';

/**
 * Every error answer carries a machine-readable `reason` beside its message, so that clients match
 * on it and never on the message's words. One case per kind of refusal.
 */
describe('error bodies carry a reason', () => {
  let t: TestApp;
  let member: TestUser;
  let ids: Awaited<ReturnType<typeof baseIds>>;

  beforeAll(async () => {
    t = await startTestApp({ CRM_BODY_LIMIT_MB: '1', CRM_BUSY_TIMEOUT_MS: '200' });
    member = await createMember(t);
    ids = await baseIds(t);
  });
  afterAll(() => t.close());

  const expectReason = (body: unknown, status: number, reason: ErrorReason) => {
    const b = body as ErrorBody;
    expect(b).toMatchObject({ statusCode: status, reason });
    expect(typeof b.message).toBe('string');
    expect(typeof b.error).toBe('string');
    expect(b.reason).toMatch(/^[a-z]+(_[a-z]+)*$/);
  };
  const changes = (body: unknown, key?: string) => {
    const r = t.http().post('/api/fundraising/changes');
    if (key) r.set('Idempotency-Key', key);
    return r.send(body as object);
  };
  const create = (name: string) => [
    { op: 'create', table_id: ids.investors, values: { [ids.inv('name')]: name } },
  ];

  it('400: a malformed request is validation_failed and names the field', async () => {
    const res = await changes({ changes: [{ op: 'paint' }] }).expect(400);
    expectReason(res.body, 400, 'validation_failed');
    expect(res.body.message).toMatch(/op must be one of/);
    expect(JSON.stringify(res.body.details)).toContain('op');
  });

  it('400: a value the field refuses is invalid_value and names the field', async () => {
    const res = await changes({
      changes: [
        {
          op: 'create',
          table_id: ids.investors,
          values: { [ids.inv('target_commitment')]: 'lots' },
        },
      ],
    }).expect(400);
    expectReason(res.body, 400, 'invalid_value');
    expect(res.body.details.field).toMatch(/target commitment/i);
  });

  it('400: a body that is not JSON is invalid_json (kept in details.reason too)', async () => {
    const res = await t
      .http()
      .post('/api/fundraising/changes')
      .set('Content-Type', 'application/json')
      .send('{"changes":')
      .expect(400);
    expectReason(res.body, 400, 'invalid_json');
    expect(res.body.details).toEqual({ field: 'body', reason: 'invalid_json' });
  });

  it('401: no credentials is unauthenticated', async () => {
    const res = await t.anon().get('/api/fundraising/state').expect(401);
    expectReason(res.body, 401, 'unauthenticated');
  });

  it('403: a member on an admin route is forbidden', async () => {
    const res = await member.http().get('/api/admin/users').expect(403);
    expectReason(res.body, 403, 'forbidden');
  });

  it('403: a used invite says which refusal it is', async () => {
    const invite = await t
      .http()
      .post('/api/admin/invites')
      .send({ email: 'reason-invitee@fund.example', role: 'member' })
      .expect(201);
    const accept = () =>
      t.anon().post('/api/auth/accept-invite').send({
        token: invite.body.token,
        name: 'Ivy Invitee',
        password: 'Amber-Lighthouse-Quartz-8',
      });
    await accept().expect(201);
    const again = await accept().expect(403);
    expectReason(again.body, 403, 'invite_used');
    expect(again.body.details).toEqual({ field: 'token', reason: 'used' });
  });

  it('404: an unknown record and an unknown route are not_found', async () => {
    const record = await t.http().get('/api/fundraising/records/recAAAAAAAAAAAAAA').expect(404);
    expectReason(record.body, 404, 'not_found');
    const route = await t.http().get('/api/no-such-route').expect(404);
    expectReason(route.body, 404, 'not_found');
  });

  it('409: a stale whole-document version is wrong_expected_version', async () => {
    await changes({ changes: create('Reason Stale LP') }).expect(200);
    const head = t.core.store.lastPosition();
    const res = await t
      .http()
      .put('/api/fundraising/state')
      .send({ expected_version: head - 1, state: { tables: [] } })
      .expect(409);
    expectReason(res.body, 409, 'wrong_expected_version');
  });

  it('409: restoring with a preview the log has moved past is stale_preview', async () => {
    const preview = await t
      .http()
      .post('/api/fundraising/restore-preview')
      .send({ position: 5 })
      .expect(200);
    await changes({ changes: create('Moves the head') }).expect(200);
    const res = await t
      .http()
      .post('/api/fundraising/restore')
      .send({ token: preview.body.token })
      .expect(409);
    expectReason(res.body, 409, 'stale_preview');
  });

  it('413: a body over the limit is payload_too_large', async () => {
    const res = await changes({ changes: create('x'.repeat(1_100_000)) }).expect(413);
    expectReason(res.body, 413, 'payload_too_large');
  });

  it('415: a body that is not JSON by its type is unsupported_media_type', async () => {
    const res = await t
      .http()
      .post('/api/fundraising/changes')
      .set('Content-Type', 'text/plain')
      .send('changes')
      .expect(415);
    expectReason(res.body, 415, 'unsupported_media_type');
  });

  it('422: an Idempotency-Key reused for another body is idempotency_key_reused', async () => {
    await changes({ changes: create('First') }, 'reason-key-0001').expect(200);
    const res = await changes({ changes: create('Second') }, 'reason-key-0001').expect(422);
    expectReason(res.body, 422, 'idempotency_key_reused');
    expect(res.body.details).toEqual({ field: 'Idempotency-Key', reason: 'key_reused' });
  });

  it('429: too many failed sign-ins is rate_limited', async () => {
    const login = () =>
      t
        .anon()
        .post('/api/auth/login')
        .send({ email: 'nobody-here@fund.example', password: 'Not-The-Password-1' });
    let res = await login();
    for (let i = 0; i < 10 && res.status !== 429; i++) {
      expectReason(res.body, 401, 'unauthenticated');
      res = await login();
    }
    expectReason(res.body, 429, 'rate_limited');
  });

  it('503: a write lock held past the busy timeout is database_busy', async () => {
    const holder = new Database(t.config.databaseFile);
    try {
      holder.exec('BEGIN IMMEDIATE');
      const res = await changes({ changes: create('Waits for the lock') }).expect(503);
      expectReason(res.body, 503, 'database_busy');
      expect(res.body.details.reason).toBe('database_busy');
      expect(res.headers['retry-after']).toBe('1');
    } finally {
      holder.exec('ROLLBACK');
      holder.close();
    }
    await changes({ changes: create('After the lock') }).expect(200);
  });
});
