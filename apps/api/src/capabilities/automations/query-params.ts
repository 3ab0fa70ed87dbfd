import { invalid } from '@crm/domain';

/** A whole number from 1 to `max` given in a query string, or the fallback. */
export function limitOf(raw: string | undefined, fallback: number, max: number): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > max)
    throw invalid(`limit must be a whole number from 1 to ${max}`, { field: 'limit', given: raw });
  return n;
}

/** A log position given in a query string. */
export function positionOf(raw: string | undefined, field: string): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1)
    throw invalid(`${field} must be a log position (a whole number from 1)`, { field, given: raw });
  return n;
}

const RUN_STATUSES = ['running', 'succeeded', 'failed', 'skipped', 'rolled_back'];

export function statusOf(raw: string | undefined): string | undefined {
  if (raw === undefined || RUN_STATUSES.includes(raw)) return raw;
  throw invalid(`status must be one of ${RUN_STATUSES.join(', ')}`, {
    field: 'status',
    given: raw,
  });
}
