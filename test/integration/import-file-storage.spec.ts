import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { ImportSessions } from '../../apps/api/src/capabilities/imports/import-sessions.service';
import { ImportsRepository } from '../../apps/api/src/capabilities/imports/imports.repository';
import { type Actor } from '../../apps/api/src/infrastructure/request-context/actor';
import { openTempCore, type TempCore } from '../support/temp-core';

const ADMIN: Actor = { id: 'usr_admin', name: 'Admin', role: 'admin' };
const file = readFileSync(join(__dirname, '../fixtures/imports/airtable-investors.csv'));

const services: ImportSessions[] = [];
/** A fresh service on the same database: what the server has after a restart (no rows or plan kept). */
const restarted = (core: TempCore) => {
  const s = new ImportSessions(core, core.commands, core.executor, new ImportsRepository(core.db));
  services.push(s);
  return s;
};
afterEach(() => Promise.all(services.splice(0).map((s) => s.close())));

describe('an uploaded file, kept until its import is committed', () => {
  let core: TempCore;
  beforeEach(async () => {
    core = await openTempCore('crm-import-file-');
  });
  afterEach(() => core.dispose());

  const stored = (id: string) =>
    core.db
      .prepare('SELECT file_blob, file_gzip, file_bytes FROM imports WHERE id = ?')
      .get(id) as { file_blob: Buffer | null; file_gzip: number; file_bytes: number };

  it('is stored gzipped, byte for byte the upload, and the import commits from it after a restart', async () => {
    const view = await restarted(core).start(
      {
        file_name: 'investors.csv',
        bytes: file,
        new_table_name: 'LP list',
        merge_fields: ['Name'],
      },
      ADMIN,
    );
    const row = stored(view.id);
    expect(row.file_gzip).toBe(1);
    expect(row.file_bytes).toBe(file.length);
    expect(row.file_blob!.length).toBeLessThan(file.length);
    expect(gunzipSync(row.file_blob!).equals(file)).toBe(true);

    const result = await restarted(core).commit(view.id, ADMIN);
    expect(result.created).toBe(view.plan.create);
    expect(result.created).toBeGreaterThan(0);
    expect(stored(view.id).file_blob).toBeNull();
  });

  it('still reads a file stored as uploaded, before files were gzipped', async () => {
    const view = await restarted(core).start(
      {
        file_name: 'investors.csv',
        bytes: file,
        new_table_name: 'LP list',
        merge_fields: ['Name'],
      },
      ADMIN,
    );
    core.db
      .prepare('UPDATE imports SET file_blob = ?, file_gzip = 0 WHERE id = ?')
      .run(file, view.id);
    const replanned = await restarted(core).patch(view.id, { merge_fields: ['Name'] }, ADMIN);
    expect(replanned.plan).toEqual(view.plan);
    const result = await restarted(core).commit(view.id, ADMIN);
    expect(result.created).toBe(view.plan.create);
  });
});

describe('a commit after a restart, planned again in the planning thread', () => {
  let core: TempCore;
  beforeEach(async () => {
    core = await openTempCore('crm-import-replan-');
  });
  afterEach(() => core.dispose());

  const csv = (emails: string[]) =>
    Buffer.from(`Name,Email\n${emails.map((e, i) => `LP ${i},${e}`).join('\n')}\n`);

  it('commits the plan reviewed when nothing it read moved, and refuses a moved one with the new plan', async () => {
    const first = await restarted(core).start(
      { file_name: 'lps.csv', bytes: csv(['a@x.io', 'b@x.io', 'c@x.io']), new_table_name: 'LPs' },
      ADMIN,
    );
    expect(await restarted(core).commit(first.id, ADMIN)).toMatchObject({ created: 3 });
    // Reviewed: one email changes.
    const reviewed = await restarted(core).start(
      {
        file_name: 'lps.csv',
        bytes: csv(['a@x.io', 'b@x.io', 'new@x.io']),
        table_id: first.table_id,
        merge_fields: ['Name'],
      },
      ADMIN,
    );
    expect(reviewed.plan).toMatchObject({ update: 1, unchanged: 2 });
    // Meanwhile another import changes a second email of the same table.
    const other = await restarted(core).start(
      {
        file_name: 'other.csv',
        bytes: csv(['moved@x.io', 'b@x.io', 'c@x.io']),
        table_id: first.table_id,
        merge_fields: ['Name'],
      },
      ADMIN,
    );
    expect(await restarted(core).commit(other.id, ADMIN)).toMatchObject({ updated: 1 });

    // A fresh service keeps no plan: the commit plans again, finds it moved, and answers the new one.
    await expect(restarted(core).commit(reviewed.id, ADMIN)).rejects.toMatchObject({
      code: 'conflict',
      reason: 'stale_plan',
      details: { plan: { update: 2, unchanged: 1 } },
    });
    // The new plan, saved with the session, is the one reviewed now: it commits after a restart.
    const result = await restarted(core).commit(reviewed.id, ADMIN);
    expect(result).toMatchObject({ created: 0, updated: 2, unchanged: 1 });
    const emails = [...core.repo.recordsOf(first.table_id)].map((r) =>
      Object.values(r.values).find((v) => typeof v === 'string' && v.includes('@')),
    );
    expect(emails.sort()).toEqual(['a@x.io', 'b@x.io', 'new@x.io']);
  });
});
