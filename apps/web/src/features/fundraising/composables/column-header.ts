import type { FieldDefinition } from '@crm/events';

/** A small glyph per field type, shown before the column's name. */
const TYPE_ICON: Record<string, string> = {
  text: 'A',
  long_text: '¶',
  number: '#',
  currency: '$',
  percent: '%',
  date: '▦',
  date_time: '◷',
  checkbox: '☑',
  single_select: '▾',
  multiple_select: '≡',
  email: '@',
  url: '↗',
  phone: '☎',
  link: '⇄',
  created_time: '◷',
  last_modified_time: '◷',
  created_by: '☺',
  last_modified_by: '☺',
  attachment: '⎘',
  user: '☻',
  formula: 'ƒ',
  lookup: '↳',
  rollup: 'Σ',
  count: '№',
  follow_up: '⚑',
  // Not a field type: the Investors' Lists column.
  lists: '☰',
};

/** The column header's HTML: type glyph and escaped name, with the type in the tooltip. */
export function headerHtml(f: FieldDefinition, primary: boolean): string {
  const name = f.name.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );
  return `<span class="col-head${primary ? ' col-head--primary' : ''}" title="${name} (${f.type.replace('_', ' ')})"><span class="col-head__icon">${TYPE_ICON[f.type] ?? '·'}</span><span class="col-head__name">${name}</span></span>`;
}
