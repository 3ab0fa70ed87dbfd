import { formatDate, isoOf } from '../dates/date-format';
import {
  addToDate,
  type DateUnit,
  diffDates,
  normalizeUnit,
  startOf,
  weekNumber,
} from '../dates/date-math';
import { parseDateText, parseWithFormat } from '../dates/date-parse';
import { canonicalLocale } from '../dates/locale-names';
import { canonicalTimeZone, partsOf } from '../dates/time-zones';
import { FDate, type FValue, type Node } from '../types';
import { date, define, fail, type FunctionSpec, int, optNum, params, text } from './function-spec';

const DAY = 86_400_000;

const unitArg = (
  v: FValue | undefined,
  fallback: DateUnit,
  fn: string,
  unknown: DateUnit | 'fail',
): DateUnit => {
  if (v === undefined || v === null || v === '') return fallback;
  const u = normalizeUnit(text(v));
  if (u) return u;
  return unknown === 'fail'
    ? fail(
        `${fn}: "${text(v)}" is not a unit (milliseconds, seconds, minutes, hours, days, weeks, months, quarters, years)`,
      )
    : unknown;
};

/** A literal unit that no run could accept is a mistake worth reporting when the formula is saved. */
const checkUnitLiteral = (index: number) => (args: Node[]) => {
  const a = args[index];
  if (a && a.kind === 'string' && a.value !== '' && !normalizeUnit(a.value)) {
    return {
      message: `"${a.value}" is not a unit: use milliseconds, seconds, minutes, hours, days, weeks, months, quarters or years`,
      arg: index,
    };
  }
  return null;
};

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
const dayNumber = (ms: number) => Math.floor(ms / DAY);
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

