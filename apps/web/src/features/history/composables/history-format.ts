/** Shared wording for history entries: times, values and where a change came from. */

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [['year', 31536000], ['month', 2592000], ['day', 86400], ['hour', 3600], ['minute', 60]];
const rtf = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });

export function relativeTime(iso: string, now = Date.now()): string {
  const secs = (new Date(iso).getTime() - now) / 1000;
  for (const [unit, size] of UNITS) if (Math.abs(secs) >= size) return rtf.format(Math.round(secs / size), unit);
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
