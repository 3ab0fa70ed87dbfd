import fc from 'fast-check';
import {
  canonicalBase,
  decideAddField,
  decideRemoveField,
  decideRenameField,
  decideSaveView,
  replay,
} from '@crm/domain';
import { CurrentRecordsRepository } from '../../apps/api/src/capabilities/history/current-records.repository';
import { LogRepository } from '../../apps/api/src/capabilities/history/log.repository';
import { RestoreService } from '../../apps/api/src/capabilities/history/restore.service';
import { SnapshotStore } from '../../apps/api/src/capabilities/history/snapshot.store';
import { newId } from '../../apps/api/src/infrastructure/clock';
import { SYSTEM_ACTOR } from '../../apps/api/src/infrastructure/request-context/actor';
import { openTempCore, type TempCore } from '../support/temp-core';

/**
 * A restore-preview far from the head reads every current record in one scan and finds what moved
 * on by version; near the head it lists the records touched since from the log and reads them one
 * by one. The first counts as the records stream past without building the plan, the second pages
 * the plan. Both must give the same preview, to the order of its lists.
 */
describe('restore-preview: the bulk and the per-record paths', () => {
  let core: TempCore;
  let snaps: SnapshotStore;
  beforeAll(async () => {
    core = await openTempCore('crm-restore-paths-');
    snaps = new SnapshotStore(core.db, core.store, 40);
    const meta = { actor: SYSTEM_ACTOR, source: 'grid' as const };
    const inv = core.repo.tableByRole('investors')!;
    const name = inv.fields[0].id;
    const owner = inv.fields.find((f) => f.role === 'investor.notes')!.id;
    const ids: string[] = [];
    const extras: string[] = [];
    let added = 0;
    for (const [op, pick, text] of fc.sample(
      fc.tuple(fc.nat(11), fc.nat(1000), fc.string({ maxLength: 5 })),
      { numRuns: 400, seed: 7 },
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
              values: { [name]: `LP ${ids.length}`, [owner]: text || null },
            },
          ],
          meta,
        );
      } else if (op <= 6 && !rec.archived) {
        await core.commands.applyChanges(
          [
            {
              op: 'set',
              record_id: rec.id,
              field_id: owner,
              from: rec.values[owner] ?? null,
              to: text || null,
            },
          ],
          meta,
        );
      } else if (op === 7) {
        await core.commands.applyChanges(
          [{ op: rec.archived ? 'unarchive' : 'archive', record_id: rec.id }],
          meta,
        );
      } else if (op === 8) {
        const f = newId('fld');
        extras.push(f);
        await core.commands.decide(meta, (ctx) =>
          decideAddField(
            { table_id: inv.id, field: { id: f, name: `Extra ${++added}`, type: 'text' } },
            ctx,
          ),
        );
        if (!rec.archived)
          await core.commands.applyChanges(
            [{ op: 'set', record_id: rec.id, field_id: f, from: null, to: text || 'x' }],
            meta,
          );
      } else if (op === 9 && extras.length) {
        const f = extras.splice(pick % extras.length, 1)[0];
        await core.commands.decide(meta, (ctx) => decideRemoveField({ field_id: f }, ctx));
      } else if (op === 10 && extras.length) {
        await core.commands.decide(meta, (ctx) =>
          decideRenameField(
            { field_id: extras[pick % extras.length], name: `Renamed ${++added}` },
            ctx,
          ),
        );
      } else {
        await core.commands.decide(meta, (ctx) =>
          decideSaveView(
            {
              view_id: `viw${pick % 3}`,
              table_id: inv.id,
              name: `View ${pick}`,
              config: { n: pick },
              actor: SYSTEM_ACTOR,
            },
            ctx,
          ),
        );
      }
      snaps.maybeSnapshot('2026-01-01T00:00:00.000Z');
    }
  });
  afterAll(async () => {
    await core.dispose();
  });

  const service = (bulkFrom: number) =>
    new RestoreService(
      core.store,
      core.commands,
      core.uow,
      core.clock,
      new LogRepository(core.db, core.store),
      snaps,
      new CurrentRecordsRepository(core.db),
      bulkFrom,
    );
  const withoutToken = ({ token: _token, ...rest }: { token: string }) => rest;

  it('took snapshots along the way, so both paths start from one', async () => {
    expect(snaps.stats().count).toBeGreaterThanOrEqual(5);
  });

  it('give the same preview at every tenth position', async () => {
    const bulk = service(0);
    const oneByOne = service(Number.MAX_SAFE_INTEGER);
    const head = core.store.lastPosition();
    let changed = 0;
    for (let position = 0; position <= head; position += 10) {
      const a = await bulk.preview({ position }, { offset: 0, limit: 10_000 });
      const b = await oneByOne.preview({ position }, { offset: 0, limit: 10_000 });
      expect(withoutToken(a)).toEqual(withoutToken(b));
      expect(withoutToken(await bulk.preview({ position }, { offset: 3, limit: 4 }))).toEqual(
        withoutToken(await oneByOne.preview({ position }, { offset: 3, limit: 4 })),
      );
      changed += a.counts.to_change + a.counts.to_archive + a.counts.to_bring_back;
    }
    expect(changed).toBeGreaterThan(0);
  });

  it('the base a restore reads at a position is the one a replay gives', async () => {
    const log = core.store.readAll();
    for (let position = 0; position <= log.length; position += 7) {
      const then = snaps.thenAt(position);
      const full = replay(log.filter((e) => e.position <= position));
      expect([...then.records.keys()]).toEqual([...full.records.keys()]);
      for (const r of then.records.values()) {
        const f = full.records.get(r.id)!;
        expect({
          table_id: r.table_id,
          version: r.version,
          archived: r.archived,
          values: r.values,
        }).toEqual({
          table_id: f.table_id,
          version: f.version,
          archived: f.archived,
          values: f.values,
        });
      }
      expect(
        canonicalBase({
          ...then,
          records: new Map([...full.records].filter(([id]) => then.records.has(id))),
          position,
        }),
      ).toBe(canonicalBase(full));
    }
  });
});
