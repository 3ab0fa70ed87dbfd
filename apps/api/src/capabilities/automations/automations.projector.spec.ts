import {
  at,
  type GivenEvent,
  givenEvents,
  type Projected,
} from '../../../../../test/support/projector-harness';

const definition = {
  name: 'Passed → graveyard',
  trigger: { type: 'record_updated', table_id: 'tbl_inv', fields: ['fld_stage'] },
  conditions: null,
  actions: [{ type: 'set_membership', list: 'graveyard', op: 'move' }],
};
const ruleEvent = (type: string, data: object, s: number): GivenEvent => ({
  stream_id: 'automation-aut_1',
  type,
  data: { rule_id: 'aut_1', ...data },
  at: at(s),
  by: 'usr_admin',
  source: 'api',
});
const runEvent = (type: string, data: object, s: number): GivenEvent => ({
  stream_id: 'automation-run-aut_1-evt_9',
  type,
  data: { run_id: 'run_1', rule_id: 'aut_1', ...data },
  at: at(s),
  by: 'aut_1',
  source: 'automation',
});
const moved = (type: string, list: string, s: number, run: string | null): GivenEvent => ({
  stream_id: 'membership-rec_1',
  type,
  data: { record_id: 'rec_1', table_id: 'tbl_inv', list, rule_id: run && 'aut_1', run_id: run },
  at: at(s),
  source: run ? 'automation' : 'grid',
});

const HISTORY: GivenEvent[] = [
  ruleEvent('AutomationRuleCreated', { ...definition, enabled: true }, 0),
  ruleEvent(
    'AutomationRuleChanged',
    { version: 2, from: definition, to: { ...definition, name: 'Renamed' } },
    1,
  ),
  moved('MembershipAdded', 'main', 2, null),
  runEvent(
    'AutomationRunStarted',
    {
      rule_version: 2,
      trigger_position: 3,
      trigger_event_id: 'evt_9',
      record_id: 'rec_1',
      chain: [],
    },
    3,
  ),
  moved('MembershipRemoved', 'main', 3, 'run_1'),
  moved('MembershipAdded', 'graveyard', 3, 'run_1'),
  runEvent(
    'AutomationRunSucceeded',
    {
      effects: [
        { record_id: 'rec_1', what: 'lists (move graveyard)', from: ['main'], to: ['graveyard'] },
      ],
      conflicts: [],
    },
    3,
  ),
  ruleEvent('AutomationRuleDisabled', { failures: 5, error: 'boom' }, 4),
];

describe('AutomationsProjector', () => {
  let p: Projected;
  afterEach(async () => p?.close());

  const snapshot = (q: Projected) => ({
    rules: q.rows('SELECT * FROM automation_rules ORDER BY id'),
    runs: q.rows('SELECT * FROM automation_runs ORDER BY id'),
    lists: q.rows('SELECT * FROM fundraising_memberships ORDER BY record_id, list'),
    streams: q.rows('SELECT * FROM membership_streams ORDER BY record_id'),
  });

  it('keeps the rule at its version with its runs, and the lists with who moved the record', async () => {
    p = await givenEvents('automations', HISTORY);
    const s = snapshot(p);
    expect(s.rules).toEqual([
      expect.objectContaining({
        id: 'aut_1',
        name: 'Renamed',
        version: 2,
        enabled: 0,
        runs: 1,
        failures: 0,
        last_run_at: at(3),
        disabled_reason: 'turned off after 5 failed runs in a row: boom',
      }),
    ]);
    expect(s.runs).toEqual([
      expect.objectContaining({ id: 'run_1', status: 'succeeded', rule_version: 2, chain: '[]' }),
    ]);
    expect(s.lists).toEqual([
      {
        record_id: 'rec_1',
        list: 'graveyard',
        table_id: 'tbl_inv',
        since: at(3),
        source: 'automation',
        rule_id: 'aut_1',
        run_id: 'run_1',
      },
    ]);
    expect(s.streams).toEqual([{ record_id: 'rec_1', version: 3 }]);
  });

  it('gives the same rows when rebuilt from the log and when every event is applied again', async () => {
    p = await givenEvents('automations', HISTORY);
    const live = snapshot(p);
    await p.rebuild();
    expect(snapshot(p)).toEqual(live);
    await p.applyAgain();
    expect(snapshot(p)).toEqual(live);
  });

  it('writes a run appended with its end in one go as the same rows as event by event', async () => {
    // Given the run's start, moves and end in one append (as a run writes them)
    const oneAppend = [...HISTORY.slice(0, 3), HISTORY.slice(3, 7), ...HISTORY.slice(7)];
    p = await givenEvents('automations', oneAppend);
    const together = snapshot(p);
    await p.close();
    // Then the rows are those of the events applied one by one
    p = await givenEvents('automations', HISTORY);
    expect(together).toEqual(snapshot(p));
  });

  it('counts a failed run whose start and end come together', async () => {
    // Given a rule on, and a run that started and failed in one append
    const started = HISTORY[3];
    p = await givenEvents('automations', [
      HISTORY[0],
      [started, runEvent('AutomationRunFailed', { error: 'no such field' }, 3)],
    ]);
    // Then the run is failed and its rule counts it
    expect(p.rows('SELECT status, error FROM automation_runs')).toEqual([
      { status: 'failed', error: 'no such field' },
    ]);
    expect(
      p.rows('SELECT runs, failures, failures_in_a_row, last_error FROM automation_rules'),
    ).toEqual([{ runs: 1, failures: 1, failures_in_a_row: 1, last_error: 'no such field' }]);
    // And applying the events again counts nothing twice
    await p.applyAgain();
    expect(p.rows('SELECT runs, failures FROM automation_rules')).toEqual([
      { runs: 1, failures: 1 },
    ]);
  });
});
