import type { CellValue, FieldDefinition } from '@crm/events';

/** A contact as the quick log offers it. */
export interface ContactOption {
  id: string;
  name: string;
}

interface ContactsTable {
  role: string | null;
  primary_field_id: string;
  fields: FieldDefinition[];
}

/**
 * The contacts whose Investor link holds the investor, by name: read from whichever copy of the
 * base the page has (the grid's rows, or the state loaded for My day), through `cell`.
 */
export function contactsOf<R extends { id: string }>(
  table: ContactsTable | undefined,
  rows: Iterable<R>,
  cell: (row: R, fieldId: string) => CellValue | undefined,
  investorId: string,
): ContactOption[] {
  const link = table?.fields.find((f) => f.role === 'contact.investor');
  if (!table || table.role !== 'contacts' || !link) return [];
  const found: ContactOption[] = [];
  for (const row of rows) {
    const linked = cell(row, link.id);
    if (!Array.isArray(linked) || !(linked as unknown[]).includes(investorId)) continue;
    const name = cell(row, table.primary_field_id);
    found.push({
      id: row.id,
      name: typeof name === 'string' && name.trim() ? name : 'Unnamed contact',
    });
  }
  return found.sort((a, b) => a.name.localeCompare(b.name));
}
