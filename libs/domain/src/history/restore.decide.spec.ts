import fc from 'fast-check';
import { type RecordedEvent } from '@crm/events';
import { replay } from '../base/base.state';
import { decideChanges } from '../record/decide/apply-changes.decide';
import { decideAddField } from '../table/decide/add-field.decide';
import { decideCreateTable } from '../table/decide/create-table.decide';
import { decideRemoveField } from '../table/decide/remove-field.decide';
import { decideRenameField } from '../table/decide/rename-field.decide';
import { decideRetypeField } from '../table/decide/retype-field.decide';
import { decideSaveView, decideDeleteView } from '../view/decide/save-view.decide';
import { Given } from '../testing/given-when-then';
import { canonicalBase } from './canonical';
import { decideRestore, type RecordNow, recordsMovedOnSince } from './restore.decide';
import { previewRestore } from './restore.preview';
import { decideUndo } from './undo.decide';

/** A random but valid history: creates, edits, archives, schema changes and views. */
function history(seed: number, steps: number): Given {
  const g = Given.empty();
  g.apply((ctx) =>
    decideCreateTable(
      {
        table_id: 'tbl',
        name: 'Investors',
        fields: [
          { id: 'name', name: 'Name', type: 'text' },
          { id: 'owner', name: 'Owner', type: 'text' },
          { id: 'size', name: 'Size', type: 'text' },
        ],
      },
      ctx,
    ),
  );
  const ops = fc.sample(fc.tuple(fc.nat(9), fc.nat(50), fc.string({ maxLength: 6 })), {
    numRuns: steps,
    seed,
  });
  let n = 0;
  let extra = 0;
  for (const [op, pick, text] of ops) {
    const ids = [...g.state.records.keys()];
    const id = ids[pick % Math.max(ids.length, 1)];
    const r = id ? g.state.records.get(id)! : undefined;
    const actor = `usr_${pick % 3}`;
    try {
      if (op <= 2 || !r)
        g.apply(
          (ctx) =>
            decideChanges(
              {
                changes: [
                  {
                    op: 'create',
                    table_id: 'tbl',
                    record_id: `r${++n}`,
                    values: { name: `LP ${n}`, owner: text || null },
                  },
                ],
                at: g.now,
                actor_id: actor,
              },
              ctx,
            ),
          actor,
        );
      else if (op <= 5 && !r.archived)
        g.apply(
          (ctx) =>
            decideChanges(
              {
                changes: [
                  {
                    op: 'set',
                    record_id: r.id,
                    field_id: 'owner',
                    from: r.values.owner ?? null,
                    to: text || null,
                  },
                ],
                at: g.now,
                actor_id: actor,
              },
              ctx,
            ),
          actor,
        );
      else if (op === 6)
        g.apply(
          (ctx) =>
            decideChanges(
              {
                changes: [{ op: r.archived ? 'unarchive' : 'archive', record_id: r.id }],
                at: g.now,
                actor_id: actor,
              },
              ctx,
            ),
          actor,
        );
      else if (op === 7) {
        const fid = `x${++extra}`;
        g.apply((ctx) =>
          decideAddField(
            { table_id: 'tbl', field: { id: fid, name: `Extra ${extra}`, type: 'text' } },
            ctx,
          ),
        );
        if (!r.archived)
          g.apply(
            (ctx) =>
              decideChanges(
                {
                  changes: [{ op: 'set', record_id: r.id, field_id: fid, from: null, to: '42' }],
                  at: g.now,
                  actor_id: actor,
                },
                ctx,
              ),
            actor,
          );
      } else if (op === 8) {
        const extras = g.state.tables.get('tbl')!.fields.filter((f) => f.id.startsWith('x'));
        const f = extras[pick % Math.max(extras.length, 1)];
        if (f && pick % 3 === 0) g.apply((ctx) => decideRemoveField({ field_id: f.id }, ctx));
        else if (f && pick % 3 === 1)
          g.apply((ctx) =>
            decideRetypeField({ field_id: f.id, type: f.type === 'text' ? 'number' : 'text' }, ctx),
          );
        else if (f)
          g.apply((ctx) => decideRenameField({ field_id: f.id, name: `Renamed ${pick}` }, ctx));
      } else {
        const views = [...g.state.views.keys()];
        if (views.length && pick % 2)
          g.apply((ctx) => decideDeleteView({ view_id: views[0] }, ctx));
        else
          g.apply((ctx) =>
            decideSaveView(
              {
                view_id: `v${pick % 4}`,
                table_id: 'tbl',
                name: `View ${text}x`,
                config: { n: pick },
              },
              ctx,
            ),
          );
      }
    } catch (e) {
      if (!(e instanceof Error) || !/already|exists|renamed|same/.test(e.message)) throw e;
    }
  }
  return g;
}

