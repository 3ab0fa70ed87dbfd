import { gunzipSync, gzipSync } from 'node:zlib';
import {
  type BaseState,
  canonicalBase,
  decideAddField,
  decideRemoveField,
  replay,
} from '@crm/domain';
import {
  decode,
  encode,
  materialise,
} from '../../apps/api/src/capabilities/history/snapshot.codec';
import { SnapshotRecords } from '../../apps/api/src/capabilities/history/snapshot-records';
import { SnapshotStore } from '../../apps/api/src/capabilities/history/snapshot.store';
import { newId } from '../../apps/api/src/infrastructure/clock';
import { SYSTEM_ACTOR } from '../../apps/api/src/infrastructure/request-context/actor';
import { openTempCore, type TempCore } from '../support/temp-core';

describe('snapshots', () => {
  let core: TempCore;
  beforeAll(async () => {
    core = await openTempCore('crm-snap-');
  });
  afterAll(async () => {
    await core.dispose();
  });

  it('give the same base at every position as a replay from the start', async () => {
    const meta = { actor: SYSTEM_ACTOR, source: 'grid' as const };
    const inv = core.repo.tableByRole('investors')!;
    const name = inv.fields[0].id;
    const owner = inv.fields.find((f) => f.role === 'investor.notes')!.id;
    const snaps = new SnapshotStore(core.db, core.store, 25);
    const ids: string[] = [];
    for (let i = 0; i < 150; i++) {
      if (i % 3 === 0 || ids.length === 0) {
        const id = newId('rec');
        ids.push(id);
        await core.commands.applyChanges(
          [{ op: 'create', table_id: inv.id, record_id: id, values: { [name]: `LP ${i}` } }],
          meta,
        );
      } else {
        const id = ids[i % ids.length];
        await core.commands.applyChanges(
          [
            {
              op: 'set',
              record_id: id,
              field_id: owner,
              from: core.repo.record(id)!.values[owner] ?? null,
              to: `o${i}`,
            },
          ],
          meta,
        );
      }
      if (i === 70) {
        const f = newId('fld');
        await core.commands.decide(meta, (ctx) =>
          decideAddField({ table_id: inv.id, field: { id: f, name: 'Temp', type: 'text' } }, ctx),
        );
        await core.commands.applyChanges(
          [{ op: 'set', record_id: ids[0], field_id: f, from: null, to: 'temp' }],
          meta,
        );
        await core.commands.decide(meta, (ctx) => decideRemoveField({ field_id: f }, ctx));
      }
      snaps.maybeSnapshot('2026-01-01T00:00:00.000Z');
    }
    expect(snaps.stats().count).toBeGreaterThanOrEqual(5);
    const log = core.store.readAll();
    for (let p = 1; p <= log.length; p += 7) {
      expect(canonicalBase(snaps.stateAt(p))).toBe(
        canonicalBase(replay(log.filter((e) => e.position <= p))),
      );
    }
    expect(snaps.stateAt(log.length).records.size).toBe(ids.length);
  });

  it('write one line per record (format 3), whose records read back as a replay gives them', async () => {
    const log = core.store.readAll();
    const row = core.db
      .prepare('SELECT position, format, data FROM snapshots ORDER BY position DESC LIMIT 1')
      .get() as { position: number; format: number; data: Buffer };
    expect(row.format).toBe(3);
    const text = gunzipSync(row.data).toString('utf8').split('\n');
    const full = replay(log.filter((e) => e.position <= row.position));
    expect(text.slice(1).map((line) => line.split('\t')[0])).toEqual([...full.records.keys()]);
    const then = new SnapshotStore(core.db, core.store, 1_000_000).thenAt(row.position);
    expect(
      [...then.records.values()].map((r) => [r.id, r.table_id, r.version, r.archived, r.values]),
    ).toEqual(
      [...full.records.values()].map((r) => [r.id, r.table_id, r.version, r.archived, r.values]),
    );
  });

  it("give a table's records alone, in order, and the same base whichever records are read first", () => {
    const log = core.store.readAll();
    const full = replay(log);
    const state = new SnapshotStore(core.db, core.store, 1_000_000).stateAt(log.length);
    const records = state.records as SnapshotRecords;
    expect(records).toBeInstanceOf(SnapshotRecords);
    // Some by id first, out of order (a page's linked records), then a table, then all.
    const ids = [...full.records.keys()];
    for (const id of [ids[7], ids[2], ids[ids.length - 1]])
      expect(records.get(id)).toEqual(full.records.get(id));
    expect(records.get('recNOPE')).toBeUndefined();
    for (const table of [core.repo.tableByRole('investors')!.id, 'tbl_none'])
      expect([...records.ofTable(table)]).toEqual(
        [...full.records.values()].filter((r) => r.table_id === table),
      );
    expect([...records]).toEqual([...full.records]);
    expect(canonicalBase(state)).toBe(canonicalBase(full));
  });

  it('keep the last snapshot opened, and still give every position as a replay gives it', () => {
    const log = core.store.readAll();
    const snaps = new SnapshotStore(core.db, core.store, 1_000_000).keepingLastOpened();
    // Back and forth: replays after a kept snapshot, then its own position, then another one's.
    const positions = [log.length, log.length - 3, 60, 61, log.length, 26, log.length - 1];
    for (const p of positions)
      expect(canonicalBase(snaps.stateAt(p))).toBe(
        canonicalBase(replay(log.filter((e) => e.position <= p))),
      );
  });

  const olderFormats: [string, number, (state: BaseState) => unknown][] = [
    [
      'first (whole records as objects)',
      1,
      (state) => ({
        position: state.position,
        tables: [...state.tables.values()],
        records: [...state.records.values()],
        views: [...state.views.values()],
      }),
    ],
    [
      'second (one JSON document, values and stamps as JSON strings)',
      2,
      (state) => ({
        position: state.position,
        tables: [...state.tables.values()],
        views: [...state.views.values()],
        records: [...state.records.values()].map((r) => [
          r.id,
          r.table_id,
          r.version,
          r.archived ? 1 : 0,
          JSON.stringify(r.values),
          JSON.stringify([r.created_at, r.created_by, r.updated_at, r.updated_by, r.cells]),
        ]),
      }),
    ],
  ];
  it.each(olderFormats)(
    'still read snapshots written in the %s format',
    (_name, format, encodeOld) => {
      const log = core.store.readAll();
      const at = Math.floor(log.length / 2);
      const state = replay(log.filter((e) => e.position <= at));
      const old = gzipSync(JSON.stringify(encodeOld(state)));
      core.db.prepare('DELETE FROM snapshots').run();
      core.db
        .prepare(
          'INSERT INTO snapshots (position, created_at, format, records, size, data) VALUES (?, ?, ?, ?, ?, ?)',
        )
        .run(at, '2026-01-01T00:00:00.000Z', format, state.records.size, old.length, old);
      const snaps = new SnapshotStore(core.db, core.store, 1_000_000);
      for (const p of [at, at + 3, log.length]) {
        const full = replay(log.filter((e) => e.position <= p));
        expect(canonicalBase(snaps.stateAt(p))).toBe(canonicalBase(full));
        const then = snaps.thenAt(p);
        expect(
          [...then.records.values()].map((r) => [r.id, r.version, r.archived, r.values]),
        ).toEqual([...full.records.values()].map((r) => [r.id, r.version, r.archived, r.values]));
      }
    },
  );

  it('write a base with a tab or a newline in an id as one JSON document (format 2), and read it back', async () => {
    // Record ids given to commands are checked, so such an id could only come from elsewhere; the codec still must not split on it.
    const full = replay(core.store.readAll());
    const [first] = full.records.values();
    for (const id of ['rec\tone', 'rec\ntwo']) full.records.set(id, { ...first, id });
    const { format, data } = encode(full);
    expect(format).toBe(2);
    const back = decode(format, gunzipSync(data));
    expect(back.records.map(materialise)).toEqual([...full.records.values()]);
    const plain = encode(replay(core.store.readAll()));
    expect(plain.format).toBe(3);
    expect(decode(plain.format, gunzipSync(plain.data)).records.map(materialise)).toEqual([
      ...replay(core.store.readAll()).records.values(),
    ]);
  });
});
