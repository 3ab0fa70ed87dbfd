import { SLICE_RECORDS } from '../../apps/api/src/capabilities/imports/import-writer';
import { apiSuite } from '../support/api-suite';
import { baseIds } from '../support/test-app';
import { commitOk, tableRecords, uploadOk } from '../support/imports';

/** A file of `rows` investors: Name, Email, Note (the note says which file and row it came from). */
const csvOf = (rows: number, note: string) =>
  Buffer.from(
    `Name,Email,Note\n${Array.from(
      { length: rows },
      (_, i) => `LP ${i},lp${i}@fund.example,${note} ${i}`,
    ).join('\n')}\n`,
  );

describe('a large import, written in slices', () => {
  const t = apiSuite();
  let ids: Awaited<ReturnType<typeof baseIds>>;
  beforeAll(async () => {
    ids = await baseIds(t);
  });

  const eventsOf = (correlationId: string) =>
    t.core.store.readAll().filter((e) => e.metadata.correlation_id === correlationId);
  const progressOf = async (id: string) =>
    (await t.http().get(`/api/fundraising/imports/${id}`).expect(200)).body as {
      status: string;
      progress: { phase: string; done: number; total: number | null };
    };
  /** Polls the session (each GET is served between two slices) until a slice after the first is written. */
  async function whileWriting(id: string): Promise<void> {
    for (;;) {
      const { status, progress } = await progressOf(id);
      if (status === 'committed') throw new Error('the import ended before it was seen writing');
      if (progress.phase === 'writing' && progress.done >= SLICE_RECORDS) return;
    }
  }

  let table: string;
  // Enough slices for several transactions: a few slices share one when nobody else is waiting.
  // Long enough that the import is still writing, in several transactions, when the edit arrives.
  const ROWS = SLICE_RECORDS * 120 + 7;

  it('commits every record, as one import: one correlation, source import, a key per slice', async () => {
    const session = await uploadOk(t, csvOf(ROWS, 'first'), {
      new_table_name: 'Sliced LPs',
      merge_fields: '["Name"]',
    });
    table = session.table_id;
    const result = await commitOk(t, session.id);
    expect(result).toMatchObject({ created: ROWS, updated: 0 });
    expect(result).not.toHaveProperty('conflicts');
    const events = eventsOf(result.correlation_id);
    expect(events.filter((e) => e.type === 'RecordCreated')).toHaveLength(ROWS);
    expect(new Set(events.map((e) => e.metadata.source))).toEqual(new Set(['import']));
    expect(result.version).toBe(events[events.length - 1].position);
    const keys = t.core.db
      .prepare("SELECT key FROM idempotency_keys WHERE key LIKE 'import:' || ? || ':%'")
      .pluck()
      .all(session.id);
    expect(keys).toHaveLength(Math.ceil(ROWS / SLICE_RECORDS));
    const live = [...t.core.repo.recordsOf(table)].filter((r) => !r.archived);
    expect(live).toHaveLength(ROWS);
    const view = await progressOf(session.id);
    expect(view).toMatchObject({ status: 'committed', progress: { phase: 'committed' } });
    // 24,007 rows written: about 2 s alone, more on a busy machine.
  }, 30_000);

  it('serves another client’s edit while it writes, and keeps an edit to a record it updates', async () => {
    const session = await uploadOk(t, csvOf(ROWS, 'second'), {
      table_id: table,
      merge_fields: '["Name"]',
    });
    expect(session.plan.update).toBe(ROWS);
    const last = (await tableRecords(t, table)).byName(`LP ${ROWS - 1}`);
    const note = (await tableRecords(t, table)).field('Note').id;
    let committed = false;
    const commit = commitOk(t, session.id).then((r) => {
      committed = true;
      return r;
    });
    await whileWriting(session.id);
    const edit = await t
      .http()
      .post('/api/fundraising/changes')
      .send({
        changes: [
          { op: 'set', record_id: last.id, field_id: note, from: `first ${ROWS - 1}`, to: 'mine' },
        ],
      });
    expect([edit.status, edit.body.message]).toEqual([200, undefined]);
    expect(edit.body.applied).toHaveLength(1);
    // The edit was answered while the import was still being written.
    expect(committed).toBe(false);
    const result = await commit;
    expect(edit.body.version).toBeLessThan(result.version);
    expect(result).toMatchObject({
      updated: ROWS - 1,
      conflicts: {
        count: 1,
        first: [
          expect.objectContaining({
            record_id: last.id,
            expected: `first ${ROWS - 1}`,
            current: 'mine',
          }),
        ],
      },
    });
    const after = await tableRecords(t, table);
    expect(after.byName(`LP ${ROWS - 1}`).values[note]).toBe('mine');
    expect(after.byName('LP 0').values[note]).toBe('second 0');
  }, 30_000);

  it('writes its slices in parts while others keep editing, each record once', async () => {
    const session = await uploadOk(t, csvOf(ROWS, 'parts'), { new_table_name: 'Parts LPs' });
    let committed = false;
    const commit = commitOk(t, session.id).then((r) => {
      committed = true;
      return r;
    });
    await whileWriting(session.id);
    let edits = 0;
    while (!committed) {
      await t
        .http()
        .post('/api/fundraising/changes')
        .send({
          changes: [
            {
              op: 'create',
              table_id: ids.investors,
              values: { [ids.inv('name')]: `Busy ${edits}` },
            },
          ],
        })
        .expect(200);
      edits++;
    }
    const result = await commit;

    expect(result).toMatchObject({ created: ROWS, updated: 0 });
    const created = eventsOf(result.correlation_id).filter((e) => e.type === 'RecordCreated');
    expect(new Set(created.map((e) => e.stream_id)).size).toBe(ROWS);
    expect(created).toHaveLength(ROWS);
    const keys = t.core.db
      .prepare("SELECT key FROM idempotency_keys WHERE key LIKE 'import:' || ? || ':%'")
      .pluck()
      .all(session.id) as string[];
    const parts = keys.filter((k) => k.split(':').length === 4);
    expect(edits).toBeGreaterThan(0);
    expect(parts.length).toBeGreaterThan(0);
    // Every slice was written once: whole, or in all of its parts.
    const slices = new Map<string, string[]>();
    for (const k of keys) {
      const [, , seq, part] = k.split(':');
      slices.set(seq, [...(slices.get(seq) ?? []), part ?? 'whole']);
    }
    expect(slices.size).toBe(Math.ceil(ROWS / SLICE_RECORDS));
    for (const written of slices.values())
      expect(written.length === 1 && written[0] === 'whole' ? 'whole' : written.sort()).toEqual(
        written.length === 1 && written[0] === 'whole'
          ? 'whole'
          : [...Array(written.length).keys()].map(String).sort(),
      );
  }, 60_000);

  it('undoes a sliced import as one unit', async () => {
    const session = await uploadOk(t, csvOf(SLICE_RECORDS * 3, 'undo'), {
      new_table_name: 'Undo sliced',
    });
    const result = await commitOk(t, session.id);
    const undo = await t
      .http()
      .post('/api/fundraising/undo')
      .send({ correlation_id: result.correlation_id })
      .expect((r) => expect([200, 201]).toContain(r.status));
    expect(undo.body).toMatchObject({ undone: result.correlation_id });
    const live = [...t.core.repo.recordsOf(session.table_id)].filter((r) => !r.archived);
    expect(live).toHaveLength(0);
  });

  it('commits a plan reviewed while others edited other tables, without planning again', async () => {
    const session = await uploadOk(t, csvOf(SLICE_RECORDS * 2, 'elsewhere'), {
      new_table_name: 'Quiet table',
    });
    const edit = await t
      .http()
      .post('/api/fundraising/changes')
      .send({
        changes: [
          { op: 'create', table_id: ids.investors, values: { [ids.inv('name')]: 'Kappa' } },
        ],
      })
      .expect(200);
    expect(edit.body.applied).toHaveLength(1);
    expect(await commitOk(t, session.id)).toMatchObject({ created: SLICE_RECORDS * 2 });
  });
});
