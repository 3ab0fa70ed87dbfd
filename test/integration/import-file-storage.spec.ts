import { randomBytes } from 'node:crypto';
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

// Each test opens the base again, as a restarted server would: seconds on a busy machine.
jest.setTimeout(20_000);

describe('an uploaded file, kept until its import is committed', () => {
  let core: TempCore;
  beforeEach(async () => {
    core = await openTempCore('crm-import-file-');
  });
  afterEach(() => core.dispose());

  const stored = (id: string) =>
    core.db
      .prepare('SELECT file_blob, file_gzip, file_bytes, file_parts FROM imports WHERE id = ?')
      .get(id) as {
      file_blob: Buffer | null;
      file_gzip: number;
      file_bytes: number;
      file_parts: number;
    };
  const parts = (id: string) =>
    core.db
      .prepare('SELECT data FROM blob_parts WHERE owner = ? ORDER BY seq')
      .pluck()
      .all(`import:${id}`) as Buffer[];

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
    // Written in parts before the row (see BlobParts): the row holds none of it.
    expect(row.file_blob).toBeNull();
    expect(row.file_parts).toBe(parts(view.id).length);
    const gzipped = Buffer.concat(parts(view.id));
    expect(gzipped.length).toBeLessThan(file.length);
    expect(gunzipSync(gzipped).equals(file)).toBe(true);

    const result = await restarted(core).commit(view.id, ADMIN);
    expect(result.created).toBe(view.plan.create);
    expect(result.created).toBeGreaterThan(0);
    expect(stored(view.id).file_blob).toBeNull();
    expect(parts(view.id)).toEqual([]);
  });

  it('given a file larger than a part, then it is kept in several, and a restarted server plans from them', async () => {
    // Random emails: a file that gzip cannot shrink below a few parts of 512 KB.
    const rows = Array.from(
      { length: 40_000 },
      (_, i) => `LP ${i},${randomBytes(24).toString('hex')}@x.io`,
    );
    const big = Buffer.from(`Name,Email\n${rows.join('\n')}\n`);
    // The upload's bytes are moved to the planning thread, not copied: compared with a copy.
    const sent = Buffer.from(big);
    const view = await restarted(core).start(
      { file_name: 'big.csv', bytes: sent, new_table_name: 'Big', merge_fields: ['Name'] },
      ADMIN,
    );
    expect(stored(view.id).file_parts).toBeGreaterThan(1);
    expect(gunzipSync(Buffer.concat(parts(view.id))).equals(big)).toBe(true);
    const replanned = await restarted(core).patch(view.id, { merge_fields: ['Name'] }, ADMIN);
    expect(replanned.plan).toEqual(view.plan);
  });

  it('given parts whose session was never inserted, then a later upload clears them once they are old', async () => {
    const insert = core.db.prepare(
      'INSERT INTO blob_parts (owner, seq, data, written_at) VALUES (?, 0, ?, ?)',
    );
    insert.run('import:imp_gone', Buffer.from('half a file'), '2020-01-01T00:00:00.000Z');
    insert.run('import:imp_writing', Buffer.from('an upload still writing'), core.clock.now());
    const view = await restarted(core).start(
      {
        file_name: 'investors.csv',
        bytes: file,
        new_table_name: 'LP list',
        merge_fields: ['Name'],
      },
      ADMIN,
    );
    expect(parts('imp_gone')).toEqual([]);
    expect(parts('imp_writing')).toHaveLength(1);
    expect(parts(view.id).length).toBeGreaterThan(0);
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
      .prepare('UPDATE imports SET file_blob = ?, file_gzip = 0, file_parts = 0 WHERE id = ?')
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
