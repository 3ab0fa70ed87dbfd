import { gunzipSync } from 'node:zlib';
import { SnapshotStore } from '../../apps/api/src/capabilities/history/snapshot.store';
import { newId } from '../../apps/api/src/infrastructure/clock';
import { SYSTEM_ACTOR } from '../../apps/api/src/infrastructure/request-context/actor';
import { openTempCore, type TempCore } from '../support/temp-core';

/** The worker thread loads the built code: run after `npm run build`, as the API specs are. */
describe('a snapshot built in a worker thread', () => {
  let core: TempCore;
  const meta = { actor: SYSTEM_ACTOR, source: 'grid' as const };
  const at = '2026-01-01T00:00:00.000Z';
  beforeAll(async () => {
    core = await openTempCore('crm-snap-worker-');
  });
  afterAll(async () => {
    await core.dispose();
  });

  const stored = (position: number) =>
    core.db
      .prepare('SELECT format, records, data, size, parts FROM snapshots WHERE position = ?')
      .get(position) as
      { format: number; records: number; data: Buffer; size: number; parts: number } | undefined;
  const partsOf = (position: number) =>
    core.db
      .prepare('SELECT seq, length(data) AS bytes FROM blob_parts WHERE owner = ? ORDER BY seq')
      .all(`snapshot:${position}`) as { seq: number; bytes: number }[];

  async function grow(count: number): Promise<void> {
    const inv = core.repo.tableByRole('investors')!;
    const name = inv.fields[0].id;
    for (let i = 0; i < count; i++)
      await core.commands.applyChanges(
        [
          {
            op: 'create',
            table_id: inv.id,
            record_id: newId('rec'),
            values: { [name]: `LP ${i}` },
          },
        ],
        meta,
      );
  }

  it('given a log on a file, when built off the main thread, then it stores what the inline build makes', async () => {
    await grow(40);
    const snaps = new SnapshotStore(core.db, core.store, 1_000_000, { uow: core.uow });
    const head = core.store.lastPosition();

    const position = await snaps.snapshotInBackground(head, at);

    expect(position).toBe(head);
    const row = stored(head)!;
    const inline = snaps.build(head);
    expect(row.format).toBe(inline.format);
    expect(row.records).toBe(inline.records);
    const read = snaps.nearestAt(head)!;
    expect(gunzipSync(read.data).toString('utf8')).toBe(gunzipSync(inline.data).toString('utf8'));
    expect(snaps.stateAt(head).records.size).toBe(inline.records);
  });

  it('given a snapshot larger than a part, when saved in the background, then it is stored in parts, its row last, and reads back whole', async () => {
    await grow(30);
    const partBytes = 256;
    const snaps = new SnapshotStore(core.db, core.store, 1_000_000, { uow: core.uow, partBytes });
    const head = core.store.lastPosition();
    const inline = snaps.build(head);
    expect(inline.data.length).toBeGreaterThan(3 * partBytes);

    await snaps.snapshotInBackground(head, at);

    const row = stored(head)!;
    const parts = partsOf(head);
    expect(row.parts).toBe(Math.ceil(inline.data.length / partBytes));
    expect(parts.map((p) => p.seq)).toEqual([...Array(row.parts).keys()]);
    expect(parts.slice(0, -1).every((p) => p.bytes === partBytes)).toBe(true);
    expect(row.data.length).toBe(0);
    expect(row.size).toBe(inline.data.length);
    expect(snaps.nearestAt(head)!.data.equals(inline.data)).toBe(true);
    // A second reader, as the as-of and restore threads are: the same bytes through its own store.
    const reader = new SnapshotStore(core.db, core.store);
    expect(reader.stateAt(head).records.size).toBe(inline.records);
  });

  it('given parts a build stopped before its row left, then they are never read, and the next save clears them', async () => {
    await grow(5);
    const head = core.store.lastPosition();
    const stray = head + 1_000;
    core.db
      .prepare('INSERT INTO blob_parts (owner, seq, data, written_at) VALUES (?, 0, ?, ?)')
      .run(`snapshot:${stray}`, Buffer.from('half of a snapshot'), '2025-01-01T00:00:00.000Z');
    const snaps = new SnapshotStore(core.db, core.store, 1_000_000, {
      uow: core.uow,
      partBytes: 512,
    });
    expect(snaps.nearestAt(stray)?.position).not.toBe(stray);

    await snaps.snapshotInBackground(head, at);

    expect(partsOf(stray)).toEqual([]);
    expect(partsOf(head).length).toBeGreaterThan(0);
    expect(snaps.stateAt(head).records.size).toBe(snaps.build(head).records);
  });

  it('given edits since the last snapshot, when it is due twice at once, then one snapshot is stored at the head and none is due after it', async () => {
    const snaps = new SnapshotStore(core.db, core.store, 10, { uow: core.uow });
    await grow(12);
    const head = core.store.lastPosition();

    const [first, second] = await Promise.all([
      snaps.maybeSnapshotInBackground(at),
      snaps.maybeSnapshotInBackground(at),
    ]);

    expect(first).toBe(head);
    expect(second).toBe(head);
    expect(stored(head)).toBeDefined();
    expect(await snaps.maybeSnapshotInBackground(at)).toBeNull();
  });
});
