import { invalid } from '../errors';

/** How a mistake in a view's settings is reported: a validation error naming its path. */
export function bad(path: string, message: string, details: Record<string, unknown> = {}): never {
  throw invalid(`${path}: ${message}`, { field: path, reason: 'invalid_value', ...details });
}

export const isObj = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);
