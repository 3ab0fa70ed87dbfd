import { weekNumber } from '../dates/date-math';
import { parseDateText } from '../dates/date-parse';
import { partsOf } from '../dates/time-zones';
import { FDate, type FValue, type Node } from '../types';
import { date, define, fail, type FunctionSpec, int, params, text } from './function-spec';

/** The calendar: parts of a date (year to second, weekday, week), and working days. */

export const DAY = 86_400_000;

const checkStartDay = (index: number) => (args: Node[]) => {
  const a = args[index];
  if (a && a.kind === 'string' && !/^(sunday|monday)$/i.test(a.value))
    return { message: `the week starts on "Sunday" or "Monday", not "${a.value}"`, arg: index };
  return null;
};

const startsMonday = (v: FValue | undefined, fn: string): boolean => {
  if (v === undefined || v === null || v === '') return false;
  const s = text(v).trim().toLowerCase();
  if (s === 'monday') return true;
  if (s === 'sunday') return false;
  return fail(`${fn}: the week starts on "Sunday" or "Monday"`);
};

/** A day number (days since the epoch) of a date on the UTC calendar. */
export const dayNumber = (ms: number) => Math.floor(ms / DAY);
const isWeekend = (day: number) => {
  const wd = (((day + 4) % 7) + 7) % 7; // day 0 (1970-01-01) was a Thursday
  return wd === 0 || wd === 6;
};

function holidaysOf(v: FValue | undefined): Set<number> {
  const out = new Set<number>();
  if (v === undefined || v === null) return out;
  const items = Array.isArray(v) ? v.map(text) : text(v).split(',');
  for (const raw of items) {
    const s = raw.trim();
    if (!s) continue;
    const ms = parseDateText(s);
    if (ms === null) fail(`"${s.slice(0, 30)}" in the holidays is not a date`);
    out.add(dayNumber(ms!));
  }
  return out;
}

/** Weekdays from day a to day b inclusive (a ≤ b), in constant time. */
function weekdaysBetween(a: number, b: number): number {
  const days = b - a + 1;
  const weeks = Math.floor(days / 7);
  let n = weeks * 5;
  for (let d = a + weeks * 7; d <= b; d++) if (!isWeekend(d)) n++;
  return n;
}

const dateOf = (v: FValue, fn: string) => date(v, fn);

function parts(v: FValue, fn: string) {
  const d = dateOf(v, fn);
  return partsOf(d.ms, d.tz);
}

