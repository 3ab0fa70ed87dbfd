/** Shared wording for history entries: times, values and where a change came from. */
import type { CellValue, FieldDefinition } from '@crm/events';
import { formatDisplay } from '../../fundraising/composables/cell-codec';

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 31536000],
  ['month', 2592000],
  ['day', 86400],
  ['hour', 3600],
  ['minute', 60],
];
const rtf = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });

export function relativeTime(iso: string, now = Date.now()): string {
  const secs = (new Date(iso).getTime() - now) / 1000;
  for (const [unit, size] of UNITS)
    if (Math.abs(secs) >= size) return rtf.format(Math.round(secs / size), unit);
  return 'just now';
}

export const absoluteTime = (iso: string) => new Date(iso).toLocaleString();

export function formatValue(v: unknown): string {
  if (v === null || v === undefined || v === '') return '—';
  if (Array.isArray(v)) return v.length ? v.map((x) => formatValue(x)).join(', ') : '—';
  if (typeof v === 'boolean') return v ? 'Yes' : 'No';
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if (typeof o.name === 'string') return o.name;
    return JSON.stringify(v);
  }
  return String(v);
}

/** What a page of history says about its values: their fields, and the names of the records they link to. */
export interface ValueSource {
  fields?: Record<string, FieldDefinition>;
  names?: Record<string, string>;
}

/** Adds a page's fields and names to those already known (pages of one list share them). */
export function mergeSource(into: Required<ValueSource>, page: ValueSource): void {
  Object.assign(into.fields, page.fields ?? {});
  Object.assign(into.names, page.names ?? {});
}

/**
 * A value of a history entry as the grid shows it in its field ($10,000,000, a date, the names of
 * linked records), with the grid's own formatter. A field the page does not describe shows raw.
 */
export function showValue(
  source: ValueSource,
  fieldId: string,
  value: unknown,
  actorName: (id: string) => string = (id) => id,
): string {
  const field = source.fields?.[fieldId];
  if (!field) return formatValue(value);
  if (field.type === 'checkbox') return value === true ? '✓' : '—';
  const text = formatDisplay(field, value as CellValue, {
    recordName: (id) => source.names?.[id],
    findByName: () => [],
    actorName,
  });
  return text === '' ? '—' : text;
}

/** Record changes hold cell values; schema changes hold names and types, shown as they are. */
export const holdsCellValues = (kind: string) =>
  kind === 'record_created' || kind === 'record_updated';

/** A batch's line, with a restore's moment in the reader's own time zone. */
export function batchSummary(e: {
  summary: string;
  batch: { kind: string; restored_to: string | null; detail: string } | null;
}): string {
  const b = e.batch;
  if (b?.kind !== 'restore' || !b.restored_to) return e.summary;
  return `restored the base to ${absoluteTime(b.restored_to)}${b.detail ? ` (${b.detail})` : ''}`;
}

/** The badge shown for a source; anything unknown reads as the API. */
export function sourceBadge(source: string): 'grid' | 'import' | 'restore' | 'undo' | 'api' {
  const s = (source || '').toLowerCase();
  if (s.includes('import')) return 'import';
  if (s.includes('restore') || s.includes('rollback')) return 'restore';
  if (s.includes('undo') || s.includes('redo')) return 'undo';
  if (s === 'grid' || s === 'drawer' || s === 'paste' || s === 'fill' || s === 'web') return 'grid';
  return 'api';
}

/** ISO string for a datetime-local value, which is in the browser's time zone. */
export function localInputToIso(value: string): string {
  return new Date(value).toISOString();
}

export function isoToLocalInput(iso: string): string {
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}
