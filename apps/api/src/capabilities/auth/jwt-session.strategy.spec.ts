import type { Request, Response } from 'express';
import { type UserState } from '@crm/domain';
import { type AppConfig } from '../../config/app-config';
import { JwtSessionStrategy } from './jwt-session.strategy';
import { PassportAuthenticate } from './passport-authenticate';
import { SESSION_COOKIE } from './session-cookie';
import { TOKEN_LEEWAY_SECONDS, TokenService } from './token.service';

describe('JwtSessionStrategy', () => {
  const config = {
    secretKey: 'a-test-secret-of-enough-length-0123456789',
    tokenTtlMinutes: 10,
  } as AppConfig;
  const alice = {
    id: 'usr1',
    name: 'Alice',
    email: 'alice@example.com',
    role: 'member',
    disabled: false,
    token_version: 3,
  } as UserState;
  const users = new Map<string, UserState>();
  const strategyFor = (c: AppConfig) =>
    new PassportAuthenticate([new JwtSessionStrategy(c, { user: (id) => users.get(id) })]);
  const bearer = (token: string) => ({ headers: { authorization: `Bearer ${token}` } }) as Request;
  /** The signed-in actor, or the status of the refusal. */
  const who = (auth: PassportAuthenticate, req: Request) =>
    auth.run(req, {} as Response).then(
      (w) => w.actor.id,
      (e: { getStatus(): number }) => e.getStatus(),
    );

  beforeEach(() => users.set(alice.id, alice));
  afterEach(() => jest.restoreAllMocks());

  it('accepts a token it issued, again and again, and refuses it once it expired (also when remembered)', async () => {
    const auth = strategyFor(config);
    const token = new TokenService(config).issue(alice);
    expect(await who(auth, bearer(token))).toBe('usr1');
    expect(await who(auth, bearer(token))).toBe('usr1');
    const later = Date.now() + (10 * 60 + TOKEN_LEEWAY_SECONDS + 1) * 1000;
    jest.spyOn(Date, 'now').mockReturnValue(later);
    expect(await who(auth, bearer(token))).toBe(401);
    expect(await who(strategyFor(config), bearer(token))).toBe(401);
  });

  it('refuses a remembered token changed in one byte, and a token of another key', async () => {
    const auth = strategyFor(config);
    const token = new TokenService(config).issue(alice);
    expect(await who(auth, bearer(token))).toBe('usr1');
    const i = token.length - 10; // inside the signature
    const changed = token.slice(0, i) + (token[i] === 'A' ? 'B' : 'A') + token.slice(i + 1);
    expect(await who(auth, bearer(changed))).toBe(401);
    const other = { ...config, secretKey: 'another-secret-of-enough-length-9876543210' };
    expect(await who(strategyFor(other), bearer(token))).toBe(401);
  });

  it('refuses a remembered token once its user is disabled or its token version moved on', async () => {
    const auth = strategyFor(config);
    const token = new TokenService(config).issue(alice);
    expect(await who(auth, bearer(token))).toBe('usr1');
    users.set(alice.id, { ...alice, token_version: 4 });
    expect(await who(auth, bearer(token))).toBe(401);
    users.set(alice.id, { ...alice, disabled: true });
    expect(await who(auth, bearer(token))).toBe(401);
    users.delete(alice.id);
    expect(await who(auth, bearer(token))).toBe(401);
  });

  it('reads the session cookie, but never falls back to it from a malformed Authorization header', async () => {
    const auth = strategyFor(config);
    const token = new TokenService(config).issue(alice);
    const cookie = { headers: {}, cookies: { [SESSION_COOKIE]: token } } as unknown as Request;
    expect(await auth.run(cookie, {} as Response)).toMatchObject({ via: 'cookie' });
    const malformed = { ...cookie, headers: { authorization: `Token ${token}` } } as Request;
    expect(await who(auth, malformed)).toBe(401);
    expect(await who(auth, { headers: {} } as Request)).toBe(401);
  });
});
