import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { investorIds } from '../support/write-burst';
import { ADMIN, type ServerProcess, startServer } from '../support/server-process';

/** A server process per test: more than the default 5 s. */
jest.setTimeout(60_000);

interface Line {
  level: string;
  msg: string;
  request_id?: string;
  actor_id?: string | null;
  method?: string;
  route?: string;
  status?: number;
  duration_ms?: number;
  [k: string]: unknown;
}

/** The JSON lines the server wrote (the setup link's block, plain text, is not one). */
const jsonLines = (output: string): Line[] =>
  output
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Line);

/** Waits until the server has written a line that passes `test` (lines are written as answers finish). */
async function lineWhere(server: ServerProcess, test: (l: Line) => boolean): Promise<Line> {
  const deadline = Date.now() + 5_000;
  for (;;) {
    const found = jsonLines(server.output()).find(test);
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`no such log line in:\n${server.output()}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('structured logs', () => {
  let dir: string;
  let server: ServerProcess | undefined;
  const SECRET_KEY = 'k3Y-of-the-log-test-9f8e7d6c5b4a3928171605';
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'crm-logs-'));
  });
  afterEach(async () => {
    await server?.stop();
    server = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  it('given a sign-in and a cell edit, then each request has one JSON line with its id, actor, route, status and duration, and no password, token or cell value', async () => {
    server = await startServer(dir, { CRM_SECRET_KEY: SECRET_KEY });
    const token = server.auth.replace(/^Bearer /, '');
    expect(token).not.toBe('');
    const ids = await investorIds(server);
    const CELL_VALUE = 'Confidential-LP-name-7731';
    const edit = await fetch(`${server.url}/api/fundraising/changes?note=${CELL_VALUE}`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        Authorization: server.auth,
        'X-Request-Id': 'edit-request-42',
      },
      body: JSON.stringify({
        changes: [
          {
            op: 'create',
            table_id: ids.table,
            record_id: 'recLogTest0000001',
            values: { [ids.name]: CELL_VALUE },
          },
        ],
      }),
    });
    expect(edit.status).toBe(200);
    expect(edit.headers.get('x-request-id')).toBe('edit-request-42');

    const login = await lineWhere(server, (l) => l.route === '/api/auth/login');
    expect(login).toMatchObject({ level: 'info', method: 'POST', status: 200 });
    expect(login.request_id).toMatch(/^[0-9a-f-]{36}$/);
    const editLine = await lineWhere(server, (l) => l.request_id === 'edit-request-42');
    expect(editLine).toMatchObject({
      level: 'info',
      method: 'POST',
      route: '/api/fundraising/changes',
      status: 200,
      actor_id: expect.stringMatching(/^usr/),
    });
    expect(typeof editLine.duration_ms).toBe('number');

    const output = server.output();
    for (const secret of [ADMIN.password, token, SECRET_KEY, CELL_VALUE])
      expect(output).not.toContain(secret);
  });

  it('given no account yet, then the first start still prints the one-time setup link', async () => {
    server = await startServer(dir, { CRM_ADMIN_EMAIL: '', CRM_ADMIN_PASSWORD: '' });
    expect(server.output()).toMatch(
      /FIRST ADMIN[\s\S]*http:\/\/127\.0\.0\.1:\d+\/setup\?token=\S+/,
    );
  });

  it('given a request id that is not plainly an id, then the server makes its own', async () => {
    server = await startServer(dir);
    const res = await fetch(`${server.url}/api/health`, {
      headers: { 'X-Request-Id': 'a b {"level":"fatal"}' },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('given CRM_LOG_LEVEL=warn, then successful requests are not logged but refusals are', async () => {
    server = await startServer(dir, { CRM_LOG_LEVEL: 'warn' });
    const refused = await fetch(`${server.url}/api/fundraising/state`);
    expect(refused.status).toBe(401);
    const line = await lineWhere(server, (l) => l.route === '/api/fundraising/state');
    expect(line).toMatchObject({ level: 'warn', status: 401, actor_id: null });
    expect(jsonLines(server.output()).filter((l) => l.level === 'info')).toEqual([]);
  });

  it('given a line logged while a request runs (a refused sign-in), then it carries that request id', async () => {
    server = await startServer(dir);
    const res = await fetch(`${server.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Request-Id': 'wrong-password-7' },
      body: JSON.stringify({ email: ADMIN.email, password: 'not-the-password-at-all' }),
    });
    expect(res.status).toBe(401);
    const inside = await lineWhere(server, (l) => l.context === 'Auth');
    expect(inside).toMatchObject({ level: 'warn', request_id: 'wrong-password-7' });
    expect(inside.msg).toContain('sign-in failed');
    expect(server.output()).not.toContain('not-the-password-at-all');
  });
});
