import { type UserEventMap, type UserRole } from '@crm/events';
import {
  at,
  type GivenEvent,
  givenEvents,
  type Projected,
} from '../../../../../test/support/projector-harness';

const userEvent = <K extends keyof UserEventMap>(
  type: K,
  data: UserEventMap[K] & { user_id: string },
  when: string,
  by = 'usr_admin',
): GivenEvent => ({ stream_id: `user-${data.user_id}`, type, data, at: when, by, source: 'api' });

const inviteEvent = <K extends keyof UserEventMap>(
  type: K,
  data: UserEventMap[K] & { invite_id: string },
  when: string,
  by = 'usr_admin',
): GivenEvent => ({
  stream_id: `invite-${data.invite_id}`,
  type,
  data,
  at: when,
  by,
  source: 'api',
});

const created = (id: string, name: string, role: UserRole, when: string) =>
  userEvent(
    'UserCreated',
    { user_id: id, email: `${name.toLowerCase()}@fund.example`, name, role, via: 'admin' },
    when,
  );

const invited = (id: string, email: string, role: UserRole, when: string) =>
  inviteEvent(
    'UserInvited',
    { invite_id: id, email, role, expires_at: '2026-03-09T09:00:00.000Z' },
    when,
  );

const users = (p: Projected) => p.rows('SELECT * FROM users ORDER BY id');
const invites = (p: Projected) => p.rows('SELECT * FROM invites ORDER BY id');

describe('UsersProjector', () => {
  let p: Projected;
  afterEach(async () => {
    await p.close();
  });

  it('creates a user from UserCreated, at version 1 with no token bumps', async () => {
    p = await givenEvents('users', [created('usr_admin', 'Ada', 'admin', at(0))]);
    expect(users(p)).toEqual([
      {
        id: 'usr_admin',
        email: 'ada@fund.example',
        name: 'Ada',
        role: 'admin',
        disabled: 0,
        start_page: 'grid',
        token_version: 0,
        version: 1,
        created_at: at(0),
        updated_at: at(0),
      },
    ]);
    expect(invites(p)).toEqual([]);
  });

  it('changes the role, disables and enables, and bumps the token version for each event that ends sessions', async () => {
    p = await givenEvents('users', [
      created('usr_bo', 'Bo', 'member', at(0)),
      userEvent('UserRoleChanged', { user_id: 'usr_bo', from: 'member', to: 'admin' }, at(1)),
      userEvent('UserDisabled', { user_id: 'usr_bo' }, at(2)),
    ]);
    expect(users(p)).toEqual([
      {
        id: 'usr_bo',
        email: 'bo@fund.example',
        name: 'Bo',
        role: 'admin',
        disabled: 1,
        start_page: 'grid',
        token_version: 2,
        version: 3,
        created_at: at(0),
        updated_at: at(2),
      },
    ]);
    await p.append(
      userEvent('UserEnabled', { user_id: 'usr_bo' }, at(3)),
      userEvent('UserPasswordChanged', { user_id: 'usr_bo' }, at(4), 'usr_bo'),
      userEvent('UserLoggedOut', { user_id: 'usr_bo' }, at(5), 'usr_bo'),
    );
    expect(users(p)).toEqual([
      expect.objectContaining({ disabled: 0, token_version: 4, version: 6, updated_at: at(5) }),
    ]);
    // A chosen start page is kept and ends no session.
    await p.append(
      userEvent('StartPageChosen', { user_id: 'usr_bo', from: 'grid', to: 'dashboard' }, at(6)),
    );
    expect(users(p)).toEqual([
      expect.objectContaining({ start_page: 'dashboard', token_version: 4, version: 7 }),
    ]);
  });

  it('keeps an invite pending, then accepted with the joined user, or revoked', async () => {
    p = await givenEvents('users', [
      invited('inv_cy', 'cy@fund.example', 'member', at(0)),
      invited('inv_di', 'di@fund.example', 'admin', at(1)),
      invited('inv_ed', 'ed@fund.example', 'member', at(2)),
      [
        inviteEvent('InviteAccepted', { invite_id: 'inv_cy', user_id: 'usr_cy' }, at(3), 'usr_cy'),
        userEvent(
          'UserJoined',
          {
            user_id: 'usr_cy',
            email: 'cy@fund.example',
            name: 'Cy',
            role: 'member',
            invite_id: 'inv_cy',
          },
          at(3),
          'usr_cy',
        ),
      ],
      inviteEvent(
        'InviteRevoked',
        { invite_id: 'inv_di', email: 'di@fund.example', reason: 'revoked' },
        at(4),
      ),
    ]);
    const invite = { created_by: 'usr_admin', expires_at: '2026-03-09T09:00:00.000Z' };
    expect(invites(p)).toEqual([
      {
        id: 'inv_cy',
        email: 'cy@fund.example',
        role: 'member',
        state: 'accepted',
        created_at: at(0),
        ...invite,
        accepted_by: 'usr_cy',
        closed_at: at(3),
        version: 2,
      },
      {
        id: 'inv_di',
        email: 'di@fund.example',
        role: 'admin',
        state: 'revoked',
        created_at: at(1),
        ...invite,
        accepted_by: null,
        closed_at: at(4),
        version: 2,
      },
      {
        id: 'inv_ed',
        email: 'ed@fund.example',
        role: 'member',
        state: 'pending',
        created_at: at(2),
        ...invite,
        accepted_by: null,
        closed_at: null,
        version: 1,
      },
    ]);
    expect(users(p)).toEqual([
      {
        id: 'usr_cy',
        email: 'cy@fund.example',
        name: 'Cy',
        role: 'member',
        disabled: 0,
        start_page: 'grid',
        token_version: 0,
        version: 1,
        created_at: at(3),
        updated_at: at(3),
      },
    ]);
  });

  it('ignores an event for a user it never saw created', async () => {
    p = await givenEvents('users', [userEvent('UserDisabled', { user_id: 'usr_ghost' }, at(0))]);
    expect(users(p)).toEqual([]);
  });

  it('gives the same rows when rebuilt from the log and when every event is applied again', async () => {
    p = await givenEvents('users', [
      created('usr_admin', 'Ada', 'admin', at(0)),
      created('usr_bo', 'Bo', 'member', at(1)),
      userEvent('UserDisabled', { user_id: 'usr_bo' }, at(2)),
      invited('inv_cy', 'cy@fund.example', 'member', at(3)),
      inviteEvent(
        'InviteRevoked',
        { invite_id: 'inv_cy', email: 'cy@fund.example', reason: 'replaced' },
        at(4),
      ),
    ]);
    const live = { users: users(p), invites: invites(p) };
    await p.applyAgain();
    expect({ users: users(p), invites: invites(p) }).toEqual(live);
    await p.rebuild();
    expect({ users: users(p), invites: invites(p) }).toEqual(live);
  });
});