const touchedAfter = (events: RecordedEvent[], position: number) =>
  events
    .filter((e) => e.position > position && e.stream_id.startsWith('record-'))
    .map((e) => (e.data as { record_id: string }).record_id);

describe('decideRestore', () => {
  it.each([1, 2, 3, 4, 5])(
    'restore to a random moment equals a replay up to it, and undoing the restore gives back the present (seed %i)',
    (seed) => {
      const g = history(seed, 160);
      const log = g.store.readAll();
      const head = log.length;
      for (const target of fc.sample(fc.integer({ min: 1, max: head - 1 }), { numRuns: 4, seed })) {
        const h = history(seed, 160);
        const then = replay(h.store.readAll().filter((e) => e.position <= target));
        const before = canonicalBase(h.state);
        const plan = decideRestore({ then, touched: touchedAfter(log, target) }, h.ctx);
        const restored = h.apply(plan);
        expect(canonicalBase(h.state)).toBe(canonicalBase(then));
        if (restored.length) {
          h.apply(decideUndo({ events: restored, at: h.now, actor_id: 'usr_admin' }, h.ctx));
          expect(canonicalBase(h.state)).toBe(before);
        }
      }
    },
  );

  it('reports what it will do: records to archive, to bring back, to change, and schema changes', () => {
    const g = Given.empty();
    g.apply((ctx) =>
      decideCreateTable(
        {
          table_id: 'tbl',
          name: 'Investors',
          fields: [
            { id: 'name', name: 'Name', type: 'text' },
            { id: 'owner', name: 'Owner', type: 'text' },
          ],
        },
        ctx,
      ),
    );
    g.apply((ctx) =>
      decideChanges(
        {
          changes: [
            {
              op: 'create',
              table_id: 'tbl',
              record_id: 'old',
              values: { name: 'Old', owner: 'Ana' },
            },
            { op: 'create', table_id: 'tbl', record_id: 'gone', values: { name: 'Gone' } },
          ],
          at: g.now,
          actor_id: 'a',
        },
        ctx,
      ),
    );
    const t = g.store.lastPosition();
    g.apply((ctx) =>
      decideChanges(
        {
          changes: [
            { op: 'create', table_id: 'tbl', record_id: 'new', values: { name: 'New' } },
            { op: 'set', record_id: 'old', field_id: 'owner', from: 'Ana', to: 'Ben' },
            { op: 'archive', record_id: 'gone' },
          ],
          at: g.now,
          actor_id: 'a',
        },
        ctx,
      ),
    );
    g.apply((ctx) => decideRenameField({ field_id: 'owner', name: 'Partner' }, ctx));
    const then = replay(g.store.readAll().filter((e) => e.position <= t));
    const plan = decideRestore({ then, touched: touchedAfter(g.store.readAll(), t) }, g.ctx);
    expect(plan.to_archive).toEqual([{ record_id: 'new', table_id: 'tbl' }]);
    expect(plan.to_bring_back).toEqual([{ record_id: 'gone', table_id: 'tbl' }]);
    expect(plan.to_change).toEqual([
      {
        record_id: 'old',
        table_id: 'tbl',
        changes: [{ field_id: 'owner', field_name: 'Owner', from: 'Ben', to: 'Ana' }],
      },
    ]);
    expect(plan.schema).toEqual([
      {
        kind: 'field_renamed',
        table_id: 'tbl',
        field_id: 'owner',
        name: 'Owner',
        detail: { from: 'Partner', to: 'Owner' },
      },
    ]);
  });

  it.each([1, 2, 3])(
    'finds the records that moved on since a moment by version: the records with an event after it (seed %i)',
    (seed) => {
      const g = history(seed, 160);
      const log = g.store.readAll();
      const now = [...g.state.records.values()];
      for (const target of fc.sample(fc.integer({ min: 0, max: log.length }), {
        numRuns: 8,
        seed,
      })) {
        const then = replay(log.filter((e) => e.position <= target));
        expect(new Set(recordsMovedOnSince(then, now))).toEqual(new Set(touchedAfter(log, target)));
      }
    },
  );

  it.each([1, 2, 3])(
    'gives the same plan however the records that existed then are listed, and whatever untouched ones come with them (seed %i)',
    (seed) => {
      const g = history(seed, 160);
      const log = g.store.readAll();
      for (const target of fc.sample(fc.integer({ min: 1, max: log.length - 1 }), {
        numRuns: 4,
        seed,
      })) {
        const then = replay(log.filter((e) => e.position <= target));
        const touched = [...new Set(touchedAfter(log, target))];
        // Records that existed then come in their creation order whatever the listing; those created since, as listed.
        const shuffled = (ids: string[]) => [
          ...ids.filter((id) => then.records.has(id)).reverse(),
          ...ids.filter((id) => !then.records.has(id)),
        ];
        const plan = decideRestore({ then, touched }, g.ctx);
        expect(decideRestore({ then, touched: shuffled(touched) }, g.ctx)).toEqual(plan);
        expect(
          decideRestore({ then, touched: shuffled([...g.state.records.keys()]) }, g.ctx),
        ).toEqual(plan);
      }
    },
  );
});

