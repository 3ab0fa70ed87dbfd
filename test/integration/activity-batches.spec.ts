import fc from 'fast-check';
import { decideAddField } from '@crm/domain';
import { ActivityBatchesRepository } from '../../apps/api/src/capabilities/history/activity-batches.repository';
import { ActivityFeed } from '../../apps/api/src/capabilities/history/activity-feed';
import { HistoryQueries } from '../../apps/api/src/capabilities/history/history.queries';
import { LogRepository } from '../../apps/api/src/capabilities/history/log.repository';
import { ValueContext } from '../../apps/api/src/capabilities/history/value-context';
import { newId } from '../../apps/api/src/infrastructure/clock';
import { type Actor } from '../../apps/api/src/infrastructure/request-context/actor';
import { dumpReadModels } from '../support/read-models';
import { openTempCore, type TempCore } from '../support/temp-core';

const ADMIN: Actor = { id: 'usr_admin', name: 'Ada', role: 'admin' };
const MEMBER: Actor = { id: 'usr_member', name: 'Mo', role: 'member' };

/**
 * The feed's batch summaries (activity_batch_types) answer as the log does: the same pages whether a
 * batch is read from its summary rows or from its events, for batches written in several appends,
 * interleaved with other writes, or holding schema changes; and a rebuild gives the same rows.
 */
