import fc from 'fast-check';
import {
  decideAddField,
  decideSaveView,
  orderedLists,
  type ViewDiff,
  type ViewState,
} from '@crm/domain';
import { AutomationCommands } from '../../apps/api/src/capabilities/automations';
import {
  answerAsOf,
  type RecordsAnswer,
} from '../../apps/api/src/capabilities/history/as-of.compute';
import { ListsAt } from '../../apps/api/src/capabilities/history/lists-at';
import { SnapshotStore } from '../../apps/api/src/capabilities/history/snapshot.store';
import { ViewRecordsQuery } from '../../apps/api/src/capabilities/fundraising/queries/view-records.query';
import { newId } from '../../apps/api/src/infrastructure/clock';
import { SYSTEM_ACTOR } from '../../apps/api/src/infrastructure/request-context/actor';
import { openTempCore, type TempCore } from '../support/temp-core';

const STAGES = ['Lead', 'Engaged', 'Diligence', 'Committed', 'Passed'];

interface Seen {
  position: number;
  page: { total: number; records: { id: string; values: Record<string, unknown> }[] };
}

/**
 * A view as of a moment must be what restoring the base to that moment and then reading the view
 * would show. Restoring puts back the base as it was, so what the live view showed at that moment
 * is that answer: a random history is written, the live view is read at moments along it, and the
 * as-of answer for each moment, built from snapshots and a replay of the log alone, must be the
 * same records, in the same order, with the same values (formula values included), and each
 * investor in the lists it was in then (the view sorts by lists at times).
 */
