import { apiSuite } from '../support/api-suite';
import { baseIds } from '../support/test-app';

/**
 * A view's relative dates are read in the reader's zone, as `tz` names it: at 23:30 on Sunday in
 * New York, "today" is Sunday there, though UTC is already on Monday. An unknown zone is refused.
 */
describe('views read with ?tz=: dates in the reader’s time zone', () => {
  const t = apiSuite();
  let ids: Awaited<ReturnType<typeof baseIds>>;
  let viewId: string;
  const names = new Map<string, string>();

  beforeAll(async () => {
    ids = await baseIds(t);
    const created = await t
      .http()
      .post('/api/fundraising/changes')
      .send({
        changes: [
          ['Sunday LP', '2026-12-06'],
          ['Monday LP', '2026-12-07'],
        ].map(([name, day]) => ({
          op: 'create',
          table_id: ids.investors,
          values: { [ids.inv('name')]: name, [ids.inv('last_contacted')]: day },
        })),
      })
      .expect(200);
    created.body.applied.forEach((a: { record_id: string }, i: number) =>
      names.set(a.record_id, i === 0 ? 'Sunday LP' : 'Monday LP'),
    );
    const view = await t
      .http()
      .post('/api/fundraising/views')
      .send({
        table_id: ids.investors,
        name: 'Contacted today',
        filters: {
          conjunction: 'and',
          conditions: [
            {
              field_id: ids.inv('last_contacted'),
              operator: 'is_on',
              value: { relative: 'today' },
            },
          ],
        },
      })
      .expect(201);
    viewId = view.body.id;
  });

  const shown = async (query: Record<string, string>) => {
    const res = await t
      .http()
      .get(`/api/fundraising/views/${viewId}/records`)
      .query(query)
      .expect(200);
    return res.body.records.map((r: { id: string }) => names.get(r.id));
  };

  it('given 23:30 in New York and 00:30 in Zurich, when read with tz, then each reader’s today', async () => {
    // 04:30 UTC on Monday: still Sunday 23:30 in New York.
    const clock = jest
      .spyOn(t.core.clock, 'now')
      .mockImplementation(() => '2026-12-07T04:30:00.000Z');
    try {
      expect(await shown({ tz: 'America/New_York' })).toEqual(['Sunday LP']);
      expect(await shown({})).toEqual(['Monday LP']);
      // 23:30 UTC on Sunday: already Monday 00:30 in Zurich.
      clock.mockImplementation(() => '2026-12-06T23:30:00.000Z');
      expect(await shown({ tz: 'Europe/Zurich' })).toEqual(['Monday LP']);
      expect(await shown({ tz: 'UTC' })).toEqual(['Sunday LP']);
      // The view's file holds what the reader's grid shows.
      const file = await t
        .http()
        .get(`/api/fundraising/views/${viewId}/export.csv`)
        .query({ tz: 'Europe/Zurich' })
        .expect(200);
      expect(file.text).toContain('Monday LP');
      expect(file.text).not.toContain('Sunday LP');
    } finally {
      clock.mockRestore();
    }
  });

  it('given a zone that is none, when read or exported, then 400 naming tz with a reason', async () => {
    for (const path of ['records', 'export.csv']) {
      const res = await t
        .http()
        .get(`/api/fundraising/views/${viewId}/${path}`)
        .query({ tz: 'Mars/Olympus' })
        .expect(400);
      expect(res.body.details).toMatchObject({ field: 'tz', given: 'Mars/Olympus' });
      expect(res.body.reason).toBe('unknown_time_zone');
    }
  });
});
