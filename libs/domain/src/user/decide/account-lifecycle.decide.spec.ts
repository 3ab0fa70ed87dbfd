import { eventsOf } from '../../testing/given-when-then';
import { domainErrorOf } from '../../testing/domain-error-of';
import { GivenAccounts } from '../../testing/given-accounts';
import { decideAcceptInvite } from './accept-invite.decide';
import { decideChangePassword } from './change-password.decide';
import { decideChangeRole } from './change-role.decide';
import { decideCreateUser } from './create-user.decide';
import { decideInviteUser } from './invite-user.decide';
import { decideLogOut } from './log-out.decide';
import { decideRevokeInvite } from './revoke-invite.decide';
import { decideSetUserDisabled } from './set-disabled.decide';

const T0 = '2026-01-01T00:00:00.000Z';
const T1 = '2026-01-02T00:00:00.000Z';
const WEEK = '2026-01-08T00:00:00.000Z';

function givenAdmin(): GivenAccounts {
  const g = new GivenAccounts();
  g.apply(
    (ctx) =>
      decideCreateUser(
        {
          user_id: 'usr_ada',
          email: 'Ada@Fund.example',
          name: 'Ada',
          role: 'admin',
          via: 'setup',
          at: T0,
        },
        ctx,
      ),
    'system',
  );
  return g;
}

function givenInvite(
  email = 'bob@fund.example',
  role: 'admin' | 'member' = 'member',
): GivenAccounts {
  const g = givenAdmin();
  g.apply((ctx) =>
    decideInviteUser({ invite_id: 'inv_1', email, role, at: T0, expires_at: WEEK }, ctx),
  );
  return g;
}

describe('the first admin', () => {
  it('is created while there is no account, with the address lower-cased', () => {
    const d = decideCreateUser(
      {
        user_id: 'usr_ada',
        email: ' Ada@Fund.example ',
        name: ' Ada ',
        role: 'admin',
        via: 'environment',
        at: T0,
      },
      new GivenAccounts().ctx,
    );
    expect(d.appends).toEqual([
      {
        stream_id: 'user-usr_ada',
        expected_version: 0,
        events: [
          {
            type: 'UserCreated',
            data: {
              user_id: 'usr_ada',
              email: 'ada@fund.example',
              name: 'Ada',
              role: 'admin',
              via: 'environment',
            },
          },
        ],
      },
    ]);
  });

  it('cannot be created a second time, by setup or by the environment', () => {
    const g = givenAdmin();
    for (const via of ['setup', 'environment'] as const) {
      const err = domainErrorOf(() =>
        decideCreateUser(
          {
            user_id: 'usr_eve',
            email: 'eve@evil.example',
            name: 'Eve',
            role: 'admin',
            via,
            at: T1,
          },
          g.ctx,
        ),
      );
      expect([err.code, err.message]).toEqual(['illegal_state', 'the first admin already exists']);
    }
  });

  it('must be an admin', () => {
    const err = domainErrorOf(() =>
      decideCreateUser(
        {
          user_id: 'usr_a',
          email: 'a@fund.example',
          name: 'A',
          role: 'member',
          via: 'setup',
          at: T0,
        },
        new GivenAccounts().ctx,
      ),
    );
    expect(err.message).toBe('the first account must be an admin');
  });
});

