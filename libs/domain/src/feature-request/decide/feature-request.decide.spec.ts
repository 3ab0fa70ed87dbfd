import { type FeatureRequestEvent } from '@crm/events';
import { eventsOf } from '../../testing/given-when-then';
import { domainErrorOf } from '../../testing/domain-error-of';
import { evolveFeatureRequest, type FeatureRequestState } from '../feature-request.state';
import {
  decideChangeFeatureRequest,
  decideFileFeatureRequest,
  decideVote,
} from './feature-request.decide';

const ADA = { id: 'usr_ada', role: 'member' as const };
const BO = { id: 'usr_bo', role: 'member' as const };
const ADMIN = { id: 'usr_admin', role: 'admin' as const };

/** Given a filed request (by Ada) and these events on it. */
function given(...events: FeatureRequestEvent[]): FeatureRequestState {
  const filed = eventsOf(decideFileFeatureRequest({ request_id: 'frq_1', title: 'Dark mode' }));
  let state: FeatureRequestState | undefined;
  for (const [i, e] of [...filed, ...events].entries())
    state = evolveFeatureRequest(state, e as FeatureRequestEvent, {
      recorded_at: '2026-12-01T00:00:00.000Z',
      actor_id: ADA.id,
      stream_version: i + 1,
    });
  return state!;
}

describe('feature requests', () => {
  it('is filed open, with its title trimmed and an empty body by default', () => {
    expect(given()).toMatchObject({ title: 'Dark mode', body: '', status: 'open', voters: [] });
    expect(
      eventsOf(decideFileFeatureRequest({ request_id: 'frq_2', title: '  CSV  ', body: 'why' })),
    ).toEqual([
      { type: 'FeatureRequestFiled', data: { request_id: 'frq_2', title: 'CSV', body: 'why' } },
    ]);
  });

  it.each([
    [{ title: '   ' }, 'title', 'missing_value'],
    [{ title: 'x'.repeat(201) }, 'title', 'too_large'],
    [{ title: 'ok', body: 'x'.repeat(20_001) }, 'body', 'too_large'],
    [{ title: 'ok', body: 5 }, 'body', 'invalid_value'],
  ])('refuses %# naming %s (%s)', (cmd, field, reason) => {
    const e = domainErrorOf(() => decideFileFeatureRequest({ request_id: 'frq_3', ...cmd }));
    expect(e).toMatchObject({ code: 'validation', reason, details: { field } });
  });

  it('takes 200 characters of title and 20,000 of body (counted as characters, not UTF-16 units)', () => {
    const d = decideFileFeatureRequest({
      request_id: 'frq_4',
      title: '😀'.repeat(200),
      body: 'é'.repeat(20_000),
    });
    expect(eventsOf(d)).toHaveLength(1);
  });

  it('lets its author edit the text and an admin set the status, in one decision', () => {
    const edited = decideChangeFeatureRequest({ title: 'Dark theme' }, given(), ADA);
    expect(eventsOf(edited)).toEqual([
      {
        type: 'FeatureRequestEdited',
        data: {
          request_id: 'frq_1',
          changes: [{ field: 'title', from: 'Dark mode', to: 'Dark theme' }],
        },
      },
    ]);
    const both = decideChangeFeatureRequest({ body: 'please', status: 'planned' }, given(), ADMIN);
    expect(eventsOf(both).map((e) => e.type)).toEqual([
      'FeatureRequestEdited',
      'FeatureRequestStatusChanged',
    ]);
    expect(
      decideChangeFeatureRequest({ title: 'Dark mode', status: 'open' }, given(), ADMIN).appends,
    ).toEqual([]);
  });

  it('refuses a member the status, someone else the text, and an unknown status', () => {
    expect(
      domainErrorOf(() => decideChangeFeatureRequest({ status: 'done' }, given(), ADA)),
    ).toMatchObject({ code: 'forbidden', details: { field: 'status' } });
    expect(
      domainErrorOf(() => decideChangeFeatureRequest({ body: 'mine now' }, given(), BO)),
    ).toMatchObject({ code: 'forbidden', details: { field: 'body' } });
    expect(
      domainErrorOf(() => decideChangeFeatureRequest({ status: 'someday' }, given(), ADMIN)),
    ).toMatchObject({ code: 'validation', reason: 'invalid_value', details: { field: 'status' } });
  });

  it('counts one vote a person: a second vote, or taking back a vote never given, appends nothing', () => {
    const voted = given({
      type: 'FeatureRequestVoted',
      data: { request_id: 'frq_1', user_id: BO.id },
    });
    expect(voted.voters).toEqual([BO.id]);
    expect(eventsOf(decideVote(voted, BO, true))).toEqual([]);
    expect(eventsOf(decideVote(voted, ADA, false))).toEqual([]);
    expect(eventsOf(decideVote(voted, BO, false))).toEqual([
      { type: 'FeatureRequestUnvoted', data: { request_id: 'frq_1', user_id: BO.id } },
    ]);
  });
});
