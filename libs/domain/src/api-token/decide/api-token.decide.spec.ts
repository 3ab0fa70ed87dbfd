import { InMemoryLog } from '@crm/events';
import { type Decision } from '../../base/decide-context';
import { domainErrorOf } from '../../testing/domain-error-of';
import { eventsOf } from '../../testing/given-when-then';
import { type ApiTokensContext, replayApiTokens } from '../api-token.state';
import { describeApiTokenEvent } from '../describe-api-token';
import { type CreateApiToken, decideCreateApiToken } from './create-api-token.decide';
import { decideRevokeApiToken } from './revoke-api-token.decide';

const T0 = '2026-01-01T00:00:00.000Z';
const T1 = '2026-01-02T00:00:00.000Z';

/** Given these token decisions in the log (by actor, at a time), when a command is decided, then. */
class GivenTokens {
  readonly store = new InMemoryLog((prev, e) => `${prev.slice(0, 8)}:${e.position}`);
  private n = 0;

  get ctx(): ApiTokensContext {
    const tokens = replayApiTokens(this.store.readAll());
    return { token: (id) => tokens.get(id) };
  }

  apply(decide: (ctx: ApiTokensContext) => Decision, actor: string, at: string): void {
    const d = decide(this.ctx);
    const count = d.appends.reduce((n, a) => n + a.events.length, 0);
    if (count === 0) return;
    this.store.append(d.appends, {
      metadata: { actor_id: actor, correlation_id: 'cor_test', source: 'api' },
      recorded_at: at,
      event_ids: Array.from({ length: count }, () => `evt_${++this.n}`),
    });
  }
}

const create = (over: Partial<CreateApiToken> = {}): CreateApiToken => ({
  token_id: 'tok_1',
  user_id: 'usr_bob',
  name: 'Nightly export',
  scope: 'read',
  expires_at: null,
  at: T0,
  ...over,
});

function givenBobsToken(): GivenTokens {
  const g = new GivenTokens();
  g.apply((ctx) => decideCreateApiToken(create(), ctx), 'usr_bob', T0);
  return g;
}

describe('creating an API token', () => {
  it('records the name, scope and expiry, never the secret', () => {
    const d = decideCreateApiToken(
      create({ name: '  Nightly export ', scope: 'write', expires_at: '2026-03-01T00:00:00Z' }),
      new GivenTokens().ctx,
    );
    expect(eventsOf(d)).toEqual([
      {
        type: 'ApiTokenCreated',
        data: {
          token_id: 'tok_1',
          user_id: 'usr_bob',
          name: 'Nightly export',
          scope: 'write',
          expires_at: '2026-03-01T00:00:00.000Z',
        },
      },
    ]);
    expect(d.appends[0].stream_id).toBe('api-token-tok_1');
  });

  it('refuses a name over 100 characters, naming the field', () => {
    const e = domainErrorOf(() =>
      decideCreateApiToken(create({ name: 'x'.repeat(101) }), new GivenTokens().ctx),
    );
    expect([e.code, e.reason, e.details.field, e.details.max]).toEqual([
      'validation',
      'too_large',
      'name',
      100,
    ]);
    expect(
      eventsOf(decideCreateApiToken(create({ name: '🙂'.repeat(100) }), new GivenTokens().ctx)),
    ).toHaveLength(1);
  });

  it('refuses an empty name, an unknown scope and an expiry that is not in the future', () => {
    const ctx = new GivenTokens().ctx;
    const fieldOf = (c: Partial<CreateApiToken>) =>
      domainErrorOf(() => decideCreateApiToken(create(c), ctx)).details.field;
    expect(fieldOf({ name: '   ' })).toBe('name');
    expect(fieldOf({ scope: 'admin' as never })).toBe('scope');
    expect(fieldOf({ expires_at: T0 })).toBe('expires_at');
    expect(fieldOf({ expires_at: 'next week' })).toBe('expires_at');
  });
});

describe('revoking an API token', () => {
  it('lets the owner revoke it once; a second revoke changes nothing', () => {
    const g = givenBobsToken();
    const by = { id: 'usr_bob', role: 'member' as const };
    const d = decideRevokeApiToken({ token_id: 'tok_1', by }, g.ctx);
    expect(eventsOf(d)).toEqual([
      { type: 'ApiTokenRevoked', data: { token_id: 'tok_1', user_id: 'usr_bob' } },
    ]);
    g.apply((ctx) => decideRevokeApiToken({ token_id: 'tok_1', by }, ctx), 'usr_bob', T1);
    expect(g.ctx.token('tok_1')).toMatchObject({ revoked_at: T1, revoked_by: 'usr_bob' });
    expect(g.store.readAll().map(describeApiTokenEvent)).toEqual([
      'made API token "Nightly export" (read only)',
      'revoked an API token',
    ]);
    expect(eventsOf(decideRevokeApiToken({ token_id: 'tok_1', by }, g.ctx))).toEqual([]);
  });

  it("lets an admin revoke anyone's token", () => {
    const g = givenBobsToken();
    const by = { id: 'usr_ada', role: 'admin' as const };
    g.apply((ctx) => decideRevokeApiToken({ token_id: 'tok_1', by }, ctx), 'usr_ada', T1);
    expect(g.ctx.token('tok_1')).toMatchObject({ revoked_by: 'usr_ada', user_id: 'usr_bob' });
  });

  it("answers not found to a member naming someone else's token, as for a token that does not exist", () => {
    const g = givenBobsToken();
    const by = { id: 'usr_eve', role: 'member' as const };
    const theirs = domainErrorOf(() => decideRevokeApiToken({ token_id: 'tok_1', by }, g.ctx));
    const none = domainErrorOf(() => decideRevokeApiToken({ token_id: 'tok_9', by }, g.ctx));
    expect([theirs.code, none.code]).toEqual(['not_found', 'not_found']);
  });
});
