import {
  field,
  fieldRemoved,
  fieldRetyped,
  recordArchived,
  recordCreated,
  recordUnarchived,
  recordUpdated,
  tableCreated,
} from '../../../../../test/support/fundraising-events';
import { at, givenEvents, type Projected } from '../../../../../test/support/projector-harness';
import { fold } from './search-text';
import { SearchQuery, type SearchInput } from './search.query';
import { SearchRepository } from './search.repository';

const NAME = field('fld_name', 'Name', 'text');
const EMAIL = field('fld_email', 'Email', 'email');
const CITY = field('fld_city', 'City', 'single_select', null, { choices: ['Zürich', 'Genève'] });
const TAGS = field('fld_tags', 'Tags', 'multiple_select', null, { choices: ['Pension', 'Family'] });
const SIZE = field('fld_size', 'Size', 'number');
const NOTES = field('fld_notes', 'Notes', 'long_text');

const investors = () =>
  tableCreated('tbl_inv', 'Investors', 'investors', [NAME, EMAIL, CITY, TAGS, SIZE, NOTES]);
const lp = (id: string, values: Record<string, unknown>, s = 1) =>
  recordCreated('tbl_inv', id, values as never, { at: at(s) });

const find = (p: Projected, q: string, more: Partial<SearchInput> = {}) =>
  new SearchQuery(new SearchRepository(p.db), () => 'Investors').search({
    q,
    tables: null,
    archived: false,
    limit: 20,
    ...more,
  }).results;
const ids = (p: Projected, q: string, more: Partial<SearchInput> = {}) =>
  find(p, q, more).map((r) => r.record_id);
const entries = (p: Projected) =>
  p.rows(
    'SELECT record_id, field_id, archived, text FROM search_entries ORDER BY record_id, field_id',
  );

async function expectSameAsReplay(p: Projected): Promise<void> {
  // The trigram index agrees with its content table (SQLite checks every entry).
  for (const kind of ['primary', 'other'])
    p.db.exec(`INSERT INTO search_${kind}_text (search_${kind}_text) VALUES ('integrity-check')`);
  const rows = () =>
    p.rows(
      'SELECT record_id, table_id, field_id, is_primary, archived, text, folded FROM search_entries ORDER BY record_id, field_id',
    );
  const live = rows();
  await p.rebuild();
  expect(rows()).toEqual(live);
}

describe('fold', () => {
  it('folds case and accents alike', () => {
    expect(fold('Zürich Genève ÅSA')).toBe('zurich geneve asa');
  });
});

