import { previewFormula } from '../formula/preview';

export const HARNESS_NOW = Date.parse('2026-03-15T12:00:00.000Z');

/**
 * A formula's stored value on a record whose fields are given by name with sample values
 * (numbers, TRUE/FALSE, lists, "YYYY-MM-DD" dates, text). Errors come back as `{ error }`;
 * a formula that does not check throws, naming the problem and its position.
 */
export function formulaValue(
  formula: string,
  fields: Record<string, unknown> = {},
  now = HARNESS_NOW,
): unknown {
  const r = previewFormula({ formula, fields, now });
  if ('error' in r) {
    if (r.error.kind === 'definition')
      throw new Error(`definition error at ${r.error.position}: ${r.error.message}`);
    return { error: r.error.message };
  }
  return r.value;
}

/** The result type, or the definition error as `{ message, position }`. */
export function formulaCheck(
  formula: string,
  fields: Record<string, unknown> = {},
): string | { message: string; position: number | null } {
  const r = previewFormula({ formula, fields, now: HARNESS_NOW });
  if ('error' in r)
    return r.error.kind === 'definition'
      ? { message: r.error.message, position: r.error.position }
      : 'evaluation-error';
  return r.type;
}
