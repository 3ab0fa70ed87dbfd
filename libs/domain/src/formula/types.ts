/**
 * The formula language's values, types and syntax tree. Values are plain JS values except dates
 * (an instant plus the time zone and locale SET_TIMEZONE / SET_LOCALE attach) and errors, which are
 * values too: an error flows through functions like Airtable's #ERROR! instead of being thrown.
 */

/** A date-time: milliseconds since the epoch (UTC), with an optional zone and locale for formatting. */
export class FDate {
  constructor(
    readonly ms: number,
    readonly tz: string | null = null,
    readonly locale: string | null = null,
  ) {}

  with(patch: { ms?: number; tz?: string | null; locale?: string | null }): FDate {
    return new FDate(
      patch.ms ?? this.ms,
      patch.tz === undefined ? this.tz : patch.tz,
      patch.locale === undefined ? this.locale : patch.locale,
    );
  }
}

/** An evaluation error as a value; the grid shows it as #ERROR! with the message on hover. */
export class FError {
  constructor(readonly message: string) {}
}

export type FValue = null | number | string | boolean | FDate | FError | FValue[];

/** What a formula gives, known when it is saved. `any` is only used inside the checker. */
export type FormulaType = 'number' | 'text' | 'boolean' | 'date' | 'array' | 'blank' | 'any';

export const RESULT_TYPES: readonly FormulaType[] = [
  'number',
  'text',
  'boolean',
  'date',
  'array',
  'blank',
];

export type BinaryOp = '+' | '-' | '*' | '/' | '&' | '=' | '!=' | '<' | '>' | '<=' | '>=';

/** Source span: `pos` is the 0-based offset of the first character, `end` one past the last. */
interface Span {
  pos: number;
  end: number;
}

export type Node =
  | ({ kind: 'number'; value: number } & Span)
  | ({ kind: 'string'; value: string } & Span)
  | ({ kind: 'boolean'; value: boolean } & Span)
  /** `ref` is what was written between the braces (or the bare word): a field name or a field id. */
  | ({ kind: 'field'; ref: string } & Span)
  | ({ kind: 'call'; name: string; args: Node[] } & Span)
  | ({ kind: 'unary'; op: '-' | '+'; operand: Node } & Span)
  | ({ kind: 'binary'; op: BinaryOp; left: Node; right: Node } & Span);

/** A problem found while reading or checking a formula, at a position in its text. */
export class FormulaSyntaxError extends Error {
  constructor(
    message: string,
    readonly position: number,
    readonly length = 1,
  ) {
    super(message);
    this.name = 'FormulaSyntaxError';
  }
}

/** Limits that keep any formula, however written, cheap to check and to run. */
export const FORMULA_LIMITS = {
  /** Characters in a formula's text. */
  sourceChars: 20_000,
  /** Nesting of parentheses, calls and operators. */
  depth: 64,
  /** Height of the syntax tree (long operator chains). */
  treeHeight: 400,
  /** Work units per evaluation of one formula on one record (a node is 1; text work is charged by length). */
  fuel: 100_000,
  /** Work units for all the formulas one change of one record recomputes together (tens of milliseconds at most). */
  recordFuel: 500_000,
  /**
   * Work units a formula change may spend recomputing a whole table (all records, every formula it
   * affects): at least this, about a tenth of a second, so no one waits long on another person's
   * formula; on a large table `recomputeFuelPerRecord` a record (see `tableRecomputeFuel`). A definition
   * estimated past it is refused; past it in fact, the remaining records show an error.
   */
  recomputeFuel: 2_000_000,
  /**
   * Work units a record that a table-wide recompute may spend on a large table: about 10 µs, less than
   * storing the record's new values costs, so the formula's share of the pause stays below the write's
   * and an ordinary formula (a few dozen units) is never refused however many records the table holds.
   */
  recomputeFuelPerRecord: 200,
  /** Characters in any text value a formula builds. */
  textChars: 100_000,
  /**
   * Items in any list a formula builds or reads: a rollup's `values` over the commitments of a large
   * fund (an inverse link holds as many records as link to it) is a list of that size.
   */
  arrayItems: 100_000,
  /** Characters of a regular expression pattern, and of the text it runs on. */
  regexChars: 1_000,
  regexInputChars: 100_000,
} as const;

/** The work units a table-wide recompute of a table of `records` records may spend (see FORMULA_LIMITS). */
export function tableRecomputeFuel(records: number): number {
  return Math.max(FORMULA_LIMITS.recomputeFuel, records * FORMULA_LIMITS.recomputeFuelPerRecord);
}
