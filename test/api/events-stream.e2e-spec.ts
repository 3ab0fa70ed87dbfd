import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import { baseIds, startTestApp, TestApp } from '../support/test-app';

interface Frame {
  id: string | null;
  event: string;
  data: { last?: number; version?: number; events?: { position: number; type: string; data: Record<string, unknown>; actor_id: string; actor_name: string | null }[] };
}

/** Reads server-sent events until `done` says enough (or the time is up), then closes the connection. */
function readStream(port: number, path: string, headers: Record<string, string>, done: (frames: Frame[]) => boolean, timeoutMs = 5000): Promise<{ status: number; type: string; frames: Frame[] }> {
  return new Promise((resolve, reject) => {
    const frames: Frame[] = [];
    let buffer = '';
    const req = http.get({ host: '127.0.0.1', port, path, headers }, (res) => {
      const finish = () => {
        clearTimeout(timer);
        req.destroy();
        resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type'] ?? ''), frames });
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
          const field = (name: string) => lines.filter((l) => l.startsWith(`${name}:`)).map((l) => l.slice(name.length + 1).trim());
          const data = field('data').join('\n');
          if (!data) continue;
          frames.push({ id: field('id')[0] ?? null, event: field('event')[0] ?? 'message', data: JSON.parse(data) });
        }
        if (done(frames)) finish();
      });
    });
    req.on('error', (e) => ((e as NodeJS.ErrnoException).code === 'ECONNRESET' ? undefined : reject(e)));
  });
}

const eventsOf = (frames: Frame[]) => frames.flatMap((f) => f.data.events ?? []);

describe('GET /api/fundraising/events/stream', () => {
  let t: TestApp;
  let port: number;
  let auth: Record<string, string>;

  beforeAll(async () => {
    t = await startTestApp();
    const server = t.app.getHttpServer() as http.Server;
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    port = (server.address() as AddressInfo).port;
    auth = { Authorization: `Bearer ${t.token}` };
  });
  afterAll(async () => {
    await t?.close();
  });

  async function createInvestors(names: string[]): Promise<number> {
    const ids = await baseIds(t);
    const res = await t.http().post('/api/fundraising/changes').send({ changes: names.map((n) => ({ op: 'create', table_id: ids.investors, values: { [ids.inv('name')]: n } })) }).expect(200);
    return res.body.version as number;
  }

  it('refuses a caller who is not signed in', async () => {
    const res = await readStream(port, '/api/fundraising/events/stream', {}, () => true, 1000);
    expect(res.status).toBe(401);
  });

  it('refuses an after that is not a log position', async () => {
    const res = await readStream(port, '/api/fundraising/events/stream?after=abc', auth, () => true, 1000);
    expect(res.status).toBe(400);
  });

  it('pushes a new edit to a connected client within two seconds, with its position as the event id', async () => {
    const head = (await baseIds(t)).version;
    const started = Date.now();
    const reading = readStream(port, `/api/fundraising/events/stream?after=${head}`, auth, (f) => eventsOf(f).some((e) => e.type === 'RecordCreated'), 4000);
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
    const res = await readStream(port, '/api/fundraising/events/stream?after=0', { ...auth, 'Last-Event-ID': String(first) }, (f) => f.some((x) => x.data.last === last), 3000);
    const positions = eventsOf(res.frames).map((e) => e.position);
    expect(positions.length).toBeGreaterThan(0);
    expect(Math.min(...positions)).toBeGreaterThan(first);
    expect(new Set(positions).size).toBe(positions.length);
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
    const names = eventsOf(res.frames).filter((e) => e.type === 'RecordCreated').map((e) => Object.values(e.data.values as Record<string, unknown>)[0]);
    expect(names).toEqual(['Resume Two', 'Resume Three']);
  });

  it('sends only fundraising events; account events advance the position but stay on the server', async () => {
    const before = (await baseIds(t)).version;
    await t.http().post('/api/admin/invites').send({ email: 'stream-test@fund.example', role: 'member' }).expect(201);
    const version = await createInvestors(['After Invite']);
    const res = await readStream(port, `/api/fundraising/events/stream?after=${before}`, auth, (f) => f.some((x) => x.data.last === version), 3000);
    const types = eventsOf(res.frames).map((e) => e.type);
    expect(types).toEqual(['RecordCreated']);
    expect(JSON.stringify(res.frames)).not.toContain('stream-test@fund.example');
  });
});
