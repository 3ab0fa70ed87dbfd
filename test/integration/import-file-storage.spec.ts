import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { ImportSessions } from '../../apps/api/src/capabilities/imports/import-sessions.service';
import { ImportsRepository } from '../../apps/api/src/capabilities/imports/imports.repository';
import { type Actor } from '../../apps/api/src/infrastructure/request-context/actor';
import { openTempCore, type TempCore } from '../support/temp-core';

const ADMIN: Actor = { id: 'usr_admin', name: 'Admin', role: 'admin' };
const file = readFileSync(join(__dirname, '../fixtures/imports/airtable-investors.csv'));

/** A fresh service on the same database: what the server has after a restart (no rows in memory). */
const restarted = (core: TempCore) =>
  new ImportSessions(core, core.commands, core.executor, new ImportsRepository(core.db));

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
