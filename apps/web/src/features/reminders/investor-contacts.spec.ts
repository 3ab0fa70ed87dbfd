import { describe, expect, it } from '@jest/globals';
import type { FieldDefinition } from '@crm/events';
import { contactsOf } from './investor-contacts';

const field = (id: string, type: string, role: string | null): FieldDefinition =>
  ({ id, name: id, type, options: {}, role }) as FieldDefinition;

const contacts = {
  role: 'contacts',
  primary_field_id: 'fld_name',
  fields: [field('fld_name', 'text', 'contact.name'), field('fld_inv', 'link', 'contact.investor')],
};
const rows = [
  { id: 'rec_zoe', values: { fld_name: 'Zoe', fld_inv: ['rec_harbor'] } },
  { id: 'rec_ada', values: { fld_name: 'Ada', fld_inv: ['rec_pier', 'rec_harbor'] } },
  { id: 'rec_bo', values: { fld_name: 'Bo', fld_inv: ['rec_pier'] } },
  { id: 'rec_none', values: { fld_name: '', fld_inv: ['rec_harbor'] } },
];
const cell = (r: (typeof rows)[number], f: string) =>
  (r.values as Record<string, unknown>)[f] as never;

describe('an investor’s contacts for the quick log', () => {
  it('given contacts linked to several investors, when asked for one, then those linked to it by name', () => {
    expect(contactsOf(contacts, rows, cell, 'rec_harbor')).toEqual([
      { id: 'rec_ada', name: 'Ada' },
      { id: 'rec_none', name: 'Unnamed contact' },
      { id: 'rec_zoe', name: 'Zoe' },
    ]);
  });

  it('given a table that is not the contacts table, or has no Investor link, then none', () => {
    expect(contactsOf({ ...contacts, role: 'funds' }, rows, cell, 'rec_harbor')).toEqual([]);
    expect(
      contactsOf({ ...contacts, fields: [contacts.fields[0]] }, rows, cell, 'rec_harbor'),
    ).toEqual([]);
    expect(contactsOf(undefined, rows, cell, 'rec_harbor')).toEqual([]);
  });
});