describe('activity batch summaries', () => {
  let core: TempCore;
  let feed: ActivityFeed;

  beforeEach(async () => {
    core = await openTempCore('crm-activity-batches-');
    const log = new LogRepository(core.db, core.store);
    const values = new ValueContext(core.repo, log);
    const queries = new HistoryQueries(core.store, core.repo, core.uow, log, values);
    feed = new ActivityFeed(
      core.uow,
      log,
      queries,
      values,
      new ActivityBatchesRepository(core.db, core.store),
    );
  });
  afterEach(async () => {
    await core.dispose();
  });

  const meta = (correlation_id?: string, source: 'grid' | 'import' = 'grid') => ({
    actor: ADMIN,
    source,
    ...(correlation_id ? { correlation_id } : {}),
  });

  /** Every page of the feed, newest first. */
  function pages(viewer: Actor, filter: { types?: string[] } = {}, limit = 3): unknown[] {
    const out: unknown[] = [];
    let before: number | undefined;
    for (;;) {
      const page = feed.page({ ...filter, before, limit }, viewer);
      out.push(page);
      if (page.next_before === null) return out;
      before = page.next_before;
    }
  }

  /** The same pages read from the log alone (as before the summaries reached this far). */
  function pagesFromLog(read: () => unknown[]): unknown[] {
    const at = core.db
      .prepare(
        "SELECT position, follows_log FROM projection_checkpoints WHERE name = 'activity_batches'",
      )
      .get() as { position: number; follows_log: number };
    core.db
      .prepare(
        "UPDATE projection_checkpoints SET position = 0, follows_log = 0 WHERE name = 'activity_batches'",
      )
      .run();
    try {
      return read();
    } finally {
      core.db
        .prepare(
          "UPDATE projection_checkpoints SET position = ?, follows_log = ? WHERE name = 'activity_batches'",
        )
        .run(at.position, at.follows_log);
    }
  }

  it('gives the pages the log gives, for a random history of sliced, interleaved and single writes', async () => {
    const investors = core.repo.tableByRole('investors')!;
    const name = investors.fields.find((f) => f.role === 'investor.name')!.id;
    const ids: string[] = [];
    const value = new Map<string, string>();
    const set = (id: string, to: string) => {
      const from = value.get(id) ?? null;
      value.set(id, to);
      return { op: 'set' as const, record_id: id, field_id: name, from, to };
    };
    const steps = fc.sample(fc.tuple(fc.nat(5), fc.nat(1000), fc.integer({ min: 1, max: 4 })), {
      numRuns: 40,
      seed: 19,
    });
    let open: string | null = null;
    for (const [i, [kind, n, size]] of steps.entries()) {
      if (kind <= 1 || ids.length < 4) {
        // A batch of new records, in one append or continuing the open batch (an import's slices).
        const correlation = kind === 1 && open ? open : newId('cor');
        open = correlation;
        const created = Array.from({ length: size + 1 }, () => newId('rec'));
        ids.push(...created);
        created.forEach((id, k) => value.set(id, `LP ${i}.${k}`));
        await core.commands.applyChanges(
          created.map((id, k) => ({
            op: 'create' as const,
            table_id: investors.id,
            record_id: id,
            values: { [name]: `LP ${i}.${k}` },
          })),
          meta(correlation, 'import'),
        );
      } else if (kind === 2) {
        // The open batch again, on records it may have changed before: each counts once.
        const correlation = open ?? newId('cor');
        open = correlation;
        const picked = [
          ...new Set(Array.from({ length: size }, (_, k) => ids[(n + k * 7) % ids.length])),
        ];
        await core.commands.applyChanges(
          picked.map((id) => set(id, `edited ${i} ${id}`)),
          meta(correlation),
        );
      } else if (kind === 3) {
        await core.commands.applyChanges([set(ids[n % ids.length], `single ${i}`)], meta());
      } else if (kind === 4) {
        // A schema change and edits under one correlation.
        const correlation = newId('cor');
        await core.commands.decide(meta(correlation), (ctx) =>
          decideAddField(
            {
              table_id: investors.id,
              field: { id: newId('fld'), name: `Note ${i}`, type: 'text' },
            },
            ctx,
          ),
        );
        await core.commands.applyChanges(
          [set(ids[n % ids.length], `with field ${i}`)],
          meta(correlation),
        );
      } else {
        open = null;
      }
    }

    expect(
      core.db
        .prepare('SELECT COUNT(DISTINCT correlation_id) FROM activity_batch_types')
        .pluck()
        .get(),
    ).toBeGreaterThan(5);
    for (const [viewer, filter] of [
      [ADMIN, {}],
      [MEMBER, {}],
      [ADMIN, { types: ['RecordUpdated'] }],
      [ADMIN, { types: ['RecordCreated', 'FieldAdded'] }],
    ] as const) {
      const summarised = pages(viewer, filter);
      expect(summarised).toEqual(pagesFromLog(() => pages(viewer, filter)));
    }
    const live = dumpReadModels(core.db);
    await core.runner.rebuild();
    expect(dumpReadModels(core.db)).toBe(live);
  });

  it('counts a record changed by two appends of one batch once, and keeps single edits out of the table', async () => {
    const investors = core.repo.tableByRole('investors')!;
    const name = investors.fields.find((f) => f.role === 'investor.name')!.id;
    const [a, b] = [newId('rec'), newId('rec')];
    const correlation = newId('cor');
    await core.commands.applyChanges(
      [a, b].map((id) => ({
        op: 'create' as const,
        table_id: investors.id,
        record_id: id,
        values: { [name]: id },
      })),
      meta(correlation, 'import'),
    );
    const edit = (id: string, from: string, to: string) => ({
      op: 'set' as const,
      record_id: id,
      field_id: name,
      from,
      to,
    });
    await core.commands.applyChanges([edit(a, a, 'A1'), edit(b, b, 'B1')], meta(correlation));
    await core.commands.applyChanges([edit(a, 'A1', 'A2')], meta(correlation));
    await core.commands.applyChanges([edit(b, 'B1', 'B2')], meta());

    const rows = new ActivityBatchesRepository(core.db, core.store).rows(correlation);
    expect(rows).toEqual([
      expect.objectContaining({ type: 'RecordCreated', events: 2, records: 2 }),
      expect.objectContaining({ type: 'RecordUpdated', events: 3, records: 2, cells: 3 }),
    ]);
    const count = core.db.prepare(
      'SELECT COUNT(DISTINCT correlation_id) FROM activity_batch_types',
    );
    expect(count.pluck().get()).toBe(
      core.db
        .prepare(
          'SELECT COUNT(*) FROM (SELECT correlation_id FROM events GROUP BY correlation_id HAVING COUNT(*) > 1)',
        )
        .pluck()
        .get(),
    );
    const [single, batch] = feed.page({ limit: 2 }, ADMIN).entries;
    expect(single.batch).toBeNull();
    // Records created plus records updated, as the feed has always counted them.
    expect(batch.batch).toMatchObject({ events: 5, records: 4 });
  });
});
