import { splitAirtableList } from './airtable-list';
import {
  FORMULA_ERRORS,
  parseCheckbox,
  parseCurrency,
  parseDateText,
  parseDateTimeText,
  parseNumberText,
  parsePercent,
  slashDateParts,
} from './airtable-values';
import { parseAttachments } from './attachments';
import { type ColumnFormat } from './column-format';

export type CellParse = { ok: true; value: unknown } | { ok: false; message: string };

const ok = (value: unknown): CellParse => ({ ok: true, value });
const bad = (message: string): CellParse => ({ ok: false, message });
const quote = (s: string) => `“${s.length > 60 ? `${s.slice(0, 60)}…` : s}”`;

/**
 * Reads the text of one CSV cell as a value of a field type, before the domain's normalizeCell checks
 * it. Links come back as the names written in the cell; the plan resolves them to records. Empty
 * text is an empty value (false for a checkbox), and so is a formula error in a number column.
 */
export function parseImportCell(text: string, type: string, format: ColumnFormat): CellParse {
  if (text === '') return ok(null);
  switch (type) {
    case 'text':
    case 'long_text':
      return ok(text);
    case 'email':
    case 'url':
    case 'phone':
    case 'single_select':
      return ok(text.trim() === '' ? null : text.trim());
    case 'number':
    case 'currency':
    case 'percent': {
      if (FORMULA_ERRORS.has(text.trim())) return ok(null);
      if (type === 'percent') {
        const p = parsePercent(text, format.decimal, false);
        return p === null ? bad(`${quote(text)} is not a percentage`) : ok(p);
      }
      const n =
        type === 'currency'
          ? (parseCurrency(text, format.decimal)?.value ?? parseNumberText(text, format.decimal))
          : (parseNumberText(text, format.decimal) ??
            parseCurrency(text, format.decimal)?.value ??
            null);
      if (n !== null) return ok(n);
      const p = type === 'number' ? parsePercent(text, format.decimal) : null;
      return p === null
        ? bad(
            `${quote(text)} is not ${type === 'currency' ? 'an amount' : 'a number'}${format.decimal === ',' ? ' (read with a decimal comma)' : ''}`,
          )
        : ok(p);
    }
    case 'date': {
      if (!format.date_order && slashDateParts(text))
        return bad(
          `${quote(text)}: the column mixes day-first and month-first dates; choose the order`,
        );
      const iso = /^\d{4}-\d{2}-\d{2}T/.test(text.trim())
        ? parseDateText(text.trim().slice(0, 10))
        : parseDateText(text, format.date_order ?? 'mdy');
      return iso === null
        ? bad(
            `${quote(text)} is not a date${format.date_order === 'dmy' ? ' (read day first)' : ''}`,
          )
        : ok(iso);
    }
    case 'date_time': {
      if (!format.date_order && slashDateParts(text))
        return bad(
          `${quote(text)}: the column mixes day-first and month-first dates; choose the order`,
        );
      const iso = parseDateTimeText(text, format.date_order ?? 'mdy', format.time_zone);
      return iso === null ? bad(`${quote(text)} is not a date and time`) : ok(iso);
    }
    case 'checkbox': {
      const b = parseCheckbox(text);
      return b === null ? bad(`${quote(text)} is not a checkbox value (checked or empty)`) : ok(b);
    }
    case 'multiple_select':
      return ok(
        splitAirtableList(text)
          .map((x) => x.trim())
          .filter(Boolean),
      );
    case 'link':
      return ok(splitAirtableList(text));
    case 'attachment': {
      const list = parseAttachments(text);
      return list === null
        ? bad(`${quote(text)} is not a list of attachments (name (https://…))`)
        : ok(list);
    }
    default:
      return bad(`a ${type} field cannot be imported into`);
  }
}
