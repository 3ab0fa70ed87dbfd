import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { MetadataScanner, ModulesContainer } from '@nestjs/core';
import { PUBLIC_KEY, ROLES_KEY } from '../../apps/api/src/capabilities/auth/access.decorators';
import { apiSuite } from '../support/api-suite';
import { createMember, type TestApp } from '../support/test-app';

interface RouteInfo {
  method: string;
  path: string;
  controller: string;
  handler: string;
  public: boolean;
  roles: string[] | undefined;
}

const join = (...parts: string[]) =>
  `/${parts
    .flatMap((p) => p.split('/'))
    .filter(Boolean)
    .join('/')}`;

/** Every route handler Nest registered, from the controllers of every module, with its access metadata. */
function nestRoutes(t: TestApp): RouteInfo[] {
  const scanner = new MetadataScanner();
  const routes: RouteInfo[] = [];
  for (const mod of t.app.get(ModulesContainer).values()) {
    for (const wrapper of mod.controllers.values()) {
      const cls = wrapper.metatype as (new (...args: unknown[]) => object) | null;
      if (!cls) continue;
      const base = ([] as string[]).concat(Reflect.getMetadata(PATH_METADATA, cls) ?? '');
      for (const name of scanner.getAllMethodNames(cls.prototype)) {
        const handler = (cls.prototype as Record<string, unknown>)[name] as object;
        const paths = Reflect.getMetadata(PATH_METADATA, handler);
        if (paths === undefined) continue;
        const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as number];
        const own = <T>(key: string) =>
          (Reflect.getMetadata(key, handler) ?? Reflect.getMetadata(key, cls)) as T | undefined;
        for (const b of base) {
          for (const p of ([] as string[]).concat(paths)) {
            routes.push({
              method,
              path: join('api', b, p),
              controller: cls.name,
              handler: name,
              public: own<boolean>(PUBLIC_KEY) === true,
              roles: own<string[]>(ROLES_KEY),
            });
          }
        }
      }
    }
  }
  return routes.sort((a, b) => `${a.path} ${a.method}`.localeCompare(`${b.path} ${b.method}`));
}

/** Routes in Express's own router, where anything registered outside Nest would show up. */
function expressRoutes(t: TestApp): string[] {
  const stack = (
    t.app.getHttpAdapter().getInstance() as {
      router: { stack: { route?: { path: string; methods: Record<string, boolean> } }[] };
    }
  ).router.stack;
  return stack
    .filter((l) => l.route)
    .flatMap((l) => Object.keys(l.route!.methods).map((m) => `${m.toUpperCase()} ${l.route!.path}`))
    .sort();
}

/**
 * Who may call each route, written by hand: `public` (no sign-in), `member` (any signed-in user,
 * admins included) or `admin`. It is compared exactly with what the controllers declare, so a new
 * route without an entry, or a route whose roles change, fails the suite until this map says so.
 */
