/**
 * The period of the funnel's conversion, as the dashboard's address keeps it: `period=last30`,
 * `quarter`, `year` or `custom` with `from` and `to` dates (no `period` means the last 90 days, the
 * API's own default). A link with these reproduces the same period.
 */
export type PeriodPreset = 'last30' | 'last90' | 'quarter' | 'year' | 'custom';

export const PERIOD_PRESETS: { value: PeriodPreset; label: string }[] = [
  { value: 'last30', label: 'Last 30 days' },
  { value: 'last90', label: 'Last 90 days' },
  { value: 'quarter', label: 'This quarter' },
  { value: 'year', label: 'This year' },
  { value: 'custom', label: 'Custom dates' },
];

export interface PeriodChoice {
  preset: PeriodPreset;
  /** Dates (YYYY-MM-DD) of a custom period, else empty. */
  from: string;
  to: string;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DAY = 86_400_000;

/** The choice an address holds; anything it cannot read is the default. */
export function periodFromQuery(query: Record<string, unknown>): PeriodChoice {
  const preset = PERIOD_PRESETS.find((p) => p.value === query.period)?.value ?? 'last90';
  if (preset !== 'custom') return { preset, from: '', to: '' };
  const date = (v: unknown) => (typeof v === 'string' && DATE.test(v) ? v : '');
  return { preset, from: date(query.from), to: date(query.to) };
}

/** The address's part for a choice: keys set to undefined are dropped from it. */
export function periodToQuery(c: PeriodChoice): Record<string, string | undefined> {
  const custom = c.preset === 'custom';
  return {
    period: c.preset === 'last90' ? undefined : c.preset,
    from: custom && c.from ? c.from : undefined,
    to: custom && c.to ? c.to : undefined,
  };
}

/**
 * The `from`/`to` the API takes for a choice, counted back from `ref` (now, or the end of the
 * as-of day) in the reader's zone; an open end is left to the API (the moment read).
 */
export function periodRange(c: PeriodChoice, ref: Date): { from?: string; to?: string } {
  switch (c.preset) {
    case 'last30':
      return { from: new Date(ref.getTime() - 30 * DAY).toISOString() };
    case 'last90':
      return {};
    case 'quarter': {
      const month = Math.floor(ref.getMonth() / 3) * 3;
      return { from: new Date(ref.getFullYear(), month, 1).toISOString() };
    }
    case 'year':
      return { from: new Date(ref.getFullYear(), 0, 1).toISOString() };
    case 'custom':
      return {
        from: c.from ? new Date(`${c.from}T00:00:00`).toISOString() : undefined,
        to: c.to ? new Date(`${c.to}T23:59:59.999`).toISOString() : undefined,
      };
  }
}

/** A timestamp's local date (YYYY-MM-DD), to fill the custom dates from the period shown. */
export function localDate(iso: string): string {
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}