export const CALENDAR_FUNCTIONS: FunctionSpec[] = [
  define({
    name: 'DAY',
    category: 'Date and time',
    syntax: 'DAY(date)',
    description: 'The day of the month (1–31).',
    example: 'DAY("02/17/2013 7:31pm") => 17',
    min: 1,
    max: 1,
    param: params('date'),
    returns: 'number',
    call: ([d]) => parts(d, 'DAY').day,
  }),
  define({
    name: 'HOUR',
    category: 'Date and time',
    syntax: 'HOUR(datetime)',
    description: 'The hour (0–23).',
    example: 'HOUR("4 March 2017 7:00") => 7',
    min: 1,
    max: 1,
    param: params('date'),
    returns: 'number',
    call: ([d]) => parts(d, 'HOUR').hour,
  }),
  define({
    name: 'MINUTE',
    category: 'Date and time',
    syntax: 'MINUTE(datetime)',
    description: 'The minute (0–59).',
    example: 'MINUTE("02/17/2013 7:31pm") => 31',
    min: 1,
    max: 1,
    param: params('date'),
    returns: 'number',
    call: ([d]) => parts(d, 'MINUTE').minute,
  }),
  define({
    name: 'MONTH',
    category: 'Date and time',
    syntax: 'MONTH(date)',
    description: 'The month (1–12).',
    example: 'MONTH("02/17/2013 7:31pm") => 2',
    min: 1,
    max: 1,
    param: params('date'),
    returns: 'number',
    call: ([d]) => parts(d, 'MONTH').month,
  }),
  define({
    name: 'SECOND',
    category: 'Date and time',
    syntax: 'SECOND(datetime)',
    description: 'The second (0–59).',
    example: 'SECOND("02/17/2013 7:31:25pm") => 25',
    min: 1,
    max: 1,
    param: params('date'),
    returns: 'number',
    call: ([d]) => parts(d, 'SECOND').second,
  }),
  define({
    name: 'WEEKDAY',
    category: 'Date and time',
    syntax: 'WEEKDAY(date, [startDayOfWeek])',
    description: 'The day of the week, 0–6, from Sunday (or from Monday).',
    example: 'WEEKDAY("2021-06-09") => 3',
    min: 1,
    max: 2,
    param: params('date', 'text'),
    returns: 'number',
    check: checkStartDay(1),
    call: ([d, s]) => {
      const p = parts(d, 'WEEKDAY');
      return startsMonday(s, 'WEEKDAY') ? (p.weekday + 6) % 7 : p.weekday;
    },
  }),
  define({
    name: 'WEEKNUM',
    category: 'Date and time',
    syntax: 'WEEKNUM(date, [startDayOfWeek])',
    description: 'The week of the year, weeks starting on Sunday (or Monday).',
    example: 'WEEKNUM("02/17/2013") => 8',
    min: 1,
    max: 2,
    param: params('date', 'text'),
    returns: 'number',
    check: checkStartDay(1),
    call: ([d, s]) => weekNumber(parts(d, 'WEEKNUM'), startsMonday(s, 'WEEKNUM')),
  }),
  define({
    name: 'WORKDAY',
    category: 'Date and time',
    syntax: 'WORKDAY(startDate, numDays, [holidays])',
    description: 'The date numDays working days (Monday–Friday, not holidays) from startDate.',
    example: "WORKDAY('10/16/20', 10) => 2020-10-30",
    min: 2,
    max: 3,
    param: params('date', 'number', 'text'),
    returns: 'date',
    call: ([d, n, h], ctx) => {
      let day = dayNumber(dateOf(d, 'WORKDAY').ms);
      let left = int(n ?? 0, 'WORKDAY numDays');
      if (Math.abs(left) > 100_000) fail('WORKDAY: numDays is at most 100000');
      const holidays = holidaysOf(h);
      const step = left < 0 ? -1 : 1;
      ctx.spend(Math.abs(left) / 4);
      while (left !== 0) {
        day += step;
        if (!isWeekend(day) && !holidays.has(day)) left -= step;
      }
      return new FDate(day * DAY);
    },
  }),
  define({
    name: 'WORKDAY_DIFF',
    category: 'Date and time',
    syntax: 'WORKDAY_DIFF(startDate, endDate, [holidays])',
    description:
      'Working days from startDate to endDate, both included (negative when endDate is earlier).',
    example: "WORKDAY_DIFF('06/01/2021', '06/30/2021') => 22",
    min: 2,
    max: 3,
    param: params('date', 'date', 'text'),
    returns: 'number',
    call: ([a, b, h]) => {
      const x = dayNumber(dateOf(a, 'WORKDAY_DIFF').ms);
      const y = dayNumber(dateOf(b, 'WORKDAY_DIFF').ms);
      const [lo, hi, sign] = x <= y ? [x, y, 1] : [y, x, -1];
      let n = weekdaysBetween(lo, hi);
      for (const day of holidaysOf(h)) if (day >= lo && day <= hi && !isWeekend(day)) n--;
      return sign * n;
    },
  }),
  define({
    name: 'YEAR',
    category: 'Date and time',
    syntax: 'YEAR(date)',
    description: 'The year.',
    example: 'YEAR("2021-06-09") => 2021',
    min: 1,
    max: 1,
    param: params('date'),
    returns: 'number',
    call: ([d]) => parts(d, 'YEAR').year,
  }),
];