export const DATE_FUNCTIONS: FunctionSpec[] = [
  define({
    name: 'DATEADD',
    category: 'Date and time',
    syntax: "DATEADD(date, number, 'units')",
    description: 'date with number units added (days, weeks, months, years, hours …).',
    example: 'DATEADD("07/10/19", 10, "days") => 2019-07-20',
    min: 3,
    max: 3,
    param: params('date', 'number', 'text'),
    returns: 'date',
    check: checkUnitLiteral(2),
    call: ([d, n, u]) => {
      const base = dateOf(d, 'DATEADD');
      return base.with({
        ms: addToDate(base.ms, optNum(n, 'DATEADD count', 0), unitArg(u, 'day', 'DATEADD', 'fail')),
      });
    },
  }),
  define({
    name: 'DATESTR',
    category: 'Date and time',
    syntax: 'DATESTR(date)',
    description: 'The date as YYYY-MM-DD text.',
    example: 'DATESTR("12/13/21") => "2021-12-13"',
    min: 1,
    max: 1,
    param: params('date'),
    returns: 'text',
    call: ([d]) => formatDate(dateOf(d, 'DATESTR'), 'YYYY-MM-DD'),
  }),
  define({
    name: 'DATETIME_DIFF',
    category: 'Date and time',
    syntax: "DATETIME_DIFF(date1, date2, 'units')",
    description:
      'date1 − date2 in whole units (seconds by default; an unknown unit counts milliseconds).',
    example: 'DATETIME_DIFF("2022/10/14", "2022/10/15", "seconds") => -86400',
    min: 2,
    max: 3,
    param: params('date', 'date', 'text'),
    returns: 'number',
    call: ([a, b, u]) =>
      diffDates(
        dateOf(a, 'DATETIME_DIFF').ms,
        dateOf(b, 'DATETIME_DIFF').ms,
        unitArg(u, 'second', 'DATETIME_DIFF', 'millisecond'),
      ),
  }),
  define({
    name: 'DATETIME_FORMAT',
    category: 'Date and time',
    syntax: "DATETIME_FORMAT(date, ['output format'])",
    description: 'The date as text in a moment.js format (ISO 8601 by default).',
    example: 'DATETIME_FORMAT("10/13/2019", "DD-MM-YYYY") => "13-10-2019"',
    min: 1,
    max: 2,
    param: params('date', 'text'),
    returns: 'text',
    call: ([d, f], ctx) => {
      const dt = dateOf(d, 'DATETIME_FORMAT');
      const format = f === undefined || f === null || f === '' ? null : text(f);
      if (format === null) return dt.tz ? formatDate(dt, 'YYYY-MM-DDTHH:mm:ss.SSSZ') : isoOf(dt.ms);
      ctx.spend(format.length / 8);
      return formatDate(dt, format.slice(0, 500));
    },
  }),
  define({
    name: 'DATETIME_PARSE',
    category: 'Date and time',
    syntax: "DATETIME_PARSE(date, ['input format'], ['locale'])",
    description: 'Reads text as a date, with an optional moment.js input format and locale.',
    example: 'DATETIME_PARSE("4 Mar 2017 23:00", \'D MMM YYYY HH:mm\') => 2017-03-04T23:00:00.000Z',
    min: 1,
    max: 3,
    param: params('date', 'text', 'text'),
    returns: 'date',
    call: ([d, f, l]) => {
      if (d instanceof FDate) return d;
      const s = text(d);
      if (s.trim() === '') return fail('DATETIME_PARSE needs a date; the value is empty');
      const locale =
        l === undefined || l === null || l === ''
          ? null
          : (canonicalLocale(text(l)) ?? fail(`"${text(l)}" is not a locale`));
      const ms =
        f === undefined || f === null || f === ''
          ? parseDateText(s, null, locale)
          : parseWithFormat(s, text(f), null, locale);
      return ms === null
        ? fail(
            `DATETIME_PARSE cannot read "${s.slice(0, 40)}"${f ? ` with the format "${text(f)}"` : ''}`,
          )
        : new FDate(ms);
    },
  }),
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
    name: 'FROMNOW',
    category: 'Date and time',
    syntax: 'FROMNOW(date)',
    description: 'Whole days between now and date (the same as TONOW).',
    min: 1,
    max: 1,
    param: params('date'),
    returns: 'number',
    volatile: true,
    call: ([d], ctx) => Math.abs(diffDates(dateOf(d, 'FROMNOW').ms, ctx.now, 'day')),
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
    name: 'IS_AFTER',
    category: 'Date and time',
    syntax: 'IS_AFTER(date1, date2)',
    description: 'TRUE when date1 is after date2.',
    example: 'IS_AFTER({Deadline}, TODAY())',
    min: 2,
    max: 2,
    param: params('date', 'date'),
    returns: 'boolean',
    call: ([a, b]) => dateOf(a, 'IS_AFTER').ms > dateOf(b, 'IS_AFTER').ms,
  }),
  define({
    name: 'IS_BEFORE',
    category: 'Date and time',
    syntax: 'IS_BEFORE(date1, date2)',
    description: 'TRUE when date1 is before date2.',
    example: 'IS_BEFORE({Deadline}, TODAY())',
    min: 2,
    max: 2,
    param: params('date', 'date'),
    returns: 'boolean',
    call: ([a, b]) => dateOf(a, 'IS_BEFORE').ms < dateOf(b, 'IS_BEFORE').ms,
  }),
  define({
    name: 'IS_SAME',
    category: 'Date and time',
    syntax: "IS_SAME(date1, date2, ['unit'])",
    description: 'TRUE when the dates are the same, to the unit (to the millisecond by default).',
    example: "IS_SAME({Date 1}, {Date 2}, 'hour')",
    min: 2,
    max: 3,
    param: params('date', 'date', 'text'),
    returns: 'boolean',
    check: checkUnitLiteral(2),
    call: ([a, b, u]) => {
      const unit = unitArg(u, 'millisecond', 'IS_SAME', 'fail');
      const x = dateOf(a, 'IS_SAME');
      return startOf(x.ms, unit, x.tz) === startOf(dateOf(b, 'IS_SAME').ms, unit, x.tz);
    },
  }),
  define({
    name: 'LAST_MODIFIED_TIME',
    category: 'Date and time',
    syntax: 'LAST_MODIFIED_TIME([{field1}, {field2}, ...])',
    description: 'When the record (or, given fields, any of them) was last changed.',
    example: 'LAST_MODIFIED_TIME({Status})',
    min: 0,
    max: Infinity,
    fieldArgs: true,
    returns: 'date',
    // The evaluator handles the field arguments itself; see evaluator.ts.
    call: (_args, ctx) => stamp(ctx.record.updated_at),
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
    name: 'NOW',
    category: 'Date and time',
    syntax: 'NOW()',
    description:
      'The current date and time (the time of the edit that last recomputed the record).',
    min: 0,
    max: 0,
    returns: 'date',
    volatile: true,
    call: (_a, ctx) => new FDate(ctx.now),
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
    name: 'SET_LOCALE',
    category: 'Date and time',
    syntax: 'SET_LOCALE(date, locale_modifier)',
    description: 'The date, formatted in a locale by DATETIME_FORMAT.',
    example: "DATETIME_FORMAT(SET_LOCALE(NOW(), 'zh'), 'lll')",
    min: 2,
    max: 2,
    param: params('date', 'text'),
    returns: 'date',
    call: ([d, l]) =>
      dateOf(d, 'SET_LOCALE').with({
        locale: canonicalLocale(text(l)) ?? fail(`"${text(l)}" is not a locale`),
      }),
  }),
  define({
    name: 'SET_TIMEZONE',
    category: 'Date and time',
    syntax: 'SET_TIMEZONE(date, tz_identifier)',
    description: 'The date, read in a time zone by DATETIME_FORMAT, HOUR, DAY …',
    example: "DATETIME_FORMAT(SET_TIMEZONE(NOW(), 'Australia/Sydney'), 'M/D/YYYY h:mm')",
    min: 2,
    max: 2,
    param: params('date', 'text'),
    returns: 'date',
    call: ([d, z]) =>
      dateOf(d, 'SET_TIMEZONE').with({
        tz: canonicalTimeZone(text(z)) ?? fail(`"${text(z)}" is not a time zone`),
      }),
  }),
  define({
    name: 'TIMESTR',
    category: 'Date and time',
    syntax: 'TIMESTR(timestamp)',
    description: 'The time as HH:mm:ss text.',
    example: 'TIMESTR("02/17/2013 7:31pm") => "19:31:00"',
    min: 1,
    max: 1,
    param: params('date'),
    returns: 'text',
    call: ([d]) => formatDate(dateOf(d, 'TIMESTR'), 'HH:mm:ss'),
  }),
  define({
    name: 'TODAY',
    category: 'Date and time',
    syntax: 'TODAY()',
    description: 'The current date (midnight UTC).',
    min: 0,
    max: 0,
    returns: 'date',
    volatile: true,
    call: (_a, ctx) => new FDate(dayNumber(ctx.now) * DAY),
  }),
  define({
    name: 'TONOW',
    category: 'Date and time',
    syntax: 'TONOW(date)',
    description: 'Whole days between date and now (the same as FROMNOW).',
    min: 1,
    max: 1,
    param: params('date'),
    returns: 'number',
    volatile: true,
    call: ([d], ctx) => Math.abs(diffDates(ctx.now, dateOf(d, 'TONOW').ms, 'day')),
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

function parts(v: FValue, fn: string) {
  const d = dateOf(v, fn);
  return partsOf(d.ms, d.tz);
}

export function stamp(iso: string | null): FValue {
  if (!iso) return null;
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? null : new FDate(ms);
}
