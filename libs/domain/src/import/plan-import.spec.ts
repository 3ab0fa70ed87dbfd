import { type RecordCreatedData, type RecordUpdatedData } from '@crm/events';
import { decideCreateTable } from '../table/decide/create-table.decide';
import { columnsByName, commit, plan } from '../testing/given-import';
import { Given } from '../testing/given-when-then';

const INV = 'tbl_inv';
const CON = 'tbl_con';

function givenBase(): Given {
  const g = Given.empty();
  g.apply((ctx) =>
    decideCreateTable(
      {
        table_id: INV,
        name: 'Investors',
        fields: [
          { id: 'fld_name', name: 'Name', type: 'text' },
          { id: 'fld_email', name: 'Email', type: 'email' },
          {
            id: 'fld_stage',
            name: 'Stage',
            type: 'single_select',
            options: { choices: ['Lead', 'Engaged'] },
          },
          {
            id: 'fld_target',
            name: 'Target',
            type: 'currency',
            options: { symbol: '$', precision: 2 },
          },
          { id: 'fld_anchor', name: 'Anchor', type: 'checkbox' },
          { id: 'fld_met', name: 'Met', type: 'date' },
          { id: 'fld_notes', name: 'Notes', type: 'long_text' },
          { id: 'fld_parent', name: 'Parent', type: 'link', options: { table_id: INV } },
        ],
      },
      ctx,
    ),
  );
  g.apply((ctx) =>
    decideCreateTable(
      {
        table_id: CON,
        name: 'Contacts',
        fields: [
          { id: 'fld_cname', name: 'Name', type: 'text' },
          { id: 'fld_investors', name: 'Investors', type: 'link', options: { table_id: INV } },
          { id: 'fld_tags', name: 'Tags', type: 'multiple_select', options: { choices: ['LP'] } },
        ],
      },
      ctx,
    ),
  );
  return g;
}

const HEADER = ['Name', 'Email', 'Stage', 'Target', 'Anchor', 'Met', 'Notes'];
const investors = () => ({
  header: HEADER,
  rows: [
    [
      'Acme Capital',
      'ir@acme.example',
      'Lead',
      '$1,000,000.00',
      'checked',
      '1/31/2021',
      'Met at the AGM.\nFollow up in Q3, "maybe".',
    ],
    ['Smith, Jones & Co', 'ops@sj.example', 'Engaged', '$250,000.00', '', '12/1/2021', ''],
    ['Beta Partners', 'hello@beta.example', '', '', '', '', ''],
  ],
});

