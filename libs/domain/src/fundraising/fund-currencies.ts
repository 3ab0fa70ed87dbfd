import { type FieldDefinition } from '@crm/events';
import { currencyFieldOf } from '../values/amount-currency';
import { type RetypeField } from '../table/decide/retype-field.decide';
import { type TableState } from '../table/table.state';
import { TABLE_ROLES } from './default-base';

/**
 * The amounts of a base from before currencies followed the fund, given the currency they should
 * follow: each commitment's Amount its fund's (the commitments' one link to the funds), each fund's
 * own amounts (Target size) its Currency. As field option changes, the ones a person would make in
 * the field's settings. A field that once had `currency_from` (`hadCurrencyFrom`) was set by its
 * people since and is left as they left it; so is a base without those tables or fields.
 */
export function fundCurrencyRetypes(
  tables: readonly TableState[],
  hadCurrencyFrom: (tableId: string, fieldId: string) => boolean,
): RetypeField[] {
  const funds = tables.find((t) => t.role === TABLE_ROLES.funds);
  const holder = funds && currencyFieldOf(funds.fields);
  if (!funds || !holder) return [];
  const retype = (table: TableState, field: FieldDefinition, from: string): RetypeField[] =>
    field.type === 'currency' &&
    !field.options.currency_from &&
    !hadCurrencyFrom(table.id, field.id)
      ? [
          {
            field_id: field.id,
            type: 'currency',
            options: { ...field.options, currency_from: from },
          },
        ]
      : [];
  const out = funds.fields.flatMap((f) => retype(funds, f, holder.id));
  const commitments = tables.find((t) => t.role === TABLE_ROLES.commitments);
  const links = (commitments?.fields ?? []).filter(
    (f) => f.type === 'link' && f.options.table_id === funds.id,
  );
  const amount = commitments?.fields.find(
    (f) => f.role === 'commitment.amount' || (!f.role && f.name.trim().toLowerCase() === 'amount'),
  );
  if (commitments && amount && links.length === 1)
    out.push(...retype(commitments, amount, links[0].id));
  return out;
}
