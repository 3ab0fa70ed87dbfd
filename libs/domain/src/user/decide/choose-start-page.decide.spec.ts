import { eventsOf } from '../../testing/given-when-then';
import { domainErrorOf } from '../../testing/domain-error-of';
import { GivenAccounts } from '../../testing/given-accounts';
import { decideChooseStartPage } from './choose-start-page.decide';
import { decideCreateUser } from './create-user.decide';

function givenAda(): GivenAccounts {
  const g = new GivenAccounts();
  g.apply(
    (ctx) =>
      decideCreateUser(
        {
          user_id: 'usr_ada',
          email: 'ada@fund.example',
          name: 'Ada',
          role: 'member',
          via: 'admin',
          at: '2026-01-01T00:00:00.000Z',
        },
        ctx,
      ),
    'system',
  );
  return g;
}

describe('choosing the page one lands on after signing in', () => {
  it('starts at the grid, and records a choice of the dashboard with what it was', () => {
    const g = givenAda();
    expect(g.state.users.get('usr_ada')!.start_page).toBe('grid');
    const d = decideChooseStartPage({ user_id: 'usr_ada', start_page: 'dashboard' }, g.ctx);
    expect(eventsOf(d)).toEqual([
      { type: 'StartPageChosen', data: { user_id: 'usr_ada', from: 'grid', to: 'dashboard' } },
    ]);
    g.apply(d);
    expect(g.state.users.get('usr_ada')).toMatchObject({
      start_page: 'dashboard',
      token_version: 0,
    });
  });

  it('appends nothing when the page is the one already chosen', () => {
    const d = decideChooseStartPage({ user_id: 'usr_ada', start_page: 'grid' }, givenAda().ctx);
    expect(eventsOf(d)).toEqual([]);
  });

  it('refuses a page that is not one of the choices, naming the field', () => {
    const e = domainErrorOf(() =>
      decideChooseStartPage({ user_id: 'usr_ada', start_page: 'settings' }, givenAda().ctx),
    );
    expect(e).toMatchObject({ code: 'validation', details: { field: 'start_page' } });
  });
});
