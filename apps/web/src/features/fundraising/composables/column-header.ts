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
  // The glyph is drawn, not read: the header's accessible name (headerLabel) names the type.
  return `<span class="col-head${primary ? ' col-head--primary' : ''}" title="${name} (${typeName(f)})"><span class="col-head__icon" aria-hidden="true">${TYPE_ICON[f.type] ?? '·'}</span><span class="col-head__name">${name}</span></span>`;
}

const typeName = (f: FieldDefinition): string => f.type.replace(/_/g, ' ');

/** What a screen reader says for a column header: "Target commitment, currency field". */
export function headerLabel(f: FieldDefinition): string {
  return (f.type as string) === 'lists' ? f.name : `${f.name}, ${typeName(f)} field`;
}
