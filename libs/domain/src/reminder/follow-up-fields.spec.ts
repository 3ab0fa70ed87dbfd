import { decideChanges } from '../record/decide/apply-changes.decide';
import { decideCreateTable } from '../table/decide/create-table.decide';
import { domainErrorOf } from '../testing/domain-error-of';
import { Given } from '../testing/given-when-then';
import {
  decideAddFollowUpFields,
  decideRefreshFollowUp,
  type FollowUpFacts,
  followUpValues,
  NO_FOLLOW_UP,
} from './follow-up-fields';
import { DEFAULT_FOLLOW_UP_SETTINGS } from './follow-up.derive';
import { decideUndo } from '../history/undo.decide';
import { restoreOfRecord } from '../history/restore.compare';

const zurich = { ...DEFAULT_FOLLOW_UP_SETTINGS, time_zone: 'Europe/Zurich' };
const facts = (over: Partial<FollowUpFacts>): FollowUpFacts => ({ ...NO_FOLLOW_UP, ...over });
const open = (due_on: string) => ({ status: 'open', snoozed_until: null, due_on });

/** Investors and contacts with the four follow-up fields, and one investor. */
function givenInvestors(): Given {
  const g = Given.empty();
  for (const [id, role] of [
    ['tbl_inv', 'investors'],
    ['tbl_con', 'contacts'],
  ])
    g.apply((ctx) =>
      decideCreateTable(
        {
          table_id: id,
          name: role,
          role,
          fields: [{ id: `${id}_name`, name: 'Name', type: 'text' }],
        },
        ctx,
      ),
    );
  return g;
}

function withFields(g: Given): Given {
  let n = 0;
  g.apply((ctx) =>
    decideAddFollowUpFields(
      (t, v) => `${t}_${v}_${n++}`,
      () => new Set(),
      ctx,
    ),
  );
  g.apply((ctx) =>
    decideChanges(
      {
        changes: [
          {
            op: 'create',
            table_id: 'tbl_inv',
            record_id: 'rec_1',
            values: { tbl_inv_name: 'Acme' },
          },
        ],
        at: '2026-01-01T00:00:00.000Z',
        actor_id: 'usr_a',
      },
      ctx,
    ),
  );
  return g;
}

describe('the follow-up values on a day', () => {
  it('given a "Last contacted" date typed later than the last logged call, then the typed day counts; given one earlier, the call does', () => {
    const called = facts({
      last_contacted_at: '2026-03-01T10:00:00Z',
      last_contacted_by: 'usr_ann',
    });
    const on = (today: string, typed: string | null) =>
      followUpValues(called, today, DEFAULT_FOLLOW_UP_SETTINGS, typed);
    expect(on('2026-04-30', '2026-04-20')).toMatchObject({
      staleness: null,
      last_contacted_by: 'usr_ann',
    });
    expect(on('2026-04-30', '2026-01-05').staleness).toBe('stale');
    // Nothing logged, only a typed date: the values are written, from that day.
    expect(
      followUpValues(NO_FOLLOW_UP, '2026-04-30', DEFAULT_FOLLOW_UP_SETTINGS, '2026-03-20'),
    ).toEqual({
      last_contacted_by: null,
      staleness: 'aging',
      reminder_status: 'none',
      interactions_90_days: 0,
    });
  });

  it('given a call on 1 March, when the days pass, then Staleness turns aging on day 30 and stale on day 60', () => {
    const called = facts({
      last_contacted_at: '2026-03-01T10:00:00Z',
      last_contacted_by: 'usr_ann',
    });
    const on = (today: string) => followUpValues(called, today, DEFAULT_FOLLOW_UP_SETTINGS);
    expect(on('2026-03-30')).toMatchObject({ staleness: null, last_contacted_by: 'usr_ann' });
    expect(on('2026-03-31').staleness).toBe('aging');
    expect(on('2026-04-29').staleness).toBe('aging');
    expect(on('2026-04-30').staleness).toBe('stale');
  });

  it("given a late call in Zurich, then the days are the fund's calendar days, across the DST change", () => {
    // 23:30 on 28 February in Zurich is 22:30 UTC: the call was on the 28th there.
    const called = facts({
      last_contacted_at: '2026-02-28T22:30:00Z',
      last_contacted_by: 'usr_ann',
    });
    // Clocks go forward on 29 March; day 30 is 30 March in Zurich all the same.
    expect(followUpValues(called, '2026-03-29', zurich).staleness).toBeNull();
    expect(followUpValues(called, '2026-03-30', zurich).staleness).toBe('aging');
    expect(followUpValues(called, '2026-04-29', zurich).staleness).toBe('stale');
  });

  it('given open reminders, then the status is the most pressing one; a snooze hides one until it ends', () => {
    const status = (f: FollowUpFacts, today: string) =>
      followUpValues(f, today, DEFAULT_FOLLOW_UP_SETTINGS).reminder_status;
    expect(status(facts({ open_reminders: [open('2026-05-20')] }), '2026-05-01')).toBe('open');
    expect(status(facts({ open_reminders: [open('2026-05-20')] }), '2026-05-13')).toBe('due_soon');
    expect(status(facts({ open_reminders: [open('2026-05-20')] }), '2026-05-21')).toBe('overdue');
    const snoozed = facts({
      last_contacted_at: '2026-05-01T10:00:00Z',
      open_reminders: [{ status: 'snoozed', snoozed_until: '2026-05-25', due_on: '2026-05-25' }],
    });
    expect(status(snoozed, '2026-05-10')).toBe('none');
    expect(status(snoozed, '2026-05-25')).toBe('due_soon');
  });

  it('counts the interactions of the last 90 calendar days, today included', () => {
    const f = facts({
      last_contacted_at: '2026-06-30T09:00:00Z',
      interactions_at: ['2026-04-01T21:59:00Z', '2026-04-01T22:00:00Z', '2026-06-30T09:00:00Z'],
    });
    // 29 June in Zurich: the window starts at midnight on 1 April there (22:00 UTC on 31 March).
    expect(followUpValues(f, '2026-06-29', zurich).interactions_90_days).toBe(3);
    // A day later it starts at midnight on 2 April (22:00 UTC on 1 April), and a day after, on the 3rd.
    expect(followUpValues(f, '2026-06-30', zurich).interactions_90_days).toBe(2);
    expect(followUpValues(f, '2026-07-01', zurich).interactions_90_days).toBe(1);
  });

  it('leaves a record nothing was ever logged or planned for empty, and says none and 0 once it has', () => {
    expect(followUpValues(NO_FOLLOW_UP, '2026-06-30', zurich)).toEqual({
      last_contacted_by: null,
      staleness: null,
      reminder_status: null,
      interactions_90_days: null,
    });
    const old = facts({ last_contacted_at: '2025-01-01T09:00:00Z', last_contacted_by: 'usr_ann' });
    expect(followUpValues(old, '2026-06-30', zurich)).toEqual({
      last_contacted_by: 'usr_ann',
      staleness: 'stale',
      reminder_status: 'none',
      interactions_90_days: 0,
    });
  });
});