describe('decideCreateUser by an admin', () => {
  it('creates a member and refuses an address already in use, ignoring case', () => {
    const g = givenAdmin();
    expect(
      eventsOf(
        decideCreateUser(
          {
            user_id: 'usr_bob',
            email: 'bob@fund.example',
            name: 'Bob',
            role: 'member',
            via: 'admin',
            at: T1,
          },
          g.ctx,
        ),
      ),
    ).toEqual([
      {
        type: 'UserCreated',
        data: {
          user_id: 'usr_bob',
          email: 'bob@fund.example',
          name: 'Bob',
          role: 'member',
          via: 'admin',
        },
      },
    ]);
    const err = domainErrorOf(() =>
      decideCreateUser(
        {
          user_id: 'usr_x',
          email: 'ADA@fund.example',
          name: 'X',
          role: 'member',
          via: 'admin',
          at: T1,
        },
        g.ctx,
      ),
    );
    expect([err.code, err.message]).toEqual([
      'conflict',
      'an account with this email already exists',
    ]);
  });

  it('closes a pending invite to the same address, which could never be accepted', () => {
    const g = givenInvite();
    expect(
      eventsOf(
        decideCreateUser(
          {
            user_id: 'usr_bob',
            email: 'bob@fund.example',
            name: 'Bob',
            role: 'member',
            via: 'admin',
            at: T1,
          },
          g.ctx,
        ),
      ),
    ).toEqual([
      {
        type: 'InviteRevoked',
        data: { invite_id: 'inv_1', email: 'bob@fund.example', reason: 'replaced' },
      },
      {
        type: 'UserCreated',
        data: {
          user_id: 'usr_bob',
          email: 'bob@fund.example',
          name: 'Bob',
          role: 'member',
          via: 'admin',
        },
      },
    ]);
  });

  it('refuses an unknown role and a bad name', () => {
    const g = givenAdmin();
    expect(
      domainErrorOf(() =>
        decideCreateUser(
          {
            user_id: 'usr_b',
            email: 'b@fund.example',
            name: 'B',
            role: 'owner' as 'admin',
            via: 'admin',
            at: T1,
          },
          g.ctx,
        ),
      ).details,
    ).toEqual({ field: 'role' });
    expect(
      domainErrorOf(() =>
        decideCreateUser(
          {
            user_id: 'usr_b',
            email: 'b@fund.example',
            name: '',
            role: 'member',
            via: 'admin',
            at: T1,
          },
          g.ctx,
        ),
      ).details,
    ).toEqual({ field: 'name' });
  });
});

describe('invites', () => {
  it('records the address, role and expiry, and replaces an earlier pending invite to the same address', () => {
    const g = givenInvite();
    const d = decideInviteUser(
      {
        invite_id: 'inv_2',
        email: 'BOB@fund.example',
        role: 'admin',
        at: T1,
        expires_at: '2026-01-09T00:00:00Z',
      },
      g.ctx,
    );
    expect(d.appends).toEqual([
      {
        stream_id: 'invite-inv_1',
        expected_version: 1,
        events: [
          {
            type: 'InviteRevoked',
            data: { invite_id: 'inv_1', email: 'bob@fund.example', reason: 'replaced' },
          },
        ],
      },
      {
        stream_id: 'invite-inv_2',
        expected_version: 0,
        events: [
          {
            type: 'UserInvited',
            data: {
              invite_id: 'inv_2',
              email: 'bob@fund.example',
              role: 'admin',
              expires_at: '2026-01-09T00:00:00.000Z',
            },
          },
        ],
      },
    ]);
  });

  it('leaves an expired invite alone when replacing', () => {
    const g = givenInvite();
    expect(
      eventsOf(
        decideInviteUser(
          {
            invite_id: 'inv_2',
            email: 'bob@fund.example',
            role: 'member',
            at: WEEK,
            expires_at: '2026-01-15T00:00:00Z',
          },
          g.ctx,
        ),
      ).map((e) => e.type),
    ).toEqual(['UserInvited']);
  });

  it('refuses an address that already has an account and an expiry in the past', () => {
    const g = givenAdmin();
    expect(
      domainErrorOf(() =>
        decideInviteUser(
          {
            invite_id: 'inv_2',
            email: 'ada@fund.example',
            role: 'member',
            at: T1,
            expires_at: WEEK,
          },
          g.ctx,
        ),
      ).code,
    ).toBe('conflict');
    expect(
      domainErrorOf(() =>
        decideInviteUser(
          { invite_id: 'inv_2', email: 'x@fund.example', role: 'member', at: T1, expires_at: T0 },
          g.ctx,
        ),
      ).message,
    ).toBe('an invite must expire after it is made');
  });

  it('is revoked once; revoking again changes nothing; an unknown invite is not found', () => {
    const g = givenInvite();
    const d = decideRevokeInvite({ invite_id: 'inv_1' }, g.ctx);
    expect(eventsOf(d)).toEqual([
      {
        type: 'InviteRevoked',
        data: { invite_id: 'inv_1', email: 'bob@fund.example', reason: 'revoked' },
      },
    ]);
    g.apply(d);
    expect(eventsOf(decideRevokeInvite({ invite_id: 'inv_1' }, g.ctx))).toEqual([]);
    expect(domainErrorOf(() => decideRevokeInvite({ invite_id: 'inv_nope' }, g.ctx)).code).toBe(
      'not_found',
    );
  });
});

