import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { MetadataScanner, ModulesContainer } from '@nestjs/core';
import { PUBLIC_KEY, ROLES_KEY } from '../../apps/api/src/capabilities/auth/access.decorators';
import { createMember, startTestApp, TestApp } from '../support/test-app';

interface RouteInfo {
  method: string;
  path: string;
  controller: string;
  handler: string;
  public: boolean;
  roles: string[] | undefined;
}

const join = (...parts: string[]) => `/${parts.flatMap((p) => p.split('/')).filter(Boolean).join('/')}`;

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
        const own = <T>(key: string) => (Reflect.getMetadata(key, handler) ?? Reflect.getMetadata(key, cls)) as T | undefined;
        for (const b of base) {
          for (const p of ([] as string[]).concat(paths)) {
            routes.push({ method, path: join('api', b, p), controller: cls.name, handler: name, public: own<boolean>(PUBLIC_KEY) === true, roles: own<string[]>(ROLES_KEY) });
          }
        }
      }
    }
  }
  return routes.sort((a, b) => `${a.path} ${a.method}`.localeCompare(`${b.path} ${b.method}`));
}

/** Routes in Express's own router, where anything registered outside Nest would show up. */
function expressRoutes(t: TestApp): string[] {
  const stack = (t.app.getHttpAdapter().getInstance() as { router: { stack: { route?: { path: string; methods: Record<string, boolean> } }[] } }).router.stack;
  return stack.filter((l) => l.route).flatMap((l) => Object.keys(l.route!.methods).map((m) => `${m.toUpperCase()} ${l.route!.path}`)).sort();
}

const concrete = (path: string) => path.replace(/:[A-Za-z_]+/g, 'x_probe');

describe('every route states who may call it', () => {
  let t: TestApp;
  let routes: RouteInfo[];
  beforeAll(async () => {
    t = await startTestApp({ CRM_RATE_LIMIT_LOGIN_PER_MINUTE: '1000', CRM_RATE_LIMIT_LOGIN_IP_PER_MINUTE: '10000', CRM_RATE_LIMIT_TOKEN_PER_MINUTE: '1000' });
    routes = nestRoutes(t);
  });
  afterAll(() => t.close());

  it('finds the routes Express serves, and no route outside Nest', () => {
    expect(routes.length).toBeGreaterThan(25);
    expect(expressRoutes(t)).toEqual(routes.map((r) => `${r.method} ${r.path}`).sort());
  });

  it('has every route either @Public() or guarded by @Roles(...), never both', () => {
    const neither = routes.filter((r) => !r.public && !r.roles?.length).map((r) => `${r.method} ${r.path} (${r.controller}.${r.handler})`);
    const both = routes.filter((r) => r.public && r.roles?.length).map((r) => `${r.method} ${r.path}`);
    expect({ neither, both }).toEqual({ neither: [], both: [] });
    for (const r of routes) for (const role of r.roles ?? []) expect(['admin', 'member']).toContain(role);
  });

  it('makes public exactly health, ready, login, accept-invite and first-admin setup', () => {
    expect(routes.filter((r) => r.public).map((r) => `${r.method} ${r.path}`)).toEqual([
      'POST /api/auth/accept-invite',
      'POST /api/auth/invite-info',
      'POST /api/auth/login',
      'POST /api/auth/setup',
      'GET /api/auth/setup-status',
      'GET /api/health',
      'GET /api/ready',
    ]);
  });

  it('answers 401 with one generic body on every guarded route without a token', async () => {
    for (const r of routes.filter((x) => !x.public)) {
      const res = await t.anon()[r.method.toLowerCase() as 'get'](concrete(r.path)).send({});
      expect([`${r.method} ${r.path}`, res.status, res.body]).toEqual([`${r.method} ${r.path}`, 401, { statusCode: 401, error: 'Unauthorized', message: 'sign in to continue' }]);
    }
  });

  it('answers 403 to a member on every admin route, and lets the member reach every member route', async () => {
    const member = await createMember(t);
    const adminOnly = routes.filter((r) => r.roles && !r.roles.includes('member'));
    expect(adminOnly.map((r) => `${r.method} ${r.path}`)).toEqual(expect.arrayContaining(['GET /api/admin/users', 'POST /api/admin/invites', 'PATCH /api/admin/users/:id', 'GET /api/security/status']));
    for (const r of adminOnly) {
      const res = await member.http()[r.method.toLowerCase() as 'get'](concrete(r.path)).send({ email: 'x@evil.example', role: 'admin' });
      expect([`${r.method} ${r.path}`, res.status]).toEqual([`${r.method} ${r.path}`, 403]);
    }
    for (const r of routes.filter((x) => x.roles?.includes('member') && x.method === 'GET' && !x.path.includes('stream'))) {
      const res = await member.http().get(concrete(r.path));
      expect([r.path, [401, 403].includes(res.status)]).toEqual([r.path, false]);
    }
  });
});
