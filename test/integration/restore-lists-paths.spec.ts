import fc from 'fast-check';
import { canonicalBase, orderedLists } from '@crm/domain';
import { AutomationCommands } from '../../apps/api/src/capabilities/automations';
import { CurrentRecordsRepository } from '../../apps/api/src/capabilities/history/current-records.repository';
import { ListsAt } from '../../apps/api/src/capabilities/history/lists-at';
import { LogRepository } from '../../apps/api/src/capabilities/history/log.repository';
import { RestoreLists } from '../../apps/api/src/capabilities/history/restore-lists';
import { RestoreService } from '../../apps/api/src/capabilities/history/restore.service';
import { SnapshotStore } from '../../apps/api/src/capabilities/history/snapshot.store';
import { SYSTEM_ACTOR } from '../../apps/api/src/infrastructure/request-context/actor';
import { openTempCore, type TempCore } from '../support/temp-core';

/** One history for both bases: [what to do, which record or list, a text]. */
const STEPS = fc.sample(fc.tuple(fc.nat(9), fc.nat(1000), fc.string({ maxLength: 4 })), {
  numRuns: 360,
  seed: 23,
});

/** Record ids the history names itself, so that both bases hold the same records. */
const recId = (n: number) => `rec${String(n).padStart(14, '0')}`;

const meta = { actor: SYSTEM_ACTOR, source: 'grid' as const };

interface Base {
  core: TempCore;
  snaps: SnapshotStore;
  lists: AutomationCommands;
  listsAt: ListsAt;
  /** Reads every current record in one scan, however near the target. */
  bulk: RestoreService;
  /** Lists the records touched since the target from the log, however far back. */
  oneByOne: RestoreService;
  notes: string;
}

async function openBase(prefix: string): Promise<Base> {
  const core = await openTempCore(prefix);
  const snaps = new SnapshotStore(core.db, core.store, 40);
  const lists = core.app.get(AutomationCommands);
  const listsAt = new ListsAt(core.db);
  // Wired as the history capability wires it, but for the path taken.
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
      null,
      new RestoreLists(listsAt, lists),
    );
  const inv = core.repo.tableByRole('investors')!;
  const notes = inv.fields.find((f) => f.role === 'investor.notes')!.id;
  return {
    core,
    snaps,
    lists,
    listsAt,
    bulk: service(0),
    oneByOne: service(Number.MAX_SAFE_INTEGER),
    notes,
  };
}

/** Creates, edits, archives and brings back investors, and adds, removes and moves them between lists. */
async function writeHistory(b: Base): Promise<void> {
  const { core, lists, notes } = b;
  const inv = core.repo.tableByRole('investors')!;
  const name = inv.fields[0].id;
  const fund = await lists.addList('Co-investors', meta);
  const LISTS = ['main', 'follow_up', 'longshot', 'graveyard', fund];
  let n = 0;
  for (const [op, pick, text] of STEPS) {
    const id = n ? recId(pick % n) : '';
    const rec = id ? core.repo.record(id) : undefined;
    const list = LISTS[pick % LISTS.length];
    if (op <= 1 || !rec) {
      await core.commands.applyChanges(
        [
          {
            op: 'create',
            table_id: inv.id,
            record_id: recId(n++),
            values: { [name]: `LP ${n}`, [notes]: text || null },
          },
        ],
        meta,
      );
    } else if (op === 2) {
      await core.commands.applyChanges(
        [{ op: rec.archived ? 'unarchive' : 'archive', record_id: rec.id }],
        meta,
      );
    } else if (rec.archived) {
      continue;
    } else if (op <= 4) {
      await core.commands.applyChanges(
        [
          {
            op: 'set',
            record_id: rec.id,
            field_id: notes,
            from: rec.values[notes] ?? null,
            to: text || null,
          },
        ],
        meta,
      );
    } else if (op <= 6) {
      await lists.move({ record_id: rec.id, list, op: 'add' }, meta);
    } else if (op === 7) {
      // Leave a list it is in, when it is in one.
      const mine = [...lists.repo.membership(rec.id).lists];
      const leave = mine.length ? mine[pick % mine.length] : list;
      await lists.move({ record_id: rec.id, list: leave, op: 'remove' }, meta);
    } else {
      await lists.move({ record_id: rec.id, list, op: 'move' }, meta);
    }
    b.snaps.maybeSnapshot('2026-01-01T00:00:00.000Z');
  }
}

/** Every record's lists as the memberships' read model has them now. */
const listsNow = (b: Base, ids: string[]) =>
  new Map(ids.map((id) => [id, orderedLists(b.lists.repo.membership(id).lists)]));

/** A restore's events, by what they do (the two bases' table ids differ). */
const eventsOf = (b: Base, correlationId: string) =>
  b.core.store
    .readAll()
    .filter((e) => e.metadata.correlation_id === correlationId)
    .map((e) => {
      const d = e.data as { record_id?: string; list?: string };
      return `${e.type} ${d.record_id ?? ''} ${d.list ?? ''}`;
    })
    .sort();

/**
 * After a restore to `position`: the base is what it was then, every record live or archived as it
 * was, with its values, and in the lists it was in then; a record the restore archives (or leaves
 * archived) keeps the lists it had `before`. Answers how many such records kept lists.
 */