describe('search', () => {
  let p: Projected;
  afterEach(() => p.close());

  it('indexes the text-like cells of each record, not numbers', async () => {
    p = await givenEvents('search', [
      investors(),
      lp('rec_a', {
        fld_name: 'Alpine Pension Fund',
        fld_email: 'ir@alpine.example',
        fld_city: 'Zürich',
        fld_tags: ['Pension', 'Family'],
        fld_size: 5_000_000,
      }),
    ]);
    expect(entries(p)).toEqual([
      { record_id: 'rec_a', field_id: 'fld_city', archived: 0, text: 'Zürich' },
      { record_id: 'rec_a', field_id: 'fld_email', archived: 0, text: 'ir@alpine.example' },
      { record_id: 'rec_a', field_id: 'fld_name', archived: 0, text: 'Alpine Pension Fund' },
      { record_id: 'rec_a', field_id: 'fld_tags', archived: 0, text: 'Pension, Family' },
    ]);
  });

  it('finds by part of a name, an email or a choice, without caring for case or accents', async () => {
    p = await givenEvents('search', [
      investors(),
      lp('rec_a', { fld_name: 'Alpine Pension Fund', fld_city: 'Zürich' }),
      lp('rec_b', { fld_name: 'Birch Family Office', fld_email: 'Jane.Doe@birch.example' }),
      lp('rec_c', { fld_name: 'Cedar Endowment', fld_city: 'Genève' }),
    ]);
    expect(ids(p, 'zurich')).toEqual(['rec_a']);
    expect(ids(p, 'ZÜRICH')).toEqual(['rec_a']);
    expect(ids(p, 'geneve')).toEqual(['rec_c']);
    expect(ids(p, 'pension')).toEqual(['rec_a']);
    expect(ids(p, 'jane.doe')).toEqual(['rec_b']);
    expect(ids(p, 'fund office')).toEqual([]);
    expect(ids(p, 'birch office')).toEqual(['rec_b']);
    const [hit] = find(p, 'doe@bir');
    expect(hit).toEqual({
      table_id: 'tbl_inv',
      record_id: 'rec_b',
      field_id: 'fld_email',
      snippet: 'Jane.Doe@birch.example',
      score: 0,
      title: 'Birch Family Office',
      table_name: 'Investors',
    });
  });

  it('matches a query of two characters at the start of a word, a cell start first; one character at the start of a cell', async () => {
    p = await givenEvents('search', [
      investors(),
      lp('rec_a', { fld_name: 'Alpine Pension Fund' }),
      lp('rec_b', { fld_name: 'Big Alpha Partners' }),
      lp('rec_c', { fld_name: 'Jenny Wu', fld_email: 'jenny.wu@wu-capital.example' }),
    ]);
    expect(ids(p, 'al')).toEqual(['rec_a', 'rec_b']);
    expect(ids(p, 'wu')).toEqual(['rec_c']);
    // Inside a word, two characters find nothing (they would find nearly everything).
    expect(ids(p, 'lp')).toEqual([]);
    expect(ids(p, 'a')).toEqual(['rec_a']);
    expect(ids(p, 'alp').sort()).toEqual(['rec_a', 'rec_b']);
  });

  it('ranks a primary-field match first, then a match at the start of the text', async () => {
    p = await givenEvents('search', [
      investors(),
      lp('rec_notes', { fld_name: 'Cedar', fld_notes: 'Met the Oak team in Basel' }),
      lp('rec_middle', { fld_name: 'Red Oak Capital' }),
      lp('rec_start', { fld_name: 'Oakwood Trust' }),
    ]);
    expect(find(p, 'oak').map((r) => [r.record_id, r.score])).toEqual([
      ['rec_start', 3],
      ['rec_middle', 2],
      ['rec_notes', 0],
    ]);
  });

  it('leaves archived records out unless asked, and follows edits, archive and restore', async () => {
    p = await givenEvents('search', [
      investors(),
      lp('rec_a', { fld_name: 'Alpine Pension Fund' }),
      recordUpdated('tbl_inv', 'rec_a', [
        { field_id: 'fld_name', from: 'Alpine Pension Fund', to: 'Alpenglow Trust' },
      ] as never),
      recordArchived('tbl_inv', 'rec_a'),
    ]);
    expect(ids(p, 'pension')).toEqual([]);
    expect(ids(p, 'alpenglow')).toEqual([]);
    expect(ids(p, 'alpenglow', { archived: true })).toEqual(['rec_a']);
    await p.append(recordUnarchived('tbl_inv', 'rec_a'));
    expect(ids(p, 'alpenglow')).toEqual(['rec_a']);
    await expectSameAsReplay(p);
  });

  it('drops a removed field and indexes a retyped one again, as a replay does', async () => {
    p = await givenEvents('search', [
      investors(),
      lp('rec_a', { fld_name: 'Alpine', fld_notes: 'likes infrastructure', fld_size: 12345 }),
      lp('rec_b', { fld_name: 'Birch', fld_notes: 'infrastructure only' }, 2),
      recordArchived('tbl_inv', 'rec_b'),
      fieldRemoved('tbl_inv', NOTES),
      fieldRetyped('tbl_inv', 'fld_size', { type: 'number' }, { type: 'text' }),
      recordUpdated('tbl_inv', 'rec_a', [
        { field_id: 'fld_size', from: 12345, to: 'large ticket' },
      ] as never),
    ]);
    expect(ids(p, 'infrastructure', { archived: true })).toEqual([]);
    expect(ids(p, 'ticket')).toEqual(['rec_a']);
    await expectSameAsReplay(p);
    expect(ids(p, 'ticket')).toEqual(['rec_a']);
  });
});
