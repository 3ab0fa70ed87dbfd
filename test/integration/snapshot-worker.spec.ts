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
      .prepare('SELECT format, records, data FROM snapshots WHERE position = ?')
      .get(position) as { format: number; records: number; data: Buffer } | undefined;

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
    const snaps = new SnapshotStore(core.db, core.store, 1_000_000);
    const head = core.store.lastPosition();

    const position = await snaps.snapshotInBackground(head, at);

    expect(position).toBe(head);
    const row = stored(head)!;
    const inline = snaps.build(head);
    expect(row.format).toBe(inline.format);
    expect(row.records).toBe(inline.records);
    expect(gunzipSync(row.data).toString('utf8')).toBe(gunzipSync(inline.data).toString('utf8'));
    expect(snaps.stateAt(head).records.size).toBe(inline.records);
  });

  it('given edits since the last snapshot, when it is due twice at once, then one snapshot is stored at the head and none is due after it', async () => {
    const snaps = new SnapshotStore(core.db, core.store, 10);
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
