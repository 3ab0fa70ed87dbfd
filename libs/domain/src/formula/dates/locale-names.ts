/** Month and weekday names per locale. English is fixed (the same in every runtime); others come from Intl. */

export interface LocaleNames {
  months: string[];
  monthsShort: string[];
  weekdays: string[];
  weekdaysShort: string[];
  weekdaysMin: string[];
}

const EN: LocaleNames = {
  months: [
    'January',
    'February',
    'March',
    'April',
    'May',
    'June',
    'July',
    'August',
    'September',
    'October',
    'November',
    'December',
  ],
  monthsShort: ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'],
  weekdays: ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'],
  weekdaysShort: ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'],
  weekdaysMin: ['Su', 'Mo', 'Tu', 'We', 'Th', 'Fr', 'Sa'],
};

const cache = new Map<string, LocaleNames>();

export const isEnglish = (locale: string | null | undefined): boolean =>
  !locale || /^en(-|$)/i.test(locale);

/** The locale's canonical tag, or null when Intl does not know it. */
export function canonicalLocale(locale: string): string | null {
  if (typeof locale !== 'string' || locale.length === 0 || locale.length > 35) return null;
  try {
    const [tag] = Intl.getCanonicalLocales(locale);
    return Intl.DateTimeFormat.supportedLocalesOf([tag]).length ? tag : null;
  } catch {
    return null;
  }
}

export function namesFor(locale: string | null | undefined): LocaleNames {
  if (isEnglish(locale)) return EN;
  const key = locale!;
  let names = cache.get(key);
  if (!names) {
    const fmt = (o: Intl.DateTimeFormatOptions) =>
      new Intl.DateTimeFormat(key, { ...o, timeZone: 'UTC' });
    const long = fmt({ month: 'long' });
    const short = fmt({ month: 'short' });
    const wd = fmt({ weekday: 'long' });
    const wds = fmt({ weekday: 'short' });
    const wdn = fmt({ weekday: 'narrow' });
    // 2017-01-01 was a Sunday.
    names = {
      months: Array.from({ length: 12 }, (_, m) => long.format(Date.UTC(2017, m, 15))),
      monthsShort: Array.from({ length: 12 }, (_, m) => short.format(Date.UTC(2017, m, 15))),
      weekdays: Array.from({ length: 7 }, (_, d) => wd.format(Date.UTC(2017, 0, 1 + d))),
      weekdaysShort: Array.from({ length: 7 }, (_, d) => wds.format(Date.UTC(2017, 0, 1 + d))),
      weekdaysMin: Array.from({ length: 7 }, (_, d) => wdn.format(Date.UTC(2017, 0, 1 + d))),
    };
    if (cache.size > 100) cache.clear();
    cache.set(key, names);
  }
  return names;
}
