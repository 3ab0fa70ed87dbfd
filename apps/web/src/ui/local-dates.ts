/**
 * Dates in the reader's locale and zone (the dashboard, reminders). A calendar day (a commitment's date, a
 * reminder's due day) has no zone: it is written as that day wherever the reader is.
 */
const dayFormats = new Map<string, Intl.DateTimeFormat>();
function dayFormat(locale: string | undefined, short: boolean, timeZone?: string) {
  const key = `${locale ?? ''}|${short}|${timeZone ?? ''}`;
  let f = dayFormats.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(locale, {
      day: 'numeric',
      month: 'short',
      year: short ? '2-digit' : 'numeric',
      timeZone,
    });
    dayFormats.set(key, f);
  }
  return f;
}

/** A calendar day (YYYY-MM-DD) as the reader writes it: "1 Mar 2026", "1. März 2026", "Mar 1, 2026". */
export function dayText(day: string, locale?: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return day;
  return dayFormat(locale, false, 'UTC').format(new Date(`${day}T00:00:00Z`));
}

/** A time axis's tick (a local instant, as the chart draws days) as a short local date. */
export function tickText(ms: number, locale?: string): string {
  return dayFormat(locale, true).format(new Date(ms));
}
