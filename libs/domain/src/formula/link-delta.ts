import { type FieldDefinition } from '@crm/events';
import { type FilterGroup, isGroup } from '../filter/view-config';
import { type CompiledFormula } from './formula';
import { type LinkedRecord } from './link-field';
import { type StoredFormulaValue } from './stored-values';
import { type FValue } from './types';

/**
 * How one linked record's change moves an aggregate's value without reading the other linked
 * records: `old` is the value stored, `before`/`after` the changed record (null where it was not or
 * is no longer there). Undefined when a delta cannot give exactly what a full recompute gives; the
 * caller then recomputes in full.
 */
export type LinkDelta = (
  old: unknown,
  before: LinkedRecord | null,
  after: LinkedRecord | null,
  now: number,
) => StoredFormulaValue | undefined;

/** What a delta needs of a compiled lookup/rollup/count: which records count, and their values. */
export interface DeltaParts {
  /** Whether a linked record counts (not archived, of the linked table, meeting the conditions). */
  counts(r: LinkedRecord, now: number): boolean;
  /** A record's values as the rollup's `values` holds them. */
  valuesOf(r: LinkedRecord): FValue[];
  /** The rollup's formula over `values`. */
  rollup: CompiledFormula | null;
  /** Whether the conditions read the clock ("within the past week"): every record is read again. */
  clocked: boolean;
}

const AGGREGATE = /^\s*(SUM|COUNT|COUNTA|MAX|MIN)\s*\(\s*values\s*\)\s*$/i;

/** The delta of a count, or of a rollup that is SUM, COUNT, COUNTA, MAX or MIN of `values`; else undefined. */
export function linkDeltaOf(field: FieldDefinition, parts: DeltaParts): LinkDelta | undefined {
  if (parts.clocked) return undefined;
  if (field.type === 'count') return countDelta(parts);
  if (field.type !== 'rollup' || !parts.rollup) return undefined;
  const m = AGGREGATE.exec(String(field.options.formula ?? ''));
  if (!m) return undefined;
  const fn = m[1].toUpperCase();
  return fn === 'MAX' || fn === 'MIN' ? extremeDelta(parts, fn) : sumDelta(parts, parts.rollup);
}

/** The values a record brings to the aggregate: none when it does not count. */
function contribution(parts: DeltaParts, r: LinkedRecord | null, now: number): FValue[] {
  return r && parts.counts(r, now) ? parts.valuesOf(r) : [];
}

function countDelta(parts: DeltaParts): LinkDelta {
  return (old, before, after, now) => {
    if (typeof old !== 'number') return undefined;
    const was = before && parts.counts(before, now) ? 1 : 0;
    const is = after && parts.counts(after, now) ? 1 : 0;
    return old - was + is;
  };
}

/**
 * SUM, COUNT and COUNTA add up over the records: the new value is the old one, less what the
 * record brought, plus what it brings. Only whole numbers: their sums are exact in any order, so
 * the value is the one a full recompute stores, byte for byte.
 */
function sumDelta(parts: DeltaParts, rollup: CompiledFormula): LinkDelta {
  const of = (values: FValue[], now: number): StoredFormulaValue =>
    values.length
      ? rollup.evaluate({ id: '', values: { values }, created_at: null, updated_at: null }, now)
      : 0;
  return (old, before, after, now) => {
    const out = of(contribution(parts, before, now), now);
    const into = of(contribution(parts, after, now), now);
    if (!isWhole(old) || !isWhole(out) || !isWhole(into)) return undefined;
    const next = old - out + into;
    return Number.isSafeInteger(next) ? next : undefined;
  };
}

/**
 * MAX (MIN): a value coming in can only raise (lower) it; one going out that was below (above) it
 * leaves it. A value going out that may have been the extreme, a non-number, or an old value equal
 * to that of no records at all (0) is recomputed in full.
 */
function extremeDelta(parts: DeltaParts, fn: 'MAX' | 'MIN'): LinkDelta {
  const beyond = (a: number, b: number) => (fn === 'MAX' ? a > b : a < b);
  return (old, before, after, now) => {
    if (typeof old !== 'number' || old === 0) return undefined;
    const out = contribution(parts, before, now);
    const into = contribution(parts, after, now);
    if (![...out, ...into].every((v) => typeof v === 'number')) return undefined;
    if ((out as number[]).some((v) => !beyond(old, v))) return undefined;
    let next = old;
    for (const v of into as number[]) if (beyond(v, next)) next = v;
    return next;
  };
}

const isWhole = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v);

const TIMED = new Set([
  'date',
  'date_time',
  'created_time',
  'last_modified_time',
  'formula',
  'lookup',
  'rollup',
]);

/**
 * Whether conditions may read the clock: a relative date compares with the time of the change, so
 * a record that counted may stop counting without changing. Any condition on a date (or on a
 * derived field, which may be one) is taken to.
 */
export function conditionsReadClock(
  group: FilterGroup | null,
  fields: readonly FieldDefinition[],
): boolean {
  if (!group) return false;
  return group.conditions.some((c) =>
    isGroup(c)
      ? conditionsReadClock(c, fields)
      : TIMED.has(fields.find((f) => f.id === c.field_id)?.type ?? 'date'),
  );
}
