import 'reflect-metadata';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { type UserRole } from '@crm/events';
import { createApp } from '../../apps/api/src/app.factory';
import { AuthService } from '../../apps/api/src/capabilities/auth/auth.service';
import { APP_CONFIG, type AppConfig, loadConfig } from '../../apps/api/src/config/app-config';
import { type Core, coreOf } from './core-handles';

/** The admin every test app starts with (CRM_ADMIN_EMAIL / CRM_ADMIN_PASSWORD). */
export const TEST_ADMIN = {
  email: 'admin@fund.example',
  password: 'Correct-Horse-Battery-9',
  name: 'Ada Admin',
};

export interface TestApp {
  app: NestExpressApplication;
  core: Core;
  /** The configuration the app runs with (its secret key resolved). */
  config: AppConfig;
  dataDir: string;
  /** supertest against the app, signed in as the admin (Authorization: Bearer) when one exists. */
  http: () => request.Agent;
  /** supertest against the app with no credentials at all. */
  anon: () => request.Agent;
  /** Bearer token of the admin the harness signed in as ('' when the app has no account). */
  token: string;
  adminId: string;
  close(): Promise<void>;
}

export interface TestUser {
  id: string;
  email: string;
  name: string;
  role: UserRole;
  password: string;
  token: string;
  /** supertest signed in as this user. */
  http: () => request.Agent;
}

const withBearer = (server: unknown, token: string) => () => {
  const agent = request.agent(server as Parameters<typeof request.agent>[0]);
  if (token) agent.set('Authorization', `Bearer ${token}`);
  return agent;
};

/**
 * A real app on a real SQLite file in a fresh temporary directory, with the real migrations and an
 * admin signed in over HTTP. Pass `{ CRM_ADMIN_EMAIL: '', CRM_ADMIN_PASSWORD: '' }` for an app with no
 * account (first-admin setup tests).
 */
export async function startTestApp(env: Record<string, string> = {}): Promise<TestApp> {
  const dataDir = mkdtempSync(join(tmpdir(), 'crm-test-'));
  const loaded = loadConfig({
    CRM_ENV: 'test',
    CRM_DATA_DIR: dataDir,
    CRM_WEB_DIST: join(dataDir, 'no-web'),
    CRM_ADMIN_EMAIL: TEST_ADMIN.email,
    CRM_ADMIN_PASSWORD: TEST_ADMIN.password,
    CRM_ADMIN_NAME: TEST_ADMIN.name,
    ...env,
  });
  const app = await createApp(loaded, { logger: false });
  await app.init();
  const core = coreOf(app);
  const config = app.get<AppConfig>(APP_CONFIG);
  const server = app.getHttpServer();
  let token = '';
  let adminId = '';
  if (config.adminEmail && config.adminPassword) {
    const res = await request(server)
      .post('/api/auth/login')
      .send({ email: config.adminEmail, password: config.adminPassword });
    if (res.status !== 200)
      throw new Error(
        `the test admin could not sign in: ${res.status} ${JSON.stringify(res.body)}`,
      );
    token = res.body.access_token;
    adminId = res.body.user.id;
  }
  return {
    app,
    core,
    config,
    dataDir,
    token,
    adminId,
    http: withBearer(server, token),
    anon: withBearer(server, ''),
    close: async () => {
      await app.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

let serial = 0;

/**
 * Creates an account through the admin API (as an admin would) and signs it in. The token is issued
 * by the app's own AuthService rather than over /api/auth/login, so that tests making many users do
 * not run into the sign-in rate limit.
 */
export async function createUser(
  t: TestApp,
  over: Partial<Pick<TestUser, 'email' | 'name' | 'role' | 'password'>> = {},
): Promise<TestUser> {
  const n = ++serial;
  const input = {
    email: `person${n}@fund.example`,
    name: `Person ${n}`,
    role: 'member' as UserRole,
    password: `Quiet-Harbour-${n}-Lantern`,
    ...over,
  };
  const res = await t.http().post('/api/admin/users').send(input);
  if (res.status !== 201)
    throw new Error(`could not create ${input.email}: ${res.status} ${JSON.stringify(res.body)}`);
  const user = t.core.users.user(res.body.id)!;
  const token = t.app.get(AuthService).signedIn(user).access_token;
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    role: user.role,
    password: input.password,
    token,
    http: withBearer(t.app.getHttpServer(), token),
  };
}

/** A member (reads and edits fundraising data, no admin routes). */
export const createMember = (
  t: TestApp,
  over: Partial<Pick<TestUser, 'email' | 'name' | 'password'>> = {},
) => createUser(t, { ...over, role: 'member' });

/** The seeded base's tables and fields by role, for tests that edit the grid. */
export async function baseIds(t: TestApp) {
  const res = await t.http().get('/api/fundraising/state').expect(200);
  const tables = res.body.tables as {
    id: string;
    role: string;
    fields: { id: string; role: string }[];
  }[];
  const byRole = (role: string) => tables.find((x) => x.role === role)!;
  const field = (tableRole: string, role: string) =>
    byRole(tableRole).fields.find((f) => f.role === role)!.id;
  return {
    version: res.body.version as number,
    investors: byRole('investors').id,
    contacts: byRole('contacts').id,
    funds: byRole('funds').id,
    commitments: byRole('commitments').id,
    field,
    inv: (role: string) => field('investors', `investor.${role}`),
  };
}
