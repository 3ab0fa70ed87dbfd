import { type ImportProgress } from '@crm/domain';
import { type ImportSessions } from '../../apps/api/src/capabilities/imports/import-sessions.service';
import { IMPORT_SESSIONS } from '../../apps/api/src/capabilities/imports/imports.providers';
import { apiSuite } from '../support/api-suite';
import { baseIds } from '../support/test-app';
import { uploadOk } from '../support/imports';

const csvOf = (rows: number) =>
  Buffer.from(
    `Name,Email,Ticket,Stage\n${Array.from(
      { length: rows },
      (_, i) => `LP ${i},lp${i}@fund.example,${i * 1000},${i % 3 ? 'Lead' : 'Committed'}`,
    ).join('\n')}\n`,
  );

describe('a large upload, parsed and planned off the server’s thread', () => {
  const t = apiSuite();

  it('answers others’ reads and edits while the file is being read and planned', async () => {
    const ids = await baseIds(t);
    // The phases the planning thread reports, as the server holds them (the upload's id is not known before its answer).
    const progress = (
      t.app.get<ImportSessions>(IMPORT_SESSIONS) as unknown as {
        progress: Map<string, ImportProgress>;
      }
    ).progress;
    const earlier = new Set(progress.keys());
    const mine = () => [...progress].find(([id]) => !earlier.has(id))?.[1];
    // Rows read, or planning: only the planning thread reports these (the server sets 'reading' 0 itself).
    const begun = (p = mine()) => p?.phase === 'planning' || (p?.phase === 'reading' && p.done > 0);
    let uploaded = false;
    const upload = uploadOk(t, csvOf(60_000), { new_table_name: 'Big upload' }).then((s) => {
      uploaded = true;
      return s;
    });
    // Request after request, until the planning thread has begun on the file.
    const seen: unknown[] = [];
    while (!begun()) {
      await t.http().get('/api/health').expect(200);
      seen.push(mine());
      if (uploaded)
        throw new Error(`the upload ended before it was seen planning: ${JSON.stringify(seen)}`);
    }
    const edit = await t
      .http()
      .post('/api/fundraising/changes')
      .send({
        changes: [
          { op: 'create', table_id: ids.investors, values: { [ids.inv('name')]: 'Meanwhile' } },
        ],
      });
    const read = await t.http().get('/api/fundraising/state');
    // Both were answered while the upload was still being read or planned.
    expect(uploaded).toBe(false);
    expect([edit.status, edit.body.applied?.length]).toEqual([200, 1]);
    expect(read.status).toBe(200);
    const session = await upload;
    expect(session).toMatchObject({ rows: 60_000, plan: { create: 60_000, committable: true } });
  });
});
