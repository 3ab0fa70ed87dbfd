import { mkdtempSync, rmSync } from 'node:fs';
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
});
