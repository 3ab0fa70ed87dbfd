import { readFileSync } from 'node:fs';
import { SYSTEM_ACTOR } from '../../apps/api/src/infrastructure/request-context/actor';
import { openTempCore, type TempCore } from '../support/temp-core';

/**
 * What one edit's commit writes: every page in the WAL is written and fsynced before the edit is
 * acknowledged, so a page that need not change is time on every edit.
 */
describe('the pages a cell edit commits', () => {
  let core: TempCore;

  beforeEach(async () => {
    core = await openTempCore('crm-commit-pages-');
  });
  afterEach(async () => {
    await core.dispose();
  });

  const meta = { actor: SYSTEM_ACTOR, source: 'grid' as const };

  /** The b-tree (table or index) of each page the WAL holds, as many times as it was written. */
  function walPages(): string[] {
    const wal = readFileSync(`${core.db.name}-wal`);
    const pageSize = wal.readUInt32BE(8);
    const pages: number[] = [];
    for (let off = 32; off + 24 + pageSize <= wal.length; off += 24 + pageSize)
      pages.push(wal.readUInt32BE(off));
    const owner = new Map<number, string>();
    for (const r of core.db.prepare('SELECT name, pageno FROM dbstat').iterate() as Iterable<{
      name: string;
      pageno: number;
    }>)
      owner.set(r.pageno, r.name);
    return pages.map((p) => owner.get(p) ?? `page ${p}`);
  }

  it('given investors, when one cell is edited, then neither a projector checkpoint nor the page index is written', async () => {
    const investors = core.repo.tableByRole('investors')!;
    const name = investors.fields.find((f) => f.role === 'investor.name')!.id;
    const nextStep = investors.fields.find((f) => f.name === 'Next step')!.id;
    await core.commands.applyChanges(
      Array.from({ length: 50 }, (_, i) => ({
        op: 'create' as const,
        table_id: investors.id,
        values: { [name]: `LP ${i}` },
      })),
      meta,
    );
    const [record] = core.repo.liveRecordsPage(investors.id, 0, 1).records;
    core.db.pragma('wal_autocheckpoint = 0');
    core.db.pragma('wal_checkpoint(TRUNCATE)');

    await core.commands.applyChanges(
      [{ op: 'set', record_id: record.id, field_id: nextStep, from: null, to: 'Call in May' }],
      meta,
    );

    const written = walPages();
    // The edit itself is there: its event and its record.
    expect(written).toEqual(expect.arrayContaining(['events', 'fundraising_records']));
    expect(written).not.toContain('projection_checkpoints');
    expect(written).not.toContain('fundraising_records_page');
    // Every projector is at the head all the same.
    expect(core.runner.atHead()).toBe(true);
    const head = core.store.lastPosition();
    for (const p of core.runner.projectors) expect(core.runner.checkpoint(p.name)).toBe(head);
  });

  it('given an edited investor, when it is archived and brought back, then the pages of live records follow', async () => {
    const investors = core.repo.tableByRole('investors')!;
    const name = investors.fields.find((f) => f.role === 'investor.name')!.id;
    await core.commands.applyChanges(
      [{ op: 'create', table_id: investors.id, values: { [name]: 'Alder LP' } }],
      meta,
    );
    const [record] = core.repo.liveRecordsPage(investors.id, 0, 10).records;
    await core.commands.applyChanges(
      [{ op: 'set', record_id: record.id, field_id: name, from: 'Alder LP', to: 'Alder Fund LP' }],
      meta,
    );
    const live = () => core.repo.liveRecordsPage(investors.id, 0, 10).records.map((r) => r.id);
    expect(live()).toContain(record.id);

    await core.commands.applyChanges([{ op: 'archive', record_id: record.id }], meta);
    expect(live()).not.toContain(record.id);
    await core.commands.applyChanges([{ op: 'unarchive', record_id: record.id }], meta);
    expect(live()).toContain(record.id);
  });
});
