import type Database from 'better-sqlite3';
import { prefixOfLive } from '../../apps/api/src/capabilities/backups/backup-verifier';
import {
  chainHashOfStored,
  GENESIS_HASH,
} from '../../apps/api/src/infrastructure/event-store/hash-chain';
import { baseIds, startTestApp, type TestApp } from '../support/test-app';

const TIMEOUT_MS = 120_000;

interface Backup {
  id: string;
  manifest: { last_position: number; head_hash: string };
}

/**
 * F12, second half: a backup is restored as compensating events only when its log is a prefix of the
 * live one. Here the live log's history diverges from backup B's (as after a disaster restore from an
 * older copy, or a database swapped under the server): B is sound on its own, yet restoring to it
 * would rewind onto a history it does not contain, so restore-preview refuses it and appends nothing.
 */
describe('a backup whose history diverged from the live log', () => {
  let t: TestApp;
  let b: Backup;

  beforeAll(async () => {
    t = await startTestApp({ CRM_BACKUP_SCHEDULER: 'off' });
    const ids = await baseIds(t);
    const create = (n: number, prefix: string) =>
      t
        .http()
        .post('/api/fundraising/changes')
        .send({
          changes: Array.from({ length: n }, (_, i) => ({
            op: 'create',
            table_id: ids.investors,
            values: { [ids.inv('name')]: `${prefix} ${i}` },
          })),
        })
        .expect(200);
    await create(20, 'Before');
    b = (await t.http().post('/api/fundraising/backup').expect(201)).body;
    await create(10, 'After');
  }, TIMEOUT_MS);
  afterAll(() => t.close(), TIMEOUT_MS);

  it('is a prefix while the live log holds its history', () => {
    expect(prefixOfLive(t.core.db, b.manifest.last_position, b.manifest.head_hash)).toEqual([
      true,
      expect.stringContaining(`positions 1..${b.manifest.last_position} equal`),
    ]);
  });

  it('is not a prefix of a live log that ends before it', () => {
    const [ok, why] = prefixOfLive(
      t.core.db,
      t.core.store.lastPosition() + 5,
      b.manifest.head_hash,
    );
    expect([ok, why]).toEqual([false, expect.stringContaining("before the copy's")]);
  });

  it(
    'is refused by restore-preview with 409 and the reason once the live history differs, and nothing is appended',
    async () => {
      divergeLiveLog(t.core.db, Math.floor(b.manifest.last_position / 2));
      const [ok, why] = prefixOfLive(t.core.db, b.manifest.last_position, b.manifest.head_hash);
      expect([ok, why]).toEqual([
        false,
        expect.stringContaining("the copy's history differs from the live one"),
      ]);

      const head = t.core.store.lastPosition();
      const res = await t
        .http()
        .post('/api/fundraising/restore-preview')
        .send({ backup_id: b.id })
        .expect(409);
      expect(res.body.message).toMatch(/not a prefix of the live log/);
      expect(res.body.details.checks).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            name: 'prefix',
            ok: false,
            detail: expect.stringContaining('history differs'),
          }),
        ]),
      );
      expect(t.core.store.lastPosition()).toBe(head);
    },
    TIMEOUT_MS,
  );
});

/**
 * Rewrites the live log from `position` on as another, self-consistent history: one event's metadata
 * changes and every chain hash from there to the head is recomputed, so the live log is whole and
 * chained but no longer shares the backup's history. The append-only triggers are lifted for it.
 */
function divergeLiveLog(db: Database.Database, position: number): void {
  const triggers = db
    .prepare("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'events'")
    .all() as { name: string; sql: string }[];
  db.transaction(() => {
    for (const tr of triggers) db.exec(`DROP TRIGGER ${tr.name}`);
    db.prepare(
      "UPDATE events SET metadata = json_set(metadata, '$.note', 'another history') WHERE position = ?",
    ).run(position);
    const prev = db.prepare('SELECT hash FROM events WHERE position = ?').get(position - 1) as
      { hash: string } | undefined;
    let hash = prev?.hash ?? GENESIS_HASH;
    const rows = db
      .prepare(
        'SELECT position, event_id, stream_id, stream_version, type, schema_version, data, metadata, recorded_at FROM events WHERE position >= ? ORDER BY position',
      )
      .all(position) as {
      position: number;
      event_id: string;
      stream_id: string;
      stream_version: number;
      type: string;
      schema_version: number;
      data: string;
      metadata: string;
      recorded_at: string;
    }[];
    const write = db.prepare('UPDATE events SET hash = ? WHERE position = ?');
    for (const r of rows) {
      hash = chainHashOfStored(
        hash,
        r.position,
        r.event_id,
        r.stream_id,
        r.stream_version,
        r.type,
        r.schema_version,
        r.data,
        r.metadata,
        r.recorded_at,
      );
      write.run(hash, r.position);
    }
    for (const tr of triggers) db.exec(tr.sql);
  })();
}