describe('previewRestore', () => {
  const page = <T>(list: T[], offset: number, limit: number) => list.slice(offset, offset + limit);

  it.each([1, 2, 3, 4, 5, 6])(
    'counts what the plan does and lists the same page of each list (seed %i)',
    (seed) => {
      const g = history(seed, 160);
      const log = g.store.readAll();
      let compared = 0;
      for (const target of fc.sample(fc.integer({ min: 0, max: log.length - 1 }), {
        numRuns: 6,
        seed,
      })) {
        const then = replay(log.filter((e) => e.position <= target));
        const plan = decideRestore({ then, touched: touchedAfter(log, target) }, g.ctx);
        for (const [offset, limit] of [
          [0, 1000],
          [0, 1],
          [1, 2],
          [3, 5],
        ]) {
          const preview = previewRestore(
            { then, now: g.state.records.values(), page: { offset, limit } },
            g.ctx,
          );
          expect(preview).toEqual({
            counts: {
              to_archive: plan.to_archive.length,
              to_bring_back: plan.to_bring_back.length,
              to_change: plan.to_change.length,
              cells: plan.to_change.reduce((n, c) => n + c.changes.length, 0),
              schema: plan.schema.length,
              // What the restore writes, counted as the plan's events: the confirm and the result say one number.
              changes: plan.appends.reduce((n, a) => n + a.events.length, 0),
            },
            to_archive: page(plan.to_archive, offset, limit),
            to_bring_back: page(plan.to_bring_back, offset, limit),
            to_change: page(plan.to_change, offset, limit),
            schema: plan.schema,
          });
        }
        compared +=
          plan.to_change.length +
          plan.to_archive.length +
          plan.to_bring_back.length +
          plan.schema.length;
      }
      expect(compared).toBeGreaterThan(0);
    },
  );

  it.each([1, 2, 3])(
    'reads the values of a record only when it may differ: moved on since, or holding a field removed since (seed %i)',
    (seed) => {
      const g = history(seed, 160);
      const log = g.store.readAll();
      for (const target of fc.sample(fc.integer({ min: 1, max: log.length - 1 }), {
        numRuns: 4,
        seed,
      })) {
        const then = replay(log.filter((e) => e.position <= target));
        const moved = new Set(touchedAfter(log, target));
        const read = new Set<string>();
        const now = [...g.state.records.values()].map((r): RecordNow => ({
          id: r.id,
          table_id: r.table_id,
          version: r.version,
          archived: r.archived,
          get values() {
            read.add(r.id);
            return r.values;
          },
        }));
        const plain = previewRestore(
          { then, now: g.state.records.values(), page: { offset: 0, limit: 1000 } },
          g.ctx,
        );
        expect(previewRestore({ then, now, page: { offset: 0, limit: 1000 } }, g.ctx)).toEqual(
          plain,
        );
        const restored = new Set(
          plain.schema.filter((c) => c.kind === 'field_restored').map((c) => c.field_id),
        );
        const holdsRestored = (id: string) =>
          Object.keys(then.records.get(id)?.values ?? {}).some((k) => restored.has(k));
        for (const id of read) expect(moved.has(id) || holdsRestored(id)).toBe(true);
      }
    },
  );
});