describe('refreshing the follow-up fields', () => {
  it('when the values differ, then one RecordUpdated with from and to of the fields that changed', () => {
    const g = withFields(givenInvestors());
    const record = g.ctx.record('rec_1')!;
    const refresh = (today: string, rec = record) =>
      decideRefreshFollowUp(
        {
          records: [
            {
              record: rec,
              facts: facts({
                last_contacted_at: '2026-03-01T10:00:00Z',
                last_contacted_by: 'usr_ann',
                interactions_at: ['2026-03-01T10:00:00Z'],
              }),
            },
          ],
          today,
          settings: DEFAULT_FOLLOW_UP_SETTINGS,
        },
        g.ctx,
      );
    const first = refresh('2026-03-02');
    expect(first.appends).toHaveLength(1);
    expect(first.appends[0]).toMatchObject({ stream_id: 'record-rec_1', expected_version: 1 });
    const changed = first.appends[0].events[0].data as { changes: object[] };
    expect(changed.changes).toEqual([
      { field_id: expect.stringContaining('last_contacted_by'), from: null, to: 'usr_ann' },
      { field_id: expect.stringContaining('reminder_status'), from: null, to: 'none' },
      { field_id: expect.stringContaining('interactions_90_days'), from: null, to: 1 },
    ]);
    g.apply(first);
    // The same day again: nothing differs, nothing is written.
    expect(refresh('2026-03-02', g.ctx.record('rec_1')!).appends).toEqual([]);
    // Thirty days on: only Staleness moves.
    const later = refresh('2026-03-31', g.ctx.record('rec_1')!);
    expect((later.appends[0].events[0].data as { changes: object[] }).changes).toEqual([
      { field_id: expect.stringContaining('staleness'), from: null, to: 'aging' },
    ]);
  });

  it('leaves the records of a table without the fields alone', () => {
    const g = givenInvestors();
    g.apply((ctx) =>
      decideChanges(
        {
          changes: [
            {
              op: 'create',
              table_id: 'tbl_inv',
              record_id: 'rec_1',
              values: { tbl_inv_name: 'A' },
            },
          ],
          at: '2026-01-01T00:00:00.000Z',
          actor_id: 'usr_a',
        },
        ctx,
      ),
    );
    const cmd = {
      records: [{ record: g.ctx.record('rec_1')!, facts: facts({ last_contacted_by: 'usr_ann' }) }],
      today: '2026-03-01',
      settings: DEFAULT_FOLLOW_UP_SETTINGS,
    };
    expect(decideRefreshFollowUp(cmd, g.ctx).appends).toEqual([]);
  });

  it('refuses a follow-up cell typed by a person: the system fills it in', () => {
    const g = withFields(givenInvestors());
    const field = g.ctx.table('tbl_inv')!.fields.find((f) => f.role === 'follow_up.staleness')!;
    const error = domainErrorOf(() =>
      decideChanges(
        {
          changes: [{ op: 'set', record_id: 'rec_1', field_id: field.id, from: null, to: 'stale' }],
          at: '2026-01-01T00:00:00.000Z',
          actor_id: 'usr_a',
        },
        g.ctx,
      ),
    );
    expect(error.code).toBe('validation');
    expect(error.message).toMatch(/filled in by the system/);
  });
});