describe('decideAcceptInvite', () => {
  const accept = (g: GivenAccounts, over: Partial<Parameters<typeof decideAcceptInvite>[0]> = {}) =>
    decideAcceptInvite(
      { invite_id: 'inv_1', user_id: 'usr_bob', name: 'Bob', at: T1, ...over },
      g.ctx,
    );

  it("creates the account with the invite's address and role, and uses the invite up", () => {
    const g = givenInvite('bob@fund.example', 'admin');
    const d = accept(g, { email: 'Bob@Fund.example' });
    expect(d.appends).toEqual([
      {
        stream_id: 'user-usr_bob',
        expected_version: 0,
        events: [
          {
            type: 'UserJoined',
            data: {
              user_id: 'usr_bob',
              email: 'bob@fund.example',
              name: 'Bob',
              role: 'admin',
              invite_id: 'inv_1',
            },
          },
        ],
      },
      {
        stream_id: 'invite-inv_1',
        expected_version: 1,
        events: [{ type: 'InviteAccepted', data: { invite_id: 'inv_1', user_id: 'usr_bob' } }],
      },
    ]);
    g.apply(d);
    expect(g.state.users.get('usr_bob')).toMatchObject({
      email: 'bob@fund.example',
      role: 'admin',
      disabled: false,
      token_version: 0,
    });
    expect(g.state.invites.get('inv_1')).toMatchObject({
      state: 'accepted',
      accepted_by: 'usr_bob',
    });
  });

  it('refuses a used, revoked, expired or unknown invite, and one made for another address', () => {
    const used = givenInvite();
    used.apply(accept(used));
    const revoked = givenInvite();
    revoked.apply(decideRevokeInvite({ invite_id: 'inv_1' }, revoked.ctx));
    const cases: [
      GivenAccounts,
      Partial<Parameters<typeof decideAcceptInvite>[0]>,
      string,
      string,
    ][] = [
      [used, { user_id: 'usr_eve' }, 'used', 'this invite was already used'],
      [revoked, {}, 'revoked', 'this invite was revoked; ask an admin for a new one'],
      [
        givenInvite(),
        { at: WEEK },
        'expired',
        'this invite has expired; ask an admin for a new one',
      ],
      [givenInvite(), { invite_id: 'inv_nope' }, 'unknown', 'this invite link is not valid'],
      [
        givenInvite(),
        { email: 'eve@evil.example' },
        'email',
        'this invite was made for another email address',
      ],
    ];
    for (const [g, over, reason, message] of cases) {
      const err = domainErrorOf(() => accept(g, over));
      expect([err.code, err.message, err.details]).toEqual([
        'forbidden',
        message,
        { field: 'token', reason },
      ]);
      expect(err.reason).toBe(reason === 'email' ? 'invite_email_mismatch' : `invite_${reason}`);
    }
  });

  it('refuses when the address got an account some other way meanwhile', () => {
    const g = givenInvite();
    // As if the account had been created before invites were closed on creation.
    g.store.append(
      [
        {
          stream_id: 'user-usr_b2',
          expected_version: 0,
          events: [
            {
              type: 'UserCreated',
              data: {
                user_id: 'usr_b2',
                email: 'bob@fund.example',
                name: 'B',
                role: 'member',
                via: 'admin',
              },
            },
          ],
        },
      ],
      {
        metadata: { actor_id: 'usr_ada', correlation_id: 'c', source: 'api' },
        recorded_at: T0,
        event_ids: ['evt_x'],
      },
    );
    expect(domainErrorOf(() => accept(g)).code).toBe('conflict');
  });
});

