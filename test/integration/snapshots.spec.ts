import { mkdtempSync, rmSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { canonicalBase, decideAddField, decideRemoveField, replay } from '@crm/domain';
import { SnapshotStore } from '../../apps/api/src/capabilities/history/snapshot.store';
import { newId } from '../../apps/api/src/infrastructure/clock';
import { Core, openCore } from '../../apps/api/src/core';
import { SYSTEM_ACTOR } from '../../apps/api/src/infrastructure/request-context/actor';

describe('snapshots', () => {
  let dir: string;
  let core: Core;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'crm-snap-'));
    core = await openCore({ databaseFile: join(dir, 'crm.sqlite') });
  });
  afterAll(async () => {
    await core.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('give the same base at every position as a replay from the start', () => {
    const meta = { actor: SYSTEM_ACTOR, source: 'grid' as const };
    const inv = core.repo.tableByRole('investors')!;
    const name = inv.fields[0].id;
    const owner = inv.fields.find((f) => f.role === 'investor.owner')!.id;
    const snaps = new SnapshotStore(core.db, core.store, 25);
    const ids: string[] = [];
    for (let i = 0; i < 150; i++) {
      if (i % 3 === 0 || ids.length === 0) {
        const id = newId('rec');
        ids.push(id);
        core.commands.applyChanges([{ op: 'create', table_id: inv.id, record_id: id, values: { [name]: `LP ${i}` } }], meta);
      } else {
        const id = ids[i % ids.length];
        core.commands.applyChanges([{ op: 'set', record_id: id, field_id: owner, from: core.repo.record(id)!.values[owner] ?? null, to: `o${i}` }], meta);
      }
      if (i === 70) {
        const f = newId('fld');
        core.commands.execute(meta, (ctx) => decideAddField({ table_id: inv.id, field: { id: f, name: 'Temp', type: 'text' } }, ctx));
        core.commands.applyChanges([{ op: 'set', record_id: ids[0], field_id: f, from: null, to: 'temp' }], meta);
        core.commands.execute(meta, (ctx) => decideRemoveField({ field_id: f }, ctx));
      }
      snaps.maybeSnapshot('2026-01-01T00:00:00.000Z');
    }
    expect(snaps.stats().count).toBeGreaterThanOrEqual(5);
    const log = core.store.readAll();
    for (let p = 1; p <= log.length; p += 7) {
      expect(canonicalBase(snaps.stateAt(p))).toBe(canonicalBase(replay(log.filter((e) => e.position <= p))));
    }
    expect(snaps.stateAt(log.length).records.size).toBe(ids.length);
  });

  it('still read snapshots written in the first format (whole records as objects)', () => {
    const log = core.store.readAll();
    const at = Math.floor(log.length / 2);
    const state = replay(log.filter((e) => e.position <= at));
    const v1 = gzipSync(JSON.stringify({ position: at, tables: [...state.tables.values()], records: [...state.records.values()], views: [...state.views.values()] }));
    core.db.prepare('DELETE FROM snapshots').run();
    core.db.prepare('INSERT INTO snapshots (position, created_at, format, records, size, data) VALUES (?, ?, 1, ?, ?, ?)').run(at, '2026-01-01T00:00:00.000Z', state.records.size, v1.length, v1);
    const snaps = new SnapshotStore(core.db, core.store, 1_000_000);
    for (const p of [at, at + 3, log.length]) {
      const full = replay(log.filter((e) => e.position <= p));
      expect(canonicalBase(snaps.stateAt(p))).toBe(canonicalBase(full));
      const then = snaps.thenAt(p);
      expect([...then.records.values()].map((r) => [r.id, r.version, r.archived, r.values])).toEqual([...full.records.values()].map((r) => [r.id, r.version, r.archived, r.values]));
    }
  });
});
