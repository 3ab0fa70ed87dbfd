import {
  field,
  fieldAdded,
  recordCreated,
  recordUpdated,
  tableCreated,
} from '../../../../../../test/support/fundraising-events';
import {
  at,
  type GivenEvent,
  givenEvents,
  type Projected,
} from '../../../../../../test/support/projector-harness';

const NAME = field('fld_name', 'Name', 'text', 'investor.name');
const TARGET = field('fld_target', 'Target commitment', 'number', 'investor.target_commitment');
/** A formula reading the record's lists (stored with the pseudo-field's id, as the decider writes it). */
const FOLLOW_UP = field('fld_fu', 'Follow up?', 'formula', null, {
  formula: 'IF(FIND("follow_up", {lists}), "yes", "no")',
  result_type: 'text',
});
const COUNT = field('fld_n', 'How many lists', 'formula', null, {
  formula: 'COUNTALL({lists})',
  result_type: 'number',
});

const investors = tableCreated('tbl_inv', 'Investors', 'investors', [NAME, TARGET, FOLLOW_UP], {
  at: at(0),
});
const yale = recordCreated('tbl_inv', 'rec_1', { fld_name: 'Yale' }, { at: at(1) });
const moved = (type: 'MembershipAdded' | 'MembershipRemoved', list: string, s: number) =>
  ({
    stream_id: 'membership-rec_1',
    type,
    data: { record_id: 'rec_1', table_id: 'tbl_inv', list, rule_id: null, run_id: null },
    at: at(s),
  }) satisfies GivenEvent;

const formulas = (p: Projected) =>
  p.rows('SELECT formula_json FROM fundraising_records WHERE id = ?', 'rec_1')[0]?.formula_json;

describe.each(['listsThenGrid', 'gridThenLists'] as const)(
  'formulas reading {Lists} (%s)',
  (order) => {
    let p: Projected;
    afterEach(async () => {
      await p.close();
    });

    it('given a record, when it moves into a list and out again, then the formula follows', async () => {
      p = await givenEvents(order, [investors, yale]);
      expect(formulas(p)).toBe('{"fld_fu":"no"}');
      await p.append(moved('MembershipAdded', 'follow_up', 2));
      expect(formulas(p)).toBe('{"fld_fu":"yes"}');
      await p.append(moved('MembershipRemoved', 'follow_up', 3));
      expect(formulas(p)).toBe('{"fld_fu":"no"}');
    });

    it('given a move (out of one list, into another, one batch), then the lists after it count', async () => {
      p = await givenEvents(order, [
        investors,
        fieldAdded('tbl_inv', COUNT, { at: at(1) }),
        yale,
        moved('MembershipAdded', 'follow_up', 2),
      ]);
      expect(formulas(p)).toBe('{"fld_fu":"yes","fld_n":1}');
      await p.append([
        moved('MembershipRemoved', 'follow_up', 3),
        moved('MembershipAdded', 'graveyard', 3),
        moved('MembershipAdded', 'main', 3),
      ]);
      expect(formulas(p)).toBe('{"fld_fu":"no","fld_n":2}');
    });

    it('given lists, when a field the formula reads too changes, then it sees the lists', async () => {
      const both = field('fld_b', 'Big follow-up', 'formula', null, {
        formula: 'IF(AND({fld_target} > 1000, FIND("main", {lists})), "big", "")',
        result_type: 'text',
      });
      p = await givenEvents(order, [
        tableCreated('tbl_inv', 'Investors', 'investors', [NAME, TARGET, both], { at: at(0) }),
        yale,
        moved('MembershipAdded', 'main', 2),
      ]);
      expect(formulas(p)).toBe('{}');
      await p.append(
        recordUpdated('tbl_inv', 'rec_1', [{ field_id: 'fld_target', from: null, to: 5000 }], {
          at: at(3),
        }),
      );
      expect(formulas(p)).toBe('{"fld_b":"big"}');
    });

    it('given a formula added after the moves, then every record is computed with its lists', async () => {
      p = await givenEvents(order, [
        tableCreated('tbl_inv', 'Investors', 'investors', [NAME, TARGET], { at: at(0) }),
        yale,
        moved('MembershipAdded', 'follow_up', 2),
        fieldAdded('tbl_inv', FOLLOW_UP, { at: at(3) }),
      ]);
      expect(formulas(p)).toBe('{"fld_fu":"yes"}');
    });

    it('given a lookup of the formula in another table, when the record moves, then it follows', async () => {
      const link = field('fld_lps', 'LPs', 'link', null, { table_id: 'tbl_inv' });
      const seen = field('fld_seen', 'LPs to follow up', 'lookup', null, {
        link_field_id: 'fld_lps',
        target_field_id: 'fld_fu',
      });
      p = await givenEvents(order, [
        investors,
        yale,
        tableCreated('tbl_fund', 'Funds', 'funds', [field('fld_fname', 'Name'), link, seen], {
          at: at(2),
        }),
        recordCreated(
          'tbl_fund',
          'rec_f',
          { fld_fname: 'Fund I', fld_lps: ['rec_1'] },
          { at: at(3) },
        ),
      ]);
      const fund = () =>
        p.rows('SELECT formula_json FROM fundraising_records WHERE id = ?', 'rec_f')[0]
          ?.formula_json;
      expect(fund()).toBe('{"fld_seen":["no"]}');
      await p.append(moved('MembershipAdded', 'follow_up', 4));
      expect(fund()).toBe('{"fld_seen":["yes"]}');
    });

    it('given a history of moves, then a rebuild computes what was stored live', async () => {
      p = await givenEvents(order, [
        investors,
        yale,
        moved('MembershipAdded', 'follow_up', 2),
        [moved('MembershipRemoved', 'follow_up', 3), moved('MembershipAdded', 'graveyard', 3)],
        moved('MembershipAdded', 'follow_up', 4),
      ]);
      const live = p.rows('SELECT * FROM fundraising_records');
      expect(formulas(p)).toBe('{"fld_fu":"yes"}');
      await p.rebuild();
      expect(p.rows('SELECT * FROM fundraising_records')).toEqual(live);
    });
  },
);