const ROUTE_ACCESS: Record<string, 'public' | 'member' | 'admin'> = {
  'GET /api/search': 'member',
  'GET /api/activity': 'member',
  'GET /api/activity/batches/:correlation_id': 'member',
  'GET /api/admin/invites': 'admin',
  'POST /api/admin/invites': 'admin',
  'DELETE /api/admin/invites/:id': 'admin',
  'GET /api/admin/tokens': 'admin',
  'DELETE /api/admin/tokens/:id': 'admin',
  'GET /api/admin/users': 'admin',
  'POST /api/admin/users': 'admin',
  'PATCH /api/admin/users/:id': 'admin',
  'POST /api/admin/users/:id/password': 'admin',
  'POST /api/auth/accept-invite': 'public',
  'POST /api/auth/invite-info': 'public',
  'POST /api/auth/login': 'public',
  'POST /api/auth/logout': 'member',
  'GET /api/auth/me': 'member',
  'GET /api/feature-requests': 'member',
  'POST /api/feature-requests': 'member',
  'PATCH /api/feature-requests/:id': 'member',
  'POST /api/feature-requests/:id/vote': 'member',
  'DELETE /api/feature-requests/:id/vote': 'member',
  'GET /api/auth/me/settings': 'member',
  'PATCH /api/auth/me/settings': 'member',
  'POST /api/auth/password': 'member',
  'POST /api/auth/setup': 'public',
  'GET /api/auth/setup-status': 'public',
  'GET /api/config/web': 'member',
  'GET /api/docs': 'member',
  'GET /api/docs/assets/:file': 'member',
  'GET /api/openapi.json': 'member',
  'GET /api/me/tokens': 'member',
  'POST /api/me/tokens': 'member',
  'DELETE /api/me/tokens/:id': 'member',
  'GET /api/fundraising/actors': 'member',
  'GET /api/fundraising/people': 'member',
  'GET /api/admin/processors': 'admin',
  'GET /api/automations': 'member',
  'POST /api/automations': 'admin',
  'POST /api/automations/dry-run': 'member',
  'POST /api/automations/backtest': 'member',
  'PATCH /api/automations/:id': 'admin',
  'POST /api/automations/:id/toggle': 'admin',
  'DELETE /api/automations/:id': 'admin',
  'GET /api/automations/:id/runs': 'member',
  'GET /api/automation-runs': 'member',
  'POST /api/automation-runs/:id/rollback-preview': 'admin',
  'POST /api/automation-runs/:id/rollback': 'admin',
  'GET /api/fundraising/memberships': 'member',
  'POST /api/fundraising/memberships': 'member',
  'GET /api/fundraising/lists': 'member',
  'POST /api/fundraising/lists': 'admin',
  'GET /api/reminders': 'member',
  'POST /api/reminders': 'member',
  'GET /api/reminders/:id': 'member',
  'PATCH /api/reminders/:id': 'member',
  'DELETE /api/reminders/:id': 'member',
  'POST /api/reminders/:id/done': 'member',
  'POST /api/reminders/:id/snooze': 'member',
  'POST /api/reminders/:id/cancel': 'member',
  'POST /api/reminders/:id/reopen': 'member',
  'POST /api/fundraising/log-communication': 'member',
  'GET /api/fundraising/records/:id/follow-up': 'member',
  'GET /api/fundraising/records/:id/interactions': 'member',
  'GET /api/my-day': 'member',
  'GET /api/my-day/count': 'member',
  'GET /api/follow-up-settings': 'member',
  'PATCH /api/follow-up-settings': 'admin',
  'POST /api/admin/processors/:name/pause': 'admin',
  'POST /api/admin/processors/:name/resume': 'admin',
  'POST /api/fundraising/backup': 'admin',
  'GET /api/fundraising/backup-policy': 'admin',
  'PATCH /api/fundraising/backup-policy': 'admin',
  'GET /api/fundraising/backups': 'admin',
  'GET /api/fundraising/backups/:id': 'admin',
  'GET /api/fundraising/backups/:id/download': 'admin',
  'POST /api/fundraising/backups/:id/verify': 'admin',
  'POST /api/fundraising/changes': 'member',
  'GET /api/fundraising/events/stream': 'member',
  'GET /api/fundraising/export': 'member',
  'DELETE /api/fundraising/fields/:id': 'member',
  'PATCH /api/fundraising/fields/:id': 'member',
  'POST /api/fundraising/formula/evaluate': 'member',
  'GET /api/fundraising/formula/functions': 'member',
  'POST /api/fundraising/imports': 'member',
  'GET /api/fundraising/imports/:id': 'member',
  'PATCH /api/fundraising/imports/:id': 'member',
  'POST /api/fundraising/imports/:id/commit': 'member',
  'GET /api/fundraising/imports/:id/errors.csv': 'member',
  'GET /api/fundraising/imports/targets': 'member',
  'GET /api/fundraising/records/:id': 'member',
  'GET /api/fundraising/records/:id/history': 'member',
  'POST /api/fundraising/redo': 'member',
  'GET /api/fundraising/relational-summary': 'member',
  'POST /api/fundraising/restore': 'admin',
  'POST /api/fundraising/restore-preview': 'admin',
  'GET /api/fundraising/state': 'member',
  'PUT /api/fundraising/state': 'member',
  'POST /api/fundraising/tables': 'member',
  'GET /api/fundraising/tables/:id/archived': 'member',
  'GET /api/fundraising/tables/:id/export.csv': 'member',
  'POST /api/fundraising/tables/:id/fields': 'member',
  'GET /api/fundraising/tables/:id/records': 'member',
  'POST /api/fundraising/undo': 'member',
  'GET /api/fundraising/undo-stack': 'member',
  'GET /api/fundraising/views': 'member',
  'POST /api/fundraising/views': 'member',
  'POST /api/fundraising/views/:id/cards/:recordId/move': 'member',
  'DELETE /api/fundraising/views/:id': 'member',
  'GET /api/fundraising/views/:id': 'member',
  'PATCH /api/fundraising/views/:id': 'member',
  'PUT /api/fundraising/views/:id': 'member',
  'GET /api/fundraising/views/:id/export.csv': 'member',
  'GET /api/fundraising/views/:id/records': 'member',
  'GET /api/fundraising/views/:id/diff': 'member',
  'GET /api/dashboard': 'member',
  'GET /api/health': 'public',
  'GET /api/ready': 'public',
  'GET /api/security/status': 'admin',
};

