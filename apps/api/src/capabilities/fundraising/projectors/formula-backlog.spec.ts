import { OUT_OF_TABLE_BUDGET } from '@crm/domain';
import {
  field,
  fieldAdded,
  fieldRetyped,
  recordArchived,
  recordCreated,
  recordUpdated,
  tableCreated,
} from '../../../../../../test/support/fundraising-events';
import {
  at,
  givenEvents,
  type Projected,
  SLICED_ABOVE,
} from '../../../../../../test/support/projector-harness';
import { FundraisingRepository } from '../fundraising.repository';
import { FormulaBacklog } from './formula-backlog';

const NAME = field('fld_name', 'Name', 'text');
const TARGET = field('fld_target', 'Target', 'number');
const NOTES = field('fld_notes', 'Notes', 'text');
const FEE = field('fld_fee', 'Fee', 'formula', null, { formula: '{fld_target} * 0.02' });
/** Reads the clock: a record recomputed at another moment than the log says would show it. */
const SEEN = field('fld_seen', 'Seen', 'formula', null, {
  formula: 'DATETIME_FORMAT(NOW(), "YYYY-MM-DD HH:mm:ss") & " " & {fld_target}',
});
const RECORDS = SLICED_ABOVE * 3;
const rec = (i: number) => `rec_${String(i).padStart(3, '0')}`;

const investors = () => [
  tableCreated('tbl_inv', 'Investors', 'investors', [NAME, TARGET, NOTES], { at: at(0) }),
  Array.from({ length: RECORDS }, (_, i) =>
    recordCreated(
      'tbl_inv',
      rec(i),
      { fld_name: `Investor ${i}`, fld_target: 1_000 * (i + 1) },
      { at: at(1) },
    ),
  ),
];

const set = (i: number, field_id: string, from: unknown, to: unknown, s: number) =>
  recordUpdated('tbl_inv', rec(i), [{ field_id, from, to }] as never, { at: at(s) });

const formulas = (p: Projected) =>
  p.rows('SELECT id, version, values_json, formula_json FROM fundraising_records ORDER BY seq');
const backlogOf = (p: Projected) =>
  new FormulaBacklog(new FundraisingRepository(p.db), SLICED_ABOVE);
/** Runs the backlog's slices, `size` records each (fewer past `ms`), as the server does after the commit. */
const work = (p: Projected, size = 7, ms = Infinity) => {
  const backlog = backlogOf(p);
  for (const t of backlog.tables()) while (!p.db.transaction(() => backlog.slice(t, size, ms))());
};

/** What a replay of the whole log stores: the read model must be exactly that. */
async function expectSameAsReplay(p: Projected): Promise<void> {
  const live = formulas(p);
  await p.rebuild();
  expect(formulas(p)).toEqual(live);
}

