import { ARRAY_FUNCTIONS } from './array.functions';
import { CALENDAR_FUNCTIONS } from './calendar.functions';
import { DATE_FUNCTIONS } from './date.functions';
import { type FunctionSpec } from './function-spec';
import { LOGICAL_FUNCTIONS } from './logical.functions';
import { NUMERIC_FUNCTIONS } from './numeric.functions';
import { RECORD_FUNCTIONS } from './record.functions';
import { REGEX_FUNCTIONS } from './regex.functions';
import { TEXT_FUNCTIONS } from './text.functions';

// The editor's autocomplete lists functions in this order: the date and calendar ones by name.
const DATE_AND_CALENDAR_FUNCTIONS = [...DATE_FUNCTIONS, ...CALENDAR_FUNCTIONS].sort((a, b) =>
  a.name < b.name ? -1 : 1,
);

/** Every function a formula can call, by upper-case name. */
export const FORMULA_FUNCTIONS: ReadonlyMap<string, FunctionSpec> = new Map(
  [
    ...TEXT_FUNCTIONS,
    ...LOGICAL_FUNCTIONS,
    ...NUMERIC_FUNCTIONS,
    ...DATE_AND_CALENDAR_FUNCTIONS,
    ...ARRAY_FUNCTIONS,
    ...RECORD_FUNCTIONS,
    ...REGEX_FUNCTIONS,
  ].map((f) => [f.name, f]),
);

/** Name, category, syntax and description of each function, for the formula editor's autocomplete. */
export const FORMULA_FUNCTION_DOCS = [...FORMULA_FUNCTIONS.values()].map((f) => ({
  name: f.name,
  category: f.category,
  syntax: f.syntax,
  description: f.description,
  example: f.example ?? null,
}));