describe('roles, disabling and sessions', () => {
  function givenTeam(): GivenAccounts {
    const g = givenAdmin();
    g.apply((ctx) =>
      decideCreateUser(
        {
          user_id: 'usr_bob',
          email: 'bob@fund.example',
          name: 'Bob',
          role: 'member',
          via: 'admin',
          at: T1,
        },
        ctx,
      ),
    );
    return g;
  }

  it('refuses to demote or disable the last active admin', () => {
    const g = givenTeam();
    expect(
      domainErrorOf(() => decideChangeRole({ user_id: 'usr_ada', role: 'member' }, g.ctx)).message,
    ).toBe('the last active admin cannot be demoted; make someone else an admin first');
    expect(
      domainErrorOf(() => decideSetUserDisabled({ user_id: 'usr_ada', disabled: true }, g.ctx))
        .message,
    ).toBe('the last active admin cannot be disabled; make someone else an admin first');
  });

  it('lets an admin step down once another active admin exists, but a disabled admin does not count', () => {
    const g = givenTeam();
    g.apply((ctx) => decideChangeRole({ user_id: 'usr_bob', role: 'admin' }, ctx));
    g.apply((ctx) => decideSetUserDisabled({ user_id: 'usr_bob', disabled: true }, ctx));
    expect(
      domainErrorOf(() => decideChangeRole({ user_id: 'usr_ada', role: 'member' }, g.ctx)).code,
    ).toBe('illegal_state');
    g.apply((ctx) => decideSetUserDisabled({ user_id: 'usr_bob', disabled: false }, ctx));
    expect(eventsOf(decideChangeRole({ user_id: 'usr_ada', role: 'member' }, g.ctx))).toEqual([
      { type: 'UserRoleChanged', data: { user_id: 'usr_ada', from: 'admin', to: 'member' } },
    ]);
    expect(eventsOf(decideSetUserDisabled({ user_id: 'usr_ada', disabled: true }, g.ctx))).toEqual([
      { type: 'UserDisabled', data: { user_id: 'usr_ada' } },
    ]);
  });

  it('changes nothing when the role or the disabled flag is already so', () => {
    const g = givenTeam();
    expect(eventsOf(decideChangeRole({ user_id: 'usr_bob', role: 'member' }, g.ctx))).toEqual([]);
    expect(eventsOf(decideSetUserDisabled({ user_id: 'usr_bob', disabled: false }, g.ctx))).toEqual(
      [],
    );
    expect(
      domainErrorOf(() => decideChangeRole({ user_id: 'usr_nope', role: 'admin' }, g.ctx)).code,
    ).toBe('not_found');
  });

  it('bumps the token version on role change, disable, password change and logout, not on enable', () => {
    const g = givenTeam();
    const tv = () => g.state.users.get('usr_bob')!.token_version;
    g.apply((ctx) => decideChangeRole({ user_id: 'usr_bob', role: 'admin' }, ctx));
    expect(tv()).toBe(1);
    g.apply((ctx) => decideSetUserDisabled({ user_id: 'usr_bob', disabled: true }, ctx));
    expect(tv()).toBe(2);
    g.apply((ctx) => decideSetUserDisabled({ user_id: 'usr_bob', disabled: false }, ctx));
    expect(tv()).toBe(2);
    g.apply((ctx) => decideChangePassword({ user_id: 'usr_bob' }, ctx));
    expect(tv()).toBe(3);
    g.apply((ctx) => decideLogOut({ user_id: 'usr_bob' }, ctx));
    expect(g.state.users.get('usr_bob')).toMatchObject({
      role: 'admin',
      disabled: false,
      token_version: 4,
      version: 6,
    });
  });

  it('refuses a password change for a disabled account', () => {
    const g = givenTeam();
    g.apply((ctx) => decideSetUserDisabled({ user_id: 'usr_bob', disabled: true }, ctx));
    expect(domainErrorOf(() => decideChangePassword({ user_id: 'usr_bob' }, g.ctx)).message).toBe(
      'this account is disabled',
    );
  });

  it('never puts a secret in an event', () => {
    const g = givenInvite();
    g.apply((ctx) =>
      decideAcceptInvite({ invite_id: 'inv_1', user_id: 'usr_bob', name: 'Bob', at: T1 }, ctx),
    );
    g.apply((ctx) => decideChangePassword({ user_id: 'usr_bob' }, ctx));
    const keys = g.store.readAll().flatMap((e) => Object.keys(e.data as object));
    expect(keys.filter((k) => /password|hash|token|secret/i.test(k))).toEqual([]);
  });
});
