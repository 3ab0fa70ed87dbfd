import { givenColumn } from '../../testing/given-column';
import { inferAttachments, inferCheckbox, inferContacts, inferSelects } from './infer-kinds.step';

describe('the other steps of inferColumn', () => {
  it('given `checked` and empty cells, is a checkbox, every row being evidence', () => {
    const r = inferCheckbox(givenColumn('Anchor', ['checked', '', '', 'checked', '']));
    expect(r).toMatchObject({ inferred_type: 'checkbox', confidence: 1 });
  });

  it('given Airtable attachments, keeps names and addresses', () => {
    const r = inferAttachments(givenColumn('Deck', ['deck.pdf (https://x.io/deck.pdf)']));
    expect(r?.inferred_type).toBe('attachment');
  });

  it('given emails, web addresses or phone numbers, is each', () => {
    expect(inferContacts(givenColumn('Email', ['a@x.io', 'b@y.io']))?.inferred_type).toBe('email');
    expect(inferContacts(givenColumn('Site', ['www.x.io', 'https://y.io/a']))?.inferred_type).toBe(
      'url',
    );
    expect(
      inferContacts(givenColumn('Phone', ['+1 555 123 4567', '044 123 45 67']))?.inferred_type,
    ).toBe('phone');
    expect(inferContacts(givenColumn('Name', ['Acme', 'Beta']))).toBeNull();
  });

  it('given a small vocabulary that repeats, is a single select', () => {
    const r = inferSelects(givenColumn('Stage', ['Lead', 'Engaged', 'Lead', 'Engaged']));
    expect(r?.inferred_type).toBe('single_select');
  });

  it('given comma-joined items that repeat, is a multiple select', () => {
    const values = ['ESG, Anchor', 'Anchor', 'ESG', 'Re-up, ESG', 'Anchor, Re-up', 'ESG'];
    expect(inferSelects(givenColumn('Tags', values))?.inferred_type).toBe('multiple_select');
  });

  it('given names that never repeat, is not a select', () => {
    expect(inferSelects(givenColumn('Name', ['Acme', 'Beta', 'Gamma', 'Delta']))).toBeNull();
  });
});
