import { formatDate, isoOf } from '../dates/date-format';
import { addToDate, type DateUnit, diffDates, normalizeUnit, startOf } from '../dates/date-math';
import { parseDateText, parseWithFormat } from '../dates/date-parse';
import { canonicalLocale } from '../dates/locale-names';
import { canonicalTimeZone } from '../dates/time-zones';
import { FDate, type FValue, type Node } from '../types';
import { DAY, dayNumber } from './calendar.functions';
import { date, define, fail, type FunctionSpec, optNum, params, text } from './function-spec';

/** Dates as values: the clock, arithmetic, comparison, zones and locales, text in and out. */

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
    name: 'IS_AFTER',
    category: 'Date and time',
    syntax: 'IS_AFTER(date1, date2)',
    description: '1 (true) when date1 is after date2.',
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
    description: '1 (true) when date1 is before date2.',
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
    description:
      '1 (true) when the dates are the same, to the unit (to the millisecond by default).',
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
];

export function stamp(iso: string | null): FValue {
  if (!iso) return null;
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? null : new FDate(ms);
}