describe('adding the follow-up fields (the upgrade at start)', () => {
  it('given investors and contacts without them, then four read-only fields each, in one decision', () => {
    const g = givenInvestors();
    let n = 0;
    const d = decideAddFollowUpFields(
      (t, v) => `${t}_${v}_${n++}`,
      () => new Set(),
      g.ctx,
    );
    g.apply(d);
    for (const id of ['tbl_inv', 'tbl_con'])
      expect(
        g.ctx
          .table(id)!
          .fields.filter((f) => f.type === 'follow_up')
          .map((f) => [f.name, f.role, f.options]),
      ).toEqual([
        ['Last contacted by', 'follow_up.last_contacted_by', { value: 'last_contacted_by' }],
        ['Staleness', 'follow_up.staleness', { value: 'staleness' }],
        ['Reminder status', 'follow_up.reminder_status', { value: 'reminder_status' }],
        [
          'Interactions (90 days)',
          'follow_up.interactions_90_days',
          { value: 'interactions_90_days' },
        ],
      ]);
    // Run again: nothing to add.
    expect(
      decideAddFollowUpFields(
        () => 'x',
        () => new Set(),
        g.ctx,
      ).appends,
    ).toEqual([]);
  });

  it('does not bring back a field people removed', () => {
    const g = givenInvestors();
    const removed = new Set(['follow_up.staleness']);
    let n = 0;
    const d = decideAddFollowUpFields(
      (t, v) => `${t}_${v}_${n++}`,
      (t) => (t === 'tbl_inv' ? removed : new Set()),
      g.ctx,
    );
    g.apply(d);
    const names = (id: string) =>
      g.ctx
        .table(id)!
        .fields.filter((f) => f.type === 'follow_up')
        .map((f) => f.name);
    expect(names('tbl_inv')).toEqual([
      'Last contacted by',
      'Reminder status',
      'Interactions (90 days)',
    ]);
    expect(names('tbl_con')).toHaveLength(4);
  });
});

describe('undoing a batch that holds follow-up values', () => {
  it('given a system refresh and a typed edit in one batch, when the batch is undone, then the typed cell goes back and the follow-up values are left to their processor', () => {
    // Given: an investor whose follow-up values a refresh wrote, and an edit of its name.
    const g = withFields(givenInvestors());
    const refreshed = g.apply((ctx) =>
      decideRefreshFollowUp(
        {
          records: [
            {
              record: ctx.record('rec_1')!,
              facts: facts({
                last_contacted_at: '2026-03-01T10:00:00Z',
                last_contacted_by: 'usr_a',
              }),
            },
          ],
          today: '2026-03-02',
          settings: DEFAULT_FOLLOW_UP_SETTINGS,
        },
        ctx,
      ),
    );
    const renamed = g.apply((ctx) =>
      decideChanges(
        {
          changes: [
            {
              op: 'set',
              record_id: 'rec_1',
              field_id: 'tbl_inv_name',
              from: 'Acme',
              to: 'Acme LP',
            },
          ],
          at: g.now,
          actor_id: 'usr_a',
        },
        ctx,
      ),
    );
    // When: both are undone together.
    const d = decideUndo(
      { events: [...refreshed, ...renamed], at: g.now, actor_id: 'usr_a' },
      g.ctx,
    );
    // Then: only the name is set back; the refresh is skipped with its reason, and nothing conflicts.
    const written = d.appends.flatMap((a) => a.events).map((e) => e.data);
    expect(written).toEqual([
      {
        table_id: 'tbl_inv',
        record_id: 'rec_1',
        changes: [{ field_id: 'tbl_inv_name', from: 'Acme LP', to: 'Acme' }],
      },
    ]);
    expect(d.conflicts).toEqual([]);
    expect(d.skipped).toEqual([
      {
        position: refreshed[0].position,
        type: 'RecordUpdated',
        reason: 'follow-up values follow the logged interactions and reminders',
      },
    ]);
  });
});

describe('restoring a record that has follow-up values', () => {
  it('given follow-up values and a name that changed since a moment, when it is restored to it, then only the name goes back', () => {
    const g = withFields(givenInvestors());
    const table = g.ctx.table('tbl_inv')!;
    const staleness = table.fields.find(
      (f) => f.type === 'follow_up' && f.options.value === 'staleness',
    )!;
    const was = {
      ...g.ctx.record('rec_1')!,
      values: { tbl_inv_name: 'Acme', [staleness.id]: null },
    };
    const now = { ...was, values: { tbl_inv_name: 'Acme LP', [staleness.id]: 'stale' } };
    const then = { tables: new Map([[table.id, table]]) };
    const r = restoreOfRecord(was, now, then, new Set(table.fields.map((f) => f.id)));
    expect(r.changes).toEqual([
      { field_id: 'tbl_inv_name', field_name: 'Name', from: 'Acme LP', to: 'Acme' },
    ]);
  });
});