describe('FormulaBacklog: a large table recomputed in slices stores what a replay stores', () => {
  let p: Projected;
  afterEach(() => p.close());

  it('leaves a large table for slices when a formula field is added, and the slices fill it in', async () => {
    // Given a table larger than the inline limit
    p = await givenEvents('gridSliced', investors());
    // When a formula field is added
    await p.append(fieldAdded('tbl_inv', FEE, { at: at(2) }));
    // Then the change commits with no record recomputed yet, and a backlog from the first record
    expect(formulas(p).every((r) => r.formula_json === '{}')).toBe(true);
    expect(p.rows('SELECT table_id, after_seq FROM formula_backlog')).toEqual([
      { table_id: 'tbl_inv', after_seq: 0 },
    ]);
    // When the slices run
    work(p);
    // Then every record has its value, the backlog is gone, and a replay stores the same
    expect(formulas(p).map((r) => JSON.parse(r.formula_json as string).fld_fee)).toEqual(
      Array.from({ length: RECORDS }, (_, i) => 20 * (i + 1)),
    );
    expect(p.rows('SELECT * FROM formula_backlog')).toEqual([]);
    await expectSameAsReplay(p);
  });

  it('recomputes a small table inside the change, as before', async () => {
    p = await givenEvents('gridSliced', [
      tableCreated('tbl_inv', 'Investors', 'investors', [NAME, TARGET]),
      recordCreated('tbl_inv', 'rec_a', { fld_name: 'A', fld_target: 100 }),
      fieldAdded('tbl_inv', FEE),
    ]);
    expect(formulas(p)[0].formula_json).toBe('{"fld_fee":2}');
    expect(p.rows('SELECT * FROM formula_backlog')).toEqual([]);
  });

  it('applies edits made before their slice after the recompute, in the order of the log', async () => {
    // Given a clock-reading formula added to a large table, one slice done
    p = await givenEvents('gridSliced', [
      ...investors(),
      fieldAdded('tbl_inv', SEEN, { at: at(2) }),
    ]);
    const backlog = backlogOf(p);
    p.db.transaction(() => backlog.slice('tbl_inv', 5))();
    // When records the slices have not reached are edited (one twice, one archived), and one they have
    await p.append(
      set(RECORDS - 1, 'fld_target', RECORDS * 1_000, 7, 3),
      set(RECORDS - 1, 'fld_target', 7, 8, 4),
      recordArchived('tbl_inv', rec(20), { at: at(5) }),
      set(12, 'fld_name', 'Investor 12', 'Renamed', 6),
      set(2, 'fld_target', 3_000, 9, 7),
    );
    // Then the edits are stored at once, and held for the slices
    expect(JSON.parse(formulas(p)[RECORDS - 1].values_json as string).fld_target).toBe(8);
    expect(p.rows('SELECT record_id FROM formula_backlog_held ORDER BY record_id')).toEqual([
      { record_id: rec(12) },
      { record_id: rec(20) },
      { record_id: rec(RECORDS - 1) },
    ]);
    // When the slices finish
    work(p);
    // Then the edited record shows the time of its last edit, the others the time of the change
    const last = JSON.parse(formulas(p)[RECORDS - 1].formula_json as string).fld_seen as string;
    expect(last).toMatch(/ 8$/);
    expect(p.rows('SELECT * FROM formula_backlog_held')).toEqual([]);
    await expectSameAsReplay(p);
  });

  it('carries the table budget from slice to slice: the same records run out as in a replay', async () => {
    // Given records whose notes make a formula costly, and the first made cheap by an edit before its slice
    const long = 'x'.repeat(2_100);
    const costly = field('fld_costly', 'Costly', 'formula', null, {
      formula: 'LEN(REGEX_REPLACE({fld_notes}, "[a-z]", "y"))',
    });
    p = await givenEvents('gridSliced', [
      tableCreated('tbl_inv', 'Investors', 'investors', [NAME, TARGET, NOTES]),
      Array.from({ length: 40 }, (_, i) =>
        recordCreated('tbl_inv', rec(i), { fld_name: `I${i}`, fld_notes: long }),
      ),
      fieldAdded('tbl_inv', costly, { at: at(2) }),
    ]);
    await p.append(set(0, 'fld_notes', long, 'short', 3));
    // When the slices run, each cut short by its time limit
    work(p, 500, 0);
    // Then the budget ran out part-way, exactly where a replay runs out of it: the first record's
    // share was spent on it as it was before the edit
    const values = formulas(p).map((r) => JSON.parse(r.formula_json as string).fld_costly);
    expect(values).toContainEqual({ error: OUT_OF_TABLE_BUDGET });
    expect(values[0]).toBe(5);
    await expectSameAsReplay(p);
  });

  it('finishes a recompute under way before another schema change of the table', async () => {
    p = await givenEvents('gridSliced', [
      ...investors(),
      fieldAdded('tbl_inv', FEE, { at: at(2) }),
    ]);
    // When the formula is changed before any slice ran
    await p.append(
      fieldRetyped(
        'tbl_inv',
        'fld_fee',
        { type: 'formula', options: FEE.options },
        { type: 'formula', options: { formula: '{fld_target} * 0.03' } },
        { at: at(3) },
      ),
    );
    // Then the first recompute was finished inside that change, and the second is left for slices
    expect(p.rows('SELECT after_seq FROM formula_backlog')).toEqual([{ after_seq: 0 }]);
    expect(JSON.parse(formulas(p)[0].formula_json as string)).toEqual({ fld_fee: 20 });
    work(p);
    expect(JSON.parse(formulas(p)[0].formula_json as string)).toEqual({ fld_fee: 30 });
    await expectSameAsReplay(p);
  });

  it('leaves records created after the change as they were computed at creation', async () => {
    p = await givenEvents('gridSliced', [
      ...investors(),
      fieldAdded('tbl_inv', FEE, { at: at(2) }),
    ]);
    await p.append(recordCreated('tbl_inv', 'rec_new', { fld_target: 50 }, { at: at(3) }));
    expect(formulas(p).find((r) => r.id === 'rec_new')!.formula_json).toBe('{"fld_fee":1}');
    work(p);
    await expectSameAsReplay(p);
  });
});