const key = (r: { method: string; path: string }) => `${r.method} ${r.path}`;
const declared = (r: RouteInfo) =>
  r.public ? 'public' : r.roles?.includes('member') ? 'member' : 'admin';
const routesFor = (who: 'public' | 'member' | 'admin') =>
  Object.entries(ROUTE_ACCESS)
    .filter(([, w]) => w === who)
    .map(([k]) => {
      const [method, path] = k.split(' ');
      return { method, path };
    });

const concrete = (path: string) => path.replace(/:[A-Za-z_]+/g, 'x_probe');

describe('every route states who may call it', () => {
  const t = apiSuite({
    env: {
      CRM_RATE_LIMIT_LOGIN_PER_MINUTE: '1000',
      CRM_RATE_LIMIT_LOGIN_IP_PER_MINUTE: '10000',
      CRM_RATE_LIMIT_TOKEN_PER_MINUTE: '1000',
    },
  });
  let routes: RouteInfo[];
  beforeAll(async () => {
    routes = nestRoutes(t);
  });

  it('finds the routes Express serves, and no route outside Nest', () => {
    expect(routes.length).toBeGreaterThan(25);
    expect(expressRoutes(t)).toEqual(routes.map((r) => `${r.method} ${r.path}`).sort());
  });

  it('has every route either @Public() or guarded by @Roles(...), never both', () => {
    const neither = routes
      .filter((r) => !r.public && !r.roles?.length)
      .map((r) => `${r.method} ${r.path} (${r.controller}.${r.handler})`);
    const both = routes
      .filter((r) => r.public && r.roles?.length)
      .map((r) => `${r.method} ${r.path}`);
    expect({ neither, both }).toEqual({ neither: [], both: [] });
    for (const r of routes)
      for (const role of r.roles ?? []) expect(['admin', 'member']).toContain(role);
  });

  it('declares for every route exactly the access the hand-written map gives it', () => {
    const fromCode = Object.fromEntries(routes.map((r) => [key(r), declared(r)]));
    expect(fromCode).toEqual(ROUTE_ACCESS);
  });

  it('makes public exactly health, ready, login, accept-invite and first-admin setup', () => {
    expect(routesFor('public').map(key).sort()).toEqual([
      'GET /api/auth/setup-status',
      'GET /api/health',
      'GET /api/ready',
      'POST /api/auth/accept-invite',
      'POST /api/auth/invite-info',
      'POST /api/auth/login',
      'POST /api/auth/setup',
    ]);
  });

  it('answers 401 with one generic body on every guarded route without a token', async () => {
    for (const r of [...routesFor('member'), ...routesFor('admin')]) {
      const res = await t.anon()[r.method.toLowerCase() as 'get'](concrete(r.path)).send({});
      expect([key(r), res.status, res.body]).toEqual([
        key(r),
        401,
        {
          statusCode: 401,
          error: 'Unauthorized',
          message: 'sign in to continue',
          reason: 'unauthenticated',
        },
      ]);
    }
  });

  it('answers 403 to a member on every route the map keeps for admins', async () => {
    const member = await createMember(t);
    const adminOnly = routesFor('admin');
    expect(adminOnly.map(key)).toEqual(
      expect.arrayContaining([
        'GET /api/admin/users',
        'POST /api/admin/invites',
        'PATCH /api/admin/users/:id',
        'GET /api/security/status',
        'GET /api/fundraising/backups/:id',
      ]),
    );
    for (const r of adminOnly) {
      const agent = member.http();
      const res = await agent[r.method.toLowerCase() as 'get'](concrete(r.path)).send({
        email: 'x@evil.example',
        role: 'admin',
      });
      expect([key(r), res.status]).toEqual([key(r), 403]);
    }
  });

  it('lets a member reach every member route the map lists (no 401 or 403)', async () => {
    const member = await createMember(t);
    for (const r of routesFor('member').filter(
      (x) => x.method === 'GET' && !x.path.includes('stream'),
    )) {
      const res = await member.http().get(concrete(r.path));
      expect([key(r), [401, 403].includes(res.status)]).toEqual([key(r), false]);
    }
  });
});
