import { apiSuite } from '../support/api-suite';
import { type TestApp } from '../support/test-app';

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'] as const;

/** Every route Express serves, as `METHOD /path/:param`: the router itself, not a list kept by hand. */
function servedRoutes(t: TestApp): string[] {
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

/** Every operation of the document, in the router's spelling (`{id}` → `:id`). */
function documentedRoutes(doc: { paths: Record<string, Record<string, unknown>> }): string[] {
  return Object.entries(doc.paths)
    .flatMap(([path, item]) =>
      METHODS.filter((m) => item[m]).map(
        (m) => `${m.toUpperCase()} ${path.replace(/\{([^}]+)\}/g, ':$1')}`,
      ),
    )
    .sort();
}

describe('API documentation', () => {
  const t = apiSuite({ member: true });

  it('documents exactly the routes the server serves, no more and no fewer', async () => {
    const doc = (await t.http().get('/api/openapi.json').expect(200)).body;
    expect(doc.openapi).toMatch(/^3\./);
    const served = servedRoutes(t);
    expect(served.length).toBeGreaterThan(80);
    expect(documentedRoutes(doc)).toEqual(served);
  });

  it('names the request bodies, the ways to sign in and the roles of every guarded route', async () => {
    const doc = (await t.http().get('/api/openapi.json').expect(200)).body;
    expect(doc.components.securitySchemes).toEqual({
      bearer: expect.objectContaining({ type: 'http', scheme: 'bearer' }),
      session: expect.objectContaining({ type: 'apiKey', in: 'cookie', name: 'crm_session' }),
    });
    const create = doc.paths['/api/me/tokens'].post;
    expect(create.requestBody.content['application/json'].schema).toEqual({
      $ref: '#/components/schemas/CreateApiTokenDto',
    });
    expect(create.security).toEqual(expect.arrayContaining([{ bearer: [] }, { session: [] }]));
    // The DTOs' properties, their types and class-validator rules, as the compiler plugin read them.
    expect(doc.components.schemas.CreateApiTokenDto).toMatchObject({
      required: ['name', 'scope'],
      properties: {
        name: { type: 'string' },
        scope: { type: 'string', enum: ['read', 'write'] },
        expires_at: { type: 'string', nullable: true },
      },
    });
    const empty = Object.entries(doc.components.schemas as Record<string, { properties?: object }>)
      .filter(([name]) => name.endsWith('Dto'))
      .filter(([, schema]) => Object.keys(schema.properties ?? {}).length === 0)
      .map(([name]) => name);
    expect(empty).toEqual([]);
    expect(doc.paths['/api/admin/tokens'].get['x-roles']).toEqual(['admin']);
    const login = doc.paths['/api/auth/login'].post;
    expect(login.security).toBeUndefined();
    expect(login.summary).toBe('login');
  });

  it('gives the answers the shapes of the wire types in libs/contracts, every reference resolving', async () => {
    const doc = (await t.http().get('/api/openapi.json').expect(200)).body;
    const answer = (path: string, method: string, status = '200') =>
      doc.paths[path][method].responses[status].content['application/json'].schema;
    expect(answer('/api/me/tokens', 'get')).toEqual({ $ref: '#/components/schemas/ApiTokenList' });
    expect(answer('/api/me/tokens', 'post', '201')).toEqual({
      $ref: '#/components/schemas/CreatedApiToken',
    });
    const schemas = doc.components.schemas;
    expect(schemas.ApiTokenList.properties.tokens).toEqual({
      type: 'array',
      items: { $ref: '#/components/schemas/ApiTokenView' },
    });
    expect(schemas.ApiTokenView).toMatchObject({
      properties: {
        scope: { type: 'string', enum: ['read', 'write'] },
        expires_at: { type: 'string', nullable: true },
        status: { enum: ['active', 'expired', 'revoked'] },
      },
    });
    expect(schemas.ApiTokenView.required).toContain('last_used_at');
    const refs = [...JSON.stringify(doc).matchAll(/"#\/components\/schemas\/([^"]+)"/g)].map(
      (m) => m[1],
    );
    expect(refs.filter((name) => !schemas[name])).toEqual([]);
  });

  it('is for signed-in people: 401 without a session, served to a read-only API token', async () => {
    const anon = await t.anon().get('/api/openapi.json');
    expect([anon.status, anon.body.reason]).toEqual([401, 'unauthenticated']);
    await t.anon().get('/api/docs').expect(401);
    const made = await t.member
      .http()
      .post('/api/me/tokens')
      .send({ name: 'docs reader', scope: 'read' })
      .expect(201);
    await t
      .anon()
      .get('/api/openapi.json')
      .set('Authorization', `Bearer ${made.body.token}`)
      .expect(200);
  });

  it('serves Swagger UI from this server, with no script of another host and none inline', async () => {
    const page = await t.member.http().get('/api/docs').expect(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    const sources = [...page.text.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]);
    expect(sources.every((s) => s.startsWith('/api/docs/assets/'))).toBe(true);
    expect(page.text).not.toMatch(/<script>(?!<)/);
    for (const s of sources) await t.member.http().get(s).expect(200);
    await t.member.http().get('/api/docs/assets/package.json').expect(404);
    await t.member.http().get('/api/docs/assets/..%2Fpackage.json').expect(404);
  });
});
