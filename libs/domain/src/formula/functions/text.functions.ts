import { FORMULA_LIMITS } from '../types';
import { checkText, toText } from '../values';
import { define, fail, type FunctionSpec, int, optNum, params, text } from './function-spec';

const ALL = Infinity;

export const TEXT_FUNCTIONS: FunctionSpec[] = [
  define({
    name: 'CONCATENATE',
    category: 'Text',
    syntax: 'CONCATENATE(text1, [text2, ...])',
    description: 'Joins its arguments into one text. Same as the & operator.',
    example: 'CONCATENATE("Bob", " - ", 43) => "Bob - 43"',
    min: 1,
    max: ALL,
    returns: 'text',
    call: (args, ctx) => {
      const parts = args.map(toText);
      ctx.spend(parts.reduce((n, p) => n + p.length, 0) / 64);
      return checkText(parts.join(''));
    },
  }),
  define({
    name: 'ENCODE_URL_COMPONENT',
    category: 'Text',
    syntax: 'ENCODE_URL_COMPONENT(component_string)',
    description: 'Replaces characters that are not allowed in a URL with their %-codes.',
    example:
      '"www.ecommerce.com/checkout?item=" & ENCODE_URL_COMPONENT("Cool Jeans") => "www.ecommerce.com/checkout?item=Cool%20Jeans"',
    min: 1,
    max: 1,
    param: params('text'),
    returns: 'text',
    call: ([v], ctx) => {
      const s = text(v);
      ctx.spend(s.length / 16);
      try {
        return checkText(encodeURIComponent(s));
      } catch {
        return fail('ENCODE_URL_COMPONENT: the text holds a broken character');
      }
    },
  }),
  define({
    name: 'FIND',
    category: 'Text',
    syntax: 'FIND(stringToFind, whereToSearch, [startFromPosition])',
    description:
      'The position (from 1) of the first stringToFind in whereToSearch at or after startFromPosition (0 by default); 0 when it is not there. Case-sensitive.',
    example: 'FIND("fox", "quick brown fox") => 13',
    min: 2,
    max: 3,
    param: params('text', 'text', 'number'),
    returns: 'number',
    call: ([needle, hay, start], ctx) => {
      const h = text(hay);
      ctx.spend(h.length / 64);
      const from = Math.max(0, Math.trunc(optNum(start, 'FIND startFromPosition', 0)));
      return h.indexOf(text(needle), from) + 1;
    },
  }),
  define({
    name: 'LEFT',
    category: 'Text',
    syntax: 'LEFT(string, howMany)',
    description: 'The first howMany characters of string.',
    example: 'LEFT("quick brown fox", 5) => "quick"',
    min: 2,
    max: 2,
    param: params('text', 'number'),
    returns: 'text',
    call: ([s, n]) => {
      const k = int(n, 'LEFT howMany');
      if (k < 0) fail('LEFT: howMany cannot be negative');
      return text(s).slice(0, k);
    },
  }),
  define({
    name: 'LEN',
    category: 'Text',
    syntax: 'LEN(string)',
    description: 'The number of characters in string.',
    example: 'LEN("quick brown fox") => 15',
    min: 1,
    max: 1,
    param: params('text'),
    returns: 'number',
    call: ([s]) => text(s).length,
  }),
  define({
    name: 'LOWER',
    category: 'Text',
    syntax: 'LOWER(string)',
    description: 'The string in lower case.',
    example: 'LOWER("Hello!") => "hello!"',
    min: 1,
    max: 1,
    param: params('text'),
    returns: 'text',
    call: ([s]) => text(s).toLowerCase(),
  }),
  define({
    name: 'MID',
    category: 'Text',
    syntax: 'MID(string, whereToStart, count)',
    description:
      "count characters of string, from position whereToStart (counted from 0, as in Airtable's example).",
    example: 'MID("quick brown fox", 6, 5) => "brown"',
    min: 3,
    max: 3,
    param: params('text', 'number', 'number'),
    returns: 'text',
    call: ([s, start, count]) => {
      const from = Math.max(0, int(start, 'MID whereToStart'));
      const k = int(count, 'MID count');
      if (k < 0) fail('MID: count cannot be negative');
      return text(s).slice(from, from + k);
    },
  }),
  define({
    name: 'REPLACE',
    category: 'Text',
    syntax: 'REPLACE(string, start_character, number_of_characters, replacement)',
    description:
      'Replaces number_of_characters characters of string, from start_character (from 1), with replacement.',
    example: 'REPLACE("database", 2, 5, "o") => "dose"',
    min: 4,
    max: 4,
    param: params('text', 'number', 'number', 'text'),
    returns: 'text',
    call: ([s, start, count, rep]) => {
      const str = text(s);
      const from = Math.max(1, int(start, 'REPLACE start_character'));
      const k = Math.max(0, int(count, 'REPLACE number_of_characters'));
      return checkText(str.slice(0, from - 1) + text(rep) + str.slice(from - 1 + k));
    },
  }),
  define({
    name: 'REPT',
    category: 'Text',
    syntax: 'REPT(string, number)',
    description: 'string repeated number times.',
    example: 'REPT("Hi! ", 3) => "Hi! Hi! Hi! "',
    min: 2,
    max: 2,
    param: params('text', 'number'),
    returns: 'text',
    call: ([s, n], ctx) => {
      const str = text(s);
      const k = int(n, 'REPT number');
      if (k <= 0 || str === '') return '';
      if (str.length * k > FORMULA_LIMITS.textChars)
        fail(`REPT: the result would be longer than ${FORMULA_LIMITS.textChars} characters`);
      ctx.spend((str.length * k) / 64);
      return str.repeat(k);
    },
  }),
  define({
    name: 'RIGHT',
    category: 'Text',
    syntax: 'RIGHT(string, howMany)',
    description: 'The last howMany characters of string.',
    example: 'RIGHT("quick brown fox", 5) => "n fox"',
    min: 2,
    max: 2,
    param: params('text', 'number'),
    returns: 'text',
    call: ([s, n]) => {
      const k = int(n, 'RIGHT howMany');
      if (k < 0) fail('RIGHT: howMany cannot be negative');
      const str = text(s);
      return k === 0 ? '' : str.slice(Math.max(0, str.length - k));
    },
  }),
  define({
    name: 'SEARCH',
    category: 'Text',
    syntax: 'SEARCH(stringToFind, whereToSearch, [startFromPosition])',
    description: 'Like FIND, but empty rather than 0 when stringToFind is not there.',
    example: 'SEARCH("World", "Hello World") => 7',
    min: 2,
    max: 3,
    param: params('text', 'text', 'number'),
    returns: 'number',
    call: ([needle, hay, start], ctx) => {
      const h = text(hay);
      ctx.spend(h.length / 64);
      const at = h.indexOf(
        text(needle),
        Math.max(0, Math.trunc(optNum(start, 'SEARCH startFromPosition', 0))),
      );
      return at < 0 ? null : at + 1;
    },
  }),
  define({
    name: 'SUBSTITUTE',
    category: 'Text',
    syntax: 'SUBSTITUTE(string, old_text, new_text, [index])',
    description:
      'Replaces old_text with new_text in string: every occurrence, or only the index-th.',
    example: 'SUBSTITUTE("gold mold", "old", "et") => "get met"',
    min: 3,
    max: 4,
    param: params('text', 'text', 'text', 'number'),
    returns: 'text',
    call: ([s, oldT, newT, index], ctx) => {
      const str = text(s);
      const from = text(oldT);
      const to = text(newT);
      ctx.spend(str.length / 32);
      if (from === '') return str;
      if (index === undefined || index === null) return checkText(str.split(from).join(to));
      const nth = int(index, 'SUBSTITUTE index');
      if (nth < 1) fail('SUBSTITUTE: index starts at 1');
      let at = -1;
      for (let k = 0; k < nth; k++) {
        at = str.indexOf(from, at + (k === 0 ? 0 : from.length));
        if (at < 0) return str;
      }
      return checkText(str.slice(0, at) + to + str.slice(at + from.length));
    },
  }),
  define({
    name: 'T',
    category: 'Text',
    syntax: 'T(value1)',
    description: 'value1 when it is text, otherwise empty.',
    example: 'T("Hello") => "Hello"; T(3.2) => empty',
    min: 1,
    max: 1,
    returns: 'text',
    call: ([v]) => {
      if (typeof v === 'string') return v;
      if (Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === 'string'))
        return toText(v);
      return null;
    },
  }),
  define({
    name: 'TRIM',
    category: 'Text',
    syntax: 'TRIM(string)',
    description: 'string without spaces at its beginning and end.',
    example: 'TRIM(" Hello! ") => "Hello!"',
    min: 1,
    max: 1,
    param: params('text'),
    returns: 'text',
    call: ([s]) => text(s).trim(),
  }),
  define({
    name: 'UPPER',
    category: 'Text',
    syntax: 'UPPER(string)',
    description: 'The string in upper case.',
    example: 'UPPER("Hello!") => "HELLO!"',
    min: 1,
    max: 1,
    param: params('text'),
    returns: 'text',
    call: ([s]) => text(s).toUpperCase(),
  }),
];
