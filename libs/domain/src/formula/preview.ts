import { type FieldDefinition } from '@crm/events';
import { cellToFormulaValue, type FormulaRecord, type StoredFormulaValue } from './stored-values';
import { type LinkNames } from './checker';
import { type FormulaProblem, tryCompileFormula } from './formula';
import { type FormulaType, type FValue } from './types';

export type PreviewResult =
  | { value: StoredFormulaValue; type: FormulaType }
  /** `position` is null for an error that happened while running (the grid's #ERROR!). */
  | {
      error: Omit<FormulaProblem, 'position'> & {
        position: number | null;
        kind: 'definition' | 'evaluation';
      };
    };

/** A field type for a sample value: numbers, TRUE/FALSE, lists, ISO dates and date-times, else text. */
function typeForSample(v: unknown): string {
  if (typeof v === 'number') return 'number';
  if (typeof v === 'boolean') return 'checkbox';
  // A list of names reads as a multiple select; any other list keeps its elements' types, as a
  // rollup's `values` does.
  if (Array.isArray(v))
    return v.every((x) => typeof x === 'string') ? 'multiple_select' : 'rollup_values';
  if (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v)) return 'date';
  if (
    typeof v === 'string' &&
    /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(v)
  )
    return 'date_time';
  return 'text';
}

/** An element of a list sample as the formula language holds it: ISO dates as dates. */
function sampleElement(x: unknown): FValue {
  const t = typeForSample(x);
  if (t === 'date' || t === 'date_time') return cellToFormulaValue({ type: t, options: {} }, x);
  if (typeof x === 'string' || typeof x === 'number' || typeof x === 'boolean') return x;
  return null;
}

/**
 * Evaluates a formula for the formula editor's live preview. With `fields` only (name → value),
 * each field's type follows from its sample value; with `definitions`, the table's own fields are
 * used and `fields` gives the current record's values by name.
 */
export function previewFormula(input: {
  formula: string;
  fields?: Record<string, unknown>;
  definitions?: readonly FieldDefinition[];
  record?: Partial<FormulaRecord>;
  /** How the table's links read (the linked records' names); ids without it. */
  names?: LinkNames;
  now: number;
}): PreviewResult {
  const samples = input.fields ?? {};
  const definitions: FieldDefinition[] = input.definitions
    ? [...input.definitions]
    : Object.entries(samples).map(([name, v], i) =>
        // An empty sample says nothing about its type: it reads as a blank that fits anywhere.
        v === null || v === undefined
          ? {
              id: `fld_preview_${i}`,
              name,
              type: 'formula',
              options: { formula: 'BLANK()', result_type: 'blank' },
              role: null,
            }
          : { id: `fld_preview_${i}`, name, type: typeForSample(v), options: {}, role: null },
      );
  const values: Record<string, unknown> = { ...(input.record?.values ?? {}) };
  const computed: Record<string, unknown> = { ...(input.record?.computed ?? {}) };
  for (const [name, v] of Object.entries(samples)) {
    const f = definitions.find((d) => d.name === name);
    if (!f) continue;
    if (f.type === 'formula') computed[f.id] = v;
    else if (f.type === 'rollup_values') values[f.id] = (v as unknown[]).map(sampleElement);
    else values[f.id] = v;
  }
  const compiled = tryCompileFormula(input.formula, { fields: definitions, names: input.names });
  if (!compiled.ok) return { error: { ...compiled.error, kind: 'definition' } };
  const record: FormulaRecord = {
    id: input.record?.id ?? 'recPreview00000000',
    values,
    computed,
    created_at: input.record?.created_at ?? new Date(input.now).toISOString(),
    updated_at: input.record?.updated_at ?? new Date(input.now).toISOString(),
    created_by: input.record?.created_by ?? null,
    updated_by: input.record?.updated_by ?? null,
    cells: input.record?.cells,
    team: input.record?.team,
  };
  const value = compiled.formula.evaluate(record, input.now);
  if (value !== null && typeof value === 'object' && !Array.isArray(value))
    return { error: { message: value.error, position: null, length: 0, kind: 'evaluation' } };
  return { value, type: compiled.formula.type };
}
