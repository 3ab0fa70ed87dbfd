import { hasFormulaGuard, unguardFormula } from '../../export/formula-guard';
import { parseImportCell } from '../parse-cell';
import { type ImportIssue, type PlanImportInput } from '../plan-import.types';
import { type MappedColumn, newPlanRows, type PlanRows, rowError } from './plan-rows';
import { areChoices, choicesOf, paddedChoices, paddedChoiceValue } from './select-choices';

const TEXTUAL = new Set([
  'text',
  'long_text',
  'email',
  'url',
  'phone',
  'single_select',
  'multiple_select',
  'link',
  'attachment',
]);

/** A select column's choices: those it has, and those the file's values add (in order of first use). */
export interface ChoiceGrowth {
  choices: Set<string>;
  known: Set<string>;
  padded: Map<string, string>;
  added: string[];
}

export interface ReadCells {
  rows: PlanRows;
  blankRows: number;
  /** Per mapped column: its select choices, or null for a column of another type. */
  growth: (ChoiceGrowth | null)[];
  warnings: ImportIssue[];
}

/**
 * Step 2: read every cell of every row as its column's type and format. A row of the wrong width
 * is an error; a blank row is counted and left out; a cell written with the formula guard is read
 * as the option says (in `auto`, its value without the apostrophe is kept aside for later steps).
 */
export function readCells(
  input: PlanImportInput,
  mapped: readonly MappedColumn[],
  unread: ReadonlySet<number>,
): ReadCells {
  const rows = newPlanRows(input, mapped);
  const reader: RowReader = {
    rows,
    unread,
    growth: mapped.map((c) => choiceGrowth(c)),
    guarded: new Array<number>(mapped.length).fill(0),
  };
  let blankRows = 0;
  for (let r = 0; r < input.rows.length; r++) if (readRow(reader, r) === 'blank') blankRows++;
  const warnings = mapped.flatMap((c, j) =>
    reader.guarded[j] ? [guardWarning(c, reader.guarded[j], input.options.formula_guard)] : [],
  );
  return { rows, blankRows, growth: reader.growth, warnings };
}

interface RowReader {
  rows: PlanRows;
  unread: ReadonlySet<number>;
  growth: (ChoiceGrowth | null)[];
  /** Per mapped column: how many cells had the formula guard. */
  guarded: number[];
}

function choiceGrowth(c: MappedColumn): ChoiceGrowth | null {
  if (c.field.type !== 'single_select' && c.field.type !== 'multiple_select') return null;
  return {
    choices: new Set(choicesOf(c.field)),
    known: new Set(choicesOf(c.field)),
    padded: paddedChoices(c.field),
    added: [],
  };
}

function guardWarning(c: MappedColumn, count: number, mode: string): ImportIssue {
  const what =
    mode === 'strip'
      ? 'removed'
      : 'kept as written, except where the record already holds the text without it or a select has the choice without it';
  return {
    line: null,
    column: c.name,
    message: `${count} value(s) start with an apostrophe before = + - @ (a spreadsheet's formula guard): ${what}`,
  };
}

function readRow(reader: RowReader, r: number): 'blank' | 'read' | 'bad' {
  const { rows } = reader;
  const { header_count } = rows.input;
  const cells = rows.input.rows[r].cells;
  if (cells.every((x) => x === '')) {
    rows.blank[r] = 1;
    return 'blank';
  }
  if (cells.length < header_count) {
    const values = `${cells.length} value${cells.length === 1 ? '' : 's'}`;
    rowError(rows, r, null, `has ${values}; the header has ${header_count}`);
    return 'bad';
  }
  if (cells.length > header_count && cells.slice(header_count).some((x) => x !== '')) {
    rowError(rows, r, null, `has ${cells.length} values; the header has ${header_count}`);
    return 'bad';
  }
  const vals = new Array<unknown>(rows.mapped.length);
  for (let j = 0; j < rows.mapped.length; j++) {
    if (!reader.unread.has(rows.mapped[j].index)) readCell(reader, r, j, vals);
  }
  rows.values[r] = vals;
  return 'read';
}

function readCell(reader: RowReader, r: number, j: number, vals: unknown[]): void {
  const { rows } = reader;
  const c = rows.mapped[j];
  let raw = rows.input.rows[r].cells[c.index];
  if (raw.charCodeAt(0) === 39 && TEXTUAL.has(c.field.type) && hasFormulaGuard(raw)) {
    reader.guarded[j]++;
    raw = guardedCell(reader, r, j, raw);
  }
  const p = parseImportCell(raw, c.field.type, c.format);
  if (!p.ok) {
    rowError(rows, r, c.name, p.message);
    return;
  }
  const ext = reader.growth[j];
  // Select values are read trimmed; a choice with a space at an end is still that choice.
  if (ext && ext.padded.size !== 0 && p.value !== null)
    p.value = paddedChoiceValue(raw, c.field.type, ext.choices, ext.padded);
  vals[j] = p.value;
  if (ext && p.value !== null) {
    for (const v of Array.isArray(p.value) ? (p.value as string[]) : [p.value as string]) {
      if (!ext.known.has(v)) {
        ext.known.add(v);
        ext.added.push(v);
      }
    }
  }
}

/** The text to read for a cell with the formula guard (`'=…`), as the option says. */
function guardedCell(reader: RowReader, r: number, j: number, raw: string): string {
  const { rows } = reader;
  const mode = rows.input.options.formula_guard;
  if (mode === 'strip') return unguardFormula(raw);
  if (mode !== 'auto') return raw;
  const c = rows.mapped[j];
  const alt = parseImportCell(unguardFormula(raw), c.field.type, c.format);
  const ext = reader.growth[j];
  // A select takes the choice it has without the apostrophe, rather than gain one with it.
  const asWritten = ext && alt.ok ? parseImportCell(raw, c.field.type, c.format) : null;
  if (
    ext &&
    alt.ok &&
    areChoices(ext.choices, alt.value) &&
    !(asWritten?.ok && areChoices(ext.choices, asWritten.value))
  )
    return unguardFormula(raw);
  if (alt.ok) rows.guardAlt.set(r * rows.mapped.length + j, alt.value);
  return raw;
}
