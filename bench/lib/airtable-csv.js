'use strict';
/**
 * Airtable-style CSV for the import benchmark: the way Airtable exports an investor list (currency
 * with separators, `checked` boxes, M/D/YYYY dates, comma-joined multiple selects with Airtable's
 * quoting, quoted newlines in notes, names with commas). Deterministic for a given row count.
 */

const TYPES = [
  'Family office',
  'Endowment',
  'Foundation',
  'Pension',
  'Fund of funds',
  'Corporate',
  'HNWI',
  'RIA',
];
const STAGES = ['Lead', 'Engaged', 'Diligence', 'Committed', 'Passed'];
const TAGS = ['Warm intro', 'Re-up', 'First close', 'Anchor', 'ESG', 'Special, terms'];
const OWNERS = ['Ada Lovelace', 'Grace Hopper', 'Katherine Johnson', 'Mary Jackson'];

const HEADER = [
  'Name',
  'Type',
  'Pipeline stage',
  'Owner',
  'Target commitment',
  'Anchor LP',
  'Last contacted',
  'Website',
  'Email',
  'Phone',
  'Tags',
  'Notes',
  'Days since contact',
];

/** RFC 4180 quoting, as Airtable does it: only when needed. */
const q = (s) => (/[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
const atList = (items) =>
  items.map((x) => (/[",]/.test(x) ? `"${x.replace(/"/g, '""')}"` : x)).join(',');
// Whole dollars with separators, as Airtable writes a currency field (toLocaleString is slow at 100,000 rows).
const money = (n) => `$${String(Math.round(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.00`;

function row(n) {
  const name = n % 10 === 0 ? `Investor ${n}, LLC` : `Investor ${n}`;
  const tags = [TAGS[n % TAGS.length], ...(n % 3 === 0 ? [TAGS[(n + 2) % TAGS.length]] : [])];
  const month = (n % 12) + 1;
  const day = (n % 28) + 1;
  return [
    name,
    TYPES[n % TYPES.length],
    STAGES[n % STAGES.length],
    OWNERS[n % OWNERS.length],
    money(1_000_000 + (n % 40) * 250_000),
    n % 4 === 0 ? 'checked' : '',
    n % 9 === 0 ? '' : `${month}/${day}/2025`,
    `https://investor${n}.example.com`,
    `ir${n}@investor${n}.example.com`,
    `+1 555 ${String(n % 1000).padStart(3, '0')} ${String(n % 10000).padStart(4, '0')}`,
    atList(tags),
    n % 5 === 0
      ? `Met at the annual meeting.\nFollow up on fund ${n % 4}, "soon".`
      : `Intro via ${OWNERS[(n + 1) % OWNERS.length]}`,
    String(n % 400),
  ]
    .map(q)
    .join(',');
}

/** The file as a Buffer (UTF-8, LF line ends like Airtable's download). */
function airtableCsv(rows, { from = 0, changed = () => false } = {}) {
  const lines = [HEADER.join(',')];
  for (let n = from; n < from + rows; n++) {
    let line = row(n);
    if (changed(n))
      line = line.replace(/,(Lead|Engaged|Diligence|Committed|Passed),/, ',Committed,');
    lines.push(line);
  }
  return Buffer.from(`${lines.join('\n')}\n`, 'utf8');
}

module.exports = { airtableCsv, HEADER };