function expectAsThen(
  base: Base,
  position: number,
  before: Map<string, string[]>,
  ids: string[],
): number {
  const now = base.core.store.lastPosition();
  expect(canonicalBase(base.snaps.stateAt(now))).toBe(canonicalBase(base.snaps.stateAt(position)));
  const then = base.snaps.thenAt(position);
  const listsThen = base.listsAt.at(position);
  const after = listsNow(base, ids);
  let kept = 0;
  for (const id of ids) {
    const was = then.records.get(id);
    const rec = base.core.repo.record(id)!;
    const live = !!was && !was.archived;
    expect({ id, archived: rec.archived }).toEqual({ id, archived: !live });
    if (live) expect(rec.values[base.notes] ?? null).toBe(was.values[base.notes] ?? null);
    const expected = live ? orderedLists(listsThen.get(id) ?? []) : before.get(id);
    expect({ id, lists: after.get(id) }).toEqual({ id, lists: expected });
    if (!live && expected!.length > 0) kept++;
  }
  // The log's list moves and the memberships' read model agree after the restore's moves.
  const logged = base.listsAt.at(now);
  for (const id of ids) expect(orderedLists(logged.get(id) ?? [])).toEqual(after.get(id));
  return kept;
}

/**
 * A restore to a moment puts the lists back too: far back (the bulk path) it reads every current
 * record in one scan, near the head (the per-record path) it lists the records touched since from
 * the log. Two bases are given the same history of records and list moves (adds, removes, moves
 * between lists); each is restored to the same series of moments, one always through the bulk path
 * and the other through the per-record path. At each moment both previews agree, lists included,
 * and after applying every record is live or archived as it was then, with its values, and in the
 * lists it was in then (a record the restore archives keeps the lists it had).
 */
describe('restore to a moment: the lists through the bulk and the per-record paths', () => {
  let a: Base;
  let b: Base;
  let ids: string[];
  beforeAll(async () => {
    a = await openBase('crm-restore-lists-bulk-');
    b = await openBase('crm-restore-lists-one-');
    await writeHistory(a);
    await writeHistory(b);
    ids = a.core.store
      .readAll()
      .filter((e) => e.type === 'RecordCreated')
      .map((e) => (e.data as { record_id: string }).record_id);
  }, 60_000);
  afterAll(async () => {
    await a?.core.dispose();
    await b?.core.dispose();
  });

  const withoutToken = ({ token: _token, ...rest }: { token: string }) => rest;

  it('wrote the same history to both bases, with snapshots to start from', () => {
    expect(a.core.store.lastPosition()).toBe(b.core.store.lastPosition());
    expect(ids.length).toBeGreaterThan(50);
    expect(listsNow(a, ids)).toEqual(listsNow(b, ids));
    expect(a.snaps.stats().count).toBeGreaterThanOrEqual(5);
    expect(b.snaps.stats().count).toBeGreaterThanOrEqual(5);
  });

  it('preview the same and put every record and its lists back as they were, restore after restore', async () => {
    // Moments within the history written (before it, the restore would take the schema back too).
    const start = a.core.store.readAll().find((e) => e.type === 'RecordCreated')!;
    const head = a.core.store.lastPosition();
    const at = (f: number) => start.position + Math.floor((head - start.position) * f);
    const targets = [0.55, 0.15, 0.9, 0.35, 0.02, 0.75].map(at);
    targets.push(head - 4);
    const seen = { lists: 0, to_bring_back: 0, to_archive: 0, kept: 0, backInLists: 0 };
    for (const position of targets) {
      const sides = [];
      for (const [base, path] of [
        [a, 'bulk'],
        [b, 'oneByOne'],
      ] as const) {
        const full = { offset: 0, limit: 10_000 };
        const bulk = await base.bulk.preview({ position }, full);
        const oneByOne = await base.oneByOne.preview({ position }, full);
        expect(withoutToken(bulk)).toEqual(withoutToken(oneByOne));
        expect(
          withoutToken(await base.bulk.preview({ position }, { offset: 1, limit: 3 })),
        ).toEqual(withoutToken(await base.oneByOne.preview({ position }, { offset: 1, limit: 3 })));

        const before = listsNow(base, ids);
        const preview = path === 'bulk' ? bulk : oneByOne;
        const done = await base[path].restore(preview.token, SYSTEM_ACTOR);
        expect(done.changes).toBe(preview.counts.changes);

        seen.kept += expectAsThen(base, position, before, ids);

        seen.lists += preview.counts.lists;
        seen.to_bring_back += preview.counts.to_bring_back;
        seen.to_archive += preview.counts.to_archive;
        const back = new Set(preview.to_bring_back.map((r) => r.record_id));
        seen.backInLists += preview.lists.filter((l) => back.has(l.record_id)).length;
        sides.push({
          counts: preview.counts,
          changes: done.changes,
          events: eventsOf(base, done.correlation_id),
        });
      }
      // Both paths wrote the same restore.
      expect(sides[0]).toEqual(sides[1]);
    }
    // The history gave the restores lists to put back, records to archive (keeping their lists) and to bring back.
    expect(seen.lists).toBeGreaterThan(20);
    expect(seen.to_bring_back).toBeGreaterThan(0);
    expect(seen.to_archive).toBeGreaterThan(0);
    expect(seen.kept).toBeGreaterThan(0);
    // Records brought back whose lists go back too (their lists changed before they were archived).
    expect(seen.backInLists).toBeGreaterThan(0);
  }, 60_000);
});