describe('a view as of a moment equals the view read at that moment', () => {
  let core: TempCore;
  let snaps: SnapshotStore;
  let log: { snapshots: SnapshotStore; lists: ListsAt };
  let view: ViewState;
  const seen: Seen[] = [];
  const now = Date.parse('2030-01-01T00:00:00.000Z');

  beforeAll(async () => {
    core = await openTempCore('crm-view-as-of-');
    snaps = new SnapshotStore(core.db, core.store, 25);
    log = { snapshots: snaps, lists: new ListsAt(core.db) };
    const lists = core.app.get(AutomationCommands);
    const meta = { actor: SYSTEM_ACTOR, source: 'grid' as const };
    const inv = core.repo.tableByRole('investors')!;
    const field = (role: string) => inv.fields.find((f) => f.role === role)!.id;
    const [name, stage, target] = [
      field('investor.name'),
      field('investor.stage'),
      field('investor.target_commitment'),
    ];
    const viewId = newId('viw');
    const saveView = (min: number, stages: string[], desc: boolean, byLists = false) =>
      core.commands.decide(meta, (ctx) =>
        decideSaveView(
          {
            view_id: viewId,
            table_id: inv.id,
            name: 'Pipeline',
            config: {
              filters: {
                conjunction: 'and',
                conditions: [
                  { field_id: target, operator: '>=', value: min },
                  {
                    conjunction: 'or',
                    conditions: stages.map((value) => ({ field_id: stage, operator: 'is', value })),
                  },
                ],
              },
              sorts: [
                ...(byLists ? [{ field_id: 'lists', direction: desc ? 'desc' : 'asc' }] : []),
                { field_id: target, direction: desc ? 'desc' : 'asc' },
                { field_id: name, direction: 'asc' },
              ],
            },
            actor: SYSTEM_ACTOR,
          },
          ctx,
        ),
      );
    await saveView(0, STAGES, true);
    const ids: string[] = [];
    let formulas = 0;
    const read = new ViewRecordsQuery(core.repo, core.uow, (a, l) => core.store.readAll(a, l));
    for (const [op, pick, amount, text] of fc.sample(
      fc.tuple(
        fc.nat(10),
        fc.nat(1000),
        fc.integer({ min: 0, max: 50 }),
        fc.string({ maxLength: 4 }),
      ),
      { numRuns: 240, seed: 19 },
    )) {
      const id = ids[pick % Math.max(ids.length, 1)];
      const rec = id ? core.repo.record(id) : undefined;
      if (op <= 2 || !rec) {
        const created = newId('rec');
        ids.push(created);
        await core.commands.applyChanges(
          [
            {
              op: 'create',
              table_id: inv.id,
              record_id: created,
              values: {
                [name]: `LP ${text}`,
                [stage]: STAGES[pick % STAGES.length],
                [target]: amount * 100_000,
              },
            },
          ],
          meta,
        );
      } else if (op <= 5 && !rec.archived) {
        const [f, to] =
          op === 4 ? [stage, STAGES[amount % STAGES.length]] : [target, amount * 100_000];
        await core.commands.applyChanges(
          [{ op: 'set', record_id: rec.id, field_id: f, from: rec.values[f] ?? null, to }],
          meta,
        );
      } else if (op === 6) {
        await core.commands.applyChanges(
          [{ op: rec.archived ? 'unarchive' : 'archive', record_id: rec.id }],
          meta,
        );
      } else if (op === 7) {
        await saveView(
          amount * 50_000,
          STAGES.filter((_, i) => (pick >> i) & 1 || i === pick % 5),
          pick % 2 === 0,
          pick % 3 === 0,
        );
      } else if (op === 10 && !rec.archived) {
        const list = ['main', 'follow_up', 'longshot', 'graveyard'][amount % 4];
        await lists.move({ record_id: rec.id, list, op: pick % 3 === 0 ? 'remove' : 'add' }, meta);
      } else if (op === 8 && formulas < 3) {
        const formula = [
          '{Target commitment} * 2',
          '"LP: " & {Name}',
          'IF({Target commitment} > 2000000, "big", "small")',
        ][formulas++];
        await core.commands.decide(meta, (ctx) =>
          decideAddField(
            {
              table_id: inv.id,
              field: {
                id: newId('fld'),
                name: `F${formulas}`,
                type: 'formula',
                options: { formula },
              },
            },
            ctx,
          ),
        );
      }
      snaps.maybeSnapshot('2026-01-01T00:00:00.000Z');
      if (pick % 4 === 0) {
        view = core.repo.view(viewId)!;
        const table = core.repo.table(inv.id)!;
        const json = read.pageJson(view, table, undefined, 10_000, now, SYSTEM_ACTOR.id);
        const page = JSON.parse(json) as Seen['page'];
        // The lists each investor is in as the memberships' read model has them at that moment.
        for (const r of page.records)
          r.values.lists = orderedLists(lists.repo.membership(r.id).lists);
        seen.push({ position: core.store.lastPosition(), page });
      }
    }
    view = core.repo.view(viewId)!;
  }, 120_000);

  afterAll(async () => {
    await core.dispose();
  });

  it('took snapshots and read the view at many moments', () => {
    expect(snaps.stats().count).toBeGreaterThanOrEqual(5);
    expect(seen.length).toBeGreaterThanOrEqual(40);
    expect(seen.some((s) => s.page.total >= 5)).toBe(true);
    // The view's filter left records out at some moments, and formula values were in the answers.
    expect(new Set(seen.map((s) => s.page.total)).size).toBeGreaterThan(5);
    const formulaIds = core.repo
      .table(view.table_id)!
      .fields.filter((f) => f.type === 'formula')
      .map((f) => f.id);
    expect(formulaIds).toHaveLength(3);
    expect(
      seen.some((s) => s.page.records.some((r) => formulaIds.every((f) => r.values[f] != null))),
    ).toBe(true);
    // Investors were in lists, some in several, and the view sorted by them at times.
    expect(
      seen.some((s) => s.page.records.some((r) => (r.values.lists as string[]).length > 1)),
    ).toBe(true);
  });

  it('answers each moment with the records, order and values the view showed then', () => {
    const at = (position: number, offset: number, limit: number) =>
      answerAsOf(log, {
        kind: 'records',
        view,
        at: { position, now },
        me: SYSTEM_ACTOR.id,
        team: [],
        offset,
        limit,
      }) as RecordsAnswer;
    for (const s of seen) {
      const answer = at(s.position, 0, 10_000);
      expect(answer.view_defined).toBe('then');
      expect({
        position: s.position,
        records: answer.records.map(({ id, values }) => ({ id, values })),
      }).toEqual({
        position: s.position,
        records: s.page.records.map(({ id, values }) => ({ id, values })),
      });
      expect(answer.total).toBe(s.page.total);
      // A page of it: only its records are given whole, the same as in the whole answer.
      const page = at(s.position, 2, 3);
      expect(page.total).toBe(s.page.total);
      expect(page.records).toEqual(answer.records.slice(2, 5));
    }
  });

  it('answers a diff whose lists are what the two moments differ by', () => {
    const pairs = seen.filter((_, i) => i % 5 === 0);
    for (let i = 1; i < pairs.length; i++) {
      const [a, b] = [pairs[i - 1], pairs[i]];
      const d = answerAsOf(log, {
        kind: 'diff',
        view,
        from: { position: a.position, now },
        to: { position: b.position, now },
        me: SYSTEM_ACTOR.id,
        team: [],
      }) as ViewDiff;
      const before = new Map(a.page.records.map((r) => [r.id, r]));
      const after = new Map(b.page.records.map((r) => [r.id, r]));
      expect(d.entered.map((r) => r.id)).toEqual([...after.keys()].filter((id) => !before.has(id)));
      expect(d.left.map((r) => r.id)).toEqual([...before.keys()].filter((id) => !after.has(id)));
      const changed = [...after.keys()].filter(
        (id) =>
          before.has(id) &&
          JSON.stringify(sorted(before.get(id)!.values)) !==
            JSON.stringify(sorted(after.get(id)!.values)),
      );
      expect(d.changed.map((c) => c.id)).toEqual(changed);
      for (const c of d.changed)
        for (const ch of c.changes) {
          expect(before.get(c.id)!.values[ch.field_id] ?? null).toEqual(ch.from);
          expect(after.get(c.id)!.values[ch.field_id] ?? null).toEqual(ch.to);
        }
    }
  });
});

const sorted = (o: Record<string, unknown>) =>
  Object.fromEntries(
    Object.entries(o)
      .filter(([, v]) => v !== null)
      .sort(([a], [b]) => a.localeCompare(b)),
  );
