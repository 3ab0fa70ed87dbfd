import { beforeAll, describe, expect, it } from '@jest/globals';
import http from 'node:http';
import { type AddressInfo } from 'node:net';
import { INLINE_RECOMPUTE_LIMIT } from '../../apps/api/src/capabilities/fundraising/projectors/formula-backlog';
import { openCore } from '../support/core-handles';
import { dumpReadModels } from '../support/read-models';
import { SYSTEM_ACTOR } from '../../apps/api/src/infrastructure/request-context/actor';
import { apiSuite } from '../support/api-suite';
import { baseIds, createMember } from '../support/test-app';

interface Frame {
  id: string | null;
  event: string;
  data: {
    last?: number;
    version?: number;
    events?: {
      position: number;
      type: string;
      data: Record<string, unknown>;
      actor_id: string;
      actor_name: string | null;
    }[];
  };
}

/** Reads server-sent events until `done` says enough (or the time is up), then closes the connection. */
function readStream(
  port: number,
  path: string,
  headers: Record<string, string>,
  done: (frames: Frame[]) => boolean,
  timeoutMs = 5000,
): Promise<{ status: number; type: string; frames: Frame[] }> {
  return new Promise((resolve, reject) => {
    const frames: Frame[] = [];
    let buffer = '';
    const req = http.get({ host: '127.0.0.1', port, path, headers }, (res) => {
      const finish = () => {
        clearTimeout(timer);
        req.destroy();
        resolve({
          status: res.statusCode ?? 0,
          type: String(res.headers['content-type'] ?? ''),
          frames,
        });
      };
      const timer = setTimeout(finish, timeoutMs);
      if (res.statusCode !== 200) {
        res.resume();
        return finish();
      }
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffer += chunk;
        let i: number;
        while ((i = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, i);
          buffer = buffer.slice(i + 2);
          const lines = block.split('\n').filter((l) => l && !l.startsWith(':'));
          const field = (name: string) =>
            lines
              .filter((l) => l.startsWith(`${name}:`))
              .map((l) => l.slice(name.length + 1).trim());
          const data = field('data').join('\n');
          if (!data) continue;
          frames.push({
            id: field('id')[0] ?? null,
            event: field('event')[0] ?? 'message',
            data: JSON.parse(data),
          });
        }
        if (done(frames)) finish();
      });
    });
    req.on('error', (e) =>
      (e as NodeJS.ErrnoException).code === 'ECONNRESET' ? undefined : reject(e),
    );
  });
}

interface OpenStream {
  /** The status of the answer, once its headers arrive. */
  status: Promise<number>;
  /** The JSON body of a refusal. */
  body: Promise<Record<string, unknown>>;
  frames: Frame[];
  /** Settles when the server ends the stream, with the time it did. */
  ended: Promise<number>;
  /** Resolves once some frame satisfies the check (rejects after 5 s). */
  until(check: (frames: Frame[]) => boolean): Promise<void>;
  close(): void;
}

/** A live stream that stays open until the server or the test ends it. */
function openStream(port: number, path: string, headers: Record<string, string>): OpenStream {
  const frames: Frame[] = [];
  const waiters: { check: (f: Frame[]) => boolean; resolve: () => void }[] = [];
  let setStatus!: (n: number) => void;
  let setBody!: (b: Record<string, unknown>) => void;
  let setEnded!: (at: number) => void;
  const status = new Promise<number>((r) => (setStatus = r));
  const body = new Promise<Record<string, unknown>>((r) => (setBody = r));
  const ended = new Promise<number>((r) => (setEnded = r));
  let buffer = '';
  const req = http.get({ host: '127.0.0.1', port, path, headers }, (res) => {
    setStatus(res.statusCode ?? 0);
    res.setEncoding('utf8');
    if (res.statusCode !== 200) {
      let text = '';
      res.on('data', (c: string) => (text += c));
      res.on('end', () => setBody(JSON.parse(text || '{}')));
      return;
    }
    res.on('data', (chunk: string) => {
      buffer += chunk;
      let i: number;
      while ((i = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, i);
        buffer = buffer.slice(i + 2);
        const lines = block.split('\n').filter((l) => l && !l.startsWith(':'));
        const field = (name: string) =>
          lines.filter((l) => l.startsWith(`${name}:`)).map((l) => l.slice(name.length + 1).trim());
        const data = field('data').join('\n');
        if (data)
          frames.push({
            id: field('id')[0] ?? null,
            event: field('event')[0] ?? 'message',
            data: JSON.parse(data),
          });
      }
      for (const w of [...waiters])
        if (w.check(frames)) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve();
        }
    });
    res.on('end', () => setEnded(Date.now()));
  });
  req.on('error', () => setEnded(Date.now()));
  return {
    status,
    body,
    frames,
    ended,
    until: (check) =>
      new Promise<void>((resolve, reject) => {
        if (check(frames)) return resolve();
        const timer = setTimeout(
          () =>
            reject(
              new Error(
                `the stream never showed what was waited for; got ${JSON.stringify(frames)}`,
              ),
            ),
          5000,
        );
        waiters.push({
          check,
          resolve: () => {
            clearTimeout(timer);
            resolve();
          },
        });
      }),
    close: () => req.destroy(),
  };
}

