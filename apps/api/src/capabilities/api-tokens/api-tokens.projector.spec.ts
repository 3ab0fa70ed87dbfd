import { type ApiTokenEventMap } from '@crm/events';
import {
  at,
  type GivenEvent,
  givenEvents,
  type Projected,
} from '../../../../../test/support/projector-harness';

const tokenEvent = <K extends keyof ApiTokenEventMap>(
  type: K,
  data: ApiTokenEventMap[K],
  when: string,
  by: string,
): GivenEvent => ({
  stream_id: `api-token-${data.token_id}`,
  type,
  data,
  at: when,
  by,
  source: 'api',
});

const created = (id: string, user: string, scope: 'read' | 'write', when: string) =>
  tokenEvent(
    'ApiTokenCreated',
    { token_id: id, user_id: user, name: `Script ${id}`, scope, expires_at: null },
    when,
    user,
  );

const tokens = (p: Projected) => p.rows('SELECT * FROM api_tokens ORDER BY id');

describe('ApiTokensProjector', () => {
  let p: Projected;
  afterEach(async () => {
    await p.close();
  });

  it('keeps each token with its owner, scope and who revoked it, and rebuilds the same rows', async () => {
    p = await givenEvents('apiTokens', [
      created('tok_a', 'usr_bob', 'read', at(0)),
      created('tok_b', 'usr_bob', 'write', at(1)),
      tokenEvent('ApiTokenRevoked', { token_id: 'tok_a', user_id: 'usr_bob' }, at(2), 'usr_ada'),
    ]);
    const live = tokens(p);
    expect(live).toEqual([
      {
        id: 'tok_a',
        user_id: 'usr_bob',
        name: 'Script tok_a',
        scope: 'read',
        created_at: at(0),
        expires_at: null,
        revoked_at: at(2),
        revoked_by: 'usr_ada',
        version: 2,
      },
      {
        id: 'tok_b',
        user_id: 'usr_bob',
        name: 'Script tok_b',
        scope: 'write',
        created_at: at(1),
        expires_at: null,
        revoked_at: null,
        revoked_by: null,
        version: 1,
      },
    ]);
    await p.rebuild();
    expect(tokens(p)).toEqual(live);
  });
});