describe('planImport', () => {
  it('creates every row of a first import, with Airtable values read', () => {
    const g = givenBase();
    const p = plan(g, INV, investors(), { merge: ['Email'] });
    expect(p.errors).toEqual([]);
    expect(p.creates.map((c) => c.line)).toEqual([2, 3, 4]);
    expect(p.creates[0].values).toEqual({
      fld_name: 'Acme Capital',
      fld_email: 'ir@acme.example',
      fld_stage: 'Lead',
      fld_target: 1_000_000,
      fld_anchor: true,
      fld_met: '2021-01-31',
      fld_notes: 'Met at the AGM.\nFollow up in Q3, "maybe".',
    });
    expect(p.creates[2].values).toEqual({
      fld_name: 'Beta Partners',
      fld_email: 'hello@beta.example',
    });
  });

  it('plans nothing when the same file comes again with the same merge key', () => {
    const g = givenBase();
    commit(g, INV, plan(g, INV, investors(), { merge: ['Email'] }));
    const again = plan(g, INV, investors(), { merge: ['Email'] });
    expect({
      creates: again.creates.length,
      updates: again.updates.length,
      unchanged: again.unchanged,
      errors: again.errors,
    }).toEqual({ creates: 0, updates: 0, unchanged: 3, errors: [] });
  });

  it('plans only the cells an updated export changed, each with the value it replaces', () => {
    const g = givenBase();
    commit(g, INV, plan(g, INV, investors(), { merge: ['Email'] }));
    const updated = investors();
    updated.rows[1][2] = 'Lead';
    updated.rows[0][4] = '';
    updated.rows.push(['Gamma LP', 'g@gamma.example', '', '', '', '', '']);
    const p = plan(g, INV, updated, { merge: ['Email'] });
    expect(p.creates.map((c) => c.line)).toEqual([5]);
    expect(p.unchanged).toBe(1);
    expect(p.updates.map((u) => ({ line: u.line, changes: u.changes }))).toEqual([
      { line: 2, changes: [{ field_id: 'fld_anchor', from: true, to: false }] },
      { line: 3, changes: [{ field_id: 'fld_stage', from: 'Engaged', to: 'Lead' }] },
    ]);
  });

  it('matches a merge key regardless of Unicode normal form and surrounding spaces', () => {
    const g = givenBase();
    commit(
      g,
      INV,
      plan(g, INV, { header: ['Name'], rows: [['Société Générale']] }, { merge: ['Name'] }),
    );
    const p = plan(
      g,
      INV,
      { header: ['Name'], rows: [[' Société Générale'.normalize('NFD')]] },
      { merge: ['Name'] },
    );
    expect(p.creates).toHaveLength(0);
  });

  it('matches on a composite key', () => {
    const g = givenBase();
    commit(
      g,
      INV,
      plan(
        g,
        INV,
        {
          header: ['Name', 'Met'],
          rows: [
            ['Acme', '1/1/2024'],
            ['Acme', '2/1/2024'],
          ],
        },
        { merge: ['Name', 'Met'] },
      ),
    );
    const p = plan(
      g,
      INV,
      { header: ['Name', 'Met', 'Stage'], rows: [['Acme', '2/1/2024', 'Lead']] },
      { merge: ['Name', 'Met'] },
    );
    expect(p.updates).toHaveLength(1);
    expect(p.creates).toHaveLength(0);
  });

  it('matches an email merge key whatever its case and surrounding spaces: an update or nothing, never a new record', () => {
    const g = givenBase();
    commit(
      g,
      INV,
      plan(
        g,
        INV,
        { header: ['Name', 'Email'], rows: [['Ann', 'ann@x.example']] },
        { merge: ['Email'] },
      ),
    );
    const p = plan(
      g,
      INV,
      { header: ['Email', 'Notes'], rows: [['ANN@X.example ', 'Met in Zurich']] },
      { merge: ['Email'] },
    );
    expect(p.errors).toEqual([]);
    expect(p.creates).toEqual([]);
    expect(p.updates).toHaveLength(1);
    expect(p.updates[0].changes.map((c) => c.field_id).sort()).toEqual(['fld_email', 'fld_notes']);
    const unchanged = plan(
      g,
      INV,
      { header: ['Email'], rows: [['ANN@X.example ']] },
      { merge: ['Email'] },
    );
    expect(unchanged.creates).toEqual([]);
    expect(unchanged.updates.length + unchanged.unchanged).toBe(1);
  });

  describe('a composite merge key with an empty part', () => {
    const given = () => {
      const g = givenBase();
      commit(
        g,
        INV,
        plan(
          g,
          INV,
          {
            header: ['Name', 'Met'],
            rows: [
              ['Acme', ''],
              ['Acme', '1/1/2024'],
            ],
          },
          { merge: ['Name', 'Met'] },
        ),
      );
      return g;
    };

    it('matches only the record whose same part is empty, and says so by column', () => {
      const g = given();
      const p = plan(
        g,
        INV,
        {
          header: ['Name', 'Met', 'Stage'],
          rows: [
            ['Acme', '', 'Lead'],
            ['Acme', '1/1/2024', 'Engaged'],
          ],
        },
        { merge: ['Name', 'Met'] },
      );
      expect(p.errors).toEqual([]);
      expect(p.creates).toEqual([]);
      expect(p.updates).toHaveLength(2);
      expect(p.warnings).toContainEqual({
        line: null,
        column: 'Met',
        message:
          '1 row(s) have no Met, a part of the merge key (Name, Met): each matches only a record whose Met is empty too',
      });
    });

    it('names the part that is empty when the whole key is, and refuses the row', () => {
      const g = given();
      const p = plan(
        g,
        INV,
        {
          header: ['Name', 'Met', 'Stage'],
          rows: [
            ['', '', 'Lead'],
            ['Beta', '', 'Lead'],
          ],
        },
        { merge: ['Name', 'Met'] },
      );
      expect(p.errors.map((e) => [e.line, e.message])).toEqual([
        [
          2,
          'every part of the merge key (Name, Met) is empty, so the row could never be matched again',
        ],
      ]);
      expect(p.creates.map((c) => c.line)).toEqual([3]);
    });
  });

  it('reads a select value as the choice whose name has a space at an end, rather than adding a trimmed twin', () => {
    const g = Given.empty();
    g.apply((ctx) =>
      decideCreateTable(
        {
          table_id: 'tbl_pad',
          name: 'Padded',
          fields: [
            { id: 'fld_pname', name: 'Name', type: 'text' },
            {
              id: 'fld_one',
              name: 'One',
              type: 'single_select',
              options: { choices: ['Trail ', ' Lead', 'Lead'] },
            },
            {
              id: 'fld_many',
              name: 'Many',
              type: 'multiple_select',
              options: { choices: ['Trail ', ' Lead', 'Both'] },
            },
          ],
        },
        ctx,
      ),
    );
    commit(
      g,
      'tbl_pad',
      plan(g, 'tbl_pad', { header: ['Name'], rows: [['A'], ['B'], ['C']] }, { merge: ['Name'] }),
    );
    const p = plan(
      g,
      'tbl_pad',
      {
        header: ['Name', 'One', 'Many'],
        rows: [
          ['A', 'Trail ', ' Lead,Trail '],
          ['B', ' Lead', 'Both,Trail'],
          ['C', 'Lead', ''],
        ],
      },
      { merge: ['Name'] },
    );
    expect(p.new_choices).toEqual([]);
    // Written exactly, a name is that choice even beside a choice it trims to.
    expect(p.updates.map((u) => u.changes.map((c) => c.to))).toEqual([
      ['Trail ', [' Lead', 'Trail ']],
      [' Lead', ['Both', 'Trail ']],
      ['Lead'],
    ]);
  });

  it('reports short and long rows by line, and skips blank lines and trailing empty cells', () => {
    const g = givenBase();
    const p = plan(g, INV, {
      header: ['Name', 'Email'],
      rows: [
        ['A', 'a@x.example'],
        ['B'],
        ['', ''],
        ['C', 'c@x.example', 'extra'],
        ['D', 'd@x.example', '', ''],
      ],
    });
    expect(p.errors).toEqual([
      { line: 3, column: null, message: 'has 1 value; the header has 2' },
      { line: 5, column: null, message: 'has 3 values; the header has 2' },
    ]);
    expect(p.blank_rows).toBe(1);
    expect(p.rows_with_errors).toBe(2);
    expect(p.creates.map((c) => c.line)).toEqual([2, 6]);
  });

  it('reports cells that do not fit their field, naming line and column', () => {
    const g = givenBase();
    const p = plan(g, INV, {
      header: ['Name', 'Email', 'Target'],
      rows: [
        ['A', 'not an email', '$5'],
        ['B', 'b@x.example', 'lots'],
      ],
    });
    expect(p.errors).toEqual([
      { line: 2, column: 'Email', message: expect.stringMatching(/expects an email address/) },
      { line: 3, column: 'Target', message: '“lots” is not an amount' },
    ]);
  });

  it('refuses empty and repeated merge keys, and a key that matches several records', () => {
    const g = givenBase();
    commit(g, INV, plan(g, INV, { header: ['Name'], rows: [['Twin'], ['Twin']] }));
    const p = plan(
      g,
      INV,
      {
        header: ['Name', 'Email'],
        rows: [
          ['', 'a@x.example'],
          ['Solo', 'b@x.example'],
          ['Solo', 'c@x.example'],
          ['Twin', ''],
        ],
      },
      { merge: ['Name'] },
    );
    expect(p.errors.map((e) => [e.line, e.message])).toEqual([
      [2, 'the merge key (Name) is empty, so the row could never be matched again'],
      [4, 'the same merge key (Name) as line 3'],
      [5, 'matches several records of the table by Name; make the key unique first'],
    ]);
  });

  it('adds the choices a select field lacks', () => {
    const g = givenBase();
    const p = plan(g, INV, {
      header: ['Name', 'Stage'],
      rows: [
        ['A', 'Diligence'],
        ['B', 'Lead'],
        ['C', 'Diligence'],
      ],
    });
    expect(p.new_choices).toEqual([{ field_id: 'fld_stage', choices: ['Diligence'] }]);
    expect(p.errors).toEqual([]);
  });

  it('flags a column of mixed day-first and month-first dates as a whole', () => {
    const g = givenBase();
    const ctx = g.ctx;
    const csv = {
      header: ['Name', 'Met'],
      rows: [
        ['A', '17/7/2026'],
        ['B', '7/20/2026'],
      ],
    };
    const p = plan(g, INV, csv, {
      columns: columnsByName(ctx, INV, csv.header, { Met: { format: { date_order: null } } }),
    });
    expect(p.errors).toEqual([
      {
        line: null,
        column: 'Met',
        message: expect.stringMatching(/mixes day-first and month-first/),
      },
    ]);
  });

  describe('linked records', () => {
    function givenInvestors() {
      const g = givenBase();
      commit(
        g,
        INV,
        plan(g, INV, {
          header: ['Name'],
          rows: [['Acme Capital'], ['Smith, Jones & Co'], ['The "Best" Fund']],
        }),
      );
      return g;
    }

    it('resolves names by the primary field, with Airtable quoting for commas and quotes', () => {
      const g = givenInvestors();
      const p = plan(g, CON, {
        header: ['Name', 'Investors'],
        rows: [
          ['Ann', '"Smith, Jones & Co",Acme Capital'],
          ['Bob', '"The ""Best"" Fund"'],
        ],
      });
      expect(p.errors).toEqual([]);
      const ids = (name: string) =>
        [...g.ctx.recordsOf(INV)].find((r) => r.values.fld_name === name)!.id;
      expect(p.creates[0].values.fld_investors).toEqual([
        ids('Smith, Jones & Co'),
        ids('Acme Capital'),
      ]);
      expect(p.creates[1].values.fld_investors).toEqual([ids('The "Best" Fund')]);
    });

    it('lists unmatched names, as errors unless they are to be created', () => {
      const g = givenInvestors();
      const csv = {
        header: ['Name', 'Investors'],
        rows: [
          ['Ann', 'Acme Capital,Nova Ventures'],
          ['Bob', 'Nova Ventures'],
        ],
      };
      const refused = plan(g, CON, csv);
      expect(refused.unmatched_links).toEqual([
        { column: 'Investors', field_id: 'fld_investors', table_id: INV, names: ['Nova Ventures'] },
      ]);
      expect(refused.errors.map((e) => e.line)).toEqual([2, 3]);
      const created = plan(g, CON, csv, { options: { create_missing_links: true } });
      expect(created.errors).toEqual([]);
      expect(created.link_creates).toEqual([
        { ref: 'new:1', table_id: INV, name: 'Nova Ventures', line: 2, column: 'Investors' },
      ]);
      expect(created.creates[1].values.fld_investors).toEqual(['new:1']);
      const { decision } = commit(g, CON, created);
      expect(decision.created).toBe(3);
      const nova = [...g.ctx.recordsOf(INV)].find((r) => r.values.fld_name === 'Nova Ventures')!;
      expect([...g.ctx.recordsOf(CON)].map((r) => r.values.fld_investors)).toEqual([
        [expect.any(String), nova.id],
        [nova.id],
      ]);
    });

    it('links rows of the same file to each other on a first import', () => {
      const g = givenBase();
      const csv = {
        header: ['Name', 'Parent'],
        rows: [
          ['Acme Europe', 'Acme Holdings'],
          ['Acme Holdings', ''],
        ],
      };
      const p = plan(g, INV, csv, { merge: ['Name'] });
      expect(p.errors).toEqual([]);
      expect(p.link_creates).toEqual([]);
      expect(p.creates[0].values.fld_parent).toEqual(['row:3']);
      commit(g, INV, p);
      const recs = [...g.ctx.recordsOf(INV)];
      expect(recs[0].values.fld_parent).toEqual([recs[1].id]);
      expect(plan(g, INV, csv, { merge: ['Name'] }).unchanged).toBe(2);
    });
  });

  describe('the formula guard an export adds', () => {
    it('keeps the apostrophe on new text, and counts a cell equal without it as unchanged', () => {
      const g = givenBase();
      commit(
        g,
        INV,
        plan(g, INV, { header: ['Name', 'Notes'], rows: [['A', '=1+1']] }, { merge: ['Name'] }),
      );
      const p = plan(
        g,
        INV,
        {
          header: ['Name', 'Notes'],
          rows: [
            ['A', "'=1+1"],
            ['B', "'- bullet"],
          ],
        },
        { merge: ['Name'] },
      );
      expect(p.unchanged).toBe(1);
      expect(p.creates[0].values.fld_notes).toBe("'- bullet");
      expect(p.warnings[0].message).toMatch(/2 value\(s\) start with an apostrophe/);
    });

    it('matches a merge key written with it to the record that holds the text without it', () => {
      const g = givenBase();
      commit(
        g,
        INV,
        plan(g, INV, { header: ['Name'], rows: [['=Acme'], ['-']] }, { merge: ['Name'] }),
      );
      const p = plan(g, INV, { header: ['Name'], rows: [["'=Acme"], ["'-"]] }, { merge: ['Name'] });
      expect(p).toMatchObject({ creates: [], updates: [], unchanged: 2, errors: [] });
    });

    it('takes a select’s choice without it rather than adding a choice with it', () => {
      const g = givenBase();
      commit(
        g,
        INV,
        plan(
          g,
          INV,
          {
            header: ['Name', 'Stage'],
            rows: [
              ['A', '-'],
              ['B', '@home'],
            ],
          },
          { merge: ['Name'] },
        ),
      );
      const p = plan(
        g,
        INV,
        {
          header: ['Name', 'Stage'],
          rows: [
            ['A', "'-"],
            ['B', "'@home"],
            ['C', "'+new"],
          ],
        },
        { merge: ['Name'] },
      );
      expect(p.new_choices).toEqual([{ field_id: 'fld_stage', choices: ["'+new"] }]);
      expect(p.unchanged).toBe(2);
    });

    it('links a list whose first name it guards to the record named without it, in another table and in the same one', () => {
      const g = givenBase();
      commit(
        g,
        INV,
        plan(
          g,
          INV,
          { header: ['Name'], rows: [['=Evil Corp'], ["'=Quoted"], ['Plain']] },
          { merge: ['Name'] },
        ),
      );
      const [evil, quoted, plainRec] = [...g.ctx.recordsOf(INV)].map((r) => r.id);
      // As the export writes them: the guard is on the cell, so on its first name only.
      const p = plan(g, CON, {
        header: ['Name', 'Investors'],
        rows: [
          ['Ann', "'=Evil Corp,Plain"],
          ['Bob', "''=Quoted,=Evil Corp"],
        ],
      });
      expect(p.errors).toEqual([]);
      expect(p.creates.map((c) => c.values.fld_investors)).toEqual([
        [evil, plainRec],
        [quoted, evil],
      ]);
      const self = plan(
        g,
        INV,
        { header: ['Name', 'Parent'], rows: [['Plain', "'=Evil Corp"]] },
        { merge: ['Name'] },
      );
      expect(self.errors).toEqual([]);
      expect(self.updates[0].changes).toEqual([
        expect.objectContaining({ field_id: 'fld_parent', to: [evil] }),
      ]);
    });

    it('removes it when asked', () => {
      const g = givenBase();
      const p = plan(
        g,
        INV,
        { header: ['Name', 'Notes'], rows: [['B', "'- bullet"]] },
        { options: { formula_guard: 'strip' } },
      );
      expect(p.creates[0].values.fld_notes).toBe('- bullet');
    });
  });

  it('records each row’s provenance when committed', () => {
    const g = givenBase();
    const events = (() => {
      commit(g, INV, plan(g, INV, investors(), { merge: ['Email'] }), [], 'imp_1');
      const changed = investors();
      changed.rows[2][2] = 'Engaged';
      commit(g, INV, plan(g, INV, changed, { merge: ['Email'] }), [], 'imp_2');
      return g.store.readAll();
    })();
    const created = events
      .filter((e) => e.type === 'RecordCreated')
      .map((e) => (e.data as RecordCreatedData).provenance);
    expect(created).toEqual(
      [2, 3, 4].map((line) => ({ import_id: 'imp_1', file_name: 'investors.csv', line })),
    );
    const updated = events
      .filter((e) => e.type === 'RecordUpdated')
      .map((e) => e.data as RecordUpdatedData);
    expect(updated).toEqual([
      expect.objectContaining({
        changes: [{ field_id: 'fld_stage', from: null, to: 'Engaged' }],
        provenance: { import_id: 'imp_2', file_name: 'investors.csv', line: 4 },
      }),
    ]);
  });
});
