import { type CreateTable, type FieldInput } from '../table/decide/create-table.decide';
import { type SaveView } from '../view/decide/save-view.decide';

export const INVESTOR_TYPES = [
  'Family office',
  'Endowment',
  'Foundation',
  'Pension',
  'Fund of funds',
  'Corporate',
  'HNWI',
  'RIA',
  'Other',
];
export const PIPELINE_STAGES = ['Lead', 'Engaged', 'Diligence', 'Committed', 'Passed'];
export const INVESTOR_STATUSES = ['Active', 'On hold', 'Closed'];
export const FUND_STATUSES = ['Planned', 'Fundraising', 'Closed'];
export const COMMITMENT_STATUSES = ['Soft', 'Hard', 'Signed', 'Funded', 'Withdrawn'];

const choices = (names: string[]) => ({ choices: names.map((name) => ({ name })) });

/** Table roles, so that projections find "the investors table" whatever people rename it to. */
export const TABLE_ROLES = {
  investors: 'investors',
  contacts: 'contacts',
  funds: 'funds',
  commitments: 'commitments',
} as const;

/**
 * The base every fund starts with. Ids come from the caller (the API generates them), so that this
 * stays pure; each field's role key is how projections and later features find it.
 */
// eslint-disable-next-line max-lines-per-function -- a data table: the four tables' fields and the starting views, in id order
export function defaultFundraisingBase(newId: (prefix: 'tbl' | 'fld' | 'viw') => string): {
  tables: CreateTable[];
  views: SaveView[];
} {
  const investors = newId('tbl');
  const contacts = newId('tbl');
  const funds = newId('tbl');
  const commitments = newId('tbl');
  const f = (
    role: string,
    name: string,
    type: string,
    options: Record<string, unknown> = {},
  ): FieldInput => ({ id: newId('fld'), name, type, options, role });
  const commitmentFund = f('commitment.fund', 'Fund', 'link', { table_id: funds });
  const fundCurrency = f(
    'fund.currency',
    'Currency',
    'single_select',
    choices(['USD', 'EUR', 'GBP', 'CHF', 'JPY']),
  );
  const tables: CreateTable[] = [
    {
      table_id: investors,
      name: 'Investors',
      role: TABLE_ROLES.investors,
      fields: [
        f('investor.name', 'Name', 'text'),
        f('investor.type', 'Type', 'single_select', choices(INVESTOR_TYPES)),
        f('investor.status', 'Status', 'single_select', choices(INVESTOR_STATUSES)),
        f('investor.stage', 'Pipeline stage', 'single_select', choices(PIPELINE_STAGES)),
        f('investor.owner', 'Owner', 'user'),
        f('investor.target_commitment', 'Target commitment', 'currency', {
          symbol: '$',
          precision: 0,
        }),
        f('investor.committed_amount', 'Committed amount', 'currency', {
          symbol: '$',
          precision: 0,
        }),
        f('investor.last_contacted', 'Last contacted', 'date'),
        f('investor.next_step', 'Next step', 'text'),
        f('investor.website', 'Website', 'url'),
        f(
          'investor.tags',
          'Tags',
          'multiple_select',
          choices(['Warm intro', 'Re-up', 'First close', 'Anchor', 'ESG']),
        ),
        f('investor.notes', 'Notes', 'long_text'),
      ],
    },
    {
      table_id: funds,
      name: 'Funds',
      role: TABLE_ROLES.funds,
      fields: [
        f('fund.name', 'Name', 'text'),
        // A year: 2026, not 2,026.
        f('fund.vintage', 'Vintage', 'number', { precision: 0, thousands_separator: false }),
        // Before the amounts in it (a field's options name only the fields before it).
        fundCurrency,
        // In the fund's own currency (dollars while it names none).
        f('fund.target_size', 'Target size', 'currency', {
          currency: 'USD',
          currency_from: fundCurrency.id,
          precision: 0,
        }),
        f('fund.status', 'Status', 'single_select', choices(FUND_STATUSES)),
      ],
    },
    {
      table_id: contacts,
      name: 'Contacts',
      role: TABLE_ROLES.contacts,
      fields: [
        f('contact.name', 'Name', 'text'),
        f('contact.email', 'Email', 'email'),
        f('contact.phone', 'Phone', 'phone'),
        f('contact.title', 'Title', 'text'),
        f('contact.investor', 'Investor', 'link', { table_id: investors }),
        f('contact.notes', 'Notes', 'long_text'),
      ],
    },
    {
      table_id: commitments,
      name: 'Commitments',
      role: TABLE_ROLES.commitments,
      fields: [
        f('commitment.name', 'Name', 'text'),
        f('commitment.investor', 'Investor', 'link', { table_id: investors }),
        commitmentFund,
        // In its fund's currency (dollars while it has no fund).
        f('commitment.amount', 'Amount', 'currency', {
          currency: 'USD',
          currency_from: commitmentFund.id,
          precision: 0,
        }),
        f('commitment.date', 'Date', 'date'),
        f('commitment.status', 'Status', 'single_select', choices(COMMITMENT_STATUSES)),
      ],
    },
  ];
  const views: SaveView[] = tables.map((t) => ({
    view_id: newId('viw'),
    table_id: t.table_id,
    name: 'Grid view',
    config: { default: true, field_order: t.fields.map((x) => x.id), field_widths: {} },
  }));
  return { tables, views };
}
