import { type CellValue, type FieldDefinition } from '@crm/events';
import { DomainError } from '../errors';
import { isEmptyValue, normalizeCell } from './normalize';
import { parseLocaleNumber, POINT_DECIMAL } from './number-text';

export type Conversion = { ok: true; value: CellValue } | { ok: false };

const isAttachment = (x: unknown): x is { filename: string; url: string } =>
  x !== null &&
  typeof x === 'object' &&
  typeof (x as { filename?: unknown }).filename === 'string' &&
  typeof (x as { url?: unknown }).url === 'string';

function asText(v: CellValue): string | null {
  if (isEmptyValue(v)) return null;
  if (Array.isArray(v))
    return v
      .map((x) =>
        typeof x === 'string'
          ? x
          : isAttachment(x)
            ? `${x.filename} (${x.url})`
            : JSON.stringify(x),
      )
      .join(', ');
  if (typeof v === 'boolean') return v ? 'checked' : null;
  return String(v);
}

/** Stored text has no locale: read with the decimal point, so `1,5` does not convert (never to 15). */
function parseNumber(s: string): number | null {
  const r = parseLocaleNumber(s.trim().replace(/^%\s*|\s*%$/g, ''), POINT_DECIMAL);
  return r.ok ? r.value : null;
}

/** The value a cell takes when its field changes type, or `{ ok: false }` when it cannot convert. */
export function convertValue(
  value: CellValue,
  from: FieldDefinition,
  to: FieldDefinition,
): Conversion {
  if (isEmptyValue(value) || (value === false && to.type !== 'checkbox'))
    return { ok: true, value: to.type === 'checkbox' ? false : null };
  const attempt = (candidate: unknown): Conversion => {
    try {
      return { ok: true, value: normalizeCell(to, candidate) };
    } catch (e) {
      if (e instanceof DomainError) return { ok: false };
      throw e;
    }
  };
  const s = asText(value);
  switch (to.type) {
    case 'number':
    case 'currency':
    case 'percent': {
      if (typeof value === 'number') return { ok: true, value };
      const n = s === null ? null : parseNumber(s);
      return n === null
        ? { ok: false }
        : {
            ok: true,
            value:
              from.type !== 'percent' && to.type === 'percent' && /%/.test(s ?? '') ? n / 100 : n,
          };
    }
    case 'checkbox':
      if (typeof value === 'boolean') return { ok: true, value };
      if (typeof value === 'number') return { ok: true, value: value !== 0 };
      return /^(true|yes|checked|x|1|on)$/i.test((s ?? '').trim())
        ? { ok: true, value: true }
        : /^(false|no|0|off|)$/i.test((s ?? '').trim())
          ? { ok: true, value: false }
          : { ok: false };
    case 'multiple_select':
      return attempt(
        Array.isArray(value)
          ? value
          : (s ?? '')
              .split(',')
              .map((x) => x.trim())
              .filter(Boolean),
      );
    case 'link':
      return from.type === 'link' && from.options.table_id === to.options.table_id
        ? { ok: true, value }
        : { ok: false };
    case 'date':
      if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}/.test(value))
        return attempt(value.slice(0, 10));
      return attempt(s);
    case 'date_time':
      if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value))
        return attempt(`${value}T00:00:00Z`);
      return attempt(s);
    default:
      return attempt(s);
  }
}