const eventsOf = (frames: Frame[]) => frames.flatMap((f) => f.data.events ?? []);

describe('GET /api/fundraising/events/stream', () => {
  const t = apiSuite();
  let port: number;
  let auth: Record<string, string>;

  beforeAll(async () => {
    const server = t.app.getHttpServer() as http.Server;
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    port = (server.address() as AddressInfo).port;
    auth = { Authorization: `Bearer ${t.token}` };
  });

  async function createInvestors(names: string[]): Promise<number> {
    const ids = await baseIds(t);
    const res = await t
      .http()
      .post('/api/fundraising/changes')
      .send({
        changes: names.map((n) => ({
          op: 'create',
          table_id: ids.investors,
          values: { [ids.inv('name')]: n },
        })),
      })
      .expect(200);
    return res.body.version as number;
  }

  it('refuses a caller who is not signed in', async () => {
    const res = await readStream(port, '/api/fundraising/events/stream', {}, () => true, 1000);
    expect(res.status).toBe(401);
  });

  it('refuses an after that is not a log position', async () => {
    const res = await readStream(
      port,
      '/api/fundraising/events/stream?after=abc',
      auth,
      () => true,
      1000,
    );
    expect(res.status).toBe(400);
  });

  it('pushes a new edit to a connected client within two seconds, with its position as the event id', async () => {
    const head = (await baseIds(t)).version;
    const started = Date.now();
    const reading = readStream(
      port,
      `/api/fundraising/events/stream?after=${head}`,
      auth,
      (f) => eventsOf(f).some((e) => e.type === 'RecordCreated'),
      4000,
    );
    await new Promise((r) => setTimeout(r, 200));
    const version = await createInvestors(['Live Capital']);
    const res = await reading;
    expect(res.type).toMatch(/^text\/event-stream/);
    const created = eventsOf(res.frames).find((e) => e.type === 'RecordCreated')!;
    expect(created).toBeDefined();
    expect(Date.now() - started).toBeLessThan(2500);
    expect(created.position).toBe(version);
    expect(res.frames[res.frames.length - 1].id).toBe(String(version));
    expect(created.actor_name).toBe('Ada Admin');
  });

  it('resumes after Last-Event-ID: every later event once, none before it', async () => {
    const first = await createInvestors(['Resume One']);
    await createInvestors(['Resume Two']);
    const last = await createInvestors(['Resume Three']);
    const res = await readStream(
      port,
      '/api/fundraising/events/stream?after=0',
      { ...auth, 'Last-Event-ID': String(first) },
      (f) => f.some((x) => x.data.last === last),
      3000,
    );
    const positions = eventsOf(res.frames).map((e) => e.position);
    expect(positions.length).toBeGreaterThan(0);
    expect(Math.min(...positions)).toBeGreaterThan(first);
    expect(new Set(positions).size).toBe(positions.length);
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
    const names = eventsOf(res.frames)
      .filter((e) => e.type === 'RecordCreated')
      .map((e) => Object.values(e.data.values as Record<string, unknown>)[0]);
    expect(names).toEqual(['Resume Two', 'Resume Three']);
  });

  it('sends only fundraising events; account events advance the position but stay on the server', async () => {
    const before = (await baseIds(t)).version;
    await t
      .http()
      .post('/api/admin/invites')
      .send({ email: 'stream-test@fund.example', role: 'member' })
      .expect(201);
    const version = await createInvestors(['After Invite']);
    const res = await readStream(
      port,
      `/api/fundraising/events/stream?after=${before}`,
      auth,
      (f) => f.some((x) => x.data.last === version),
      3000,
    );
    const types = eventsOf(res.frames).map((e) => e.type);
    expect(types).toEqual(['RecordCreated']);
    expect(JSON.stringify(res.frames)).not.toContain('stream-test@fund.example');
  });

  const namesIn = (frames: Frame[]) =>
    eventsOf(frames)
      .filter((e) => e.type === 'RecordCreated')
      .map((e) => Object.values(e.data.values as Record<string, unknown>)[0]);

  describe('sessions end everywhere: an open stream of a user who is signed out closes at once', () => {
    it.each([
      [
        'logs out',
        async (member: { id: string; token: string }) => {
          await t
            .anon()
            .post('/api/auth/logout')
            .set('Authorization', `Bearer ${member.token}`)
            .expect((r) => expect(r.status).toBeLessThan(300));
        },
      ],
      [
        'is disabled by an admin',
        async (member: { id: string }) => {
          await t
            .http()
            .patch(`/api/admin/users/${member.id}`)
            .send({ disabled: true })
            .expect(200);
        },
      ],
      [
        'has their role changed',
        async (member: { id: string }) => {
          await t.http().patch(`/api/admin/users/${member.id}`).send({ role: 'admin' }).expect(200);
        },
      ],
    ])(
      'when the user %s: the stream ends within a second, says why, and sends nothing written after',
      async (what, act) => {
        const member = await createMember(t);
        const headers = { Authorization: `Bearer ${member.token}` };
        const stream = openStream(
          port,
          `/api/fundraising/events/stream?after=${t.core.store.lastPosition()}`,
          headers,
        );
        expect(await stream.status).toBe(200);
        await createInvestors([`Before ${what}`]);
        await stream.until((f) => namesIn(f).includes(`Before ${what}`));
        const changedAt = Date.now();
        await act(member);
        await createInvestors([`After ${what}`]);
        const endedAt = await stream.ended;
        expect(endedAt - changedAt).toBeLessThan(1000);
        expect(stream.frames.at(-1)).toMatchObject({
          event: 'session-ended',
          data: { reason: 'signed_out' },
        });
        expect(namesIn(stream.frames)).toEqual([`Before ${what}`]);
        // The same token opens no new stream.
        const again = openStream(port, '/api/fundraising/events/stream', headers);
        expect(await again.status).toBe(401);
      },
    );

    it('also when another process on the same database disables the user (a CLI, a second API process)', async () => {
      const member = await createMember(t);
      const stream = openStream(
        port,
        `/api/fundraising/events/stream?after=${t.core.store.lastPosition()}`,
        { Authorization: `Bearer ${member.token}` },
      );
      expect(await stream.status).toBe(200);
      const other = await openCore({ databaseFile: t.config.databaseFile, seed: false });
      try {
        const changedAt = Date.now();
        await other.accounts.updateUser(
          member.id,
          { disabled: true },
          { actor: SYSTEM_ACTOR, source: 'system' },
        );
        expect((await stream.ended) - changedAt).toBeLessThan(1000);
        expect(stream.frames.at(-1)).toMatchObject({ event: 'session-ended' });
      } finally {
        await other.close();
      }
    });

    it('also for a stream opened with an API token, when the token is revoked', async () => {
      const member = await createMember(t);
      const made = await member
        .http()
        .post('/api/me/tokens')
        .send({ name: 'Live board', scope: 'read' })
        .expect(201);
      const headers = { Authorization: `Bearer ${made.body.token as string}` };
      const stream = openStream(
        port,
        `/api/fundraising/events/stream?after=${t.core.store.lastPosition()}`,
        headers,
      );
      expect(await stream.status).toBe(200);
      await createInvestors(['Before revoking']);
      await stream.until((f) => namesIn(f).includes('Before revoking'));
      const changedAt = Date.now();
      await member
        .http()
        .delete(`/api/me/tokens/${made.body.id as string}`)
        .expect(200);
      await createInvestors(['After revoking']);
      expect((await stream.ended) - changedAt).toBeLessThan(1000);
      expect(stream.frames.at(-1)).toMatchObject({ event: 'session-ended' });
      expect(namesIn(stream.frames)).toEqual(['Before revoking']);
      expect(await openStream(port, '/api/fundraising/events/stream', headers).status).toBe(401);
    });

    it('leaves the streams of everyone else open', async () => {
      const member = await createMember(t);
      const other = await createMember(t);
      const mine = openStream(
        port,
        `/api/fundraising/events/stream?after=${t.core.store.lastPosition()}`,
        { Authorization: `Bearer ${member.token}` },
      );
      const theirs = openStream(
        port,
        `/api/fundraising/events/stream?after=${t.core.store.lastPosition()}`,
        { Authorization: `Bearer ${other.token}` },
      );
      expect([await mine.status, await theirs.status]).toEqual([200, 200]);
      await t.http().patch(`/api/admin/users/${member.id}`).send({ disabled: true }).expect(200);
      await mine.ended;
      await createInvestors(['Still Streaming LP']);
      await theirs.until((f) => namesIn(f).includes('Still Streaming LP'));
      theirs.close();
    });
  });

  describe('at most ten live streams per user', () => {
    it('refuses the eleventh with a 429 carrying the reason; a closed stream frees its slot; other users are not affected', async () => {
      const member = await createMember(t);
      const headers = { Authorization: `Bearer ${member.token}` };
      const open = Array.from({ length: 10 }, () =>
        openStream(port, '/api/fundraising/events/stream', headers),
      );
      expect(await Promise.all(open.map((s) => s.status))).toEqual(Array(10).fill(200));
      const refused = openStream(port, '/api/fundraising/events/stream', headers);
      expect(await refused.status).toBe(429);
      expect(await refused.body).toMatchObject({
        statusCode: 429,
        error: 'Too Many Requests',
        message: expect.stringMatching(/at most 10/),
        reason: 'too_many_streams',
        details: { reason: 'too_many_streams', limit: 10, open: 10 },
      });
      const admin = openStream(port, '/api/fundraising/events/stream', auth);
      expect(await admin.status).toBe(200);
      admin.close();
      open[0].close();
      // The server notices the closed socket a moment later; a new stream gets the slot then.
      let status = 0;
      for (const started = Date.now(); status !== 200 && Date.now() - started < 3000;) {
        const next = openStream(port, '/api/fundraising/events/stream', headers);
        status = await next.status;
        if (status !== 200) await new Promise((r) => setImmediate(r));
        else open[0] = next;
      }
      expect(status).toBe(200);
      expect(await openStream(port, '/api/fundraising/events/stream', headers).status).toBe(429);
      for (const s of open) s.close();
    });
  });
  it('a formula added to a large table: the change commits at once, slices fill the values in, and streams are told to reload', async () => {
    // Given an investors table larger than a change recomputes inline, and an open stream
    const ids = await baseIds(t);
    const target = ids.inv('target_commitment');
    const count = INLINE_RECOMPUTE_LIMIT + 500;
    await t
      .http()
      .post('/api/fundraising/changes')
      .send({
        changes: Array.from({ length: count }, (_, i) => ({
          op: 'create',
          table_id: ids.investors,
          values: { [ids.inv('name')]: `Sliced ${i}`, [target]: 100 * (i + 1) },
        })),
      })
      .expect(200);
    const stream = openStream(port, '/api/fundraising/events/stream', auth);
    expect(await stream.status).toBe(200);
    // When a formula field is added
    const { body: field } = await t
      .http()
      .post(`/api/fundraising/tables/${ids.investors}/fields`)
      .send({ name: 'Fee', type: 'formula', options: { formula: '{Target commitment} * 0.02' } })
      .expect(201);
    // Then the stream hears that the table's formula values are all written
    await stream.until((frames) =>
      frames.some(
        (f) => f.event === 'recomputed' && JSON.stringify(f.data).includes(ids.investors),
      ),
    );
    stream.close();
    const state = await t.http().get('/api/fundraising/state').expect(200);
    const sliced = state.body.tables
      .find((x: { id: string }) => x.id === ids.investors)
      .records.filter((r: { values: Record<string, unknown> }) =>
        String(r.values[ids.inv('name')]).startsWith('Sliced '),
      );
    expect(sliced).toHaveLength(count);
    for (const r of sliced) expect(r.values[field.id]).toBe(r.values[target] * 0.02);
    // And the read models are what a replay of the log gives
    const live = dumpReadModels(t.core.db);
    await t.core.runner.rebuild();
    expect(dumpReadModels(t.core.db)).toBe(live);
  });
});
